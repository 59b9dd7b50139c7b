"""Date marks before an element: the same marks as the whole walk, without the rest of the page."""

from crawler.extract.html_tree import parse_html
from crawler.extract.page_dates import date_reading_for
from crawler.extract.threads import date_marks

PAGE = """<html lang="it"><body>
<p class="byline">Pubblicato il <span>3 marzo 2020</span></p>
<div id="post"><p>Il pane era ottimo.</p><time datetime="2020-03-04T10:00:00+01:00">4 marzo</time></div>
<ol><li><time datetime="2020-03-05T10:00:00+01:00">5 marzo</time> Anna</li></ol>
</body></html>"""


def _before(root, body, marks):
    order = list(root.iter())
    return [m.source for m in marks if order.index(m.element) < order.index(body)]


def test_the_marks_before_an_element_are_those_of_the_whole_walk_before_it():
    root = parse_html(PAGE)
    body = next(node for node in root.iter("div") if node.get("id") == "post")
    reading = date_reading_for(root)
    whole = date_marks(root, reading)
    early = date_marks(root, reading, before=body)
    assert [m.source for m in early] == _before(root, body, whole) == ["3 marzo 2020"]
    assert len(whole) == 3


def test_a_date_element_around_the_stop_still_sees_the_dates_inside_it():
    html = (
        '<html lang="it"><body><div class="entry" title="3 marzo 2020"><div id="post">'
        '<time datetime="2020-03-04T10:00:00+01:00">4 marzo</time></div></div></body></html>'
    )
    root = parse_html(html)
    body = next(node for node in root.iter("div") if node.get("id") == "post")
    reading = date_reading_for(root)
    whole = date_marks(root, reading)
    early = date_marks(root, reading, before=body)
    # the outer date gives way to the <time> inside it, as on the whole walk
    assert _before(root, body, early) == _before(root, body, whole) == []
    assert [m.source for m in whole] == ["2020-03-04T10:00:00+01:00"]
