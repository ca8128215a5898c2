"""Events in the life of a report. A report's stream is `report-<tracking_id>`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register

CATEGORIES = (
    "pendidikan",
    "kesehatan",
    "kemaritiman",
    "perumahan",
    "perbankan",
    "pertanian",
    "kominfo",
    "perhubungan",
    "hukum_keamanan",
    "lingkungan_hidup",
    "jaminan_sosial",
    "reformasi_birokrasi",
    "bencana",
    "infrastruktur",
    "sumber_daya_alam",
    "pembangunan_desa",
    "pariwisata",
    "ketenagakerjaan",
    "energi",
    "kependudukan",
    "perizinan",
    "lainnya",
)
REPORT_TYPES = ("pengaduan", "aspirasi", "permintaan_informasi")
CHANNELS = ("web", "mobile", "sms", "email", "webhook", "open311", "walk_in")
# A report's tracking id, minted by intake and quoted by reporters on every
# channel: LAP- and 10 Crockford base32 characters (no I, L, O, U).
TRACKING_ID_PATTERN = r"LAP-[0-9A-HJKMNP-TV-Z]{10}"
REGION_CODE = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
# an agency code of the SIPP catalogue (lapor.contracts.agency.AGENCY_CODE, whose
# module imports this one), at most 100 characters: `pemkot-3273-disdukcapil`
TARGET_AGENCY = r"^[a-z0-9-]{1,100}$"


def report_stream(tracking_id: str) -> str:
    return f"report-{tracking_id}"


class ReportSubmittedV2(Schema):
    tracking_id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    region_code = fields.String(required=True, validate=validate.Regexp(REGION_CODE))
    report_type = fields.String(required=True, validate=validate.OneOf(REPORT_TYPES))
    incident_date = fields.Date(required=True, allow_none=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    # a reference into intake's reporter store; never the reporter's contact details
    reporter_ref = fields.String(required=True, allow_none=True)
    anonymous = fields.Boolean(required=True)
    confidential = fields.Boolean(required=True)


def _submitted_v1_to_v2(data: dict) -> dict:
    # v1 named the region `region` and knew only the web channel
    data["region_code"] = data.pop("region")
    data.setdefault("channel", "web")
    return data


ATTACHMENT_SHA256 = r"^[0-9a-f]{64}$"
CHANNEL_NAME = r"^[a-z][a-z0-9_-]{1,31}$"


class AttachmentRefV1(Schema):
    """An attachment kept by intake outside the event, found by its hash."""

    sha256 = fields.String(required=True, validate=validate.Regexp(ATTACHMENT_SHA256))
    size = fields.Integer(required=True, validate=validate.Range(min=1))
    media_type = fields.String(required=True)


class ReportSubmittedV3(ReportSubmittedV2):
    """v3 adds, all optional (absent in events written before): the channel's
    registered name (a plugin, a webhook source), whether category and region
    were inferred from the text rather than given, and the attachments."""

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS + ("plugin",)))
    channel_name = fields.String(validate=validate.Regexp(CHANNEL_NAME))
    category_inferred = fields.Boolean()
    region_inferred = fields.Boolean()
    attachments = fields.List(fields.Nested(AttachmentRefV1))


def _submitted_v2_to_v3(data: dict) -> dict:
    # every v3 addition is optional: a v2 report gave its category and region
    # explicitly and had no attachments, which is what their absence means
    return data


class ReportSubmittedV4(ReportSubmittedV3):
    """A new report, normalised by intake. v3 added, all optional (absent in
    events written before): the channel's registered name (a plugin, a webhook
    source), whether category and region were inferred from the text rather
    than given, and the attachments. v4 adds `target_agency`, optional: the
    agency the reporter named as the target ("instansi tujuan"), a code of the
    catalogue checked by its form only; whether it exists is routing's to find out."""

    target_agency = fields.String(validate=validate.Regexp(TARGET_AGENCY))


def _submitted_v3_to_v4(data: dict) -> dict:
    # a new optional field, but a new version all the same: unknown fields are
    # refused, so a consumer that knows only v3 must park a report naming an
    # agency ("unknown version") instead of refusing it as malformed
    return data


REPORT_SUBMITTED = register(
    Contract(
        "report.submitted",
        4,
        ReportSubmittedV4,
        upcasters={1: _submitted_v1_to_v2, 2: _submitted_v2_to_v3, 3: _submitted_v3_to_v4},
    )
)
