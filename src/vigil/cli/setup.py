"""``vigil demo setup``: what ``make run`` does before serving."""

from __future__ import annotations

from sqlalchemy import func, select

from vigil.cli.common import cli_actor, console, container
from vigil.services.imports import import_police_uk
from vigil.store.models import ImportedFile


def setup() -> None:
    """Seed the demo into an empty database, import the real open data once, print the log-ins.

    Safe to run every time: a seeded database is left as it is, and files already imported are
    not read again.
    """
    from vigil.cli import demo

    c = container()
    demo.seed_if_empty(c)
    files = sorted((c.settings.open_data_dir / "police-uk").glob("*-street.csv"))
    with c.session_factory() as session:
        imported = session.scalar(select(func.count()).select_from(ImportedFile)) or 0
    if files and not imported:
        console.print(f"Importing {len(files)} data.police.uk files from "
                      f"{c.settings.open_data_dir / 'police-uk'} (once; about half a minute)…")
        report = import_police_uk(
            c.uow(cli_actor()), files=files, keep_crimes=True,
            open_data_dir=c.settings.open_data_dir, force_name=c.settings.force_name,
        )
        added = sum(report.added_by_month().values())
        console.print(f"Imported {added:,} ASB incidents and "
                      f"{sum(f.crimes_added for f in report.files):,} crime records.")
    elif not files:
        console.print(f"No data.police.uk files in {c.settings.open_data_dir / 'police-uk'}: "
                      "the demo shows a synthetic force area.")
    demo.print_logins()
