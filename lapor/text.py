"""Indonesian words of a text, lower case and stemmed with Sastrawi. Pure: no
I/O beyond Sastrawi's packaged dictionary (loaded once, on first use).

>>> stems("Penerbitan KTP-el")
['penerbitan', 'terbit', 'ktp-el']
>>> canonical_words("Penerbitan Akta Kelahiran")
['terbit', 'akta', 'lahir']
"""

from __future__ import annotations

import re
from functools import cache

WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_CHARS = 20_000


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # builds a dictionary once

    return StemmerFactory().create_stemmer()


def words(text: str) -> list[str]:
    """The lower-case words of `text` (hyphenated words stay whole: `ktp-el`)."""
    return WORD.findall(text.lower()[:MAX_CHARS])


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
