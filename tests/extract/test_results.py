"""What the extractors give travels from a worker to the crawling process as plain records
(crawler/extract/results.py): unpickling a blog, forum or review page there imports none of the
extraction code (no lxml walks, date grammars, extruct or rdflib), and the records keep the
names they always had."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import UTC, datetime

from forum_pages import phpbb

from crawler.extract import blog, comments, forums, results, reviews
from crawler.extract.blog import extract_blog_page
from crawler.extract.forums import extract_forum_page
from crawler.extract.reviews import extract_reviews

FETCHED = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
POST = (
    '<!doctype html><html lang="it"><head><title>Colazione</title></head><body>'
    '<article class="post"><h1 class="entry-title">Colazione al Panificio Rossi</h1>'
    '<div class="entry-content"><p>Siamo stati al Panificio Rossi: cornetti ottimi, personale '
    "gentile, prezzi onesti, e la focaccia del sabato mattina merita la fila.</p></div></article>"
    '<ol class="commentlist"><li class="comment" id="comment-1"><article class="comment-body">'
    '<footer class="comment-meta"><b class="fn">Lucia</b>'
    '<time datetime="2026-03-10T10:00:00+01:00">10 marzo</time></footer>'
    '<div class="comment-content"><p>Servizio lento, pane raffermo.</p></div></article></li>'
    "</ol></body></html>"
)
REVIEWS = (
    '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
    ' "@type": "LocalBusiness", "name": "Panificio Rossi", "review": [{"@type": "Review",'
    ' "author": {"@type": "Person", "name": "Marco"}, "datePublished": "2026-02-01",'
    ' "reviewBody": "Pane ottimo, tornerò.", "reviewRating": {"@type": "Rating",'
    ' "ratingValue": 5}}]}</script></head><body><p>Recensioni</p></body></html>'
)
# A fresh interpreter reads the pickles from stdin and says which modules that imported.
UNPICKLE = """
import json, pickle, sys
before = set(sys.modules)
pages = pickle.loads(sys.stdin.buffer.read())
print(json.dumps([type(page).__name__ for page in pages]))
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_a_workers_pages_unpickle_without_the_extraction_code() -> None:
    pages = [
        extract_blog_page(POST, "https://blog.example.org/colazione/", fetched_at=FETCHED),
        extract_forum_page(phpbb(), "https://forum.example.org/viewtopic.php?t=1"),
        extract_reviews(REVIEWS, "https://recensioni.example.org/rossi"),
    ]
    assert pages[0].comments and pages[1].posts and pages[2].reviews
    done = subprocess.run(
        [sys.executable, "-c", UNPICKLE], input=pickle.dumps(pages), capture_output=True
    )
    assert done.returncode == 0, done.stderr
    names, imported = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert names == ["BlogPage", "ForumPage", "ReviewPage"]
    assert [m for m in imported if m.startswith("crawler")] == [
        "crawler",
        "crawler.extract",
        "crawler.extract.results",
    ]
    assert not any(m.split(".")[0] in ("lxml", "extruct", "rdflib", "dateutil") for m in imported)


def test_the_records_keep_their_old_names() -> None:
    assert blog.BlogPage is results.BlogPage and blog.Post is results.Post
    assert blog.Comment is comments.Comment is results.Comment
    assert forums.ForumPage is results.ForumPage and forums.ForumPost is results.ForumPost
    assert reviews.ReviewPage is results.ReviewPage and reviews.Review is results.Review
    assert reviews.AggregateRating is results.AggregateRating
    page = extract_blog_page(POST, "https://blog.example.org/colazione/", fetched_at=FETCHED)
    assert repr(page).startswith("BlogPage(title='Colazione', post=Post(")
