"""The shapes of the gateway's HTTP answers, as marshmallow schemas.

The request body of `POST /api/v1/reports` is intake's `SubmissionSchema`;
these are the answers. `docs/generate_openapi.py` turns both into
`docs/openapi.yaml`, and the gateway may dump its answers through them.

>>> AcceptedSchema().dump({"tracking_id": "LAP-7K3M9QXT2B", "duplicate": False})
{'tracking_id': 'LAP-7K3M9QXT2B', 'duplicate': False}
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts.agency import AGENCY_CODE, AGENCY_KINDS
from lapor.contracts.report import REGION_CODE, TRACKING_ID_PATTERN

TRACKING_ID = rf"^{TRACKING_ID_PATTERN}$"
PIN = r"^\d{8}$"
TRACKING_EXAMPLE = "LAP-7K3M9QXT2B"


def _tracking_id(**metadata) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.Regexp(TRACKING_ID),
        metadata={"example": TRACKING_EXAMPLE, **metadata},
    )


class AcceptedSchema(Schema):
    tracking_id = _tracking_id(description="The id a reporter can quote on any channel.")
    duplicate = fields.Boolean(
        required=True,
        metadata={
            "description": "true when the Idempotency-Key was seen before: nothing new was "
            "written and this is the first submission's answer."
        },
    )
    pin = fields.String(
        validate=validate.Regexp(PIN),
        metadata={
            "description": "The report's PIN, in the answer to a new report (not to a "
            "follow-up): it proves the reporter, who alone may add to the report "
            "(reply, confirm, dispute), and a confidential report is read back only with "
            "it. Derived from the tracking id, never stored; a replay with the same "
            "Idempotency-Key returns it again.",
            "example": "58203174",
        },
    )


class StatusLabelSchema(Schema):
    id = fields.String(required=True, metadata={"description": "In Indonesian."})
    en = fields.String(required=True, metadata={"description": "In English."})


class AgencyRefSchema(Schema):
    code = fields.String(
        required=True,
        validate=validate.Regexp(AGENCY_CODE),
        metadata={"example": "pemkot-3273-disdukcapil"},
    )
    name = fields.String(required=True)


# marshmallow's messages: a list per field, an object of lists for a nested field
_MESSAGES = {
    "oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    ]
}


class ErrorsSchema(Schema):
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(metadata=_MESSAGES),
        required=True,
        metadata={
            "description": "Messages by field. Fields of the body use their own names "
            "(a nested field's messages are an object by subfield); `_body` is about the "
            "body as a whole, `_schema` about the submission as a whole, `_service` "
            "means a service behind the gateway failed.",
            "example": {"region_code": ["No such region in the Kemendagri codes."]},
        },
    )


class AgencySchema(Schema):
    code = fields.String(
        required=True, validate=validate.Regexp(AGENCY_CODE), metadata={"example": "pemkot-3273"}
    )
    name = fields.String(required=True, metadata={"example": "Pemerintah Kota Bandung"})
    kind = fields.String(required=True, validate=validate.OneOf(AGENCY_KINDS))
    region_code = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Regexp(REGION_CODE),
        metadata={"description": "Kemendagri code; null for national agencies."},
    )
    parent_code = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The agency one tier up; null at the top."},
    )
    unit_type = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "For units (OPD): disdukcapil, rsud, dpmptsp, ..."},
    )


class AgenciesSchema(Schema):
    agencies = fields.List(fields.Nested(AgencySchema), required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
