"""A reporter's photo reaches officers without what its metadata says about the
reporter (GPS position, camera serial, owner, times): intake re-saves photos
before it hashes and keeps them. PDFs are kept as sent."""

from __future__ import annotations

import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from lapor import eventstore
from lapor.channels import Attachment, Submission
from lapor.contracts.report import report_stream
from services.intake import handlers
from services.intake.adapters import store
from services.intake.normalise import (
    MAX_IMAGE_PIXELS,
    AttachmentError,
    check_attachments,
    strip_metadata,
)

SERIAL = "SN-0042-BUDI"
OWNER = "Budi Santoso"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n/Author (Budi Santoso)\ntrailer <<>>\n%%EOF\n"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Artist] = OWNER
    exif[ExifTags.Base.BodySerialNumber] = SERIAL
    exif[ExifTags.Base.DateTime] = "2026:11:20 07:15:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (6.0, 54.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (107.0, 36.0, 35.0)
    return exif


def _photo(orientation: int = 6) -> bytes:
    """A phone photo stored sideways (80 wide, 40 high) with orientation 6:
    shown upright it is 40 wide and 80 high. Its top half is red."""
    image = Image.new("RGB", (80, 40), "blue")
    image.paste("red", (0, 0, 80, 20))
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=_exif(orientation),
        xmp=f"<x:xmpmeta><dc:creator>{OWNER}</dc:creator></x:xmpmeta>".encode(),
        comment=OWNER.encode(),
        icc_profile=SRGB,
        quality=95,
    )
    return out.getvalue()


def _no_trace(content: bytes) -> None:
    image = Image.open(io.BytesIO(content))
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment", "photoshop"} & set(image.info)
    for trace in (OWNER, SERIAL, "2026:11:20"):
        assert trace.encode() not in content


def test_a_jpeg_loses_its_exif_gps_and_comments_and_stays_upright():
    sent = _photo()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert SERIAL.encode() in sent
    [kept] = check_attachments([sent])
    _no_trace(kept.content)
    image = Image.open(io.BytesIO(kept.content))
    assert image.format == "JPEG" and image.size == (40, 80)
    # turned as the orientation said: the red half is now on the right
    right, left = image.getpixel((35, 40)), image.getpixel((4, 40))
    assert right[0] > 200 > right[2] and left[2] > 200 > left[0]
    assert image.info["icc_profile"] == SRGB
    assert kept.sha256 == hashlib.sha256(kept.content).hexdigest()
    assert kept.size == len(kept.content) and kept.media_type == "image/jpeg"


def test_an_upright_jpeg_keeps_its_quality():
    sent = _photo(orientation=1)
    kept = strip_metadata(sent, "image/jpeg")
    _no_trace(kept)
    before, after = Image.open(io.BytesIO(sent)), Image.open(io.BytesIO(kept))
    assert after.size == before.size == (80, 40)
    assert after.quantization == before.quantization  # quality="keep"


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", OWNER)
    text.add_itxt("Comment", f"Difoto oleh {OWNER}")
    image = Image.new("RGBA", (8, 6), (255, 0, 0, 128))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=text, exif=_exif(1), icc_profile=SRGB)
    sent = out.getvalue()
    assert b"tEXt" in sent and OWNER.encode() in sent
    [kept] = check_attachments([sent])
    assert b"tEXt" not in kept.content and b"iTXt" not in kept.content
    _no_trace(kept.content)
    again = Image.open(io.BytesIO(kept.content))
    assert again.format == "PNG" and again.size == (8, 6)
    assert again.getpixel((0, 0)) == (255, 0, 0, 128) and again.info["icc_profile"] == SRGB


@pytest.mark.parametrize("pillow_format", ["GIF", "WEBP"])
def test_gif_and_webp_keep_their_format_and_frames_without_metadata(pillow_format):
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out,
        pillow_format,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=OWNER.encode(),  # GIF
        exif=_exif(1),  # WebP
    )
    media_type = f"image/{pillow_format.lower()}"
    kept = strip_metadata(out.getvalue(), media_type)
    _no_trace(kept)
    image = Image.open(io.BytesIO(kept))
    assert image.format == pillow_format and image.n_frames == 3


def test_a_pdf_is_kept_as_sent():
    [kept] = check_attachments([PDF])
    assert kept.content == PDF and kept.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    "garbage",
    [
        b"\xff\xd8\xff\xe0 a JPEG that stops here",
        b"GIF89a\x01\x00\x01\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\xff" * 20,
        b"RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd",
    ],
)
def test_a_damaged_photo_is_refused_with_its_reason(garbage):
    with pytest.raises(AttachmentError) as refused:
        check_attachments([_photo(), garbage])
    assert refused.value.status == 400
    assert refused.value.messages == [
        "Attachment 2 is not a photo that can be read: it is damaged."
    ]


def test_a_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # a few kilobytes, 60 megapixels
    assert len(out.getvalue()) < 20_000 and 60_000_000 > MAX_IMAGE_PIXELS
    with pytest.raises(AttachmentError) as refused:
        check_attachments([out.getvalue()])
    assert refused.value.status == 400
    assert refused.value.messages == [
        "Attachment 1 is not a photo that can be read: more than 50,000,000 pixels."
    ]


@given(
    st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"GIF87a"]),
    st.binary(max_size=200),
)
@settings(max_examples=150, deadline=None)
def test_bytes_that_only_start_like_a_photo_are_refused_or_kept_clean(magic, rest):
    try:
        checked = check_attachments([magic + rest])
    except AttachmentError as refused:
        assert refused.status == 400 and refused.messages
    else:  # the rare few bytes Pillow reads as a picture: re-saved
        assert all(c.sha256 == hashlib.sha256(c.content).hexdigest() for c in checked)


def test_intake_keeps_and_names_the_cleaned_photo(engine):
    sent = _photo()
    fields = {
        "title": "Jalan berlubang",
        "description": "Jalan di depan sekolah berlubang besar sejak bulan lalu, berbahaya.",
        "category": "infrastruktur",
        "region_code": "32.73",
        "report_type": "pengaduan",
    }
    context = handlers.Context(engine, b"0123456789abcdef-test")
    message = Submission(fields, attachments=(Attachment(sent), Attachment(PDF)))
    tracking_id = handlers.submit(context, message, "web").tracking_id
    with engine.connect() as conn:
        [submitted] = eventstore.read_stream(conn, report_stream(tracking_id))
        named = submitted.data["attachments"]
        kept = [store.attachment(conn, ref["sha256"]) for ref in named]
    photo, pdf = (bytes(k["content"]) for k in kept)
    assert [ref["sha256"] for ref in named] == [
        hashlib.sha256(photo).hexdigest(),
        hashlib.sha256(PDF).hexdigest(),
    ]
    assert named[0]["size"] == len(photo) and named[0]["media_type"] == "image/jpeg"
    assert hashlib.sha256(sent).hexdigest() not in {ref["sha256"] for ref in named}
    _no_trace(photo)
    assert Image.open(io.BytesIO(photo)).size == (40, 80) and pdf == PDF
