"""Cases in the log and in routing's own tables, inside the caller's transaction.

- `CaseLog`: a report's stream folded into its `Case`; appends with the
  stream version the case was folded from, so two actions on the same case
  at once cannot both succeed (the second gets a `ConcurrencyError`).
- `routing.cases`: the owner, status, stage and deadline of each routed case,
  projected from the case events, so the SLA timer finds the cases due
  without reading every stream.
- `routing.holidays`: holidays announced (or cancelled) after the `holidays`
  package was released.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from lapor import eventstore
from lapor.contracts.report import report_stream
from lapor.envelope import upcast_recorded
from lapor.eventstore import NewEvent, RecordedEvent
from services.routing.adapters.agencies import AgencyDirectory
from services.routing.adapters.standards import StandardCatalogue
from services.routing.calendar import Calendar
from services.routing.handlers import Ports
from services.routing.lifecycle import Case, fold

metadata = sa.MetaData(schema="routing")
cases = sa.Table(
    "cases",
    metadata,
    sa.Column("tracking_id", sa.Text, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("owner", sa.Text),
    sa.Column("stage", sa.Text),
    sa.Column("due_at", sa.DateTime(timezone=True)),
    sa.Column("warned", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
holidays = sa.Table(
    "holidays",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),  # added | cancelled
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
CLOCKLESS = ("archived", "closed", "deferred")


class CaseLog:
    def __init__(self, tx: sa.Connection):
        self.tx = tx

    def load(self, tracking_id: str) -> Case:
        recorded = eventstore.read_stream(self.tx, report_stream(tracking_id))
        return fold(tracking_id, [(e.type, upcast_recorded(e).data) for e in recorded])

    def exists(self, tracking_id: str) -> bool:
        return bool(eventstore.read_stream(self.tx, report_stream(tracking_id))[:1])

    def append(self, case: Case, events: list[NewEvent], any_version: bool = False) -> None:
        expected = eventstore.ANY_VERSION if any_version else case.version
        eventstore.append(self.tx, report_stream(case.tracking_id), expected, events)

    def project(self, event: RecordedEvent) -> None:
        project(self.tx, event)

    def due(
        self, now: datetime, warn_before: timedelta, only: list[str] | None = None
    ) -> list[str]:
        return due(self.tx, now, warn_before, only=only)


def ports(tx: sa.Connection) -> Ports:
    """Routing's ports over one open transaction."""
    return Ports(CaseLog(tx), AgencyDirectory(tx), calendar(tx), StandardCatalogue(tx))


@contextmanager
def begin(engine: sa.Engine) -> Iterator[Ports]:
    """A transaction and the ports over it; commits when the block ends."""
    with engine.begin() as tx:
        yield ports(tx)


def project(tx: sa.Connection, event: RecordedEvent) -> None:
    """Upsert the case's row from a case event (each states the whole case)."""
    data = event.data
    due_at = datetime.fromisoformat(data["due_at"]) if data["due_at"] else None
    values = dict(
        tracking_id=data["tracking_id"],
        status=data["status"],
        owner=data["owner"],
        stage=data["stage"],
        due_at=due_at,
        warned=event.type == "report.deadline_approaching",
        version=event.version,
        updated_at=sa.func.now(),
    )
    insert = pg.insert(cases).values(values)
    same_clock = sa.and_(
        cases.c.stage.is_not_distinct_from(insert.excluded.stage),
        cases.c.due_at.is_not_distinct_from(insert.excluded.due_at),
    )
    update = {k: insert.excluded[k] for k in values if k != "tracking_id"}
    # a warning holds for the stage and deadline it was given for
    update["warned"] = insert.excluded.warned | sa.and_(same_clock, cases.c.warned)
    tx.execute(
        insert.on_conflict_do_update(
            index_elements=[cases.c.tracking_id],
            set_=update,
            where=cases.c.version < insert.excluded.version,  # never go back in time
        )
    )


def due(
    tx: sa.Connection,
    now: datetime,
    warn_before: timedelta,
    limit: int = 500,
    only: list[str] | None = None,
) -> list[str]:
    """Cases whose deadline passed, or that are inside the warning window
    unwarned; among `only` these tracking ids if given."""
    query = (
        sa.select(cases.c.tracking_id)
        .where(
            cases.c.due_at.is_not(None),
            cases.c.status.not_in(CLOCKLESS),
            sa.or_(
                cases.c.due_at < now,
                sa.and_(cases.c.due_at - warn_before <= now, sa.not_(cases.c.warned)),
            ),
        )
        .order_by(cases.c.due_at)
        .limit(limit)
    )
    if only is not None:
        query = query.where(cases.c.tracking_id.in_(only))
    return list(tx.execute(query).scalars())


def calendar(tx: sa.Connection) -> Calendar:
    rows = tx.execute(sa.select(holidays.c.day, holidays.c.kind)).all()
    return Calendar(
        added=frozenset(r.day for r in rows if r.kind == "added"),
        cancelled=frozenset(r.day for r in rows if r.kind == "cancelled"),
    )


def set_holiday(tx: sa.Connection, day: date, kind: str, name: str) -> None:
    values = dict(day=day, kind=kind, name=name, recorded_at=sa.func.now())
    insert = pg.insert(holidays).values(values)
    tx.execute(
        insert.on_conflict_do_update(
            index_elements=[holidays.c.day],
            set_={k: insert.excluded[k] for k in values if k != "day"},
        )
    )


def list_holidays(tx: sa.Connection, year: int | None = None) -> list[sa.Row]:
    query = sa.select(holidays).order_by(holidays.c.day)
    if year is not None:
        query = query.where(sa.extract("year", holidays.c.day) == year)
    return tx.execute(query).all()
