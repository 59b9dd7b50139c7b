"""The pages fit the screens the team uses: 1366 px laptops and 390 px phones, in Chromium.

Nothing is cut off silently: every table fits its column, or scrolls sideways with a visible
hint. Chart text stays readable on a phone. Screenshots of each page at both widths are saved in
test-artifacts/ to look at.
"""

from __future__ import annotations

import pytest

from .conftest import REPO

PAGES = {
    "home": "index.html",
    "brand": "brands/panificio-rossi.html",
    "alerts": "alerts.html",
    "sources": "sources/index.html",
    "quality": "quality.html",
    "archive": "archive/index.html",
}
WIDTHS = (1366, 390)

LAYOUT = """(() => {
  const out = {pageOverflow: document.documentElement.scrollWidth - window.innerWidth, boxes: []};
  for (const box of document.querySelectorAll('.md-content .pp-table, .md-content .pp-figure')) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    const hint = box.nextElementSibling;
    const hinted = !!hint && hint.classList.contains('pp-scroll-hint') && hint.offsetHeight > 0;
    // Cells beyond the box's right edge are cut off unless the box scrolls (and says so).
    const right = box.getBoundingClientRect().right;
    const cut = Array.from(box.querySelectorAll('th, td'))
      .filter(cell => cell.getBoundingClientRect().right > right + 1).length;
    out.boxes.push({what: box.className + ' ' + (box.querySelector('table, svg') || {}).className,
                    scrolls, hinted, cut});
  }
  const texts = Array.from(document.querySelectorAll('.md-content svg.pp-chart text'));
  out.smallestChartText = texts.length
    ? Math.min(...texts.map(t => t.getBoundingClientRect().height)) : null;
  return out;
})()"""


def wait_for_scripts(tab) -> None:
    tab.wait_for(
        lambda: tab.evaluate("document.documentElement.classList.contains('js')"),
        "Material's script to start",
    )
    tab.wait_for(lambda: tab.evaluate("document.readyState") == "complete", "the page")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_table_or_chart_is_cut_off_silently(built, browser, name, width):
    tab = browser.open((built.site / PAGES[name]).as_uri(), width=width, height=900)
    wait_for_scripts(tab)
    layout = tab.evaluate(LAYOUT)
    tab.screenshot(REPO / "test-artifacts" / f"{name}-{width}.png")
    assert layout["pageOverflow"] <= 1, "the page itself never scrolls sideways"
    assert layout["boxes"] or name in ("alerts", "archive")  # cards there, no tables
    for box in layout["boxes"]:
        if box["scrolls"]:
            assert box["hinted"], f"{box['what']} scrolls without saying so"
        else:
            assert box["cut"] == 0, f"{box['what']} cuts cells off"
    if width == 1366:
        tables = [b for b in layout["boxes"] if "pp-table" in b["what"]]
        assert not any(b["scrolls"] for b in tables), "at 1366 px every table fits"
    if layout["smallestChartText"] is not None:
        assert layout["smallestChartText"] >= 8, "chart text readable (at least 8 px)"
    assert tab.problems() == []
