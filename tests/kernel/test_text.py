"""Indonesian text: the words, stems and full-text search terms every service shares."""

from __future__ import annotations

from lapor import text


def test_words_keep_hyphenated_words_whole_and_stems_follow_their_word():
    assert text.words("Penerbitan KTP-el, 2 kali!") == ["penerbitan", "ktp-el", "2", "kali"]
    assert text.stems("Penerbitan KTP-el") == ["penerbitan", "terbit", "ktp-el"]
    assert text.canonical_words("Penerbitan akta kelahiran") == ["terbit", "akta", "lahir"]


def test_search_terms_are_stems_without_stop_words():
    assert text.search_terms("Kehilangan Kartu Keluarga") == ["hilang", "kartu", "keluarga"]
    assert text.search_terms("Penerbitan akta kelahiran") == ["terbit", "akta", "lahir"]
    # `baru` is on Sastrawi's stop list, but citizens search with it
    assert text.search_terms("KTP yang baru") == ["ktp", "baru"]


def test_search_splits_hyphenated_words_so_that_each_part_is_found():
    assert text.search_document("Layanan KTP-el dan KK") == "layan ktp el kk"


def test_search_reads_the_whole_text_where_words_stop_at_a_limit():
    long = "pelayanan " * 3000 + "kartu"
    assert "kartu" not in text.words(long)
    assert text.search_terms(long)[-1] == "kartu"


def test_a_search_query_matches_any_word_once_and_stop_words_alone_match_nothing():
    assert text.search_query("kartu keluarga yang hilang") == "kartu | keluarga | hilang"
    assert text.search_query("kartu Kartu kartu") == "kartu"
    assert text.search_query("yang dan") is None
