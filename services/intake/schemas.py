"""The shape of a submission as channels send it, with field-level messages."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from lapor.contracts.report import CATEGORIES, REGION_CODE, REPORT_TYPES, TARGET_AGENCY
from services.intake.domain import clean_text, e164

TITLE_MAX, DESCRIPTION_MAX = 200, 10_000


class CleanString(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return clean_text(super()._deserialize(value, attr, data, **kwargs))


class ReporterSchema(Schema):
    class Meta:
        unknown = RAISE

    name = CleanString(load_default=None, allow_none=True, validate=validate.Length(max=200))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    # the language notices are sent in; absent means Indonesian ("id")
    language = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(("id", "en"))
    )

    @post_load
    def normalise_phone(self, data, **kwargs):
        if data.get("phone"):
            number = e164(data["phone"])
            if number is None:
                raise ValidationError({"phone": ["Not a valid phone number."]})
            data["phone"] = number
        if data.get("email"):
            data["email"] = data["email"].strip().lower()
        return data


class AgencyCode(fields.String):
    """An agency code as people may type it: blanks trimmed, lower-cased."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()


class SubmissionSchema(Schema):
    """POST /api/v1/reports"""

    class Meta:
        unknown = RAISE

    title = CleanString(required=True, validate=validate.Length(min=5, max=TITLE_MAX))
    description = CleanString(required=True, validate=validate.Length(min=10, max=DESCRIPTION_MAX))
    # category and region may be left out: intake infers them from the text
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    region_code = fields.String(
        validate=validate.Regexp(
            REGION_CODE, error="Expected a Kemendagri region code such as 32 or 32.73."
        ),
    )
    # the agency the reporter names as the target ("instansi tujuan"), if known:
    # routing weighs it; one the catalogue does not know is noted, not refused
    target_agency = AgencyCode(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            TARGET_AGENCY,
            error="Expected an agency code of the SIPP catalogue such as pemkot-3273-disdukcapil.",
        ),
        metadata={
            "description": "The agency the report is for, if the reporter knows it: a code "
            "of GET /api/v1/agencies. Routing weighs it against its rules.",
            "example": "pemkot-3273-disdukcapil",
        },
    )
    report_type = fields.String(load_default="pengaduan", validate=validate.OneOf(REPORT_TYPES))
    incident_date = fields.Date(load_default=None, allow_none=True)
    reporter = fields.Nested(ReporterSchema, load_default=None, allow_none=True)
    anonymous = fields.Boolean(load_default=False)
    confidential = fields.Boolean(load_default=False)

    @validates("incident_date")
    def not_in_future(self, value, **kwargs):
        if value is not None and value > datetime.now(UTC).date():
            raise ValidationError("The incident date cannot be in the future.")

    @validates_schema
    def region_exists(self, data, **kwargs):
        exists = self.context_region_exists
        if "region_code" in data and not exists(data["region_code"]):
            raise ValidationError("No such region in the Kemendagri codes.", "region_code")

    def __init__(self, region_exists, **kwargs):
        super().__init__(**kwargs)
        self.context_region_exists = region_exists
