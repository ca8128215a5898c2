"""Indonesian text for PostgreSQL full-text search.

PostgreSQL 15 has no Indonesian dictionary, so words are stemmed here with
Sastrawi (`kehilangan` -> `hilang`, `penerbitan` -> `terbit`) and stored, and
queried, through the `simple` configuration, which only lower-cases. The same
function prepares the indexed text and the query, so they always agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# words a citizen searches with that Sastrawi's stop list drops
_KEEP = {"baru", "hilang", "jalan", "rusak", "pindah", "mati", "lahir", "sakit"}


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(StopWordRemoverFactory().get_stop_words()) - _KEEP


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word) or word


def terms(text: str) -> list[str]:
    """Stemmed words without stop words: `Kartu Keluarga hilang` -> kartu, keluarga, hilang."""
    words = re.findall(r"[0-9a-z]+", text.lower())
    found = []
    for word in words:
        if word in _stop_words():
            continue
        stem = _stem(word)
        if stem and stem not in _stop_words():
            found.append(stem)
    return found


def document(text: str) -> str:
    return " ".join(terms(text))


def query(text: str) -> str | None:
    """A `to_tsquery('simple', ...)` expression matching any of the words; None if none."""
    unique = list(dict.fromkeys(terms(text)))
    return " | ".join(unique) if unique else None
