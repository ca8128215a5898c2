"""Agencies (instansi) and their units, kept by SIPP. An agency's stream is `agency-<code>`."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register
from lapor.contracts.report import CATEGORIES, REGION_CODE

AGENCY_KINDS = ("ministry", "national_agency", "province", "regency", "city", "unit")
AGENCY_CODE = r"^[a-z0-9-]+$"


def agency_stream(code: str) -> str:
    return f"agency-{code}"


@dataclass(frozen=True)
class Agency:
    """An agency as `agency.registered` states it: what SIPP registers and
    routing walks up and down (`parent_code`)."""

    code: str
    name: str
    kind: str
    region_code: str | None
    parent_code: str | None
    unit_type: str | None = None  # e.g. disdukcapil, rsud; None above the units

    def as_event_data(self) -> dict:
        return asdict(self)


class AgencyRegisteredV1(Schema):
    code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(AGENCY_KINDS))
    region_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(REGION_CODE)
    )
    parent_code = fields.String(required=True, allow_none=True)
    unit_type = fields.String(required=True, allow_none=True)  # e.g. disdukcapil, rsud


AGENCY_REGISTERED = register(Contract("agency.registered", 1, AgencyRegisteredV1))


class DecreeRefV1(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=200))
    date = fields.Date(required=True)


class AgencyProfileSetV1(Schema):
    """How an agency takes part in complaint handling; each event replaces the last."""

    code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    # the unit that coordinates complaints for a government (usually its Diskominfo)
    coordinator_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(AGENCY_CODE)
    )
    # the decree (SK) forming the government's complaint-handling team
    complaint_team_decree = fields.Nested(DecreeRefV1, required=True, allow_none=True)
    # the report categories a unit is authorised for
    categories = fields.List(fields.String(validate=validate.OneOf(CATEGORIES)), required=True)
    actor = fields.String(required=True, validate=validate.Regexp(r"^(admin|system)-[a-z0-9-]+$"))


AGENCY_PROFILE_SET = register(
    Contract("agency.profile_set", 1, AgencyProfileSetV1, agency_field="code")
)
