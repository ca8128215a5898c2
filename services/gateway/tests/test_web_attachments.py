"""A report's attachments on the pages, without a browser: safe file names,
download headers, who sees which file, and the lists on both pages."""

from __future__ import annotations

import base64
import re

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.web import attachments, citizen
from services.gateway.web.render import render

SHA = "1a2b3c4d5e6f" + "0" * 52
SUBMITTED = {"sha256": SHA, "size": 1500, "media_type": "image/png", "from": "reporter",
             "event": "report.submitted", "time": "2026-11-20T01:00:00+00:00"}  # fmt: skip
ADDED = {**SUBMITTED, "sha256": "b" * 64, "event": "report.message_added"}
ANSWERED = {**SUBMITTED, "sha256": "c" * 64, "from": "agency", "event": "report.responded",
            "media_type": "application/pdf"}  # fmt: skip


@pytest.fixture(autouse=True)
def web_secret(monkeypatch):
    monkeypatch.setenv("LAPOR_WEB_SECRET", "uji-" + "x" * 20)


def test_a_file_is_named_here_from_the_report_and_its_hash_only():
    assert attachments.file_name("LAP-7K3M9QXT2B", SUBMITTED) == (
        "lampiran-LAP-7K3M9QXT2B-1a2b3c4d5e6f.png"
    )
    odd = {**SUBMITTED, "media_type": 'text/html"; x="'}
    assert attachments.file_name("LAP-7K3M9QXT2B", odd).endswith(".bin")


def test_a_download_is_an_attachment_of_the_sniffed_type_never_sniffed_again():
    found = {**SUBMITTED, "content": base64.b64encode(b"\x89PNG...").decode()}
    public = attachments.file_response("LAP-7K3M9QXT2B", found, confidential=False)
    assert public.get_data() == b"\x89PNG..."
    assert public.mimetype == "image/png"
    assert public.headers["Content-Disposition"] == (
        'attachment; filename="lampiran-LAP-7K3M9QXT2B-1a2b3c4d5e6f.png"'
    )
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in public.headers["Cache-Control"]
    secret = attachments.file_response("LAP-7K3M9QXT2B", found, confidential=True)
    assert secret.headers["Cache-Control"] == "private, no-store"
    unknown = attachments.file_response(
        "LAP-7K3M9QXT2B", {**found, "media_type": "text/html"}, confidential=False
    )
    assert unknown.mimetype == "application/octet-stream"


def test_the_public_sees_only_the_agencys_files_the_reporter_all():
    every = [SUBMITTED, ADDED, ANSWERED]
    assert attachments.public_ones(every, reporter=False) == [ANSWERED]
    assert attachments.public_ones(every, reporter=True) == every
    assert attachments.public_ones(None, reporter=True) == []


def test_only_the_tracking_pages_signed_pin_cookie_counts_as_the_pin():
    cookie = citizen.signed("12345678", "pin:LAP-7K3M9QXT2B")

    def request(value: str) -> Request:
        headers = {"Cookie": f"{citizen.PIN_COOKIE}={value}"}
        return Request(EnvironBuilder(path="/", headers=headers).get_environ())

    assert attachments.pin_given(request(cookie), "LAP-7K3M9QXT2B")
    assert not attachments.pin_given(request(cookie), "LAP-7K3M9QXT2C")  # another report's
    assert not attachments.pin_given(request("12345678.forged"), "LAP-7K3M9QXT2B")


def _page(template: str, lang: str = "id", **context) -> str:
    request = Request(EnvironBuilder(path="/", query_string={"lang": lang}).get_environ())
    return render(request, template, account=None, **context).get_data(as_text=True)


def test_the_list_links_each_file_with_its_sender_kind_and_size_in_words():
    shown = attachments.listed("LAP-7K3M9QXT2B", [SUBMITTED, ANSWERED], "/lacak/X/lampiran")
    html = _page("attachments/report.html", report={"tracking_id": "LAP-7K3M9QXT2B"},
                 attachments=shown)  # fmt: skip
    links = re.findall(
        r'<a href="(/lacak/X/lampiran/[0-9a-f]{64})" download="([^"]+)">([^<]+)<', html
    )
    assert [(h.rsplit("/", 1)[1], n) for h, n, _ in links] == [
        (SHA, "lampiran-LAP-7K3M9QXT2B-1a2b3c4d5e6f.png"),
        ("c" * 64, "lampiran-LAP-7K3M9QXT2B-cccccccccccc.pdf"),
    ]
    assert [text for _, _, text in links] == [
        "Gambar PNG dari pelapor, 2 kB",
        "Dokumen PDF dari instansi, 2 kB",
    ]
    english = _page("attachments/report.html", "en", report={"tracking_id": "LAP-7K3M9QXT2B"},
                    attachments=[])  # fmt: skip
    assert "No attachments." in english
    assert not re.search(r"attachments\.\w", re.sub(r"<[^>]+>", "", english))  # no raw key
