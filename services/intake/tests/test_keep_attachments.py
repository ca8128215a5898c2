"""Files an agency sends with its answer: checked like a reporter's, kept by hash."""

from __future__ import annotations

import base64
import hashlib

from services.intake.adapters import store
from services.intake.handlers import keep_attachments
from services.intake.normalise import AttachmentLimits, strip_metadata

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAAB"
    "JRU5ErkJggg=="
)


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def test_a_photo_is_kept_once_by_its_hash(engine):
    answer = keep_attachments(engine, [_b64(PNG), _b64(PNG)], AttachmentLimits())
    kept = strip_metadata(PNG, "image/png")  # re-saved without metadata
    digest = hashlib.sha256(kept).hexdigest()
    assert answer == {
        "attachments": [{"sha256": digest, "size": len(kept), "media_type": "image/png"}]
    }
    with engine.connect() as conn:
        assert store.attachment(conn, digest)["content"] == kept


def test_what_is_not_a_photo_or_too_large_or_not_base64_is_refused(engine):
    text = keep_attachments(engine, [_b64(b"just text")], AttachmentLimits())
    assert (
        text["error"]["status"] == 400
        and "not a photo" in text["error"]["errors"]["attachments"][0]
    )
    big = keep_attachments(engine, [_b64(PNG)], AttachmentLimits(max_total_bytes=10))
    assert big["error"]["status"] == 413
    assert keep_attachments(engine, ["%%%"], AttachmentLimits())["error"]["status"] == 400
    assert keep_attachments(engine, "not a list", AttachmentLimits())["error"]["status"] == 400
