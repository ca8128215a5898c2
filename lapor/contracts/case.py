"""The handling of a report (its case), on the report's stream `report-<tracking_id>`.

Every event here states the case as the event leaves it: `status`, `owner`
(the one agency that must act next; none once the case is archived or
closed), the `stage` whose clock runs and its `due_at`. A projection can
therefore take the latest event as the truth, without replaying the rules.
`agency_code` is the agency the event concerns (the owner, or for a closing
event the last owner) and ends the routing key, so each agency receives the
events of its own reports. `actor` says who acted, by role and account id;
never a reporter's identity.

Statuses, with the labels of the SP4N-LAPOR! admin console:

| status | label | owner must |
|---|---|---|
| unverified | Belum Terverifikasi | verify, defer, archive, merge, or return |
| deferred | Tertunda | wait for the reporter's information |
| verified | Terverifikasi - Belum Terdisposisi | assign, dispose, accept or return |
| assigned | Terdisposisi - Belum Ditindaklanjuti | accept, dispose further, or return |
| in_progress | Terdisposisi - Sedang Diproses | respond (tindak lanjut) |
| responded | Terdisposisi - Sudah Ditindaklanjuti | wait for the reporter; auto-close |
| returned | Dikembalikan - Bukan Wewenang | (coordinator one tier up) re-route |
| escalated | Dieskalasi | (coordinator one tier up) act on the late case |
| archived | Arsip | nothing: no owner |
| closed | Selesai | nothing: no owner |
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register
from lapor.contracts.agency import AGENCY_CODE
from lapor.contracts.report import CATEGORIES, REPORT_TYPES, AttachmentRefV1

STATUS_LABELS = {
    "unverified": "Belum Terverifikasi",
    "deferred": "Tertunda",
    "verified": "Terverifikasi - Belum Terdisposisi",
    "assigned": "Terdisposisi - Belum Ditindaklanjuti",
    "in_progress": "Terdisposisi - Sedang Diproses",
    "responded": "Terdisposisi - Sudah Ditindaklanjuti",
    "returned": "Dikembalikan - Bukan Wewenang",
    "escalated": "Dieskalasi",
    "archived": "Arsip",
    "closed": "Selesai",
}
STATUSES = tuple(STATUS_LABELS)
# every status a report shows, in Indonesian and English: the case statuses
# and `submitted`, a report's own status until routing decides
REPORT_STATUS_WORDS = {
    "submitted": ("Diterima - Belum Diteruskan", "Received, not yet routed"),
    **{
        status: (STATUS_LABELS[status], english)
        for status, english in {
            "unverified": "Not yet verified",
            "deferred": "Deferred: waiting for information",
            "verified": "Verified, not yet dispatched",
            "assigned": "Dispatched, awaiting follow-up",
            "in_progress": "Dispatched, being processed",
            "responded": "Followed up, awaiting the reporter",
            "returned": "Returned: not the agency's authority",
            "escalated": "Escalated: a deadline passed",
            "archived": "Archived",
            "closed": "Closed",
        }.items()
    },
}
OPEN_STATUSES = tuple(s for s in STATUSES if s not in ("archived", "closed"))
# the stage whose deadline runs (DOMAIN.md section 6): verification and
# dispatch; the agency's follow-up; closure after a response
STAGES = ("verification", "follow_up", "closure")
ACTOR_ROLES = (
    "system",  # routing's own rules and timers
    "national_admin",  # admin nasional (KemenPANRB)
    "coordinator",  # admin instansi / koordinator of an agency or government
    "officer",  # pejabat penghubung of a unit
    "agency_system",  # an agency's own system, with an API token
    "reporter",
)
ARCHIVE_REASONS = (
    "wrong_format",  # not a report: spam, empty, not Indonesian
    "too_general",
    "not_government_performance",
    "out_of_scope",  # court cases, legislature, crimes
    "abusive",  # hate speech, insults, SARA
    "duplicate",
)
# how much follow-up a report needs, which sets its follow-up deadline
COMPLEXITIES = ("simple", "standard", "field_examination")
CLOSE_REASONS = ("confirmed_by_reporter", "no_reply")
REOPEN_REASONS = ("dispute", "reply")


class ActorV1(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ACTOR_ROLES))
    agency_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(AGENCY_CODE)
    )
    # an officer's or token's account id; never a reporter's identity
    account = fields.String(required=True, allow_none=True, validate=validate.Length(max=100))


class CaseEventV1(Schema):
    """The fields every case event has: the case as the event leaves it."""

    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    owner = fields.String(required=True, allow_none=True, validate=validate.Regexp(AGENCY_CODE))
    owner_name = fields.String(required=True, allow_none=True)
    stage = fields.String(required=True, allow_none=True, validate=validate.OneOf(STAGES))
    due_at = fields.AwareDateTime(required=True, allow_none=True)
    actor = fields.Nested(ActorV1, required=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=4000))


class ReportRoutedV1(Schema):
    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True, validate=validate.Regexp(AGENCY_CODE))
    agency_name = fields.String(required=True)
    reason = fields.String(required=True)  # why this agency, in words an officer can read


class ReportRoutedV2(CaseEventV1):
    """Routing's decision for a submitted report: the agency to verify it,
    why, and how sure the rules are (0 to 1). Below the confidence threshold
    the owner is the coordinator of the report's region."""

    agency_name = fields.String(required=True)
    reason = fields.String(required=True)
    confidence = fields.Float(required=True, allow_none=True, validate=validate.Range(0, 1))


class ReportRoutedV3(ReportRoutedV2):
    """Routing's decision for a submitted report: the agency to verify it,
    why, and how sure the rules are (0 to 1). Below the confidence threshold
    the owner is the coordinator of the report's region. v3 adds `reason_id`,
    the reason in Indonesian (`reason` stays English, as agencies' systems read
    it); absent in events written before, when readers show `reason`."""

    reason_id = fields.String()


def _routed_v1_to_v2(data: dict) -> dict:
    # v1 assigned straight to the agency, which then had to verify; no clock ran
    return {
        **data,
        "status": "unverified",
        "owner": data["agency_code"],
        "owner_name": data["agency_name"],
        "stage": "verification",
        "due_at": None,
        "actor": {"role": "system", "agency_code": None, "account": None},
        "confidence": None,
    }


def _routed_v2_to_v3(data: dict) -> dict:
    # routing gave its reason in English only; no Indonesian is made up for it
    return data


REPORT_ROUTED = register(
    Contract(
        "report.routed",
        3,
        ReportRoutedV3,
        upcasters={1: _routed_v1_to_v2, 2: _routed_v2_to_v3},
        agency_field="agency_code",
    )
)


class ReportVerifiedV1(CaseEventV1):
    """The owner checked the report and classified it."""

    report_type = fields.String(required=True, validate=validate.OneOf(REPORT_TYPES))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    complexity = fields.String(required=True, validate=validate.OneOf(COMPLEXITIES))


class ReportDeferredV1(CaseEventV1):
    """Tunda: the reporter is asked for more information (in `note`)."""


class ReportResumedV1(CaseEventV1):
    """The reporter's information came; the deferred case is back to verification."""


class ReportArchivedV1(CaseEventV1):
    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS))


class ReportMergedV1(CaseEventV1):
    """Archived as a duplicate of another report, which carries on."""

    into = fields.String(required=True)  # the tracking id of the report kept


class HandOverV1(CaseEventV1):
    """The case moved from one owner to another."""

    from_agency = fields.String(required=True, allow_none=True)


class ReportAssignedV1(HandOverV1):
    """A coordinator dispatched the case to an agency (or re-routed a returned one)."""


class ReportDisposedV1(HandOverV1):
    """Disposisi: the owner passed the case down to one of its own units."""


class ReportAcceptedV1(CaseEventV1):
    """The owner took the case on: it is being processed."""


class ReportReturnedV1(HandOverV1):
    """Bukan wewenang: the owner says it is not its authority; the case goes
    to the coordinator one tier up, who re-routes it."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    suggested_agency = fields.String(allow_none=True, validate=validate.Regexp(AGENCY_CODE))


class ReportRespondedV1(CaseEventV1):
    """Tindak lanjut: the owner's answer to the reporter."""

    message = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    attachments = fields.List(fields.Nested(AttachmentRefV1), required=True)


class ReportReopenedV1(CaseEventV1):
    """The reporter disputed or replied to the response: the owner follows up again."""

    reason = fields.String(required=True, validate=validate.OneOf(REOPEN_REASONS))


class ReportClosedV1(CaseEventV1):
    reason = fields.String(required=True, validate=validate.OneOf(CLOSE_REASONS))


class ReportEscalatedV1(HandOverV1):
    """A deadline passed: the case goes to the coordinator one tier up."""

    breached_stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    breached_due_at = fields.AwareDateTime(required=True)


class ReportDeadlineApproachingV1(CaseEventV1):
    """The owner is warned that the current stage's deadline is near."""


class ReportPrivacyChangedV1(CaseEventV1):
    """The report's privacy level changed. Only the reporter may weaken it
    (their consent is this event, with actor role `reporter`)."""

    anonymous = fields.Boolean(required=True)
    confidential = fields.Boolean(required=True)


def _case(name: str, schema: type[Schema]) -> Contract:
    return register(Contract(name, 1, schema, agency_field="agency_code"))


REPORT_VERIFIED = _case("report.verified", ReportVerifiedV1)
REPORT_DEFERRED = _case("report.deferred", ReportDeferredV1)
REPORT_RESUMED = _case("report.resumed", ReportResumedV1)
REPORT_ARCHIVED = _case("report.archived", ReportArchivedV1)
REPORT_MERGED = _case("report.merged", ReportMergedV1)
REPORT_ASSIGNED = _case("report.assigned", ReportAssignedV1)
REPORT_DISPOSED = _case("report.disposed", ReportDisposedV1)
REPORT_ACCEPTED = _case("report.accepted", ReportAcceptedV1)
REPORT_RETURNED = _case("report.returned", ReportReturnedV1)
REPORT_RESPONDED = _case("report.responded", ReportRespondedV1)
REPORT_REOPENED = _case("report.reopened", ReportReopenedV1)
REPORT_CLOSED = _case("report.closed", ReportClosedV1)
REPORT_ESCALATED = _case("report.escalated", ReportEscalatedV1)
REPORT_DEADLINE_APPROACHING = _case("report.deadline_approaching", ReportDeadlineApproachingV1)
REPORT_PRIVACY_CHANGED = _case("report.privacy_changed", ReportPrivacyChangedV1)

CASE_EVENTS = (
    "report.routed",
    "report.verified",
    "report.deferred",
    "report.resumed",
    "report.archived",
    "report.merged",
    "report.assigned",
    "report.disposed",
    "report.accepted",
    "report.returned",
    "report.responded",
    "report.reopened",
    "report.closed",
    "report.escalated",
    "report.deadline_approaching",
    "report.privacy_changed",
)
