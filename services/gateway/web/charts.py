"""Horizontal bar charts as server-rendered SVG: no JavaScript, no library.

Pure Python (no I/O). A chart is accessible on its own: the `<svg>` has
role="img", a `<title>` and a `<desc>` it is labelled by, and each bar has its
own `<title>` with the full label and value. It scales down on narrow screens
with CSS `max-width: 100%; height: auto`. Pages also show the same numbers
as a table (`Chart.rows`), for screen readers and for copying.

>>> chart = Chart("c1", "Diterima", [Bar("pemkot-3273", 12), Bar("pemprov-32", 3)])
>>> chart.svg()          # '<svg ...>...</svg>'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

# mobile first: each row is the group's name on one line and its bar below it,
# so names can be long and a phone shows the text at about its normal size
WIDTH = 400
VALUE_WIDTH = 90  # right of the longest bar, for its number (e.g. 1234.5 jam)
ROW_HEIGHT = 46
LABEL_Y = 14  # baseline of the name within its row
BAR_Y = 21  # top of the bar within its row
BAR_HEIGHT = 18
TOP = 4
FONT_SIZE = 14
LABEL_CHARS = 50  # longer names are cut with an ellipsis (the full one is in the bar's title)
BAR_COLOUR = "#1d4f91"  # contrast 8.6:1 on white
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None  # None: nothing to measure (e.g. a percentage of zero reports)


@dataclass
class Chart:
    chart_id: str  # unique on the page: the ids of <title> and <desc> derive from it
    title: str
    bars: list[Bar]
    desc: str = ""
    unit: str = ""  # appended to each number, e.g. "%" or " jam"
    max_value: float | None = None  # the scale's end; default the largest value
    empty_text: str = "No data"
    missing_text: str = "–"
    _scale: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        largest = max((b.value for b in self.bars if b.value is not None), default=0)
        self._scale = float(self.max_value if self.max_value is not None else largest)

    def number(self, value: float | int | None) -> str:
        """A value as the chart and its table show it."""
        if value is None:
            return self.missing_text
        if isinstance(value, float) and not value.is_integer():
            return f"{value:g}{self.unit}"
        return f"{int(value)}{self.unit}"

    def bar_width(self, value: float | int | None) -> float:
        """Length in pixels, proportional to the value; 0 for a missing one."""
        if value is None or self._scale <= 0:
            return 0.0
        plot = WIDTH - VALUE_WIDTH
        return round(plot * max(0.0, min(float(value), self._scale)) / self._scale, 2)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(b.label, self.number(b.value)) for b in self.bars]

    def svg(self) -> str:
        height = TOP * 2 + ROW_HEIGHT * max(len(self.bars), 1)
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart"'
            f' id={quoteattr(self.chart_id)} viewBox="0 0 {WIDTH} {height}"'
            f' width="{WIDTH}" height="{height}" preserveAspectRatio="xMinYMin meet"'
            f' aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
            f"<title id={quoteattr(title_id)}>{escape(self.title)}</title>",
            f"<desc id={quoteattr(desc_id)}>{escape(self.desc or self._summary())}</desc>",
        ]
        if not self.bars:
            parts.append(_text(0, TOP + LABEL_Y, self.empty_text))
        for index, bar in enumerate(self.bars):
            parts.append(self._bar(index, bar))
        parts.append("</svg>")
        return "".join(parts)

    def _summary(self) -> str:
        if not self.bars:
            return self.empty_text
        return "; ".join(f"{label}: {value}" for label, value in self.rows)

    def _bar(self, index: int, bar: Bar) -> str:
        y = TOP + index * ROW_HEIGHT
        width = self.bar_width(bar.value)
        shown = self.number(bar.value)
        raw = "" if bar.value is None else str(bar.value)
        return (
            '<g class="bar">'
            f"<title>{escape(bar.label)}: {escape(shown)}</title>"
            + _text(0, y + LABEL_Y, _cut(bar.label))
            + f'<rect x="0" y="{y + BAR_Y}" width="{width}" height="{BAR_HEIGHT}"'
            f' fill="{BAR_COLOUR}" data-value={quoteattr(raw)}/>'
            + _text(width + 6, y + BAR_Y + BAR_HEIGHT - 4, shown)
            + "</g>"
        )


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _text(x: float, y: float, content: str) -> str:
    """Text whose baseline is at y."""
    return (
        f'<text x="{x}" y="{y}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
        f"{escape(content)}</text>"
    )
