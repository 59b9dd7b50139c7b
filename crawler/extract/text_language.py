"""Which of the date languages a page's text is written in, told by its commonest words.

A page that does not declare its language still has to pick the words its dates may use. The
statistical language model (crawler/sentiment/language.py) answers that, but loading it costs
the crawling process most of a second and ~100 MB of numpy arrays, only to choose among the six
languages `date_words` knows. Function words settle that choice: in running text a third of the
words are articles, prepositions and conjunctions, and those differ between Italian, English,
German, French, Spanish and Portuguese. A word several languages share counts for each of them
by a share. When no language stands out (too little text, another language, a list of numbers),
the answer is `None` and the page's dates are read in every known language.
"""

from __future__ import annotations

import re
from collections import Counter


def _words(line: str) -> frozenset[str]:
    return frozenset(line.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "it": _words(
        "il lo la gli le di che è per non una del della dei delle sono con anche questo questa"
        " ma più nel nella alla al ho mi ci si un come molto però perché a e i in da"
    ),
    "en": _words(
        "the and of to is that it for with was this you are on have not but be they my at"
        " from by we an or which their has were"
    ),
    "de": _words(
        "der die das und ist nicht ein eine ich mit zu den von auf sich es dem auch für wir"
        " sie des im bei aus oder aber wie"
    ),
    "fr": _words(
        "le la les des et est une que pour dans pas qui sur au du avec ce il je nous vous sont"
        " un de en mais aux cette ses"
    ),
    "es": _words(
        "el la los las y es que en del por una con para no se lo su al pero muy está como un"
        " de más sus este esta"
    ),
    "pt": _words(
        "o a os as e é que do da em um uma não para com no na dos das se mais por muito"
        " de ao seu sua também como"
    ),
}
MIN_WORDS = 10  # fewer words than this say too little to tell a language
MIN_SHARE = 0.04  # the winner's function words among all words: some running text
MIN_LEAD = 1.3  # the winner against the runner-up: Spanish and Portuguese share many words

_WORD = re.compile(r"[^\W\d_]+")


def _weights() -> dict[str, dict[str, float]]:
    """Each function word's languages, a word that several share counting for each by a share."""
    languages: dict[str, list[str]] = {}
    for lang, words in FUNCTION_WORDS.items():
        for word in words:
            languages.setdefault(word, []).append(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in languages.items()}


_WEIGHTS = _weights()


def text_language(text: str) -> str | None:
    """ISO 639-1 code of the date language `text` is written in, or `None` when none stands out."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    scores: Counter[str] = Counter()
    for word in words:
        for lang, weight in _WEIGHTS.get(word, {}).items():
            scores[lang] += weight
    ranked = scores.most_common(2)
    if not ranked:
        return None
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < MIN_SHARE * len(words) or best_score < MIN_LEAD * runner_up:
        return None
    return best
