"""Issue 7's first acceptance point: every trigger of the notice table
(docs/notify.md, `services.notify.domain.RULES`) end to end, in both languages.

Each case is a pair of reports driven in lockstep: one whose reporter gave a
phone and an email (told by email: SMS is for SMS reports and phone-only
reporters) and one whose reporter gave only a phone (told by SMS through the
real Kannel: fakesmsc receives the MT and bearerbox's DLR marks it
delivered). Officers are told by email at their agency's contact. Every
expected notice is collected per trigger and checked at the end: the email at
the SMTP catcher, the MT at fakesmsc, and exactly the expected rows in
`notify.notifications` (so nobody is told of `verified` or `resumed`)."""

from __future__ import annotations

import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from tests.e2e.conftest import mails_to, new_token, wait_until
from tests.e2e.test_agency_api import (
    CITY,
    DUKCAPIL,
    _act,
    _case_is,
    _done,
    _get,
    _reporter_says,
    _submitted,
)
from tests.e2e.test_escalation_notice import _agency_contact, _breach, _event, _parent_of
from tests.e2e.test_notify import e164, needs_kannel, notifications, phone

SUBJECT = {
    "report_received": ("Laporan {t} telah diterima", "Report {t} received"),
    "report_assigned": (
        "Laporan {t} diteruskan ke instansi berwenang",
        "Report {t} passed to the responsible agency",
    ),  # fmt: skip
    "report_deferred": (
        "Laporan {t} memerlukan informasi tambahan",
        "Report {t} needs more information",
    ),  # fmt: skip
    "report_escalated": ("Laporan {t} dieskalasi", "Report {t} escalated"),
    "report_responded": ("Tanggapan atas laporan {t}", "Response to report {t}"),
    "report_reopened": ("Laporan {t} dibuka kembali", "Report {t} reopened"),
    "report_closed": ("Laporan {t} ditutup", "Report {t} closed"),
    "report_archived": ("Laporan {t} diarsipkan", "Report {t} archived"),
    "report_merged": ("Laporan {t} digabungkan", "Report {t} merged"),
    "assignment_new": ("Disposisi baru{h}: laporan {t}", "New assignment{h}: report {t}"),
    "case_reopened": (
        "Laporan {t} dibuka kembali: tindak lanjuti lagi",
        "Report {t} reopened: follow it up again",
    ),  # fmt: skip
    "deadline_breached": ("Batas waktu laporan {t} terlewati", "Deadline missed for report {t}"),
    "deadline_approaching": ("Batas waktu laporan {t}: {due}", "Deadline for report {t}: {due}"),
}
HANDOVER = {"": ("", ""), "returned": (" (dikembalikan)", " (returned)"),
            "escalated": (" (eskalasi)", " (escalated)")}  # fmt: skip
SMS = {
    "report_received": ("Laporan Anda diterima", "Your report was received"),
    "report_assigned": ("diteruskan untuk diverifikasi ke", "was passed for verification to"),
    "report_deferred": ("ditunda, perlu informasi tambahan", "is on hold, more information"),
    "report_escalated": ("laporan dieskalasi ke", "it was escalated to"),
    "report_responded": ("Tanggapan atas laporan", "Response to report"),
    "report_reopened": ("dibuka kembali dan akan", "was reopened and will be"),
    "report_closed": ("ditutup. Terima kasih", "is closed. Thank you"),
    "report_archived": ("diarsipkan dan tidak", "was archived and will not"),
    "report_merged": ("digabungkan dengan laporan lain", "was merged with another report"),
}
NEEDED = "Mohon kirim foto KTP-el dan nomor antrean."  # short enough for the SMS
ANSWER = "KTP-el sudah dicetak; silakan ambil di loket 3."
CLASSIFIED = {"report_type": "pengaduan", "category": "kependudukan", "complexity": "standard"}
WIB = timezone(timedelta(hours=7))
WARN_BEFORE = timedelta(hours=24)  # ROUTING_WARN_BEFORE_HOURS' default


@pytest.fixture(scope="module")
def tokens(system) -> dict[str, str]:
    return {
        "dukcapil": new_token(system, DUKCAPIL),
        "city": new_token(system, CITY, "coordinator"),
        "national": new_token(system, "kemenpanrb"),
    }


@dataclass(frozen=True)
class Pair:
    """One case, twice: `by_email` (phone and email given), `by_sms` (phone only)."""

    by_email: str
    by_sms: str

    def __iter__(self):
        return iter((self.by_email, self.by_sms))


class Journey:
    """The notices a language's lifecycle should cause, and where they are."""

    def __init__(self, system, language: str):
        self.system, self.language = system, language
        self.lang = ("id", "en").index(language)
        self.reporters: dict[str, str] = {}  # tracking id -> email address or MSISDN
        self.officers: dict[str, str] = {}  # agency code -> contact email
        self.expected: list[tuple[str, tuple]] = []  # (trigger, signature)

    def submit(self) -> Pair:
        email, local = f"pelapor.{uuid.uuid4().hex[:8]}@example.id", phone()
        both = {"email": email, "phone": phone(), "language": self.language}
        by_email = _submitted(self.system, reporter=both)["tracking_id"]
        only_phone = {"phone": local, "language": self.language}
        by_sms = _submitted(self.system, reporter=only_phone)["tracking_id"]
        self.reporters.update({by_email: email, by_sms: e164(local)})
        pair = Pair(by_email, by_sms)
        self.expect("submitted", pair, "report_received")
        self.expect("routed", pair, "report_assigned")
        self.expect("routed", pair, "assignment_new", DUKCAPIL)
        return pair

    def expect(self, trigger, pair, template, agency=None, contains="", **subject) -> None:
        for tracking_id in pair:
            self.expect_one(trigger, tracking_id, template, agency, contains, **subject)

    def expect_one(self, trigger, tracking_id, template, agency=None, contains="",
                   handover="", due="") -> None:  # fmt: skip
        t, h = tracking_id, HANDOVER[handover][self.lang]
        subject = SUBJECT[template][self.lang].format(t=t, h=h, due=due)
        if agency:
            self._add(trigger, ("mail", self.officers[agency], subject, contains))
            self._add(trigger, ("row", t, template, "agency:" + agency, "email", "sent"))
        else:
            self._expect_reporter(trigger, t, template, subject, contains)

    def _expect_reporter(self, trigger, t, template, subject, contains) -> None:
        address = self.reporters[t]
        by_sms = "@" not in address
        if by_sms:
            self._add(trigger, ("sms", address, t, SMS[template][self.lang], contains))
        else:
            self._add(trigger, ("mail", address, subject, contains))
        statuses = ("skipped", "delivered") if by_sms else ("sent", "skipped")
        for channel, status in zip(("email", "sms"), statuses, strict=True):
            self._add(trigger, ("row", t, template, "reporter", channel, status))

    def _add(self, trigger: str, signature: tuple) -> None:
        self.expected.append((trigger, signature))

    def missing(self) -> list[str]:
        wanted = Counter(signature for _, signature in self.expected)
        found = self._found(wanted)
        gaps = []
        for signature in set(wanted) | set(found):
            if wanted[signature] != found[signature]:
                triggers = sorted({t for t, s in self.expected if s == signature}) or ["none"]
                gaps.append(f"{triggers}: {signature} {found[signature]}/{wanted[signature]}")
        return sorted(gaps)

    def _found(self, wanted: Counter) -> Counter:
        found = Counter()
        mails = {a: mails_to(self.system, a) for (kind, a, *_) in wanted if kind == "mail"}
        for signature in wanted:
            kind, where, *what = signature
            if kind == "mail":
                found[signature] = sum(_mail_is(m, *what) for m in mails[where])
            elif kind == "sms":
                mts = self.system.kannel.messages(where)
                found[signature] = sum(_sms_is(m, *what) for m in mts)
        for tracking_id in self.reporters:  # every row, so that an unexpected one shows
            for row in notifications(self.system, tracking_id):
                found[_row(tracking_id, row)] += 1
        return found

    def check(self) -> None:
        try:
            # generous: in the full suite notify's queue holds other tests' notices too
            wait_until(lambda: not self.missing(), 120, "every notice", interval=0.5)
        except AssertionError:
            pytest.fail("not as the table says (found/expected):\n" + "\n".join(self.missing()))


def _mail_is(mail, subject: str, contains: str) -> bool:
    return mail["Subject"] == subject and contains in mail.get_body(("plain",)).get_content()


def _row(tracking_id: str, row: dict) -> tuple:
    who = row["recipient"] if row["recipient"][:7] == "agency:" else "reporter"
    return ("row", tracking_id, row["template"], who, row["channel"], row["status"])


def _sms_is(mt, tracking_id: str, words: str, contains: str) -> bool:
    return tracking_id in mt.decoded and words in mt.decoded and contains in mt.decoded


def _step(system, token: str, pair: Pair, action: str, params, status: str, owner) -> None:
    for tracking_id in pair:
        _done(_act(system, token, tracking_id, action, params), status, owner)


def _reporter_step(system, token: str, pair: Pair, kind: str, text: str, status: str, owner):
    for tracking_id in pair:
        _reporter_says(system, tracking_id, kind, text)
        _case_is(system, token, tracking_id, status, owner)


def _warn(system, token: str, tracking_id: str) -> str:
    """Run the deadline check 12 hours before the case's due (inside the
    warning window) until routing warns; the due as notices print it."""
    due = datetime.fromisoformat(_get(system, token, tracking_id)[1]["case"]["due_at"])
    when = (due - WARN_BEFORE / 2).isoformat()
    for _ in range(30):
        system.run(sys.executable, "-m", "lapor.cli", "sla-check", "--now", when,
                   "--report", tracking_id)  # fmt: skip
        if _event(system, "report.deadline_approaching", tracking_id):
            return due.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")
        time.sleep(1)
    raise AssertionError(f"{tracking_id} was not warned")


@needs_kannel
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_trigger_tells_whom_the_table_says_in_their_language(system, tokens, language):
    journey, province = Journey(system, language), _parent_of(system, CITY)
    for agency in (DUKCAPIL, CITY, province):
        journey.officers[agency] = _agency_contact(system, agency, language)
    dukcapil, city, national = tokens["dukcapil"], tokens["city"], tokens["national"]
    expect = journey.expect
    case = journey.submit()  # submitted, routed to the unit

    _step(system, dukcapil, case, "defer", {"note": NEEDED}, "deferred", DUKCAPIL)
    expect("deferred", case, "report_deferred", contains=NEEDED)
    # resumed and verified: nobody is told (no rows at all, checked at the end)
    _reporter_step(system, dukcapil, case, "information", "Foto terlampir, antrean 17.",
                   "unverified", DUKCAPIL)  # fmt: skip
    _step(system, dukcapil, case, "verify", CLASSIFIED, "verified", DUKCAPIL)
    _step(system, city, case, "assign", {"agency_code": CITY}, "assigned", CITY)
    expect("assigned", case, "assignment_new", CITY)
    _step(system, city, case, "dispose", {"agency_code": DUKCAPIL}, "assigned", DUKCAPIL)
    expect("disposed", case, "assignment_new", DUKCAPIL)
    not_ours = "Bukan wewenang kami."
    _step(system, dukcapil, case, "return", {"reason": not_ours}, "returned", CITY)
    expect("returned", case, "assignment_new", CITY, contains=not_ours, handover="returned")

    for tracking_id in case:
        assert _breach(system, tracking_id)["owner"] == province
    expect("escalated", case, "deadline_breached", CITY)
    expect("escalated", case, "assignment_new", province, contains=CITY, handover="escalated")
    expect("escalated", case, "report_escalated")
    _step(system, national, case, "assign", {"agency_code": DUKCAPIL}, "assigned", DUKCAPIL)
    expect("assigned", case, "assignment_new", DUKCAPIL)
    for tracking_id in case:
        due = _warn(system, national, tracking_id)
        journey.expect_one("deadline_approaching", tracking_id, "deadline_approaching",
                           DUKCAPIL, due=due)  # fmt: skip

    _step(system, dukcapil, case, "respond", {"message": ANSWER}, "responded", DUKCAPIL)
    expect("responded", case, "report_responded", contains=ANSWER)
    _reporter_step(system, dukcapil, case, "dispute", "Belum ada di loket 3.", "in_progress",
                   DUKCAPIL)  # fmt: skip
    expect("reopened", case, "report_reopened")
    expect("reopened", case, "case_reopened", DUKCAPIL)
    _step(system, dukcapil, case, "respond", {"message": ANSWER}, "responded", DUKCAPIL)
    expect("responded", case, "report_responded", contains=ANSWER)
    _reporter_step(system, dukcapil, case, "confirmation", "Sudah saya terima.", "closed", None)
    expect("closed", case, "report_closed")

    archived = journey.submit()
    _step(system, dukcapil, archived, "archive", {"reason": "duplicate"}, "archived", None)
    expect("archived", archived, "report_archived")
    merged = journey.submit()
    _step(system, dukcapil, merged, "merge", {"into": case.by_email}, "archived", None)
    expect("merged", merged, "report_merged")

    journey.check()
