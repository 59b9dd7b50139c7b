"""Static SVG charts (pure): visible without JavaScript, offline, and in a screenshot.

Colours are from the Okabe–Ito palette, which stays distinguishable with every common colour
vision deficiency; negative is always vermillion, positive blue, neutral grey, and every chart
has a text legend and a <title> on each bar, so colour is never the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from crawler.report.escape import one_line

COLOURS = {
    "negative": "#D55E00",
    "neutral": "#999999",
    "positive": "#0072B2",
    "unknown": "#DDDDDD",
}
OTHER_COLOUR = "#BBBBBB"
STACK_ORDER = ("negative", "neutral", "positive", "unknown")  # bottom to top
_CHAR_WIDTH = 6.4  # of an 11px sans-serif digit or letter, for spacing axis labels


def _text(value: object) -> str:
    return escape(one_line(value), quote=True)


def nice_ceiling(maximum: float, ticks: int = 4, *, integer: bool = False) -> tuple[float, float]:
    """A round axis top and step (1, 2, 2.5 or 5 times a power of ten) covering `maximum`.

    For counts (`integer`) the step is a whole number, 1, 2 or 5 times a power of ten: nobody
    received 2.5 mentions.
    """
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in multiples if m * power >= raw)
    if step < 1 and (integer or maximum >= 1):
        step = 1
    return step * math.ceil(maximum / step - 1e-9), step


def _number(value: float) -> str:
    return f"{value:g}"


def from_first_data(
    stacks: Sequence[Mapping[str, int]], ticks: Sequence[str], keep: int = 4
) -> tuple[list[Mapping[str, int]], list[str]]:
    """The buckets from the first one holding data (at least the last `keep`): a time axis
    starts where the data starts, not 44 empty weeks before it."""
    first = next((i for i, stack in enumerate(stacks) if sum(stack.values())), len(stacks))
    start = max(0, min(first, len(stacks) - keep))
    return list(stacks[start:]), list(ticks[start:])


def stacked_bars(
    stacks: Sequence[Mapping[str, int]],
    ticks: Sequence[str],
    names: Mapping[str, str],
    *,
    title: str,
    width: int = 720,
    height: int = 250,
    names_one: Mapping[str, str] | None = None,
) -> str:
    """Bars of counts per bucket, stacked by sentiment label, with axes and a legend.

    `ticks` names each bucket (a date); `names` maps each label to its word in the report's
    language (the legend's, and a bar's of several), `names_one` to its word for one ("1
    neutra", not "1 neutre").
    """
    left, right, top, bottom = 44, 10, 56, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(stack.values()) for stack in stacks]
    y_max, step = nice_ceiling(max(totals, default=0), integer=True)
    slot = plot_w / max(1, len(stacks))
    bar_w = max(1.0, slot * 0.78)
    parts = [
        f'<svg class="pp-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_text(title)}" '
        'font-family="sans-serif" font-size="11">',
        f"<title>{_text(title)}</title>",
        f'<text class="pp-chart-title" x="{left}" y="16" font-size="14" font-weight="bold" '
        f'fill="currentColor">{_text(title)}</text>',
    ]
    # y axis: grid lines and counts
    for index in range(int(round(y_max / step)) + 1):
        value = index * step
        y = top + plot_h - value / y_max * plot_h
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#000" stroke-opacity="{0.5 if index == 0 else 0.12}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">'
            f"{_number(value)}</text>"
        )
    # bars
    for index, stack in enumerate(stacks):
        x = left + index * slot + (slot - bar_w) / 2
        base = top + plot_h
        for label in STACK_ORDER:
            count = stack.get(label, 0)
            if not count:
                continue
            bar_h = count / y_max * plot_h
            base -= bar_h
            shown_names = names_one if count == 1 and names_one else names
            tip = f"{ticks[index]}: {count} {shown_names.get(label, label)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'fill="{COLOURS[label]}"><title>{_text(tip)}</title></rect>'
            )
    # x axis: every k-th bucket so labels never overlap
    longest = max((len(tick) for tick in ticks), default=1)
    every = max(1, math.ceil((longest * _CHAR_WIDTH + 10) / slot))
    for index in range(0, len(ticks), every):
        x = left + index * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="currentColor">{_text(ticks[index])}</text>'
        )
    # legend
    present = {label for stack in stacks for label, count in stack.items() if count}
    shown = [label for label in STACK_ORDER if label != "unknown" or "unknown" in present]
    x = left
    for label in shown:
        parts.append(
            f'<rect x="{x}" y="28" width="12" height="12" fill="{COLOURS[label]}" '
            'stroke="#000" stroke-opacity="0.3"/>'
        )
        word = _text(names.get(label, label))
        parts.append(f'<text x="{x + 17}" y="38" fill="currentColor">{word}</text>')
        x += 17 + len(names.get(label, label)) * _CHAR_WIDTH + 18
    parts.append("</svg>")
    return "".join(parts)


def sparkline(
    stacks: Sequence[Mapping[str, int]],
    *,
    title: str,
    width: int = 132,
    height: int = 30,
) -> str:
    """A tiny trend: negative mentions (vermillion) under all the others (grey), per bucket."""
    totals = [sum(stack.values()) for stack in stacks]
    top = max(totals, default=0) or 1
    slot = width / max(1, len(stacks))
    parts = [
        f'<svg class="pp-spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_text(title)}">',
        f"<title>{_text(title)}</title>",
        f'<line x1="0" x2="{width}" y1="{height - 0.5}" y2="{height - 0.5}" stroke="#000" '
        'stroke-opacity="0.3"/>',
    ]
    for index, stack in enumerate(stacks):
        negative = stack.get("negative", 0)
        other = sum(stack.values()) - negative
        x = index * slot + slot * 0.1
        base = float(height - 1)
        for count, colour in ((negative, COLOURS["negative"]), (other, OTHER_COLOUR)):
            if not count:
                continue
            bar_h = count / top * (height - 2)
            base -= bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.8:.1f}" '
                f'height="{bar_h:.1f}" fill="{colour}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    colour: str = COLOURS["positive"],
    width: int = 640,
) -> str:
    """One bar per (name, value, shown text): shares in [0, 1]."""
    row_h, name_w, text_w, top = 26, 170, 70, 30
    height = top + row_h * len(rows) + 8
    plot_w = width - name_w - text_w
    peak = max((abs(v) for _, v, _ in rows if v is not None), default=0) or 1
    zero = name_w
    scale = plot_w / peak
    parts = [
        f'<svg class="pp-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_text(title)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{_text(title)}</title>",
        f'<text class="pp-chart-title" x="0" y="16" font-size="14" font-weight="bold" '
        f'fill="currentColor">{_text(title)}</text>',
    ]
    for index, (name, value, shown) in enumerate(rows):
        y = top + index * row_h
        short = name if len(name) <= 24 else name[:23] + "…"
        parts.append(
            f'<text x="{name_w - 8}" y="{y + 16}" text-anchor="end" fill="currentColor">'
            f"{_text(short)}</text>"
        )
        if value:
            parts.append(
                f'<rect x="{zero}" y="{y + 4}" width="{value * scale:.1f}" height="{row_h - 8}" '
                f'fill="{colour}"><title>{_text(name + ": " + shown)}</title></rect>'
            )
        parts.append(
            f'<text x="{width - text_w + 6}" y="{y + 16}" fill="currentColor">{_text(shown)}</text>'
        )
    parts.append(
        f'<line x1="{zero}" x2="{zero}" y1="{top}" y2="{height - 8}" stroke="#000" '
        'stroke-opacity="0.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
