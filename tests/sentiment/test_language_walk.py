"""py3langid with its byte walk remembered per word gives py3langid's own scores, to the bit."""

from __future__ import annotations

import py3langid.langid as langid
import pytest

from crawler.sentiment import language_walk
from crawler.sentiment.language import FAVOURED, IT_EN_PRIOR, detect_language
from crawler.sentiment.language_model import load_identifier
from crawler.sentiment.language_walk import WordWalkIdentifier

TEXTS = (
    "Il Panificio Rossi mi ha sbagliato il resto due volte, nessuno si è scusato.",
    "Pane buonissimo e personale gentile, torno sempre volentieri. (1234)",
    "The bread was stale and nobody said sorry.",
    "Le pain était rassis et le service lent.",
    "Das Brot war alt, der Service unfreundlich.",
    "El servicio fue pésimo y la comida llegó fría.",
    "SERVIZIO PESSIMO, NON CI TORNO",  # all capitals: py3langid lower-cases it
    "caffe\u0301 buono",  # not NFC: py3langid normalises it
    "  spazi   doppi,\tuna tabulazione\ne un a capo  ",
    "pane pane pane pane pane pane",  # one word, walked from different states
    "👍👍 ok",
    "ok",
    "12345 !!!",
    "",
    " ",
    "Nel quartiere si parla molto di colazioni e di pane a lievitazione naturale. " * 14,
)


@pytest.fixture(scope="module")
def packaged() -> langid.LanguageIdentifier:
    """py3langid's own identifier from its own loader: what ours must agree with."""
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=False)


@pytest.fixture(scope="module")
def ours() -> WordWalkIdentifier:
    return load_identifier()


def same_scores(ours: WordWalkIdentifier, packaged, text: str | bytes) -> bool:
    mine, theirs = ours.scores(text), packaged._decide(text)
    return mine.dtype == theirs.dtype and mine.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("text", TEXTS)
def test_the_scores_are_py3langids_to_the_bit(ours, packaged, text: str) -> None:
    for _ in range(2):  # walks new, then remembered
        assert same_scores(ours, packaged, text)
        assert ours.classify(text) == packaged.classify(text)
        assert ours.rank(text) == packaged.rank(text)
    assert same_scores(ours, packaged, text.encode())  # bytes, as py3langid also takes


@pytest.mark.parametrize("text", TEXTS)
def test_the_features_are_met_in_the_order_of_py3langids_walk(ours, text: str) -> None:
    data = ours._encode(text)
    expected = langid.visit_counts(ours.tk_nextmove, ours._rowbase, ours.tk_output, data)
    found = ours.visit_counts(data)
    assert found == expected
    assert list((found or {}).items()) == list((expected or {}).items())  # same order


def test_forgetting_the_walks_changes_nothing(ours, packaged, monkeypatch) -> None:
    monkeypatch.setattr(language_walk, "WALKS_KEPT", 4)
    ours._walks.clear()
    for text in TEXTS:
        assert same_scores(ours, packaged, text)
    assert 0 < len(ours._walks) <= 4


def detect_with_classify_and_rank(identifier: langid.LanguageIdentifier, text: str) -> str:
    """Language detection as it was written with py3langid's public calls (two scorings)."""
    lang, _ = identifier.classify(text)
    if lang in FAVOURED:
        return lang
    scores = dict(identifier.rank(text))
    best = max(FAVOURED, key=lambda code: scores[code])
    return best if scores[best] + IT_EN_PRIOR > scores[lang] else lang


@pytest.mark.parametrize(
    "text",
    [
        "Servizio pessimo",
        "Great bread",
        "Bad",  # py3langid says Spanish: the prior for Italian and English decides
        "Mah...",  # Malay, says py3langid
        "Ottimo prodotto, spedizione veloce",  # favoured from the start
        "Le service était très lent et le serveur pas du tout aimable.",
        "O atendimento foi horrível e ninguém resolveu o meu problema.",
        "De bezorging was te laat en het pakket was beschadigd.",
    ],
)
def test_detection_reads_one_scoring_as_classify_and_rank_did_two(packaged, text) -> None:
    assert detect_language(text) == detect_with_classify_and_rank(packaged, text)
