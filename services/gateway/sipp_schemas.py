"""The shapes of the SIPP routes (services/gateway/sipp_api.py) for docs/openapi.yaml:
marshmallow schemas of the answers, and the paths with their parameters.

The request bodies reuse the event contract's `StandardContentV1`, so the API
and the events cannot drift apart.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts.agency import AGENCY_CODE
from lapor.contracts.report import CATEGORIES, REGION_CODE
from lapor.contracts.standard import SLUG, STANDARD_ID, StandardContentV1
from services.gateway.sipp_api import MAX_IMPORT, MIMETYPES
from services.gateway.tracking_schemas import query_param

STATUSES = ("draft", "published", "withdrawn")


def _id(**kw) -> fields.String:
    return fields.String(
        validate=validate.Regexp(STANDARD_ID),
        metadata={"example": "pemkot-3273-disdukcapil.kk-hilang"},
        **kw,
    )


class NewStandardSchema(Schema):
    agency_code = fields.String(
        required=True,
        validate=validate.Regexp(AGENCY_CODE),
        metadata={
            "description": "The owning agency; the admin's own.",
            "example": "pemkot-3273-disdukcapil",
        },
    )
    slug = fields.String(
        required=True,
        validate=validate.Regexp(SLUG),
        metadata={"description": "The standard's id within its agency.", "example": "kk-hilang"},
    )
    publish = fields.Boolean(
        load_default=True,
        metadata={"description": "false keeps it as a draft, not publicly visible."},
    )
    content = fields.Nested(StandardContentV1, required=True)


class RevisionSchema(Schema):
    content = fields.Nested(StandardContentV1, required=True)
    note = fields.String(allow_none=True, metadata={"description": "What changed."})


class WithdrawalSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CommandResultSchema(Schema):
    standard_id = _id(required=True)
    agency_code = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    version = fields.Integer(
        required=True, metadata={"description": "The last published version; 0 for a draft."}
    )
    changed = fields.Boolean(
        required=True,
        metadata={"description": "false: a revision equal to the current version; no event."},
    )


class StandardSummarySchema(Schema):
    standard_id = _id(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True, allow_none=True)
    region_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(REGION_CODE)
    )
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    service_name = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    version = fields.Integer(required=True)
    demo = fields.Boolean(required=True, metadata={"description": "Demo data, not official."})
    updated_at = fields.DateTime(required=True)
    rank = fields.Float(metadata={"description": "With `q`: the full-text rank, higher first."})


class SearchResultSchema(Schema):
    total = fields.Integer(required=True)
    standards = fields.List(fields.Nested(StandardSummarySchema), required=True)
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class VersionRefSchema(Schema):
    version = fields.Integer(required=True)
    published_at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"example": "admin-3f9a1c2b7d4e5f60"})
    note = fields.String(required=True, allow_none=True)


class StandardSchema(StandardSummarySchema):
    content = fields.Nested(StandardContentV1, required=True)
    versions = fields.List(
        fields.Nested(VersionRefSchema),
        required=True,
        metadata={"description": "Every published version, oldest first."},
    )
    published_at = fields.DateTime(metadata={"description": "Only when a version was asked."})
    latest_version = fields.Integer(metadata={"description": "Only when a version was asked."})


class RowErrorSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "The header is row 1."})
    column = fields.String(required=True, metadata={"example": "completion_time_value"})
    reason = fields.String(required=True)


class ImportResultSchema(Schema):
    rows = fields.Integer(required=True, metadata={"description": "Data rows read."})
    imported = fields.Integer(required=True, metadata={"description": "Valid rows."})
    published = fields.Integer(required=True)
    revised = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True)


class GovernmentComplianceSchema(Schema):
    code = fields.String(required=True, metadata={"example": "pemkot-3273"})
    name = fields.String(required=True)
    region_code = fields.String(required=True)
    well_connected = fields.Boolean(required=True)
    missing_units = fields.List(fields.String(), required=True)
    published = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Published standards per priority unit."},
    )


class ComplianceSchema(Schema):
    region_code = fields.String(required=True)
    priority_units = fields.List(fields.String(), required=True)
    governments = fields.List(fields.Nested(GovernmentComplianceSchema), required=True)
    well_connected = fields.Integer(required=True)
    not_well_connected = fields.Integer(required=True)
    published_by_agency = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    published_total = fields.Integer(required=True)


class ProviderSchema(Schema):
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True, allow_none=True)
    standard_id = _id(required=True)
    service_name = fields.String(required=True)


class ProvidersSchema(Schema):
    providers = fields.List(fields.Nested(ProviderSchema), required=True)


class ProfileSchema(Schema):
    coordinator_code = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The unit coordinating complaints for a government."},
    )
    complaint_team_decree = fields.Dict(
        required=True,
        allow_none=True,
        metadata={"description": "{number, date} of the SK forming the complaint team."},
    )
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        required=True,
        metadata={"description": "The report categories a unit is authorised for."},
    )


class AgencyChildSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    unit_type = fields.String(required=True, allow_none=True)
    profile = fields.Nested(ProfileSchema, required=True, allow_none=True)


class AgencyProfileSchema(AgencyChildSchema):
    region_code = fields.String(required=True, allow_none=True)
    parent_code = fields.String(required=True, allow_none=True)
    children = fields.List(fields.Nested(AgencyChildSchema), required=True)


SCHEMAS = {
    "AgencyProfile": AgencyProfileSchema,
    "NewStandard": NewStandardSchema,
    "Revision": RevisionSchema,
    "Withdrawal": WithdrawalSchema,
    "StandardCommandResult": CommandResultSchema,
    "StandardSearchResult": SearchResultSchema,
    "Standard": StandardSchema,
    "ImportResult": ImportResultSchema,
    "Compliance": ComplianceSchema,
    "Providers": ProvidersSchema,
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


_PATH_ID = {
    "name": "standard_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": "pemkot-3273-disdukcapil.kk-hilang",
}
_AUTH = [{"adminToken": []}]
_WRITE_ERRORS = {
    "400": _json("Errors", "The body or the content is invalid (by field)."),
    "401": _json("Errors", "No valid admin token (`authorization`)."),
    "403": _json(
        "Errors", "The token's admin belongs to another agency (`authorization`); nothing changed."
    ),
    "404": _json("Errors", "No such standard."),
    "409": _json("Errors", "The standard's status does not allow this (`status`)."),
}
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An agency admin's token, made with `python -m services.sipp.admins create "
    "--agency CODE --name NAME` (docs/sipp.md).",
}


def paths(service_failed: dict) -> dict[str, dict]:
    """The SIPP paths of docs/openapi.yaml."""
    failed = {"503": service_failed}
    tag = ["sipp"]
    return {
        "/api/v1/sipp/standards": {
            "get": {
                "operationId": "searchStandards",
                "tags": tag,
                "summary": "Search published service standards",
                "description": "Full-text search for Indonesian: the words of `q` are "
                "stemmed (Sastrawi) and matched in any order; the service name weighs most, "
                "then requirements and product, then procedure and legal basis. Without "
                "`q`, ordered by name.",
                "parameters": [
                    query_param("q", "Words to look for.", example="kartu keluarga hilang"),
                    query_param(
                        "region_code", "This region and every region within it.", example="32"
                    ),
                    query_param("agency_code", "Only this agency's standards."),
                    query_param("category", "Only this category: " + ", ".join(CATEGORIES) + "."),
                    query_param("limit", "0 to 100 (default 20).", {"type": "integer"}),
                    query_param("offset", "Skip this many.", {"type": "integer"}),
                ],
                "responses": {
                    "200": _json("StandardSearchResult", "Best match first."),
                    "400": _json("Errors", "A bad filter or paging value."),
                    **failed,
                },
            },
            "post": {
                "operationId": "createStandard",
                "tags": tag,
                "summary": "Publish a new service standard (or keep it as a draft)",
                "security": _AUTH,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("NewStandard")}},
                },
                "responses": {
                    "201": _json("StandardCommandResult", "Recorded as an event."),
                    **_WRITE_ERRORS,
                    **failed,
                },
            },
        },
        "/api/v1/sipp/standards/{standard_id}": {
            "get": {
                "operationId": "getStandard",
                "tags": tag,
                "summary": "A standard as it is now, with its list of versions",
                "parameters": [_PATH_ID],
                "responses": {
                    "200": _json("Standard", "The standard (also a withdrawn or draft one)."),
                    "404": _json("Errors", "No such standard."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/standards/{standard_id}/versions/{version}": {
            "get": {
                "operationId": "getStandardVersion",
                "tags": tag,
                "summary": "A standard exactly as one of its versions was published",
                "parameters": [
                    _PATH_ID,
                    {
                        "name": "version",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                ],
                "responses": {
                    "200": _json("Standard", "That version's content."),
                    "404": _json("Errors", "No such standard or version."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/standards/{standard_id}/publication": {
            "post": {
                "operationId": "publishStandard",
                "tags": tag,
                "summary": "Publish a draft as version 1",
                "security": _AUTH,
                "parameters": [_PATH_ID],
                "responses": {
                    "200": _json("StandardCommandResult", "Published."),
                    **_WRITE_ERRORS,
                    **failed,
                },
            }
        },
        "/api/v1/sipp/standards/{standard_id}/revisions": {
            "post": {
                "operationId": "reviseStandard",
                "tags": tag,
                "summary": "Publish a new version; earlier versions stay readable",
                "description": "A withdrawn standard comes back through a revision.",
                "security": _AUTH,
                "parameters": [_PATH_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Revision")}},
                },
                "responses": {
                    "200": _json("StandardCommandResult", "The new version."),
                    **_WRITE_ERRORS,
                    **failed,
                },
            }
        },
        "/api/v1/sipp/standards/{standard_id}/withdrawal": {
            "post": {
                "operationId": "withdrawStandard",
                "tags": tag,
                "summary": "Withdraw a published standard",
                "security": _AUTH,
                "parameters": [_PATH_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Withdrawal")}},
                },
                "responses": {
                    "200": _json("StandardCommandResult", "Withdrawn."),
                    **_WRITE_ERRORS,
                    **failed,
                },
            }
        },
        "/api/v1/sipp/imports": {
            "post": {
                "operationId": "importStandards",
                "tags": tag,
                "summary": "Import standards from the CSV or XLSX template",
                "description": "Valid rows are published (or revised when their content "
                "changed), in one transaction; each invalid row is reported by row, column and "
                "reason and changes nothing. Rows of another agency than the admin's are "
                f"errors. At most {MAX_IMPORT:,} bytes. The template is in docs/sipp.md.",
                "security": _AUTH,
                "requestBody": {
                    "required": True,
                    "content": {
                        mime.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                        for mime in MIMETYPES.values()
                    },
                },
                "responses": {
                    "200": _json("ImportResult", "What was imported and every row error."),
                    "400": _json("Errors", "The file cannot be read (`file`) or is empty."),
                    "401": _WRITE_ERRORS["401"],
                    "413": _json("Errors", "The file is too large."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/exports": {
            "get": {
                "operationId": "exportStandards",
                "tags": tag,
                "summary": "Published standards in the import template",
                "parameters": [
                    query_param("agency_code", "This agency's standards."),
                    query_param(
                        "region_code", "Standards of this region and the regions within it."
                    ),
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": list(MIMETYPES), "default": "csv"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The file.",
                        "content": {
                            mime.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                            for mime in MIMETYPES.values()
                        },
                    },
                    "400": _json("Errors", "Neither agency_code nor region_code, or a bad format."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/agencies/{code}": {
            "get": {
                "operationId": "sippAgency",
                "tags": tag,
                "summary": "An agency with its profile and the agencies one tier down",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "pemkot-3273",
                    }
                ],
                "responses": {
                    "200": _json("AgencyProfile", "The agency; `profile` is null until set."),
                    "404": _json("Errors", "No such agency."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/compliance/{region_code}": {
            "get": {
                "operationId": "sippCompliance",
                "tags": tag,
                "summary": "Which governments of a region are well connected to SIPP",
                "description": "A regency or city government is well connected when its "
                "Disdukcapil, DPMPTSP and RSUD have each published at least one standard.",
                "parameters": [
                    {
                        "name": "region_code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "32",
                    }
                ],
                "responses": {
                    "200": _json("Compliance", "Per government, and counts per agency."),
                    "400": _json("Errors", "Not a Kemendagri code."),
                    **failed,
                },
            }
        },
        "/api/v1/sipp/providers": {
            "get": {
                "operationId": "sippProviders",
                "tags": tag,
                "summary": "Which agency provides a service (or category) in a region",
                "description": "Agencies with a matching published standard in the regency "
                "or city of `region_code`, else its province, else national agencies.",
                "parameters": [
                    {
                        **query_param(
                            "region_code", "Kemendagri code of the place.", example="32.73.01"
                        ),
                        "required": True,
                    },
                    query_param("service", "Words naming the service.", example="akta kelahiran"),
                    query_param("category", "A report category."),
                ],
                "responses": {
                    "200": _json("Providers", "Best match first; empty when none."),
                    "400": _json("Errors", "No region, or neither service nor category."),
                    **failed,
                },
            }
        },
    }
