"""Offline language detection that holds up on short comments."""

import py3langid.langid as langid
import pytest

from crawler.sentiment import detect_language
from crawler.sentiment.language import FAVOURED, IT_EN_PRIOR


@pytest.mark.parametrize(
    "text",
    [
        "Servizio pessimo",
        "Tutto ok, grazie",
        "Pane buonissimo!",
        "Consegna veloce, prodotto conforme.",
        "@mario il forno di via Roma è chiuso? http://example.org/x",
    ],
)
def test_short_italian_comments_are_italian(text: str) -> None:
    assert detect_language(text) == "it"


@pytest.mark.parametrize(
    "text",
    ["Great bread", "Rude staff, never again.", "Works fine, thanks!", "Not worth the money."],
)
def test_short_english_comments_are_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le service était très lent et le serveur pas du tout aimable.", "fr"),
        ("El servicio fue pésimo y la comida llegó fría.", "es"),
        ("Der Kundenservice war unfreundlich und hat nicht geholfen.", "de"),
        ("O atendimento foi horrível e ninguém resolveu o meu problema.", "pt"),
        ("De bezorging was te laat en het pakket was beschadigd.", "nl"),
    ],
)
def test_other_languages_are_not_forced_into_italian_or_english(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "12345 !!!"])
def test_texts_without_letters_are_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


@pytest.fixture(scope="module")
def packaged() -> langid.LanguageIdentifier:
    """py3langid's own identifier from its own loader, used through its public calls."""
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=False)


def detect_with_classify_and_rank(identifier: langid.LanguageIdentifier, text: str) -> str:
    """The detection with py3langid's public calls, which score the text once each."""
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
        "Ottimo prodotto, spedizione veloce",
        "Le service était très lent et le serveur pas du tout aimable.",
        "O atendimento foi horrível e ninguém resolveu o meu problema.",
        "De bezorging was te laat en het pakket was beschadigd.",
        "12 ok",
    ],
)
def test_one_scoring_decides_as_classify_and_rank_did_with_two(packaged, text: str) -> None:
    assert detect_language(text) == detect_with_classify_and_rank(packaged, text)
