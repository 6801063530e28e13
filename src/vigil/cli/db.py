"""``vigil db``: migrations."""

from __future__ import annotations

import typer

from vigil.cli.common import console, container, fail
from vigil.store import migrate

app = typer.Typer(help="Create or upgrade the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("heads", help="Alembic revision to upgrade to."),
) -> None:
    """Apply every migration up to REVISION (default: the latest of every branch)."""
    c = container()
    migrate.upgrade(c.engine, revision)
    console.print(f"Database at [bold]{c.engine.url.render_as_string()}[/] is up to date.")


@app.command("check")
def check() -> None:
    """Fail if the models hold changes that no migration does (run after upgrade)."""
    from alembic.util.exc import CommandError

    c = container()
    try:
        migrate.check(c.engine)
    except CommandError as error:
        raise fail("Models and migrations differ:", [str(error)]) from error
    console.print("Models and migrations agree.")
