"""kill -9 of notify in the middle of 200 notifications: after the restart each
was sent exactly once, or is recorded as ambiguous and was sent at most twice.
Counted where they arrive: fakesmsc (the operator) and the SMTP server."""

from __future__ import annotations

import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from lapor.testing import kannel
from tests.e2e.conftest import _scalar, mails_to, report_body, wait_until
from tests.e2e.test_notify import e164, phone

REPORTS = 100  # x 2 notices (received, assigned) = 200 notifications
FINAL = ("sent", "delivered", "ambiguous")


@pytest.mark.skipif(not kannel.installed(), reason="apt-get install kannel kannel-extras")
def test_kill_9_of_notify_mid_batch_sends_each_once_or_at_most_twice_if_ambiguous(system):
    # half the reporters gave only a phone (told by SMS), half only an email
    reporters = [
        {"phone": phone()} if i % 2 else {"email": f"batch{i}.{phone()}@example.id"}
        for i in range(REPORTS)
    ]
    before = _scalar(system.engine, "SELECT count(*) FROM notify.notifications "
                     "WHERE status IN ('sent', 'delivered')")  # fmt: skip

    def submit(reporter) -> str:
        status, answer = system.api.submit(report_body(reporter=reporter))
        assert status == 201, answer
        return answer["tracking_id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(submit, reporters))

    wait_until(
        lambda: _scalar(system.engine, "SELECT count(*) FROM notify.notifications "
                        "WHERE status IN ('sent', 'delivered')") >= before + 30,
        60,
        "notify to be sending",
    )  # fmt: skip
    system.kill("notify", sig=signal.SIGKILL)
    system.start("notify")
    system.wait_ready("notify")

    def settled() -> bool:
        # each report has one reporter notice per trigger on the channel that applies
        return (
            _scalar(
                system.engine,
                "SELECT count(*) FROM notify.notifications WHERE tracking_id = ANY(:ids) "
                "AND recipient NOT LIKE 'agency:%' AND status = ANY(:final)",
                ids=ids,
                final=list(FINAL),
            )
            == 2 * REPORTS
        ) and not _scalar(
            system.engine,
            "SELECT count(*) FROM notify.notifications WHERE tracking_id = ANY(:ids) "
            "AND recipient NOT LIKE 'agency:%' AND status IN ('pending', 'sending')",
            ids=ids,
        )

    wait_until(settled, 180, "all 200 notifications to be settled", interval=0.5)

    with system.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT tracking_id, channel, template, status, ambiguous_attempts "
            "FROM notify.notifications WHERE tracking_id = ANY(%(ids)s) "
            "AND status <> 'skipped' AND recipient NOT LIKE 'agency:%%'",
            {"ids": ids},
        ).all()
    assert len(rows) == 2 * REPORTS, [r for r in rows if r.status not in FINAL]
    may_repeat = {(r.tracking_id, r.template) for r in rows if r.ambiguous_attempts}

    # what arrived, per report and notice
    arrived: Counter = Counter()
    marker = {"report_received": ("diterima", "received"), "report_assigned": ("diteruskan",)}
    for tracking_id, reporter in zip(ids, reporters, strict=True):
        if "phone" in reporter:
            texts = [m.text for m in system.kannel.messages(e164(reporter["phone"]))]
        else:
            texts = [str(m["Subject"]) for m in mails_to(system, reporter["email"])]
        for text in texts:
            assert tracking_id in text
            for template, words in marker.items():
                if any(w in text for w in words):
                    arrived[(tracking_id, template)] += 1
    for tracking_id in ids:
        for template in marker:
            count = arrived[(tracking_id, template)]
            if (tracking_id, template) in may_repeat:
                assert 1 <= count <= 2, (tracking_id, template, count)
            else:
                assert count == 1, (tracking_id, template, count)
