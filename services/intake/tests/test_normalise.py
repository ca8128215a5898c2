"""Category and region from Indonesian text; attachments by content."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.contracts.report import CATEGORIES
from services.intake.normalise import (
    CATEGORY_KEYWORDS,
    AttachmentError,
    AttachmentLimits,
    check_attachments,
    infer_category,
    recognise_region,
    sniff,
    strip_metadata,
)

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("KTP-el saya belum dicetak sudah tiga bulan di Disdukcapil", "kependudukan"),
        ("Jalan berlubang di depan pasar, pengendara terjatuh", "infrastruktur"),
        ("Listrik padam setiap malam sejak seminggu", "energi"),
        ("Pelayanan puskesmas lambat, pasien menunggu berjam-jam", "kesehatan"),
        ("Anak saya ditolak sekolah karena zonasi PPDB", "pendidikan"),
        ("Sampah menumpuk dan berbau di dekat sungai", "lingkungan_hidup"),
        ("Pengurusan izin usaha OSS dipersulit, SIM juga", "perizinan"),
        ("Selamat pagi, terima kasih", "lainnya"),
    ],
)
def test_category_is_inferred_from_stemmed_indonesian(text, category):
    assert infer_category(text) == category


def test_the_keyword_table_names_only_real_categories():
    assert set(CATEGORY_KEYWORDS) <= set(CATEGORIES)


@given(st.text(max_size=500))
@settings(max_examples=60, deadline=None)
def test_any_text_gets_a_known_category(text):
    assert infer_category(text) in CATEGORIES


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Jalan berlubang di Kota Bandung dekat pasar", "32.73"),
        ("Banjir di Kabupaten Bandung sejak kemarin", "32.04"),
        ("Antrean panjang di Bandung", "32.73"),  # bare name: the city
        ("Puskesmas di kab bogor tutup", "32.01"),
        ("Lampu jalan mati di Surabaya", "35.78"),
        ("Kemacetan parah di Jawa Barat", "32"),
        ("Jalan batu di kampung kami rusak", None),  # an everyday word, not Kota Batu
        ("Tidak ada tempat disebut", None),
    ],
)
def test_region_is_recognised_from_place_names(text, code):
    assert recognise_region(text) == code


@given(st.text(max_size=300))
@settings(max_examples=60, deadline=None)
def test_recognised_regions_are_kemendagri_codes(text):
    code = recognise_region(text)
    assert code is None or code.replace(".", "").isdigit()


def test_attachment_type_comes_from_the_content_not_the_name():
    assert sniff(PNG) == "image/png"
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"MZ\x90\x00 an exe pretending to be a photo") != "image/jpeg"
    with pytest.raises(AttachmentError, match="not a photo"):
        check_attachments([b"<script>alert(1)</script>"])


def test_attachments_are_addressed_by_hash_and_kept_once():
    checked = check_attachments([PNG, PDF, PNG])
    # the photo is kept re-saved (without metadata), the PDF as sent
    assert [c.content for c in checked] == [strip_metadata(PNG, "image/png"), PDF]
    assert [c.sha256 for c in checked] == [hashlib.sha256(c.content).hexdigest() for c in checked]
    assert checked[0].ref() == {
        "sha256": hashlib.sha256(checked[0].content).hexdigest(),
        "size": len(checked[0].content),
        "media_type": "image/png",
    }


def test_attachment_limits_are_configurable():
    big = PNG + b"\x00" * 2_000
    with pytest.raises(AttachmentError) as error:
        check_attachments([big], AttachmentLimits(max_total_bytes=1_000))
    assert error.value.status == 413
    with pytest.raises(AttachmentError, match="At most 1"):
        check_attachments([PNG, PDF], AttachmentLimits(max_count=1))
    assert len(check_attachments([big], AttachmentLimits(max_total_bytes=10_000))) == 1


def test_the_default_total_is_two_megabytes():
    assert AttachmentLimits().max_total_bytes == 2 * 1024 * 1024


@given(st.lists(st.binary(max_size=64), max_size=6))
@settings(max_examples=80)
def test_any_bytes_are_accepted_or_refused_cleanly(contents):
    try:
        checked = check_attachments(contents)
    except AttachmentError as error:
        assert error.messages and error.status in (400, 413)
    else:
        assert all(c.media_type for c in checked)
