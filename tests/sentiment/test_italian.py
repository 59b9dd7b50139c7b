"""The Italian analyzer reads complaints and praise as an Italian reader would."""

import pytest

from crawler.sentiment import score


def label(text: str) -> str:
    return score(text, "it").label


@pytest.mark.parametrize(
    "text",
    [
        "Servizio pessimo, non comprerò mai più",
        "Non lo consiglio a nessuno.",
        "Mi hanno dato il resto sbagliato e nessuno si è scusato.",
        "Ordine arrivato in ritardo di due settimane, sto ancora aspettando il rimborso.",
        "Il cameriere è stato scortese e il conto era sbagliato.",
        "Dopo tre giorni non funziona più, che delusione.",
        "La batteria non si carica e il venditore non risponde alle mail.",
        "Soldi buttati. Da evitare!!!",
        "Troppo piccolo e troppo caro per quello che offre.",
        "Bello esteticamente, ma si è rotto dopo una settimana.",
        "Il prodotto non è male, però l'assistenza è inesistente e nessuno risponde.",
        "Mai più in questo negozio 😡",
        "Non è per niente buono :(",
    ],
)
def test_complaints_are_negative(text: str) -> None:
    assert label(text) == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Prodotto ottimo, arrivato in anticipo. Lo consiglio!",
        "Personale gentilissimo e pane sempre fresco, complimenti!",
        "Non è male, anzi: funziona benissimo.",
        "Nessun problema con la spedizione, tutto perfetto.",
        "Davvero soddisfatto dell'acquisto 😍",
        "Ottimo rapporto qualità prezzo, ne vale la pena.",
        "Il rimborso è arrivato subito e l'assistenza è stata cortese e veloce.",
        "Non ho avuto nessun problema, consigliatissimo.",
    ],
)
def test_praise_is_positive(text: str) -> None:
    assert label(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Il negozio apre alle nove e chiude alle diciannove.",
        "Ho ordinato il modello nero da 128 GB.",
    ],
)
def test_plain_facts_are_neutral(text: str) -> None:
    assert label(text) == "neutral"


def test_negation_turns_praise_into_a_complaint() -> None:
    assert score("Lo consiglio", "it").score > 0 > score("Non lo consiglio", "it").score


def test_a_denied_fault_is_milder_praise_than_plain_praise() -> None:
    denied = score("Non è male", "it").score
    assert 0 < denied < score("È ottimo", "it").score


def test_intensifiers_strengthen_what_follows() -> None:
    plain = score("Il servizio è lento", "it").score
    stronger = score("Il servizio è molto lento", "it").score
    strongest = score("Il servizio è davvero lentissimo", "it").score
    assert plain > stronger > strongest
    assert score("È buono", "it").score < score("È davvero buono", "it").score


def test_what_follows_ma_outweighs_what_precedes() -> None:
    assert score("Si è rotto subito, ma il reso è stato ottimo e veloce", "it").score > 0
    assert score("Il reso è stato ottimo e veloce, ma si è rotto subito", "it").score < 0


def test_exclamation_marks_and_shouting_raise_the_temperature() -> None:
    calm = score("Il servizio è lento", "it").score
    assert score("Il servizio è lento!!!", "it").score < calm < 0
    assert score("Il servizio è LENTO", "it").score < calm
    assert score("Ottimo!!", "it").score > score("Ottimo", "it").score


def test_emoticons_count_as_evidence() -> None:
    assert score("Consegna oggi :)", "it").label == "positive"
    assert score("Consegna oggi :(", "it").label == "negative"


def test_the_score_stays_in_range_for_a_long_rant() -> None:
    rant = "Pessimo, scortese, truffa, vergogna, schifo! " * 50
    value = score(rant, "it").score
    assert -1.0 <= value < -0.9


def test_mai_before_cosi_stresses_instead_of_denying() -> None:
    assert score("Non sono mai stato trattato così male", "it").label == "negative"
    assert score("Non sono mai stato così soddisfatto", "it").label == "positive"
    assert score("Non è molto buono", "it").label == "negative"


def test_a_bare_negation_in_a_review_reports_a_fault() -> None:
    assert score("La batteria non mantiene la carica", "it").label == "negative"
    assert score("Lo schermo non si accende più", "it").label == "negative"
