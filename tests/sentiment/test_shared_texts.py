"""Every text of the development data (../shared/data, skipped without it) is read the same by
the fast paths as by the plain ones: tokens chunk by chunk and of the whole text, phrases
through the second-word index and by walking each list, the language from one scoring and
from py3langid's `classify` and `rank`."""

from __future__ import annotations

import json
from pathlib import Path

import py3langid.langid as langid
import pytest

from crawler.sentiment import analyzer_for
from crawler.sentiment import tokens as tokens_module
from crawler.sentiment.language import _LETTER, _NOISE, MAX_CHARS, detect_language
from crawler.sentiment.tokens import _tokens, tokenize

from .test_language import detect_with_classify_and_rank
from .test_lexicon import phrase_by_walking_the_whole_list

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="no development data in ../shared")


def texts() -> list[tuple[str, str]]:
    """(text, language) of every file of the development data."""
    found = []
    for line in (DATA / "it-reviews-amazon-dev.ndjson").read_text(encoding="utf-8").splitlines():
        found.append((json.loads(line)["sentence"], "it"))
    for name in ("train", "val"):
        tweets = DATA / f"it-tweets-sentipolc-{name}_text.txt"
        found += [(line, "it") for line in tweets.read_text(encoding="utf-8").splitlines()]
    for name in ("yelp", "amazon"):
        sentences = DATA / f"en-{name}-uci_labelled.txt"
        for line in sentences.read_text(encoding="utf-8").splitlines():
            found.append((line.rsplit("\t", 1)[0], "en"))
    return found


@pytest.fixture(scope="module")
def shared_texts() -> list[tuple[str, str]]:
    found = texts()
    assert len(found) > 5000
    return found


def test_tokens_and_phrases_are_those_of_the_plain_reading(shared_texts) -> None:
    for text, lang in shared_texts:
        split = lang == "it"
        cleaned = tokens_module._NOISE.sub(" ", text)
        tokens = tokenize(text, split_elisions=split)
        assert tokens == _tokens(cleaned, cleaned.isupper(), split), text
        lexicon = analyzer_for(lang).lexicon
        for start in range(len(tokens)):
            expected = phrase_by_walking_the_whole_list(lexicon, tokens, start)
            assert lexicon.phrase_at(tokens, start) == expected, (text, start)


def test_languages_are_those_of_classify_and_rank(shared_texts) -> None:
    packaged = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=False)
    for text, _ in shared_texts:
        cleaned = _NOISE.sub(" ", text[:MAX_CHARS])
        if _LETTER.search(cleaned):
            assert detect_language(text) == detect_with_classify_and_rank(packaged, cleaned), text
