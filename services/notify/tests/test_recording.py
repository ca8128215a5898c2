"""Recording notices from the real log, on the real database: one row per
event x recipient x channel, whatever the redeliveries, and a report's
privacy as it is when the event comes."""

import uuid

import sqlalchemy as sa

from lapor import eventstore
from lapor.eventstore import ANY_VERSION, NewEvent
from services.notify import handlers
from services.notify.tests.events import OWNER, PREVIOUS, sample

STAFF = {"role": "coordinator", "agency_code": PREVIOUS, "account": "officer-7"}


def _record(engine, tracking_id: str, event_type: str, **data):
    """Append one event to the report's stream and record its notices."""
    stream = f"report-{tracking_id}"
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION,
                          [NewEvent(event_type, sample(event_type, tracking_id=tracking_id,
                                                       **data))])  # fmt: skip
        event = eventstore.read_stream(tx, stream)[-1]
        handlers.record_notices(event, tx)
    return event


def _rows(engine, tracking_id: str) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT template, recipient, channel, confidential, template_values "
                    "FROM notify.notifications WHERE tracking_id = :t ORDER BY id"),
            {"t": tracking_id},
        ).all()  # fmt: skip
    return [dict(r._mapping) for r in rows]


def test_a_case_life_records_each_notice_once_and_follows_the_privacy_of_the_report(engine):
    tracking_id = f"LAP-{uuid.uuid4().hex[:10].upper()}"
    ref = f"r-{uuid.uuid4().hex[:8]}"
    _record(engine, tracking_id, "report.submitted", reporter_ref=ref)
    _record(engine, tracking_id, "report.routed")
    escalated = _record(engine, tracking_id, "report.escalated", from_agency=OWNER,
                        owner=PREVIOUS, agency_code=PREVIOUS, owner_name="Pemkab")  # fmt: skip
    with engine.begin() as tx:  # redelivered: nothing new
        handlers.record_notices(escalated, tx)

    rows = _rows(engine, tracking_id)
    told = [(r["template"], r["recipient"], r["channel"]) for r in rows]
    assert told == [
        ("report_received", ref, "sms"),
        ("report_received", ref, "email"),
        ("report_assigned", ref, "sms"),
        ("report_assigned", ref, "email"),
        ("assignment_new", "agency:" + OWNER, "email"),
        ("deadline_breached", "agency:" + OWNER, "email"),
        ("assignment_new", "agency:" + PREVIOUS, "email"),
        ("report_escalated", ref, "sms"),
        ("report_escalated", ref, "email"),
    ]
    assert rows[-1]["template_values"]["agency_name"] == "Pemkab"
    assert not any(r["confidential"] for r in rows)

    _record(engine, tracking_id, "report.privacy_changed", anonymous=True, confidential=True,
            owner=PREVIOUS, agency_code=PREVIOUS, actor=STAFF)  # fmt: skip
    _record(engine, tracking_id, "report.responded", owner=PREVIOUS, agency_code=PREVIOUS)
    rows = _rows(engine, tracking_id)
    assert len(rows) == 11  # the privacy change tells nobody
    assert [(r["template"], r["confidential"]) for r in rows[-2:]] == [
        ("report_responded", True),
        ("report_responded", True),
    ]


def test_a_refused_mail_records_one_email_notice_for_its_sender_and_no_report(engine):
    from lapor.contracts.inbound import inbound_stream, message_digest

    ref = str(uuid.uuid4())
    stream = inbound_stream(message_digest(f"<{uuid.uuid4().hex}@example.id>"))
    with engine.begin() as tx:
        eventstore.append(tx, stream, ANY_VERSION,
                          [NewEvent("inbound.rejected", sample("inbound.rejected",
                                                               reporter_ref=ref))])  # fmt: skip
        event = eventstore.read_stream(tx, stream)[-1]
        handlers.record_notices(event, tx)
        handlers.record_notices(event, tx)  # redelivered: nothing new
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT template, channel, tracking_id, origin_channel, template_values "
                    "FROM notify.notifications WHERE recipient = :r"),
            {"r": ref},
        ).all()  # fmt: skip
    assert [tuple(r)[:4] for r in rows] == [("inbound_rejected", "email", None, "email")]
    assert rows[0].template_values["missing"] == ["attachments", "region_code"]
