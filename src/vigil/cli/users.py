"""``vigil users``: accounts."""

from __future__ import annotations

import typer
from sqlalchemy import select

from vigil.cli.common import cli_actor, console, container, fail
from vigil.domain.access import Role
from vigil.services.users import InvalidUser, add_user
from vigil.store.models import User

app = typer.Typer(help="Add and list user accounts.", no_args_is_help=True)


@app.command("add")
def add(
    username: str = typer.Argument(..., help="Log-in name (letters, digits, dots, hyphens)."),
    agency: str = typer.Option(..., help="Agency code, e.g. force, city-council, housing."),
    role: Role = typer.Option(..., help="The user's role."),
    full_name: str = typer.Option(..., "--name", help="Full name as shown to colleagues."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True,
                                 help="At least 10 characters; prompted for if not given."),
) -> None:
    """Add a user with one role in one agency."""
    c = container()
    try:
        user = add_user(c.uow(cli_actor()), username=username, full_name=full_name,
                        password=password, agency_code=agency, role=role)
    except InvalidUser as error:
        raise fail("The user was not added:",
                   [f"{field}: {text}" for field, text in error.problems.items()]) from error
    console.print(f"Added [bold]{user.username}[/] ({role.label}, agency {agency}).")


@app.command("list")
def list_users() -> None:
    """List every user with their agency and role."""
    c = container()
    with c.session_factory() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "" if user.is_active else " (disabled)"
            console.print(f"{user.username:30} {user.agency.code:18} {user.role}{state}",
                          highlight=False)
