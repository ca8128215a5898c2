import random
from datetime import UTC, datetime, timedelta

from services.notify import domain
from services.notify.domain import AmbiguousSend, Policy, SendError, after_attempt
from services.notify.handlers import Throttle

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_the_reporter_gets_a_notice_per_channel_and_the_agency_one_email():
    assert domain.notices_for("report.submitted", {"reporter_ref": None, "tracking_id": "T"}) == []
    notices = domain.notices_for("report.submitted", {"reporter_ref": "r1", "tracking_id": "T"})
    assert {(n.recipient, n.channel, n.template) for n in notices} == {
        ("r1", "sms", "report_received"),
        ("r1", "email", "report_received"),
    }
    routed = {"tracking_id": "T", "agency_code": "pemkot-3273", "agency_name": "Pemkot"}
    notices = domain.notices_for("report.routed", routed, reporter_ref="r1")
    assert {(n.recipient, n.channel, n.template) for n in notices} == {
        ("r1", "sms", "report_assigned"),
        ("r1", "email", "report_assigned"),
        ("agency:pemkot-3273", "email", "assignment_new"),
    }
    assert notices[0].values["agency_name"] == "Pemkot"


def test_reporters_hear_on_the_channel_they_used():
    both = {"email": "a@b.id", "phone": "+6281234567890"}
    assert domain.channel_applies("sms", "sms", both) is None
    assert domain.channel_applies("email", "sms", both) is None
    assert domain.channel_applies("sms", "web", both) == "reporter is told by email"
    assert domain.channel_applies("sms", "web", {"phone": "+6281234567890"}) is None
    assert domain.channel_applies("email", "web", {"phone": "+6281234567890"})
    assert domain.channel_applies("sms", "sms", {"email": "a@b.id"}) == "no phone number"


def test_language_defaults_to_indonesian():
    assert domain.language_of({"language": "en"}) == "en"
    assert domain.language_of({"language": None}) == "id"
    assert domain.language_of({"language": "fr"}) == "id"


def test_opt_out_digests_match_across_number_formats_and_depend_on_the_key():
    key = b"k" * 16
    assert domain.contact_digest(key, "sms", "6281234567890") == domain.contact_digest(
        key, "sms", "+6281234567890"
    )
    assert domain.contact_digest(key, "email", "A@B.id") == domain.contact_digest(
        key, "email", "a@b.id"
    )
    assert domain.contact_digest(key, "sms", "+62812") != domain.contact_digest(
        b"x" * 16, "sms", "+62812"
    )


def test_signatures():
    assert domain.signature_valid(b"k" * 16, "dlr:1", domain.sign(b"k" * 16, "dlr:1"))
    assert not domain.signature_valid(b"k" * 16, "dlr:2", domain.sign(b"k" * 16, "dlr:1"))
    assert not domain.signature_valid(b"k" * 16, "dlr:1", "")


def test_retries_back_off_exponentially_with_jitter_then_fail_with_the_reason():
    policy = Policy(max_attempts=4, base_delay=2.0, max_delay=100.0)
    rand = random.Random(7)
    delays = []
    for attempt in (1, 2, 3):
        outcome = after_attempt(policy, attempt, 0, SendError("refused"), NOW, rand)
        assert outcome.status == "pending"
        delays.append(outcome.next_attempt_at - NOW)
    for attempt, delay in zip((1, 2, 3), delays, strict=True):
        full = timedelta(seconds=2.0 * 2 ** (attempt - 1))
        assert full / 2 <= delay <= full
    final = after_attempt(policy, 4, 0, SendError("refused"), NOW, rand)
    assert final.status == "failed" and "refused" in final.error
    assert after_attempt(policy, 1, 0, None, NOW).status == "sent"


def test_backoff_is_capped_and_jittered():
    policy = Policy(base_delay=2.0, max_delay=10.0)
    delays = {domain.backoff(policy, 20, random.Random(i)) for i in range(20)}
    assert all(timedelta(seconds=5) <= d <= timedelta(seconds=10) for d in delays)
    assert len(delays) > 1


def test_an_ambiguous_attempt_is_retried_once_and_then_left_ambiguous():
    policy = Policy(max_attempts=5)
    first = after_attempt(policy, 1, 0, AmbiguousSend("timeout"), NOW)
    assert first.status == "pending" and first.ambiguous
    second = after_attempt(policy, 2, 1, AmbiguousSend("timeout"), NOW)
    assert second.status == "ambiguous"
    # a clear refusal after an ambiguous attempt may be retried: it sent nothing
    assert after_attempt(policy, 2, 1, SendError("refused"), NOW).status == "pending"
    assert after_attempt(policy, 5, 1, SendError("refused"), NOW).status == "ambiguous"


def test_the_throttle_spaces_sends():
    clock = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    throttle = Throttle(4, clock=lambda: clock[0], sleep=sleep)
    for _ in range(5):
        throttle.wait()
    assert clock[0] == 1.0  # five sends at 4 a second: the fifth a second after the first
    assert Throttle(0).interval == 0
