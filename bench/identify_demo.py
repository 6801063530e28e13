"""Benchmark 2: accuracy on the demo generator's callers. For each sampled caller report, are the
earlier records of the same (synthetic) person found, and only those? Pairwise recall and
precision against `demo_truth`, which the engine never reads.

    VIGIL_DATABASE_URL=sqlite:///var/bench.db .venv/bin/python bench/identify_demo.py \
        --sample 3000

Two answers can be measured (``--answer``):

* ``lookup`` (the default): a record counts as found when the on-line lookup (blocking index,
  then the shipped model) gives it a match probability of at least --threshold with no guard
  level firing, whatever the rest of the service makes of it.
* ``service``: what the call handler is shown, from the whole ``identify`` service as the
  call screen calls it with the record's own details: the records of the people it calls a
  *match*. Records it shows only as a *possible* match (those without a date of birth or given
  name that match another member of the household just as well, for the handler to ask about)
  are not counted as found. Each look-up writes an audit entry to the store, as every
  identification does: run it on a copy.

Twins, fathers and sons of one name, and callers with common names are reported apart.
"""

from __future__ import annotations

import argparse
import platform
import random
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.identify.index import stored_features
from vigil.identify.lookup import find_candidates
from vigil.identify.model import default_model
from vigil.identify.rules import IdentificationRules
from vigil.services.identification import CallerDetails, identify
from vigil.store.models import DemoTruth, IncidentPerson, PersonRecord, PersonRecordPhone


def as_caller(record: PersonRecord, phones: list[str]) -> CallerDetails:
    """The record's own details, as a handler would type them."""
    return CallerDetails(given_name=record.given_name, family_name=record.family_name,
                         date_of_birth=record.date_of_birth, phones=tuple(phones),
                         email=record.email, address=record.address_text,
                         postcode=record.postcode, uprn=record.uprn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=3000)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--answer", choices=("lookup", "service"), default="lookup",
                        help="what counts as found (see above)")
    args = parser.parse_args()
    container = Container()
    model = default_model()
    with container.session_factory() as session:
        truth = {r.person_record_id: (r.true_person_key, r.note) for r in
                 session.scalars(select(DemoTruth))}
        created = dict(session.execute(select(PersonRecord.id, PersonRecord.created_at)).all())
        callers = sorted(set(session.scalars(select(IncidentPerson.person_record_id).where(
            IncidentPerson.role == "caller"))))
        by_person: dict[str, list[int]] = defaultdict(list)
        for record_id, (key, _) in truth.items():
            by_person[key].append(record_id)
        sample = random.Random(args.seed).sample(callers, min(args.sample, len(callers)))
        features = stored_features(session, sample)
        records = {r.id: r for r in session.scalars(
            select(PersonRecord).where(PersonRecord.id.in_(sample)))}
        phones: dict[int, list[str]] = defaultdict(list)
        for record_id, number in session.execute(
                select(PersonRecordPhone.person_record_id, PersonRecordPhone.number)
                .where(PersonRecordPhone.person_record_id.in_(sample))):
            phones[record_id].append(number)
        rules = IdentificationRules(match_probability=args.threshold)
        actor = Actor.system("bench")
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true pos, found, target
        for record_id in sample:
            key, note = truth[record_id]
            group = ("twin" if "twin of" in note else "father/son" if "same name" in note
                     else "common name" if "common name" in note else "other")
            target = {r for r in by_person[key] if created[r] < created[record_id]}
            if args.answer == "lookup":
                answered = {c.record_id for c in find_candidates(
                    session, features[record_id], model=model)
                    if not c.score.vetoed and c.score.match_probability >= args.threshold}
            else:
                result = identify(container.uow(actor), reason="accuracy benchmark",
                                  caller=as_caller(records[record_id], phones[record_id]),
                                  rules=rules, model=model)
                answered = {r.record_id for p in result.people for r in p.records}
            found = {r for r in answered
                     if r != record_id and created[r] < created[record_id]}
            for name in ("all", group):
                totals[name][0] += len(found & target)
                totals[name][1] += len(found)
                totals[name][2] += len(target)
    print(f"{date.today()} {platform.node()}: {len(truth):,} person records, "
          f"{len(by_person):,} people; {len(sample):,} caller reports sampled; "
          f"threshold {args.threshold}; answer: {args.answer}")
    for name, (correct, answered, earlier) in sorted(totals.items()):
        precision = correct / answered if answered else 1.0
        recall = correct / earlier if earlier else 1.0
        print(f"  {name:12s} pairs: earlier {earlier:6,d} found {answered:6,d} "
              f"correct {correct:6,d}  recall {recall:.4f}  precision {precision:.4f}")


if __name__ == "__main__":
    main()
