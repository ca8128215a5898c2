"""Guarantee 10: every service logs JSON, and no log line carries what a
reporter told us about themselves or their report."""

from __future__ import annotations

import json
import uuid

from tests.e2e.conftest import mails_to, report_body, wait_until


def log_lines(stack) -> list[tuple[str, str]]:
    lines = []
    for path in sorted((stack.run_dir / "logs").glob("*.log")):
        text = path.read_text(errors="replace")
        lines.extend((path.name, line) for line in text.splitlines() if line.strip())
    return lines


def test_logs_are_json_and_name_no_reporter(system):
    marker = uuid.uuid4().hex[:10]
    name = f"Wulandari Kusumo{marker}"
    email = f"wulan.{marker}@example.id"
    phone = "0813" + str(uuid.uuid4().int)[:8]
    secret_text = f"rahasia-{marker}"
    status, answer = system.api.submit(
        report_body(
            title=f"Pungutan liar di kelurahan {secret_text}",
            description=f"Petugas meminta uang untuk surat pengantar. {secret_text}",
            reporter={"name": name, "email": email, "phone": phone},
        )
    )
    assert status == 201, answer
    system.api.wait_routed(answer["tracking_id"])
    # the reporter's email went out: notify has handled the contact by now
    wait_until(lambda: mails_to(system, email), 30, "the reporter's first email")

    lines = log_lines(system)
    assert lines, "the services wrote no logs at all"
    for file, line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            raise AssertionError(f"{file}: not JSON: {line[:200]}") from None
        assert {"time", "level", "service", "message"} <= set(entry), (file, line)
    leaked = [
        (file, line)
        for file, line in lines
        for value in (name, email, phone, phone[1:], secret_text, marker)
        if value in line
    ]
    assert not leaked, leaked[:3]
