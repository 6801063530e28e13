"""``vigil cases``: settings of multi-agency cases that belong to the operator."""

from __future__ import annotations

import typer

from vigil.cli.common import cli_actor, console, container, fail
from vigil.domain.case_review import TriggerThreshold
from vigil.domain.cases import InvalidCaseInput
from vigil.services.case_review import reset_local_threshold, set_local_threshold
from vigil.store.case_review_queries import all_thresholds

app = typer.Typer(help="Case settings: local ASB Case Review thresholds.", no_args_is_help=True)


@app.command("threshold")
def threshold(
    local_authority: str = typer.Argument(..., help="Local authority code, e.g. E06000016."),
    complaints: int = typer.Option(3, help="Complaints about the same problem that qualify."),
    window_months: int = typer.Option(6, help="...made within this many months."),
    report_within_months: int = typer.Option(1, help="Each made within this many months of "
                                                     "the incident."),
) -> None:
    """Set one local authority's ASB Case Review (Community Trigger) threshold."""
    c = container()
    try:
        set_local_threshold(c.uow(cli_actor()), local_authority_code=local_authority,
                            complaints=complaints, window_months=window_months,
                            report_within_months=report_within_months)
    except InvalidCaseInput as error:
        raise fail("The threshold was not set:",
                   [f"{field}: {text}" for field, text in error.problems.items()]) from error
    rule = TriggerThreshold(complaints, window_months, report_within_months)
    console.print(f"{local_authority}: {rule.describe()}.")


@app.command("threshold-reset")
def threshold_reset(
    local_authority: str = typer.Argument(..., help="Local authority code, e.g. E06000016."),
) -> None:
    """Remove one local authority's own threshold, so the default applies there again."""
    if reset_local_threshold(container().uow(cli_actor()),
                             local_authority_code=local_authority.strip()):
        console.print(f"{local_authority}: the default applies again "
                      f"({TriggerThreshold().describe()}).")
    else:
        console.print(f"{local_authority} had no threshold of its own; the default applies.")


@app.command("thresholds")
def thresholds() -> None:
    """List the local thresholds; everywhere else uses the default."""
    c = container()
    with c.session_factory() as session:
        rows = all_thresholds(session)
    console.print(f"Default: {TriggerThreshold().describe()}.")
    for row in rows:
        text = TriggerThreshold(row.complaints, row.window_months,
                                row.report_within_months).describe()
        console.print(f"{row.local_authority_code} {row.local_authority_name}: {text} "
                      f"(set by {row.updated_by})")
