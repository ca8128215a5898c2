"""Service standards (standar pelayanan) kept by SIPP. A standard's stream is
`standard-<standard_id>`; its id is `<agency_code>.<slug>`, e.g.
`pemkot-3273-disdukcapil.kk-hilang`.

Every event names the agency that owns the standard (`agency_code`, which ends
the routing key: `standard.published.pemkot-3273-disdukcapil`) and its actor
(`admin-<id>` of an agency admin, or `system-<what>` for loaders).

The content holds the 14 components of PermenPANRB 15/2014, structured where
software can use them, plus the decree (SK) and the service pledge (maklumat).
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lapor.contracts import Contract, register
from lapor.contracts.agency import AGENCY_CODE
from lapor.contracts.report import CATEGORIES, REGION_CODE

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
STANDARD_ID = r"^[a-z0-9-]+\.[a-z0-9]+(-[a-z0-9]+)*$"
TIME_UNITS = ("minutes", "hours", "days", "working_days")
# The 14 components of PermenPANRB 15/2014 in its order, by their key in the
# content: 1-6 service delivery, 7-14 service management.
COMPONENTS = (
    "requirements",
    "procedure",
    "completion_time",
    "cost",
    "product",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "staff_competence",
    "internal_supervision",
    "staff_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
)
ACTOR = r"^(admin|system)-[a-z0-9-]+$"


def standard_stream(standard_id: str) -> str:
    return f"standard-{standard_id}"


def standard_id(agency_code: str, slug: str) -> str:
    return f"{agency_code}.{slug}"


def _text(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=4000), **kwargs)


def _items(min_items: int = 0, max_items: int = 100, **kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=2000)),
        validate=validate.Length(min=min_items, max=max_items),
        **kwargs,
    )


class CompletionTimeV1(Schema):
    value = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    unit = fields.String(required=True, validate=validate.OneOf(TIME_UNITS))


class CostV1(Schema):
    amount = fields.Integer(required=True, validate=validate.Range(min=0))  # rupiah; 0 is free
    legal_basis = fields.String(required=True, allow_none=True)

    @validates_schema
    def _a_charge_has_a_legal_basis(self, data, **kwargs):
        if data.get("amount") and not data.get("legal_basis"):
            raise ValidationError("A charge needs its legal basis.", "legal_basis")


class ComplaintHandlingV1(Schema):
    channels = _items(min_items=1, max_items=20, required=True)
    lapor = fields.Boolean(required=True)  # complaints are taken through SP4N-LAPOR!


class DecreeV1(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=200))
    date = fields.Date(required=True)


class StandardContentV1(Schema):
    service_name = fields.String(required=True, validate=validate.Length(min=3, max=300))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    description = fields.String(required=True, allow_none=True)
    # 1-6: service delivery
    requirements = _items(min_items=1, required=True)
    procedure = _items(min_items=1, required=True)
    completion_time = fields.Nested(CompletionTimeV1, required=True)
    cost = fields.Nested(CostV1, required=True)
    product = _text(required=True)
    complaint_handling = fields.Nested(ComplaintHandlingV1, required=True)
    # 7-14: service management
    legal_basis = _items(min_items=1, required=True)
    facilities = _items(required=True)
    staff_competence = _text(required=True)
    internal_supervision = _text(required=True)
    staff_count = fields.Integer(required=True, validate=validate.Range(min=1))
    service_guarantee = _text(required=True)
    security_guarantee = _text(required=True)
    performance_evaluation = _text(required=True)
    # issued by decree, with the signed pledge
    decree = fields.Nested(DecreeV1, required=True)
    pledge = _text(required=True)
    demo = fields.Boolean(required=True)  # true: demonstration data, not an official standard


class _StandardEventV1(Schema):
    standard_id = fields.String(required=True, validate=validate.Regexp(STANDARD_ID))
    agency_code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    region_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(REGION_CODE)
    )
    actor = fields.String(required=True, validate=validate.Regexp(ACTOR))


class StandardDraftedV1(_StandardEventV1):
    content = fields.Nested(StandardContentV1, required=True)


class StandardPublishedV1(_StandardEventV1):
    version = fields.Integer(required=True, validate=validate.Equal(1))
    content = fields.Nested(StandardContentV1, required=True)


class StandardRevisedV1(_StandardEventV1):
    version = fields.Integer(required=True, validate=validate.Range(min=2))
    content = fields.Nested(StandardContentV1, required=True)
    note = fields.String(required=True, allow_none=True)  # what changed, for readers


class StandardWithdrawnV1(_StandardEventV1):
    version = fields.Integer(required=True, validate=validate.Range(min=1))  # the last one
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


STANDARD_DRAFTED = register(
    Contract("standard.drafted", 1, StandardDraftedV1, agency_field="agency_code")
)
STANDARD_PUBLISHED = register(
    Contract("standard.published", 1, StandardPublishedV1, agency_field="agency_code")
)
STANDARD_REVISED = register(
    Contract("standard.revised", 1, StandardRevisedV1, agency_field="agency_code")
)
STANDARD_WITHDRAWN = register(
    Contract("standard.withdrawn", 1, StandardWithdrawnV1, agency_field="agency_code")
)
STANDARD_EVENTS = (
    "standard.drafted",
    "standard.published",
    "standard.revised",
    "standard.withdrawn",
)
