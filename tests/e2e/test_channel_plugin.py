"""A channel plugin from its own package: installed into the environment while
the system runs, it makes reports without any change to intake."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from tests.e2e.conftest import _scalar, wait_until

PLUGIN = Path(__file__).resolve().parents[2] / "examples" / "lapor-chat-channel"


def post(system, path: str, body: dict) -> tuple[int, dict]:
    request = Request(
        system.url() + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def chat_update(text: str, message_id: int | None = None) -> dict:
    message_id = message_id or uuid.uuid4().int % 10**9
    return {
        "update_id": message_id,
        "message": {
            "message_id": message_id,
            "chat": {"id": 4242},
            "from": {"first_name": "Budi"},
            "text": text,
        },
    }


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "-q", *args], check=True, timeout=300)


@pytest.fixture(scope="module")
def chat_plugin(system, tmp_path_factory):
    """The example package installed with pip (from a copy, so that the build
    leaves nothing in the source tree), and removed again afterwards."""
    source = tmp_path_factory.mktemp("plugin") / "lapor-chat-channel"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    status, _ = post(system, "/channels/chat", chat_update("Jalan rusak di Kota Bandung"))
    assert status == 404  # not installed yet: no such channel
    _pip("install", "--no-deps", str(source))
    try:
        yield
    finally:
        _pip("uninstall", "-y", "lapor-chat-channel")


def test_a_plugin_channel_makes_routed_reports(system, chat_plugin):
    text = (
        "KTP-el anak saya belum jadi\n"
        "Sudah dua bulan menunggu pencetakan KTP-el di Disdukcapil Kota Bandung."
    )
    update = chat_update(text)
    status, reply = post(system, "/channels/chat", update)
    assert status == 200, reply
    assert reply["method"] == "sendMessage" and reply["chat_id"] == 4242
    tracking_id = reply["tracking_id"]
    assert tracking_id in reply["text"]

    report = system.api.wait_routed(tracking_id)
    # category and region were inferred from the text, and recorded as inferred
    assert (report["category"], report["region_code"]) == ("kependudukan", "32.73")
    # an inferred category is not sure enough to send it to the unit: the city's
    # coordinator verifies it first (routing's confidence rule, docs/routing.md)
    assert report["agency"]["code"] == "pemkot-3273"
    data = _event_data(system, tracking_id, "report.submitted")
    assert data["channel"] == "plugin" and data["channel_name"] == "chat"
    assert data["category_inferred"] is True and data["region_inferred"] is True

    # the same chat message delivered again makes no second report
    status, again = post(system, "/channels/chat", update)
    assert status == 200 and again["tracking_id"] == tracking_id
    assert _count(system, f"chat:4242:{update['message']['message_id']}") == 1

    # a message that starts with the tracking id is a follow-up on the report;
    # a chat names no phone or email, so only the PIN of the bot's answer
    # proves the reporter: without it, refused in the plugin's own format
    status, followed = post(
        system, "/channels/chat", chat_update(f"{tracking_id} sudah saya tanyakan lagi, belum ada")
    )
    assert status == 403 and followed["chat_id"] == 4242
    assert "Only the reporter can add to a report" in followed["text"]
    timeline = system.api.report(tracking_id)[1]["timeline"]
    assert "report.message_added" not in [e["type"] for e in timeline]
    pin = re.search(r"PIN: (\d{8})", reply["text"]).group(1)
    status, followed = post(
        system, "/channels/chat", chat_update(f"{tracking_id} PIN {pin} belum ada kabar")
    )
    assert status == 200 and "sudah kami terima" in followed["text"]
    wait_until(
        lambda: (
            "report.message_added"
            in [e["type"] for e in system.api.report(tracking_id)[1]["timeline"]]
        ),
        30,
        "the follow-up in the timeline",
    )


def test_a_plugin_refusal_reaches_the_sender_in_its_format(system, chat_plugin):
    nowhere = "Tolong bantu\nPelayanan di kantor kecamatan lambat sekali, antre seharian."
    status, reply = post(system, "/channels/chat", chat_update(nowhere))
    assert status == 400
    assert reply["method"] == "sendMessage" and "region_code" in reply["text"]
    status, reply = post(system, "/channels/chat", {"message": "not an object"})
    assert status == 400 and "message" in reply["text"]


def _event_data(system, tracking_id: str, event_type: str) -> dict:
    import sqlalchemy as sa

    with system.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT data FROM lapor.events WHERE stream = :s AND type = :t"),
            {"s": f"report-{tracking_id}", "t": event_type},
        ).scalar_one()


def _count(system, key: str) -> int:
    return _scalar(
        system.engine,
        "SELECT count(*) FROM lapor.events e JOIN lapor.idempotency_keys k "
        "ON e.stream = k.stream AND e.version = k.first_version WHERE k.key = :key",
        key=key,
    )
