"""The filters and paging of tracking's RPCs, validated into field-level messages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from lapor.contracts.report import CATEGORIES, REGION_CODE
from services.tracking.domain import STATUSES

MAX_PER_PAGE = 100
JAKARTA = ZoneInfo("Asia/Jakarta")


class Moment(fields.Field):
    """An ISO date (its start in Asia/Jakarta) or an ISO date-time with a zone."""

    default_error_messages = {"invalid": "Give an ISO date or date-time with a time zone."}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.make_error("invalid") from None
        else:
            raise self.make_error("invalid")
        if _is_date(value):
            return datetime.combine(date.fromisoformat(value.strip()), time(), JAKARTA)
        if parsed.tzinfo is None:
            raise self.make_error("invalid")
        return parsed


class FeedFilters(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(validate=validate.OneOf(STATUSES))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    region_code = fields.String(validate=validate.Regexp(REGION_CODE))
    submitted_from = Moment()
    submitted_to = Moment()
    open = fields.Boolean()

    @validates_schema
    def _range(self, data: dict, **kwargs) -> None:
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and end < start:
            raise ValidationError("Must not be before submitted_from.", "submitted_to")


class InboxFilters(FeedFilters):
    overdue = fields.Boolean()


class Paging(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def load(schema: Schema, filters: Any, page: Any, per_page: Any) -> tuple[dict, dict] | dict:
    """(filters, paging), or an error dict `{"status": 400, "errors": {field: [msg]}}`."""
    errors: dict[str, Any] = {}
    loaded: dict = {}
    paging: dict = {}
    try:
        loaded = schema.load(filters or {})
    except ValidationError as exc:
        errors.update(exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages})
    try:
        given = {"page": page, "per_page": per_page}
        paging = Paging().load({k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        errors.update(exc.messages)
    if errors:
        return {"status": 400, "errors": errors}
    if "submitted_to" in loaded and _is_date(filters["submitted_to"]):
        loaded["submitted_to"] += timedelta(days=1)  # a date includes its whole day
    return loaded, paging


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 10


def load_moment(value: Any) -> datetime | dict:
    """A point in time for `status_as_of`, or an error dict."""
    try:
        return Moment().deserialize(value)
    except ValidationError as exc:
        return {"status": 400, "errors": {"at": exc.messages}}
