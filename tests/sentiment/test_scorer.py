"""Scoring a mention: language, analyzer, thresholds and the star rating as ground truth."""

import pytest

from crawler.sentiment import Scorer, Sentiment, analyzer_for, score


def test_score_detects_the_language_and_names_the_analyzer() -> None:
    italian = score("Servizio pessimo, non comprerò mai più")
    assert italian == Sentiment(italian.score, "negative", "it-lexicon-v1", "it")
    assert -1.0 <= italian.score < 0

    english = score("Great service, very friendly staff!")
    assert (english.label, english.analyzer, english.lang) == ("positive", "en-lexicon-v1", "en")


def test_a_language_without_an_analyzer_is_unknown_not_neutral() -> None:
    french = score("Le service était très lent et le serveur pas du tout aimable.")
    assert french.lang == "fr"
    assert french.label == "unknown"
    assert french.score is None
    assert french.analyzer == "none"
    assert score("Un servizio orribile", lang="de").label == "unknown"


def test_a_given_language_tag_is_trusted_and_normalised() -> None:
    result = score("Ottimo!", lang="it-IT")
    assert (result.lang, result.analyzer, result.label) == ("it", "it-lexicon-v1", "positive")


def test_emoji_only_comments_are_judged_by_their_emoji() -> None:
    assert score("👍👍").label == "positive"
    assert score("😡😡").label == "negative"
    assert score("👍").lang == "und"


def test_the_rating_decides_the_label_and_the_text_score_is_kept() -> None:
    scorer = Scorer(-0.05, 0.15)
    text = "Prodotto ottimo, lo consiglio"
    by_text = scorer.score(text, lang="it")
    by_rating = scorer.score(text, lang="it", rating=0.25)  # 2 stars of 5
    assert by_text.label == "positive"
    assert by_rating.label == "negative"
    assert by_rating.from_rating
    assert by_rating.score == by_text.score
    assert scorer.score(text, lang="it", rating=0.5).label == "neutral"
    assert scorer.score("Pessimo", lang="it", rating=1.0).label == "positive"


def test_a_rating_labels_even_a_text_in_an_unjudged_language() -> None:
    result = Scorer().score("Sehr gutes Produkt, schnelle Lieferung", rating=1.0)
    assert (result.label, result.score, result.lang) == ("positive", None, "de")


def test_thresholds_move_the_labels() -> None:
    text = "Il servizio è lento"
    value = Scorer().score(text, "it").score
    assert value < 0
    assert Scorer(value - 0.01, 0.5).score(text, "it").label == "neutral"
    assert Scorer(value + 0.01, 0.5).score(text, "it").label == "negative"


def test_thresholds_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="negative_below <= positive_above"):
        Scorer(0.2, -0.2)


def test_analyzers_are_built_once_and_shared() -> None:
    assert analyzer_for("it") is analyzer_for("it")
    assert analyzer_for("en") is not analyzer_for("it")
    assert analyzer_for("fr") is None


@pytest.mark.parametrize(
    ("text", "label"),
    [("Bad", "negative"), ("Super!", "positive"), ("Mah...", "negative"), ("Grazie", "positive")],
)
def test_one_word_comments_are_read_in_whichever_language_knows_the_word(
    text: str, label: str
) -> None:
    assert score(text).label == label


def test_a_given_language_is_not_second_guessed() -> None:
    assert score("Bad", lang="it").label == "neutral"
