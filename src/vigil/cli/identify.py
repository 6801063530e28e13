"""``vigil identify`` (look one person up, rebuild the index, train the model) and
``vigil link`` (cluster a CSV file of person records into people)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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

from vigil.cli.common import cli_actor, console, container, fail

app = typer.Typer(help="The identification engine: look a person up, reindex, train.",
                  no_args_is_help=True)

DEFAULT_MODEL_OUT = Path("var/identify-model.json")


def _progress_bar() -> Progress:
    return Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


def _reporter(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return report


@app.command("lookup")
def lookup(
    given_name: str = typer.Option("", help="Given name"),
    family_name: str = typer.Option("", help="Family name"),
    date_of_birth: str = typer.Option("", help="YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY"),
    phone: list[str] = typer.Option([], help="A phone number (repeat for more)"),
    email: str = typer.Option("", help="E-mail"),
    address: str = typer.Option("", help="Address as one line"),
    postcode: str = typer.Option("", help="Postcode"),
    uprn: str = typer.Option("", help="UPRN"),
    reason: str = typer.Option(..., help="Why you look this person up (audited)"),
    as_json: bool = typer.Option(False, "--json", help="Print the whole answer as JSON"),
) -> None:
    """Identify one person against every stored record: matches, history, markers, flags."""
    from vigil.services.identification import CallerDetails, InvalidCaller, identify
    from vigil.web.routes.identify import identification_json

    caller = CallerDetails(given_name=given_name or None, family_name=family_name or None,
                           date_of_birth=date_of_birth or None, phones=tuple(phone),
                           email=email or None, address=address or None,
                           postcode=postcode or None, uprn=uprn or None)
    try:
        result = identify(container().uow(cli_actor()), caller=caller, reason=reason)
    except InvalidCaller as error:
        raise fail("Nothing was looked up:",
                   [f"{k}: {v}" for k, v in error.problems.items()]) from error
    if as_json:
        console.print_json(json.dumps(identification_json(result)))
        return
    flags = [name.replace("_", " ") for name in ("repeat_caller", "repeat_victim",
                                                 "repeat_location", "vulnerable")
             if getattr(result.flags, name)]
    console.print(f"[bold]Flags:[/] {', '.join(flags) or 'none'}")
    for reason_text in result.flags.reasons:
        console.print(f"  {reason_text}", highlight=False)
    for person in result.people + result.possible:
        table = Table(title=f"{person.status}: {person.match_probability:.4f}; reports "
                            f"30d/12m/ever {person.history.counts.last_30_days}/"
                            f"{person.history.counts.last_12_months}/"
                            f"{person.history.counts.ever}", title_justify="left")
        for column in ("record", "source", "as recorded", "probability", "why"):
            table.add_column(column)
        for r in person.records:
            why = "; ".join(f"{f.comparison}: {f.level} ({f.weight:+.1f})" for f in r.reasons
                            if f.level != "missing")
            table.add_row(str(r.record_id), r.source_name,
                          " ".join(filter(None, (r.name, r.date_of_birth, r.postcode))),
                          f"{r.match_probability:.4f}", why)
        console.print(table)
    if not result.people and not result.possible:
        console.print("Not found in any source.")
    console.print(f"{result.candidates_compared} candidates compared in "
                  f"{result.elapsed_ms:.1f} ms.")


@app.command("reindex")
def reindex() -> None:
    """Rebuild the blocking keys and features of every person record."""
    from vigil.identify.index import reindex_all

    c = container()
    with c.session_factory() as session, _progress_bar() as bar:
        report = _reporter(bar)
        count = reindex_all(session, progress=lambda done, total: report("Indexing", done,
                                                                          total))
        session.commit()
    console.print(f"Indexed {count:,} person records.")


@app.command("train")
def train(
    out: Path = typer.Option(DEFAULT_MODEL_OUT, help="Where to write the model (JSON)"),
    max_pairs: float = typer.Option(2e6, help="Random pairs for estimating u"),
    seed: int = typer.Option(42, help="Random seed for the u sample"),
) -> None:
    """Train the model with Splink (DuckDB) on every person record in the store."""
    from sqlalchemy import select

    from vigil.identify.index import stored_features
    from vigil.identify.spec import untrained_model
    from vigil.identify.train import train_with_splink
    from vigil.store.models import PersonRecord

    c = container()
    with c.session_factory() as session:
        ids = list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))
        features = stored_features(session, ids)
    if len(ids) < 10:
        raise fail("Not enough data to train:", [f"the store holds {len(ids)} person "
                                                 "records; seed the demo or import some"])
    console.print(f"Training on {len(ids):,} person records with Splink...")
    model = train_with_splink(untrained_model(), [features[i] for i in ids],
                              [str(i) for i in ids], max_pairs=max_pairs, seed=seed,
                              source=c.settings.database_url.split("///")[-1])
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    console.print(f"Wrote {out}. Use it with VIGIL_IDENTIFY_MODEL_PATH={out}")
    for comparison in model.comparisons:
        weights = ", ".join(f"{lv.label} {lv.weight:+.1f}" for lv in comparison.levels
                            if not lv.is_null)
        console.print(f"  {comparison.name}: {weights}", highlight=False)


def link(
    input_csv: Path = typer.Argument(..., exists=True, dir_okay=False,
                                     help="Person records: record_id, source, given_name, "
                                     "family_name, date_of_birth, phone, email, address, "
                                     "postcode"),
    out: Path = typer.Option(..., "--out", help="Where to write record_id, person_id, "
                             "match_probability"),
    model_path: Path | None = typer.Option(None, "--model", help="A trained model (default: "
                                           "the shipped one)"),
    train_on_input: bool = typer.Option(False, "--train", help="First train the model on "
                                        "this file with Splink"),
    match_probability: float = typer.Option(0.95, min=0.01, max=0.999999,
                                            help="Least probability for a link"),
    guards: bool = typer.Option(True, help="With --train: never link different given names "
                                "or births years apart (households, twins). --no-guards for "
                                "data without households"),
) -> None:
    """Cluster a CSV file of person records into people."""
    from vigil.identify.batch import BadInput, link_file
    from vigil.identify.model import load_model

    model = load_model(model_path)
    try:
        with _progress_bar() as bar:
            result = link_file(input_csv, out, model=model, train=train_on_input, guards=guards,
                               match_probability=match_probability, progress=_reporter(bar))
    except BadInput as error:
        raise fail(f"{input_csv} was not linked:", error.problems) from error
    console.print(f"Linked {len(result.record_ids):,} records into {result.people:,} people "
                  f"({result.pairs_scored:,} pairs scored); wrote {out}.")
