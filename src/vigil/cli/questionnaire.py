"""``vigil questionnaire``: show a version of the risk questionnaire as JSON, or publish a new
one from a file (the same checks as the admin page, every problem by field)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from vigil.cli.common import cli_actor, console, container, fail
from vigil.services.questionnaires import InvalidQuestionnaire, check_draft, publish, version_data

app = typer.Typer(help="The risk questionnaire asked on every call: show, publish a version.",
                  no_args_is_help=True)


@app.command("show")
def show(version: int | None = typer.Option(None, help="Which version (default: the latest)."),
         ) -> None:
    """Print a version as JSON (edit it, then publish it as the next version)."""
    try:
        data = version_data(container().uow(cli_actor()), version=version)
    except LookupError as error:
        raise fail("No such version:", [str(error)]) from error
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("publish")
def publish_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="The new version as JSON (as `show` prints it)."),
    yes: bool = typer.Option(False, "--yes", help="Publish without asking to confirm."),
) -> None:
    """Check FILE and publish it as the next version; calls already recorded keep theirs."""
    c = container()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise fail(f"{file} was not published:", ["json: the file is not UTF-8 text"]) \
            from error
    try:
        draft = check_draft(c.uow(cli_actor()), text=text)
    except InvalidQuestionnaire as error:
        raise fail(f"{file} was not published ({len(error.problems)} problems):",
                   [f"{field}: {problem}" for field, problem in error.problems.items()]
                   ) from error
    new = draft.questionnaire.version
    for label, items in (("Added", draft.added), ("Removed", draft.removed),
                         ("Changed", draft.changed)):
        for item in items:
            console.print(f"{label}: {item}", highlight=False, markup=False)
    for warning in draft.warnings:
        console.print(f"[yellow]Be aware:[/] {warning}", highlight=False)
    if not yes and not typer.confirm(
            f"Publish version {new}? Calls already recorded keep version "
            f"{draft.current_version}"):
        raise typer.Exit(code=1)
    try:
        publish(c.uow(cli_actor()), text=text, expected_version=new)
    except InvalidQuestionnaire as error:
        raise fail(f"{file} was not published:",
                   [f"{field}: {problem}" for field, problem in error.problems.items()]
                   ) from error
    console.print(f"Version {new} is published: new calls are asked it from now on.")
