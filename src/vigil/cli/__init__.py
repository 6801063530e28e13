"""The ``vigil`` command. Each area's commands live in a module of their own."""

from __future__ import annotations

import typer

from vigil.cli import (
    analyse,
    audit,
    cases,
    db,
    demo,
    identify,
    imports,
    questionnaire,
    serve,
    users,
)

app = typer.Typer(
    name="vigil",
    help="Vigil: tackle anti-social behaviour together. Every command uses the database "
    "that VIGIL_DATABASE_URL names (default: SQLite in var/vigil.db).",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve.serve)
app.add_typer(audit.app, name="audit")
app.add_typer(cases.app, name="cases")
app.add_typer(analyse.app, name="analyse")
app.add_typer(db.app, name="db")
app.add_typer(identify.app, name="identify")
app.command("link")(identify.link)
app.add_typer(demo.app, name="demo")
app.add_typer(imports.app, name="import")
app.add_typer(users.app, name="users")
app.add_typer(questionnaire.app, name="questionnaire")


def main() -> None:
    app()
