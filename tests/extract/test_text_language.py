"""The date language of an undeclared page, told by its function words without a model."""

import subprocess
import sys

import pytest

from crawler.extract.text_language import text_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Il pane del forno era buonissimo e ci torneremo sicuramente con tutta la famiglia,"
            " anche perché il personale è gentile e non si aspetta molto.",
            "it",
        ),
        (
            "The bread at the bakery was great and we will be back with the whole family, because"
            " the staff are kind and it is not a long wait for a table.",
            "en",
        ),
        (
            "Das Brot der Bäckerei war sehr gut und wir kommen mit der ganzen Familie wieder, weil"
            " die Leute nett sind und man nicht lange auf einen Tisch wartet.",
            "de",
        ),
        (
            "Le pain de la boulangerie était très bon et nous reviendrons avec toute la famille,"
            " parce que le personnel est gentil et que nous ne sommes pas pressés.",
            "fr",
        ),
        (
            "El pan de la panadería estaba muy bueno y volveremos con toda la familia, porque el"
            " personal es amable y no hay que esperar mucho para una mesa.",
            "es",
        ),
        (
            "O pão da padaria estava muito bom e vamos voltar com toda a família, porque o"
            " pessoal é simpático e não é preciso esperar muito por uma mesa.",
            "pt",
        ),
    ],
)
def test_running_text_is_told_by_its_function_words(text, language):
    assert text_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Hotel Bellavista Punteggio 8,6",
        "Het brood van de bakker was heerlijk en we komen zeker terug met het hele gezin, want"
        " het personeel is vriendelijk en je hoeft niet lang te wachten op een tafel.",
        "2024 12 05 18 00 1 234 56 78 90 11 12 13 14 15 16 17 18 19 20 21 22 23 24",
    ],
)
def test_too_little_text_or_another_language_names_none(text):
    assert text_language(text) is None


def test_an_undeclared_page_never_loads_the_language_model():
    """In a fresh process (another test may have loaded the model already)."""
    script = (
        "import sys\n"
        "from crawler.extract.html_tree import parse_html\n"
        "from crawler.extract.page_dates import page_language\n"
        "text = 'Il pane del forno era buonissimo, ci torneremo con tutta la famiglia e gli amici.'\n"
        "found = page_language(parse_html(f'<html><body><p>{text}</p></body></html>'))\n"
        "print(found.language, 'py3langid' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["it", "False"]
