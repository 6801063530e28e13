"""The demo seed's bulk path writes what the ORM and the one-at-a-time index would have written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Table, delete, insert, inspect, select

from vigil.bootstrap import Container
from vigil.domain.access import Actor
from vigil.identify.bulk_index import index_new_records
from vigil.identify.index import load_details, reindex_all
from vigil.services.demo import seed_demo
from vigil.services.reference import ensure_reference_data
from vigil.store.bulk import BulkWriter, bulk_load
from vigil.store.identify_tables import BlockingKey, RecordFeatures
from vigil.store.models import Incident, PersonRecord


def _index_rows(container: Container) -> tuple[list[tuple[int, str]], list[tuple[int, object]]]:
    with container.session_factory() as session:
        keys = session.execute(select(BlockingKey.person_record_id, BlockingKey.key)
                               .order_by(BlockingKey.id)).all()
        features = session.execute(select(RecordFeatures.person_record_id,
                                          RecordFeatures.features, RecordFeatures.version)
                                   .order_by(RecordFeatures.person_record_id)).all()
    return [(k[0], k[1]) for k in keys], [tuple(f) for f in features]


def test_the_seeds_index_is_the_one_reindexing_writes(container: Container, tmp_path: Path
                                                      ) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=5, people=400,
              open_data_dir=tmp_path / "no-open-data", force_name="Nowhere")
    seeded = _index_rows(container)
    assert len(seeded[0]) > 3000 and len(seeded[1]) > 800
    with container.session_factory() as session:
        reindex_all(session)  # index_person_records, record by record, from the stored rows
        session.commit()
    keys, features = _index_rows(container)
    # The same keys for the same records (in the seed's, records in id order, each record's
    # keys sorted; reindexing reads records back in whatever order the database gives).
    assert sorted(keys) == sorted(seeded[0]) == seeded[0]
    assert features == seeded[1]


def _person_record_values(session: object, ids: list[int]) -> list[tuple[object, ...]]:
    return [tuple(row) for row in session.execute(  # type: ignore[attr-defined]
        select(PersonRecord.source_key, PersonRecord.date_of_birth, PersonRecord.police_only,
               PersonRecord.created_at).where(PersonRecord.id.in_(ids))
        .order_by(PersonRecord.id))]


def test_bulk_rows_read_back_as_the_orms_do(container: Container) -> None:
    at = datetime(2025, 3, 1, 18, 4, 20, tzinfo=UTC)
    with container.session_factory() as session:
        source_id = ensure_reference_data(session)["vigil"].id
        orm_ids = list(session.scalars(insert(PersonRecord).returning(PersonRecord.id), [
            {"source_id": source_id, "source_key": f"orm-{n}", "date_of_birth": "1980-02-03",
             "police_only": n == 1, "created_at": at} for n in range(2)]))
        writer = BulkWriter(session, chunk=1)  # a chunk per row: ids are reserved per chunk
        bulk_ids = list(writer.insert(
            PersonRecord.__table__,  # type: ignore[arg-type]
            ("source_id", "source_key", "date_of_birth", "police_only", "created_at"),
            [(source_id, f"bulk-{n}", "1980-02-03", n == 1, at) for n in range(2)],
            with_ids=True))
        session.commit()
        assert bulk_ids[0] > max(orm_ids) and bulk_ids[1] > bulk_ids[0]
        orm = _person_record_values(session, orm_ids)
        bulk = _person_record_values(session, bulk_ids)
    assert [r[1:] for r in bulk] == [r[1:] for r in orm]
    assert bulk[0][3] == at and bulk[1][2] is True


def test_columns_left_out_get_their_defaults_and_indexes_come_back(container: Container) -> None:
    with container.session_factory() as session:
        source_id = ensure_reference_data(session)["vigil"].id
        table: Table = Incident.__table__  # type: ignore[assignment]
        with bulk_load(session, [table]):
            BulkWriter(session).insert(
                table,
                ("reference", "source_id", "source_key", "occurred_month", "time_precision",
                 "category", "detailed_type", "status"),
                [(f"VGL-2025-00000{n}", source_id, f"k{n}", datetime(2025, 3, 1).date(),
                  "month", "nuisance", "rowdy_behaviour", "closed") for n in range(3)])
        session.commit()
        rows = session.scalars(select(Incident).order_by(Incident.id)).all()
        index_names = {i["name"] for i in inspect(session.connection()).get_indexes("incidents")}
    assert [r.reference for r in rows] == [f"VGL-2025-00000{n}" for n in range(3)]
    assert all(r.police_only is False and r.description == "" and r.location_text == ""
               and r.recorded_at is not None for r in rows)
    assert {i.name for i in table.indexes} <= index_names


def test_indexing_in_worker_processes_writes_the_same_rows(container: Container,
                                                            tmp_path: Path) -> None:
    seed_demo(container.uow(Actor.system("test")), seed=5, people=150,
              open_data_dir=tmp_path / "no-open-data", force_name="Nowhere")
    seeded = _index_rows(container)
    with container.session_factory() as session:
        records = session.scalars(select(PersonRecord).order_by(PersonRecord.id)).all()
        details = load_details(session, [r.id for r in records])
        session.execute(delete(BlockingKey))
        session.execute(delete(RecordFeatures))
        done = index_new_records(BulkWriter(session), sorted(details.items()), workers=2)
        session.commit()
    assert done == len(records)
    keys, features = _index_rows(container)
    assert keys == seeded[0] and features == seeded[1]  # in the same order, too
