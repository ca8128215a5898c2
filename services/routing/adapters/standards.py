"""routing.service_standards: the SIPP catalogue's service standards, projected
from standard.published, standard.revised and standard.withdrawn."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from services.routing.standards import Standard

metadata = sa.MetaData(schema="routing")
service_standards = sa.Table(
    "service_standards",
    metadata,
    sa.Column("standard_id", sa.Text, primary_key=True),
    sa.Column("agency_code", sa.Text, nullable=False),
    sa.Column("region_code", sa.Text),
    sa.Column("service_name", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
_FIELDS = ("standard_id", "agency_code", "region_code", "service_name", "category", "version",
           "withdrawn")  # fmt: skip


def _standard(row) -> Standard:
    return Standard(*(getattr(row, name) for name in _FIELDS))


class StandardCatalogue:
    """The standards routing knows, inside the caller's transaction."""

    def __init__(self, tx: sa.Connection):
        self.tx = tx

    def get(self, standard_id: str) -> Standard | None:
        row = self.tx.execute(
            sa.select(service_standards).where(service_standards.c.standard_id == standard_id)
        ).first()
        return _standard(row) if row else None

    def put(self, standard: Standard) -> None:
        values = {name: getattr(standard, name) for name in _FIELDS}
        values["updated_at"] = sa.func.now()
        self.tx.execute(
            pg.insert(service_standards)
            .values(values)
            .on_conflict_do_update(index_elements=[service_standards.c.standard_id], set_=values)
        )

    def near(self, region_code: str) -> list[Standard]:
        """Published standards of national agencies and of the report's province
        (and everything in it); the domain keeps those of the report's region."""
        province = region_code.split(".")[0]
        region = service_standards.c.region_code
        rows = self.tx.execute(
            sa.select(service_standards).where(
                sa.not_(service_standards.c.withdrawn),
                sa.or_(region.is_(None), region == province, region.startswith(province + ".")),
            )
        )
        return [_standard(row) for row in rows]
