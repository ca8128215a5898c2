"""The rules table, event by event: who hears of each change of a case."""

import pytest

from lapor.contracts import contract_for
from lapor.contracts.case import CASE_EVENTS
from services.notify import domain, manifest
from services.notify.tests.events import LONG_AGENCY, OWNER, PREVIOUS, TRACKING_ID, sample

REPORTER = {("r1", "sms"), ("r1", "email")}


def told(event_type: str, **overrides) -> dict[tuple[str, str], str]:
    """(recipient, channel) -> template, for a sample event."""
    notices = domain.notices_for(event_type, sample(event_type, **overrides), reporter_ref="r1")
    return {(n.recipient, n.channel): n.template for n in notices}


def test_notify_subscribes_to_every_event_type_of_the_table_and_each_has_a_contract():
    subscribed = set(manifest.REPORTER.event_types)
    assert subscribed == {rule.event_type for rule in domain.RULES} | {"report.privacy_changed"}
    for event_type in manifest.REPORTER.event_types:
        assert contract_for(event_type)
    # the case events nobody is told about, on purpose: the reporter hears of
    # the next step instead, officers act on these themselves
    silent = set(CASE_EVENTS) - set(domain.EVENT_TYPES)  # privacy: see test_recording
    assert silent == {"report.verified", "report.resumed", "report.accepted",
                      "report.privacy_changed"}  # fmt: skip


def test_deferred_asks_the_reporter_for_what_is_needed():
    assert told("report.deferred") == dict.fromkeys(REPORTER, "report_deferred")
    [notice, _] = domain.notices_for("report.deferred", sample("report.deferred"), "r1")
    assert notice.values["needed"] == "Foto KTP-el dan alamat lengkap"


@pytest.mark.parametrize("event_type", ["report.assigned", "report.disposed", "report.returned"])
def test_a_hand_over_tells_the_new_owner_by_email_and_not_the_reporter(event_type):
    assert told(event_type) == {("agency:" + OWNER, "email"): "assignment_new"}


def test_an_escalation_tells_the_late_owner_the_new_owner_and_the_reporter():
    assert told("report.escalated") == {
        ("agency:pemkab-3217-dinkes", "email"): "deadline_breached",
        ("agency:" + OWNER, "email"): "assignment_new",
        **dict.fromkeys(REPORTER, "report_escalated"),
    }
    [notice] = [
        n
        for n in domain.notices_for("report.escalated", sample("report.escalated"), "r1")
        if n.template == "assignment_new"
    ]
    assert notice.values["handover"] == "escalated"
    assert notice.values["breached_due"] == "2026-01-05 23:59 WIB"
    assert notice.values["agency_name"] == LONG_AGENCY


def test_the_national_admin_escalating_to_itself_gets_one_notice_the_breach():
    notices = told("report.escalated", from_agency="kemenpanrb", owner="kemenpanrb",
                   agency_code="kemenpanrb")  # fmt: skip
    assert notices[("agency:kemenpanrb", "email")] == "deadline_breached"
    assert len([r for r in notices if r[0].startswith("agency:")]) == 1


def test_a_response_goes_to_the_reporter_with_the_answer():
    assert told("report.responded") == dict.fromkeys(REPORTER, "report_responded")
    [notice, _] = domain.notices_for("report.responded", sample("report.responded"), "r1")
    assert notice.values["response"] == "Sudah diperbaiki."


def test_a_reopened_case_tells_the_reporter_and_the_owner():
    assert told("report.reopened") == {
        **dict.fromkeys(REPORTER, "report_reopened"),
        ("agency:" + OWNER, "email"): "case_reopened",
    }


def test_closing_archiving_and_merging_tell_only_the_reporter():
    assert told("report.closed") == dict.fromkeys(REPORTER, "report_closed")
    assert told("report.archived") == dict.fromkeys(REPORTER, "report_archived")
    assert told("report.merged") == dict.fromkeys(REPORTER, "report_merged")


def test_an_approaching_deadline_warns_the_owner_with_the_due_time_in_jakarta():
    assert told("report.deadline_approaching") == {
        ("agency:" + OWNER, "email"): "deadline_approaching"
    }
    [notice] = domain.notices_for(
        "report.deadline_approaching", sample("report.deadline_approaching"), "r1"
    )
    assert notice.values["due"] == "2026-01-08 23:59 WIB"
    assert notice.values["stage"] == "follow_up"


def test_without_a_reporter_reference_only_officers_are_told():
    notices = domain.notices_for("report.escalated", sample("report.escalated"), None)
    assert {n.recipient for n in notices} == {"agency:" + OWNER, "agency:pemkab-3217-dinkes"}


def test_routed_v1_data_still_reaches_the_agency_named_in_it():
    routed = {"tracking_id": TRACKING_ID, "agency_code": PREVIOUS, "agency_name": "Pemkab",
              "reason": "region"}  # fmt: skip
    notices = domain.notices_for("report.routed", routed, "r1")
    assert ("agency:" + PREVIOUS, "email") in {(n.recipient, n.channel) for n in notices}


@pytest.mark.parametrize("event_type", sorted(domain.EVENT_TYPES))
def test_template_values_carry_nothing_about_the_reporter(event_type):
    data = sample(event_type)
    values = domain.template_values(event_type, data)
    assert "reporter_ref" not in values and "r-1" not in values.values()
    assert not {"title", "description", "actor"} & set(values)  # report text, officer accounts
    assert set(values) <= set(domain.TEMPLATE_DEFAULTS) | {"agency_code", "channel"}


def test_due_times_are_shown_in_jakarta_time():
    assert domain.format_due("2026-01-08T16:59:59+00:00") == "2026-01-08 23:59 WIB"
    assert domain.format_due(None) is None


def test_a_refused_mail_tells_its_sender_by_email_only_what_is_missing():
    data = sample("inbound.rejected")
    notices = domain.notices_for("inbound.rejected", data, reporter_ref=None)
    assert [(n.recipient, n.channel, n.template) for n in notices] == [
        ("r-1", "email", "inbound_rejected")
    ]
    assert notices[0].values["missing"] == ["attachments", "region_code"]
    assert "Missing: name the regency or city." not in str(notices[0].values)


def test_a_refusal_is_answered_at_the_mailbox_without_a_tracking_id():
    assert domain.untracked_address("laporan+{tracking_id}@lapor.local") == "laporan@lapor.local"
    assert domain.untracked_address("lapor@lapor.local") == "lapor@lapor.local"
