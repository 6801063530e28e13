"""``vigil demo``: seed a believable force, show the demo log-ins, set up for ``make run``."""

from __future__ import annotations

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from vigil.bootstrap import Container
from vigil.cli.common import cli_actor, console, container, fail

app = typer.Typer(help="Demo data: a synthetic force with realistic callers.",
                  no_args_is_help=True)


@app.command("seed")
def seed(
    seed: int = typer.Option(2026, help="Random seed: the same seed gives the same data."),
    people: int = typer.Option(1500, min=20, help="How many synthetic people to create."),
    skip_if_seeded: bool = typer.Option(
        False, help="Exit quietly (status 0) if the database is already seeded."),
) -> None:
    """Fill an empty database with demo users, places, ASB calls and people."""
    from vigil.services.demo import DemoAlreadySeeded

    try:
        _seed(container(), seed=seed, people=people)
    except DemoAlreadySeeded as error:
        if skip_if_seeded:
            console.print("The database already holds demo data; nothing to do.")
            return
        raise fail("The demo was not seeded:", [
            str(error), "Seed into a fresh database (vigil db upgrade on a new "
            "VIGIL_DATABASE_URL)."]) from error
    print_logins()


@app.command("logins")
def logins() -> None:
    """Show the demo users and their shared password."""
    print_logins()


@app.command("setup")
def setup() -> None:
    """Seed the demo into an empty database, import the open data once, print the log-ins."""
    from vigil.cli.setup import setup as set_up

    set_up()


def seed_if_empty(c: Container, *, seed: int = 2026, people: int = 1500) -> bool:
    """Seed the demo unless the Vigil log already holds incidents; whether it seeded."""
    from vigil.services.demo import is_seeded

    with c.session_factory() as session:
        if is_seeded(session):
            console.print("The database already holds demo data; leaving it as it is.")
            return False
    _seed(c, seed=seed, people=people)
    return True


def _seed(c: Container, *, seed: int, people: int) -> None:
    from vigil.services.demo import open_data_present, seed_demo

    data_dir = c.settings.open_data_dir
    where = (f"real open data in {data_dir}" if open_data_present(data_dir)
             else f"a synthetic area (no data.police.uk files in {data_dir / 'police-uk'})")
    console.print(f"Seeding the demo from {where}, seed {seed}, {people} people.")
    with Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        summary = seed_demo(c.uow(cli_actor()), seed=seed, people=people,
                            open_data_dir=data_dir, force_name=c.settings.force_name,
                            progress=report)
    console.print(
        f"Seeded a {summary.kind} demo: {summary.people:,} people in {summary.households:,} "
        f"households, {summary.incidents:,} incidents, {summary.person_records:,} person "
        f"records ({summary.partner_records:,} in partner and crime systems), "
        f"{summary.users} users.")


def print_logins() -> None:
    """Print the demo users and the shared demo password."""
    from vigil.services.demo import DEMO_PASSWORD, demo_logins

    table = Table(title="Demo log-ins", caption=f"Password for every user: {DEMO_PASSWORD}")
    for column in ("Username", "Role", "Agency"):
        table.add_column(column)
    for username, role, agency in demo_logins():
        table.add_row(username, role, agency)
    console.print(table)
