"""``vigil import``: bring in open data and partner files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.cli.common import cli_actor, console, container, err_console
from vigil.services.imports import ImportReport, import_police_uk

app = typer.Typer(help="Import open data and partner files.", no_args_is_help=True)


@app.command("police-uk")
def police_uk(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                       help="data.police.uk street-level CSV files."),
    skip_crimes: bool = typer.Option(False, "--skip-crimes",
                                     help="Import only the ASB rows; skip the other crimes."),
) -> None:
    """Import data.police.uk street-level files: ASB rows become incidents of that month.

    Other crime types are kept as crime records unless --skip-crimes. A file with any bad line
    is rejected whole, with every problem listed by line; re-importing a file adds nothing.
    """
    c = container()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def progress(file_name: str, done: int, total: int) -> None:
            if file_name not in tasks:
                tasks[file_name] = bar.add_task(file_name, total=total)
            bar.update(tasks[file_name], completed=done)  # type: ignore[arg-type]

        report = import_police_uk(
            c.uow(cli_actor()), files=files, keep_crimes=not skip_crimes,
            open_data_dir=c.settings.open_data_dir, force_name=c.settings.force_name,
            progress=progress,
        )
    _print_report(report, skipped_crimes=skip_crimes)
    if report.rejected:
        raise typer.Exit(code=1)


def _print_report(report: ImportReport, *, skipped_crimes: bool) -> None:
    table = Table(title="ASB incidents by month")
    table.add_column("Month")
    table.add_column("ASB rows in files", justify="right")
    table.add_column("Added", justify="right")
    table.add_column("Already present", justify="right")
    in_files, added = report.asb_by_month(), report.added_by_month()
    for month in sorted(in_files):
        table.add_row(f"{month:%Y-%m}", f"{in_files[month]:,}", f"{added[month]:,}",
                      f"{in_files[month] - added[month]:,}")
    total_in, total_added = sum(in_files.values()), sum(added.values())
    table.add_section()
    table.add_row("Total", f"{total_in:,}", f"{total_added:,}", f"{total_in - total_added:,}")
    console.print(table)
    crimes = sum(f.crimes_added for f in report.files)
    crime_rows = sum(f.crime_rows for f in report.files if f.error is None)
    if skipped_crimes:
        console.print(f"Skipped {crime_rows:,} rows of other crime types (--skip-crimes).")
    else:
        console.print(f"Crime records: {crimes:,} added of {crime_rows:,} in the files.")
    for rejected in report.rejected:
        assert rejected.error is not None
        err_console.print(f"[bold red]Rejected {rejected.file_name}[/]: nothing from it was "
                          f"written. {len(rejected.error.problems)} problem(s):")
        for problem in rejected.error.problems[:50]:
            err_console.print(f"  {problem}", highlight=False, markup=False)
        if len(rejected.error.problems) > 50:
            err_console.print(f"  … and {len(rejected.error.problems) - 50} more")
    console.print("Contains public sector information licensed under the Open Government "
                  "Licence v3.0 (data.police.uk).", style="dim")
