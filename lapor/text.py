"""Indonesian words of a text, lower case and stemmed with Sastrawi. Pure: no
I/O beyond Sastrawi's packaged dictionaries (loaded once, on first use).

>>> stems("Penerbitan KTP-el")
['penerbitan', 'terbit', 'ktp-el']
>>> canonical_words("Penerbitan Akta Kelahiran")
['terbit', 'akta', 'lahir']
>>> search_query("kartu keluarga yang hilang")
'kartu | keluarga | hilang'
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_CHARS = 20_000
# words a citizen searches with that Sastrawi's stop list drops
SEARCH_KEEPS = frozenset({"baru", "hilang", "jalan", "rusak", "pindah", "mati", "lahir", "sakit"})


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # builds a dictionary once

    return StemmerFactory().create_stemmer()


@cache
def stop_words() -> frozenset[str]:
    """Sastrawi's stop words (`yang`, `dan`), less the ones in `SEARCH_KEEPS`."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words()) - SEARCH_KEEPS


def words(text: str, limit: int | None = MAX_CHARS) -> list[str]:
    """The lower-case words of `text` (hyphenated words stay whole: `ktp-el`),
    from its first `limit` characters (None: all of it)."""
    return WORD.findall(text.lower()[:limit])


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Sastrawi's stem of a lower-case word; hyphenated words and numbers as they are."""
    if "-" in word or word.isdigit():
        return word
    return _stemmer().stem(word) or word


def stems(text: str) -> list[str]:
    """Lower-case words of `text` and their Sastrawi stems, in order."""
    out: list[str] = []
    for word in words(text):
        out.append(word)
        stemmed = stem(word)
        if stemmed != word:
            out.append(stemmed)
    return out


def canonical_words(text: str) -> list[str]:
    """One form per word, in order: its stem (`penerbitan` -> `terbit`)."""
    return [stem(word) for word in words(text)]


# --- full-text search in PostgreSQL ---
# PostgreSQL has no Indonesian dictionary, so the words are stemmed here and
# stored, and queried, through the `simple` configuration, which only
# lower-cases. The same `search_terms` prepares the indexed text and the query,
# so they always agree.


def search_terms(text: str) -> list[str]:
    """Stems without stop words, hyphenated words apart, from all of `text`.

    >>> search_terms("Kehilangan Kartu Keluarga dan KTP-el")
    ['hilang', 'kartu', 'keluarga', 'ktp', 'el']
    """
    found = []
    for word in words(text, limit=None):
        for part in word.split("-"):
            if part in stop_words():
                continue
            stemmed = stem(part)
            if stemmed not in stop_words():
                found.append(stemmed)
    return found


def search_document(text: str) -> str:
    """The text to index with `to_tsvector('simple', ...)`."""
    return " ".join(search_terms(text))


def search_query(text: str) -> str | None:
    """A `to_tsquery('simple', ...)` expression matching any of the words; None if none."""
    unique = list(dict.fromkeys(search_terms(text)))
    return " | ".join(unique) if unique else None
