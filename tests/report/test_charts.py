"""Charts say what they show: a visible title, whole-number ticks for counts, and a time axis
that starts where the data starts."""

from __future__ import annotations

from collections import Counter

import lxml.etree
import pytest

from crawler.report.charts import from_first_data, horizontal_bars, nice_ceiling, stacked_bars

NAMES = {"negative": "negative", "neutral": "neutre", "positive": "positive", "unknown": "?"}


@pytest.mark.parametrize("maximum", [1, 3, 7, 9, 10, 13, 26, 101, 999])
def test_count_axes_step_by_whole_numbers(maximum):
    top, step = nice_ceiling(maximum, integer=True)
    assert step >= 1 and step == int(step) and top >= maximum
    assert str(step).rstrip("0").rstrip(".")[-1] in "125"  # 1, 2 or 5 times a power of ten


def svg(text: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(text.encode())


def test_a_bar_chart_has_a_visible_title_and_integer_ticks():
    stacks = [Counter(negative=3, positive=4), Counter(neutral=1), Counter(negative=2)]
    chart = svg(stacked_bars(stacks, ["1 nov", "2 nov", "3 nov"], NAMES, title="Menzioni — X"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    (title,) = chart.xpath('//s:text[@class="pp-chart-title"]', namespaces=ns)
    assert title.text == "Menzioni — X"
    ticks = [t.text for t in chart.xpath('//s:text[@text-anchor="end"]', namespaces=ns)]
    assert ticks and all(tick.isdigit() for tick in ticks), ticks
    bars = svg(horizontal_bars([("A", 0.5, "50%")], title="Quota"))
    assert bars.xpath('//s:text[@class="pp-chart-title"]', namespaces=ns)[0].text == "Quota"


def test_a_time_axis_starts_at_the_first_bucket_with_data():
    stacks = [Counter() for _ in range(44)] + [Counter(negative=1)] * 8
    ticks = [f"w{i}" for i in range(52)]
    shown, shown_ticks = from_first_data(stacks, ticks)
    assert len(shown) == 8 and shown_ticks[0] == "w44"
    # Too little data still shows a few buckets, so one bar is not the whole chart.
    shown, shown_ticks = from_first_data(stacks[:44] + [Counter(positive=2)], ticks[:45])
    assert shown_ticks == ["w41", "w42", "w43", "w44"]
    assert from_first_data([Counter()] * 3, ["a", "b", "c"])[1] == ["a", "b", "c"]
