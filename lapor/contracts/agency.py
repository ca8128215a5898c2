"""Agencies (instansi) and their units, kept by SIPP. An agency's stream is `agency-<code>`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register
from lapor.contracts.report import REGION_CODE

AGENCY_KINDS = ("ministry", "national_agency", "province", "regency", "city", "unit")
AGENCY_CODE = r"^[a-z0-9-]+$"


def agency_stream(code: str) -> str:
    return f"agency-{code}"


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
