"""What every command shares: the container, the system actor, printing problems."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.console import Console

from vigil.bootstrap import Container
from vigil.domain.access import Actor

console = Console()
err_console = Console(stderr=True)


def container() -> Container:
    return Container()


def cli_actor() -> Actor:
    """Commands run as the operator at the terminal, who has full rights on this install."""
    import getpass

    return Actor.system(f"cli:{getpass.getuser()}")


def fail(title: str, problems: Iterable[str] = ()) -> typer.Exit:
    err_console.print(f"[bold red]{title}[/]")
    for problem in problems:
        err_console.print(f"  - {problem}", highlight=False, markup=False)
    return typer.Exit(code=1)
