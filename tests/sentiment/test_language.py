"""Offline language detection that holds up on short comments."""

import pytest

from crawler.sentiment import detect_language


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
