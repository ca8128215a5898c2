"""routing.agencies: the agencies routing may assign to, projected from agency.registered."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from services.routing.domain import NATIONAL_ADMIN, Rule
from services.routing.lifecycle import Agency

metadata = sa.MetaData(schema="routing")
agencies = sa.Table(
    "agencies",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("region_code", sa.Text),
    sa.Column("parent_code", sa.Text),  # the agency one tier up; none for the top tier
)
GOVERNMENT_KINDS = ("province", "regency", "city")
RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "assignment_rules.csv"


def load_rules(path: Path = RULES_FILE) -> dict[str, Rule]:
    with open(path, newline="") as f:
        return {
            row["category"]: Rule(row["category"], row["target"], row["why"], row["why_id"])
            for row in csv.DictReader(f)
        }


class AgencyDirectory:
    """The catalogue as routing sees it, inside the caller's transaction."""

    def __init__(self, tx: sa.Connection):
        self.tx = tx

    def add(
        self,
        code: str,
        name: str,
        kind: str,
        region_code: str | None,
        parent_code: str | None = None,
    ) -> None:
        values = dict(
            code=code, name=name, kind=kind, region_code=region_code, parent_code=parent_code
        )
        self.tx.execute(
            pg.insert(agencies)
            .values(values)
            .on_conflict_do_update(index_elements=[agencies.c.code], set_=values)
        )

    def government_of(self, region_code: str) -> str | None:
        return self.tx.execute(
            sa.select(agencies.c.code).where(
                agencies.c.region_code == region_code, agencies.c.kind.in_(GOVERNMENT_KINDS)
            )
        ).scalar()

    def exists(self, code: str) -> bool:
        return self.name_of(code) is not None

    def name_of(self, code: str) -> str | None:
        return self.tx.execute(sa.select(agencies.c.name).where(agencies.c.code == code)).scalar()

    def agency(self, code: str) -> Agency | None:
        row = self.tx.execute(sa.select(agencies).where(agencies.c.code == code)).first()
        if row is None:
            return None
        return Agency(row.code, row.name, row.kind, row.region_code, row.parent_code)

    def visible(self, code: str) -> list[str] | None:
        """`code` and every agency below it; None (all) for the national admin."""
        if code == NATIONAL_ADMIN:
            return None
        tree = sa.select(agencies.c.code).where(agencies.c.code == code).cte("tree", recursive=True)
        tree = tree.union(
            sa.select(agencies.c.code).join(tree, agencies.c.parent_code == tree.c.code)
        )
        return sorted(self.tx.execute(sa.select(tree.c.code)).scalars())
