"""What a forum post's author wrote, without what others wrote or what is printed around it.

A reply quotes earlier posts ("Mario ha scritto:", "Originally Posted by", "X said:"), a
signature follows every post, editors leave notes ("Ultima modifica di…"), phones append
"Inviato dal mio iPhone utilizzando Tapatalk". None of it is the post: counted, it would make
one complaint quoted five times five complaints. Quotes and signatures are known by their markup
(whole class tokens such as `bbCodeBlock--quote`, `ipsQuote`, `signature`; a `<blockquote>` with
a `<cite>` or a "ha scritto:" header; a container led by a "Citazione:" label), and what markup
does not mark is known by its words, line by line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from crawler.extract.html_tree import Element, class_tokens

_SIGNATURE_TOKENS = frozenset(
    {
        *(
            "signature",
            "signatures",
            "sig",
            "sign",
            "usersig",
            "user-signature",
            "signaturecontainer",
        ),
        *("message-signature", "post-signature", "wpforo-post-signature", "bbp-signature"),
        *("forum-signature", "csignature", "ipssignature", "firma", "signatur"),
    }
)
_QUOTE_WORDS = ("quote", "citazione", "zitat", "citation")
_JOINED = ("_{}", "-{}", "{}_", "{}-")
_NOT_QUOTES = ("toquote", "multiquote", "btn", "button", "link", "icon", "reply")
_EDIT_TOKENS = frozenset({"editedby", "edited", "edit-notice", "post-edited", "editnote"})
# A line that introduces a quote: "Mario ha scritto:", "Originally Posted by Mario", "X said:".
QUOTE_HEADER = re.compile(
    r"^(?:"
    r".{1,80}?\s(?:ha scritto|aveva scritto|ha detto|scrive|wrote|said|writes|schrieb"
    r"|hat (?:folgendes )?geschrieben|a écrit"
    r"|escribió|escreveu|disse|napisał)\s*:?(?:\s*[↑»>])?"
    r"|(?:originally posted by|quote originally posted by"
    r"|originariamente (?:inviato|scritto|postato) da|quote from|quoting|citazione di"
    r"|citazione da|messaggio originale di|zitat von|cita de|citação de|citation de)\b.{0,80}"
    r"|@?\S{1,40} said in .{1,120}:"
    r"|on .{4,60}, .{1,60} said:"
    r"|(?:quote|citazione|cit|zitat|cita|citação|citation)\s*:?"
    r"|(?:click to expand|clicca per espandere|fai clic per espandere|expand)\s*\.{0,3}"
    r")$",
    re.IGNORECASE,
)
_QUOTE_LABEL = re.compile(
    r"^(?:quote|citazione|cit\.|zitat|cita|citação|citation|quotation)\s*:?$", re.IGNORECASE
)
_PHONE_FOOTER = re.compile(
    r"^(?:inviato dal mio|inviato tramite|sent from my|sent using|enviado desde mi|enviado do meu"
    r"|envoyé de mon|gesendet von meinem|verstuurd vanaf mijn)\b.{0,80}$",
    re.IGNORECASE,
)
_EDIT_NOTE = re.compile(
    r"^(?:ultima modifica di|ultima modifica:|modificato da|last edited by|last edited:"
    r"|edited by|zuletzt bearbeitet|dernière édition par|editado por|última edição)\b.*$",
    re.IGNORECASE,
)
_SIGNATURE_RULE = re.compile(r"^(?:_{5,}|-{2}\s*|—{2,})$")


def _is_quote_class(tokens: Iterable[str]) -> bool:
    return any(_is_quote_token(token) for token in tokens)


@lru_cache(maxsize=4096)
def _is_quote_token(token: str) -> bool:
    """A class naming a quote (`quote`, `bbcode_quote`, `ipsQuote`, `quoteheader`), not a
    quote button or script hook (`js-selectToQuote`, `multiquote`, `quote-btn`)."""
    if token.startswith("js-") or any(part in token for part in _NOT_QUOTES):
        return False
    for word in _QUOTE_WORDS:
        if token.startswith(word) or token.endswith((word, word + "s")):
            return True
        if any(joined.format(word) in token for joined in _JOINED):
            return True
    return False


def _is_signature(element: Element, tokens: list[str]) -> bool:
    if _SIGNATURE_TOKENS.intersection(tokens) or any(t.endswith("signature") for t in tokens):
        return True
    ident = (element.get("id") or "").lower()
    return ident.endswith("signature") or element.get("data-role") == "memberSignature"


def _is_quote_blockquote(element: Element) -> bool:
    """A `<blockquote>` that quotes someone: it names its source (`<cite>`), or a header line
    introduces it, or the reply's own text is around it. A blockquote that is the whole post
    (vBulletin prints every post in one) is the post."""
    if element.find(".//cite") is not None:
        return True
    previous = element.getprevious()
    parent = element.getparent()
    if previous is not None:
        before = previous.tail or ""
        if not before.strip():
            before = " ".join("".join(previous.itertext()).split())[-120:]
    else:
        before = parent.text or "" if parent is not None else ""
    if QUOTE_HEADER.match(" ".join(before.split())):
        return True
    if parent is None:
        return False
    around = [" ".join((parent.text or "").split())]
    for sibling in parent:
        if sibling is not element and isinstance(sibling.tag, str):
            around.append(" ".join("".join(sibling.itertext()).split()))
        around.append(" ".join((sibling.tail or "").split()))
    return any(around)


def _is_labelled_quote(element: Element) -> bool:
    """A container led by a "Citazione:" label of its own (its text, or its first child's),
    with the quoted text after it."""
    label = " ".join((element.text or "").split())
    if not label:
        first = next((child for child in element if isinstance(child.tag, str)), None)
        label = _short_text(first) if first is not None else ""
    if not label or not _QUOTE_LABEL.match(label):
        return False
    return len(" ".join("".join(element.itertext()).split())) > len(label) + 1


def _short_text(element: Element, limit: int = 40) -> str:
    """The element's text if it is short (a label), else ""; stops reading at `limit`."""
    parts: list[str] = []
    size = 0
    for text in element.itertext():
        size += len(text.strip())
        if size > limit:
            return ""
        parts.append(text)
    return " ".join("".join(parts).split())


def noise_regions(container: Element) -> list[Element]:
    """Quotes, signatures and edit notes inside `container` (not `container` itself),
    outermost first."""
    found: list[Element] = []
    inside: set[Element] = set()
    for element in container.iterdescendants():
        if not isinstance(element.tag, str) or element in inside:
            continue
        tokens = class_tokens(element)
        if (
            _is_quote_class(tokens)
            or _is_signature(element, tokens)
            or _EDIT_TOKENS.intersection(tokens)
            or any("lastedit" in token for token in tokens)
            or (element.tag == "blockquote" and _is_quote_blockquote(element))
            or (element.tag in ("div", "table", "fieldset") and _is_labelled_quote(element))
        ):
            found.append(element)
            inside.update(element.iter())
    return found


def drop_regions(regions: Iterable[Element]) -> None:
    """Remove the regions from their tree, keeping the text that follows each."""
    for region in regions:
        parent = region.getparent()
        if parent is None:
            continue
        if region.tail:
            previous = region.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + region.tail
            else:
                parent.text = (parent.text or "") + region.tail
        parent.remove(region)


def clean_post_text(text: str) -> str:
    """The post's lines without quote headers, phone footers, edit notes and, after a
    signature rule (`-- `, `_____`), the signature."""
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = " ".join(line.split())
        if _SIGNATURE_RULE.match(stripped) and any(k.strip() for k in kept):
            break
        if stripped and (
            QUOTE_HEADER.match(stripped)
            or _PHONE_FOOTER.match(stripped)
            or _EDIT_NOTE.match(stripped)
        ):
            continue
        kept.append(line.rstrip())
    out = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", out)
