"""The English analyzer: TextBlob's lexicon plus the project's, read with English rules.

TextBlob's analyzer averages adjective polarities: it knows "good" and "terrible" but not the
verbs and nouns of complaints ("refund", "broke", "waited", "never again"), and it reads
"not worth it" as a weak signal. The same lexicon (`textblob/en/en-sentiment.xml`, read from the
installed package) goes through the project's analyzer with English negation, intensifiers and
`data/en-care-lexicon.txt`, which measured better on review sentences (see bench/sentiment.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from crawler.sentiment.analyzer import LexiconAnalyzer, Rules, Weights
from crawler.sentiment.lexicon import DATA, Lexicon, read_pattern_lexicon, read_tsv, shipped_file

NAME = "en-lexicon-v1"
TEXTBLOB_LEXICON = ("textblob", "en/en-sentiment.xml")

_CONTRACTED = (
    "don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't couldn't shouldn't "
    "haven't hasn't hadn't ain't dont doesnt didnt isnt wasnt arent werent wont wouldnt cant "
    "couldnt shouldnt havent hasnt hadnt"
)
NEGATORS = frozenset(f"not no never nor without nothing nobody none neither {_CONTRACTED}".split())
COMPLAINT_NEGATORS = frozenset(f"not no never nothing nobody none {_CONTRACTED}".split())
INTENSIFIERS = {
    "very": 1.5,
    "insanely": 1.5,
    "seriously": 1.3,
    "ridiculously": 1.4,
    "really": 1.5,
    "so": 1.3,
    "extremely": 1.7,
    "super": 1.5,
    "totally": 1.5,
    "absolutely": 1.6,
    "incredibly": 1.6,
    "highly": 1.5,
    "truly": 1.4,
    "too": 1.5,
    "completely": 1.5,
    "utterly": 1.6,
    "definitely": 1.3,
    "especially": 1.3,
    "pretty": 1.2,
    "quite": 1.2,
    "fairly": 0.8,
    "somewhat": 0.7,
    "slightly": 0.6,
    "bit": 0.6,
    "barely": 0.5,
    "hardly": 0.5,
}
CONTRASTS = frozenset(["but", "however", "yet"])
CONCESSIVES = frozenset(["although", "though", "despite"])
EXCESS = frozenset({"too"})
# "never been treated so badly": with an intensifier between them, "never" stresses, not denies.
EMPHATIC_NEGATORS = frozenset({"never"})


def english_forms(word: str) -> Iterator[tuple[str, float]]:
    """Base forms to look up for an inflected word ("terribly" -> "terrible")."""
    if word.endswith("ily") and len(word) > 5:
        yield word[:-3] + "y", 1.0
    if word.endswith("ly") and len(word) > 4:
        yield word[:-2], 1.0
        yield word[:-2] + "e", 1.0
        yield word[:-1] + "e", 1.0  # terribly -> terrible
    if word.endswith("ier") and len(word) > 5:  # happier -> happy
        yield word[:-3] + "y", 1.2
    if word.endswith("er") and len(word) > 4:  # prettier, nicer
        yield word[:-2], 1.2
        yield word[:-1], 1.2
    if word.endswith("est") and len(word) > 5:
        yield word[:-3], 1.3
        yield word[:-2], 1.3
    if word.endswith("s") and len(word) > 3:
        yield word[:-1], 1.0


def english_lexicon() -> Lexicon:
    """TextBlob's English lexicon from the installed package, overlaid with the project's."""
    source = shipped_file(*TEXTBLOB_LEXICON, install="pip install textblob")
    polarities, adjectives = read_pattern_lexicon(source)
    lexicon = Lexicon(inflectable=adjectives)
    lexicon.update(polarities)
    lexicon.update(read_tsv(DATA / "en-care-lexicon.txt"))
    return lexicon


def english_analyzer(weights: Weights | None = None) -> LexiconAnalyzer:
    """A ready English analyzer; build it once and reuse it."""
    rules = Rules(
        negators=NEGATORS,
        intensifiers=INTENSIFIERS,
        contrasts=CONTRASTS,
        concessives=CONCESSIVES,
        complaint_negators=COMPLAINT_NEGATORS,
        excess=EXCESS,
        emphatic_negators=EMPHATIC_NEGATORS,
        split_elisions=False,
        morphology=english_forms,
        emoticons=dict(read_tsv(DATA / "emoticons.txt")),
    )
    return LexiconAnalyzer(NAME, "en", english_lexicon(), rules, weights)
