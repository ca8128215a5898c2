"""A report's files: those its own events name, the reporter's and the
agency's, and no other report's (real database and event log)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from lapor import eventstore
from lapor.channels import Attachment, FollowUp, Submission
from lapor.contracts.report import report_stream
from lapor.eventstore import ANY_VERSION, NewEvent
from services.intake import handlers
from services.intake.attachments import report_attachment, report_attachments
from services.intake.normalise import sniff, strip_metadata

PIN_SECRET = b"0123456789abcdef-test"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAAB"
    "JRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
BODY = {
    "title": "Jalan berlubang",
    "description": "Jalan di depan sekolah berlubang besar sejak bulan lalu, berbahaya.",
    "category": "infrastruktur",
    "region_code": "32.73",
    "report_type": "pengaduan",
}


def _sha(content: bytes) -> str:
    """The hash of the file as intake keeps it: a photo without its metadata."""
    if content != PDF:
        content = strip_metadata(content, sniff(content))
    return hashlib.sha256(content).hexdigest()


def _submit(engine, *files: bytes) -> str:
    context = handlers.Context(engine, PIN_SECRET)
    message = Submission(dict(BODY), attachments=tuple(Attachment(f) for f in files))
    return handlers.submit(context, message, "web").tracking_id


def _responded(engine, tracking_id: str, content: bytes) -> None:
    ref = handlers.keep_attachments(
        engine, [base64.b64encode(content).decode()], handlers.AttachmentLimits()
    )["attachments"]
    data = {
        "tracking_id": tracking_id,
        "agency_code": "pemkot-3273-disdukcapil",
        "status": "responded",
        "owner": "pemkot-3273-disdukcapil",
        "owner_name": "Disdukcapil Kota Bandung",
        "stage": "closure",
        "due_at": datetime.now(UTC).isoformat(),
        "actor": {"role": "officer", "agency_code": "pemkot-3273-disdukcapil", "account": "a"},
        "message": "Sudah diperbaiki.",
        "attachments": ref,
    }
    with engine.begin() as tx:
        eventstore.append(
            tx, report_stream(tracking_id), ANY_VERSION, [NewEvent("report.responded", data)]
        )


def test_a_reports_files_are_the_reporters_and_the_agencys_with_their_content(engine):
    tracking_id = _submit(engine, PNG)
    handlers.follow_up(
        handlers.Context(engine, PIN_SECRET),
        FollowUp(
            tracking_id,
            "Foto tambahan.",
            attachments=(Attachment(GIF),),
            pin=handlers.report_pin(PIN_SECRET, tracking_id),
        ),
        "web",
        "web",
    )
    _responded(engine, tracking_id, PDF)
    with engine.connect() as conn:
        listed = report_attachments(conn, tracking_id.lower())
        found = report_attachment(conn, tracking_id, _sha(PDF))
    assert [(a["sha256"], a["from"], a["event"], a["media_type"]) for a in listed] == [
        (_sha(PNG), "reporter", "report.submitted", "image/png"),
        (_sha(GIF), "reporter", "report.message_added", "image/gif"),
        (_sha(PDF), "agency", "report.responded", "application/pdf"),
    ]
    assert found["from"] == "agency" and found["size"] == len(PDF)
    assert base64.b64decode(found["content"]) == PDF


def test_another_reports_file_or_an_unknown_report_gives_nothing(engine):
    mine, theirs = _submit(engine, PNG), _submit(engine, GIF)
    with engine.connect() as conn:
        assert report_attachment(conn, mine, _sha(PNG)) is not None
        # the file is kept, but this report does not name it
        assert report_attachment(conn, mine, _sha(GIF)) is None
        assert report_attachment(conn, theirs, _sha(GIF)) is not None
        assert report_attachments(conn, "LAP-0000000000") is None
        assert report_attachments(conn, "not an id") is None
        assert report_attachment(conn, mine, "../../etc/passwd") is None
        assert report_attachment(conn, mine, _sha(PNG).upper()) is None
        assert report_attachments(conn, _submit(engine)) == []
