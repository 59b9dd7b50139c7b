"""Tokens: what a comment is made of, the same whether read whole or chunk by chunk."""

from __future__ import annotations

import pytest

from crawler.sentiment import tokens as tokens_module
from crawler.sentiment.tokens import (
    BANG,
    BREAK,
    EMOTICON,
    NUMBER,
    QUESTION,
    STOP,
    WORD,
    Token,
    _tokens,
    tokenize,
)

# Comments as people write them: emoticons glued to words and to punctuation, elisions with
# both apostrophes, shouting, elongations, numbers, links and handles, odd whitespace.
TEXTS = (
    "Il Panificio Rossi mi ha sbagliato il resto due volte, nessuno si è scusato.",
    "Pane buonissimo:) e personale gentile,torno sempre volentieri!!!",
    "Ottimo :-))) ma CARO... un'ottima focaccia, un po' cara; 4,50 € (troppo?)",
    "L’impasto è cambiato:( mai più!!!Davvero.",
    "xD XD xd :P :p ;) <3 </3 ^_^ -_- 👍👍 😡 ❤️ ⭐ :3",
    "a:)b ciao:( :(ciao (ok) [sic] «bello» — fine/inizio",
    "@mario guarda qui https://example.org/a?b=1&c=2 e www.esempio.it/x &amp; basta",
    "TUTTO IN MAIUSCOLO, CHE SCHIFO!!! :(",
    "BELLOOOO ma la consegna è stata LENTISSIMA\tdavvero\n\nmai\u00a0più\u2003grazie\x1cok",
    "Great bread, don't go there. Won't be back!!! 10/10?? 3.5 stars...",
    "  spazi   all'inizio e alla fine   ",
    "",
)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("split_elisions", [False, True])
def test_chunk_by_chunk_is_the_whole_text_read_at_once(text: str, split_elisions: bool) -> None:
    cleaned = tokens_module._NOISE.sub(" ", text)
    whole = _tokens(cleaned, cleaned.isupper(), split_elisions)
    assert tokenize(text, split_elisions=split_elisions) == whole
    assert tokenize(text, split_elisions=split_elisions) == whole  # chunks now remembered


def test_a_comment_becomes_words_emoticons_and_punctuation() -> None:
    assert tokenize("Ottimo :) ma CARO!!! Un'ottima, 4,50?", split_elisions=True) == [
        Token(WORD, "ottimo"),
        Token(EMOTICON, ":)"),
        Token(WORD, "ma"),
        Token(WORD, "caro", True),
        Token(BANG, "!!!"),
        Token(WORD, "un"),
        Token(WORD, "ottima"),
        Token(BREAK, ","),
        Token(NUMBER, "4,50"),
        Token(QUESTION, "?"),
    ]
    # glued to a word, ":)" could be a clause break and a parenthesis: it is read as those
    assert tokenize("ottimo:)") == [Token(WORD, "ottimo"), Token(BREAK, ":"), Token(BREAK, ")")]
    assert tokenize("Don’t go. Won't!", split_elisions=False) == [
        Token(WORD, "don't"),
        Token(WORD, "go"),
        Token(STOP, "."),
        Token(WORD, "won't"),
        Token(BANG, "!"),
    ]


def test_a_word_in_capitals_is_shouted_only_in_a_text_that_is_not_all_capitals() -> None:
    assert tokenize("PESSIMO servizio") == [Token(WORD, "pessimo", True), Token(WORD, "servizio")]
    assert tokenize("PESSIMO SERVIZIO") == [Token(WORD, "pessimo"), Token(WORD, "servizio")]
    assert tokenize("servizio PESSIMO")[1] == Token(WORD, "pessimo", True)  # chunk seen before


def test_forgetting_the_remembered_chunks_changes_nothing(monkeypatch) -> None:
    expected = [tokenize(text, split_elisions=True) for text in TEXTS]
    monkeypatch.setattr(tokens_module, "CHUNKS_KEPT", 3)
    fresh = {setting: {} for setting in tokens_module._CHUNKS}
    monkeypatch.setattr(tokens_module, "_CHUNKS", fresh)
    assert [tokenize(text, split_elisions=True) for text in TEXTS] == expected
    assert 0 < len(fresh[False, True]) <= 3
