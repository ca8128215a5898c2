"""Issue 5's acceptance point: a simulated breach escalates the report one tier
up, and the reporter and the new owner are notified (issue 7). The breach is
simulated by running routing's deadline check at a moment 30 days ahead; the
emails are read where they arrive, at the stack's SMTP server."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from tests.e2e.conftest import mails_to, report_body, wait_until
from tests.e2e.test_notify import notifications


def _event(stack, event_type: str, tracking_id: str) -> dict | None:
    with stack.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT data FROM lapor.events WHERE type = %(type)s "
            "AND data->>'tracking_id' = %(t)s ORDER BY position LIMIT 1",
            {"type": event_type, "t": tracking_id},
        ).scalar()


def _parent_of(stack, agency_code: str) -> str:
    with stack.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT data->>'parent_code' FROM lapor.events WHERE type = 'agency.registered' "
            "AND data->>'code' = %(c)s",
            {"c": agency_code},
        ).scalar()


def _agency_contact(stack, agency_code: str, language: str) -> str:
    address = f"{agency_code}.{uuid.uuid4().hex[:8]}@lapor.go.id"
    stack.run(sys.executable, "-m", "services.notify.cli", "agency-contact",
              agency_code, address, "--language", language)  # fmt: skip
    return address


def _breach(stack, tracking_id: str) -> dict:
    """Run the deadline check 30 days ahead, for this case only (the other
    tests' cases keep their clocks), until routing has escalated it (routing
    may still be projecting the routed case on the first run)."""
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    for _ in range(30):
        stack.run(sys.executable, "-m", "lapor.cli", "sla-check", "--now", later,
                  "--report", tracking_id)  # fmt: skip
        escalated = _event(stack, "report.escalated", tracking_id)
        if escalated:
            return escalated
        time.sleep(1)
    raise AssertionError(f"{tracking_id} was not escalated")


def test_a_breach_escalates_one_tier_up_and_tells_the_reporter_and_the_new_owner(system):
    reporter_email = f"pelapor.{uuid.uuid4().hex[:8]}@example.id"
    reporter_name = f"Dewi Anonim {uuid.uuid4().hex[:6]}"
    status, accepted = system.api.submit(
        report_body(anonymous=True, reporter={"name": reporter_name, "email": reporter_email})
    )
    assert status == 201, accepted
    tracking_id = accepted["tracking_id"]
    routed = wait_until(lambda: _event(system, "report.routed", tracking_id), 60, "routed")
    owner = routed["owner"]
    parent = _parent_of(system, owner)
    assert parent, f"{owner} has a government above it"
    late_owner_email = _agency_contact(system, owner, "id")
    new_owner_email = _agency_contact(system, parent, "en")

    escalated = _breach(system, tracking_id)

    assert (escalated["from_agency"], escalated["owner"]) == (owner, parent)
    assert escalated["status"] == "escalated" and escalated["breached_stage"] == "verification"

    # the reporter, in Indonesian (their default): escalated, and to whom
    [told] = wait_until(
        lambda: [m for m in mails_to(system, reporter_email) if "dieskalasi" in m["Subject"]],
        60,
        "the reporter's escalation email",
    )
    assert tracking_id in told["Subject"]
    text = told.get_body(("plain",)).get_content()
    assert escalated["owner_name"] in text
    assert tracking_id in told["Reply-To"]

    # the new owner, in English (its contact's language): a new, escalated assignment
    [assignment] = wait_until(lambda: mails_to(system, new_owner_email), 60, "new owner's email")
    assert assignment["Subject"] == f"New assignment (escalated): report {tracking_id}"
    text = assignment.get_body(("plain",)).get_content()
    assert owner in text and "verification and dispatch deadline" in text

    # the late owner hears of its breach
    breach = wait_until(
        lambda: [m for m in mails_to(system, late_owner_email) if "terlewati" in m["Subject"]],
        60,
        "the late owner's breach notice",
    )
    assert tracking_id in breach[0]["Subject"]

    # an anonymous report: nothing about the reporter reaches the officers
    for mail in (assignment, *breach):
        whole = mail.as_string()
        assert reporter_name not in whole and reporter_email not in whole
        assert mail["List-Unsubscribe"] is None

    rows = {
        (r["template"], r["recipient"], r["channel"]): r for r in notifications(system, tracking_id)
    }
    assert rows[("assignment_new", "agency:" + parent, "email")]["status"] == "sent"
    assert rows[("deadline_breached", "agency:" + owner, "email")]["status"] == "sent"
    [reporter_row] = [r for k, r in rows.items() if k[0] == "report_escalated" and k[2] == "email"]
    assert reporter_row["status"] == "sent"
