"""``vigil audit``: check that the audit log has not been tampered with."""

from __future__ import annotations

import typer

from vigil.cli.common import console, container, fail
from vigil.services.audit_trail import verify_chain

app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Recompute the hash chain of every audit entry; exit 1 naming the first broken entry."""
    c = container()
    with c.session_factory() as session:
        result = verify_chain(session)
    if not result.intact:
        raise fail(f"The audit log has been altered: entry {result.broken_id} is broken.",
                   [f"entry {result.broken_id}: {result.problem}",
                    f"{result.entries - 1:,} entries before it are intact."])
    console.print(f"The audit log is intact: {result.entries:,} entries, each chained to the "
                  "one before.")
