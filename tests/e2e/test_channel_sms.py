"""SMS 1708 through the real Kannel: fakesmsc sends an MO, smsbox calls the
gateway, the reply SMS reaches fakesmsc, the report is routed."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
import sqlalchemy as sa

from lapor.testing import kannel as kannel_harness
from tests.e2e.conftest import wait_until

pytestmark = pytest.mark.skipif(not kannel_harness.installed(), reason="Kannel is not installed")
PHONE = "6281298765432"


@pytest.fixture(scope="module")
def operator(system, tmp_path_factory):
    """A Kannel whose sms-service calls this stack's gateway (the stack's own
    Kannel serves notify's outgoing SMS and takes no MO)."""
    kannel = kannel_harness.Kannel(
        tmp_path_factory.mktemp("kannel-mo"),
        mo_url=f"{system.url()}/channels/sms?{kannel_harness.MO_QUERY}",
    )
    with kannel.start():
        yield kannel


def reply_to(kannel, phone: str, containing: str, seen: int = 0):
    def found():
        mts = [m for m in kannel.messages() if m.receiver == phone][seen:]
        return next((m for m in mts if containing in m.decoded), None)

    return kannel.wait_for(lambda _: found(), 60, f"a reply containing {containing!r}")


def test_an_sms_report_is_routed_and_answered_with_its_tracking_id(system, operator):
    operator.send_mo(PHONE, "KTP-el saya belum jadi 3 bulan di Disdukcapil Kota Bandung")
    reply = reply_to(operator, PHONE, "LAP-")
    tracking_id = re.search(r"LAP-[0-9A-Z]{10}", reply.decoded).group(0)
    pin = re.search(r"PIN (\d{8})", reply.decoded).group(1)  # the reporter's, for the web
    report = system.api.wait_routed(tracking_id)
    # an inferred category is not sure enough to send it to the unit: the city's
    # coordinator verifies it first (routing's confidence rule, docs/routing.md)
    assert report["agency"]["code"] == "pemkot-3273"

    before = len([m for m in operator.messages() if m.receiver == PHONE])
    operator.send_mo(PHONE, f"{tracking_id} sudah saya tanyakan, katanya blangko habis")
    reply_to(operator, PHONE, "Tambahan", seen=before)
    with system.engine.connect() as conn:
        added = conn.execute(
            sa.text("SELECT count(*) FROM lapor.events WHERE stream = :s AND type = :t"),
            {"s": f"report-{tracking_id}", "t": "report.message_added"},
        ).scalar()
    assert added == 1

    # another phone quoting the tracking id is refused, and told why
    operator.send_mo("6281298760000", f"{tracking_id} sudah selesai")
    assert "hanya pelapor" in reply_to(operator, "6281298760000", "ditolak").decoded
    with system.engine.connect() as conn:
        still = conn.execute(
            sa.text("SELECT count(*) FROM lapor.events WHERE stream = :s AND type = :t"),
            {"s": f"report-{tracking_id}", "t": "report.message_added"},
        ).scalar()
    assert still == 1
    # the PIN of the reply SMS lets the reporter add from the web too
    status, _ = system.api.call(
        "POST", f"/api/v1/reports/{tracking_id}/messages",
        {"kind": "information", "message": "Lewat web."}, {"X-Report-Pin": pin},
    )  # fmt: skip
    assert status == 201


def test_a_long_unicode_sms_works_and_a_missing_city_is_asked_for(system, operator):
    text = "Lampu jalan mati 💡 “gelap” di Kota Bandung. " + "Mohon segera diperbaiki. " * 12
    assert len(text) > 160  # a concatenated SMS
    operator.send_mo("6281311112222", text)
    reply = reply_to(operator, "6281311112222", "LAP-")
    tracking_id = re.search(r"LAP-[0-9A-Z]{10}", reply.decoded).group(0)
    with system.engine.connect() as conn:
        description = conn.execute(
            sa.text(
                "SELECT data->>'description' FROM lapor.events "
                "WHERE stream = :s AND type = 'report.submitted'"
            ),
            {"s": f"report-{tracking_id}"},
        ).scalar()
    assert "💡" in description and "“gelap”" in description

    operator.send_mo("6281322223333", "Pelayanan lambat sekali, antre seharian")
    assert "kota/kabupaten" in reply_to(operator, "6281322223333", "kota").decoded


def test_the_same_kannel_message_twice_makes_one_report(system):
    query = {
        "from": "6281344445555",
        "to": "1708",
        "text": "Sampah menumpuk di pasar Kota Bandung",
        "id": "kannel-dup-1",
    }
    url = f"{system.url()}/channels/sms?{urlencode(query)}"
    answers = [urlopen(url, timeout=30).read().decode() for _ in range(2)]
    ids = {re.search(r"LAP-[0-9A-Z]{10}", a).group(0) for a in answers}
    assert len(ids) == 1


def test_stop_opts_the_number_out(system, operator):
    operator.send_mo("6281355556666", "STOP")
    reply_to(operator, "6281355556666", "tidak akan menerima")

    def recorded():
        with system.engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT count(*) FROM lapor.events WHERE type = 'contact.opted_out'")
            ).scalar()

    wait_until(recorded, 30, "the opt-out event")
