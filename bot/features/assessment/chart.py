"""Pictures: the assessment radar and the small ``/stats`` chart, drawn as PNG bytes.

matplotlib with the Agg canvas and the object-oriented ``Figure`` API: no pyplot, so no global
figure state shared between requests or threads. Drawing takes a fraction of a second of CPU;
callers run it with :func:`draw` (``asyncio.to_thread``) so the event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure


P = ParamSpec("P")

BANDS = ((0, 40, "#f4c7c3"), (40, 70, "#fce8b2"), (70, 100, "#b7e1cd"))
"""Default stoplight rings (red, amber, green) behind the radar, on the 0-100 scale."""
NOW_COLOUR = "#6a1b9a"
BEFORE_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Radar:
    """What the radar shows; labels already in the reader's language (or numbers)."""

    title: str
    labels: Sequence[str]
    now: Sequence[float | None]
    before: Sequence[float | None] | None = None
    now_label: str = "now"
    before_label: str = "before"
    bands: Sequence[tuple[int, int, str]] = BANDS


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def radar_png(radar: Radar) -> bytes:
    """A polar chart: one spoke per criterion, stoplight rings, now (and before, dashed)."""
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    count = len(radar.labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = Figure(figsize=(7, 7), dpi=100)
    axes = cast(PolarAxes, figure.add_subplot(projection="polar"))
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    full = [*angles, angles[0]]
    for low, high, colour in radar.bands:
        axes.fill_between(
            [i * 2 * math.pi / 180 for i in range(181)], low, high, color=colour, zorder=0
        )

    def polygon(values: Sequence[float | None], colour: str, label: str, style: str) -> None:
        points = [0.0 if v is None else float(v) for v in values]
        axes.plot(full, [*points, points[0]], style, color=colour, linewidth=2, label=label)
        axes.fill(full, [*points, points[0]], color=colour, alpha=0.15)

    if radar.before is not None:
        polygon(radar.before, BEFORE_COLOUR, radar.before_label, "--")
    polygon(radar.now, NOW_COLOUR, radar.now_label, "-")
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100])
    axes.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=7, color="#555555")
    axes.set_xticks(angles)
    axes.set_xticklabels([textwrap.fill(label, 16) for label in radar.labels], fontsize=8)
    axes.set_title(textwrap.fill(radar.title, 60), fontsize=11, pad=24)
    if radar.before is not None:
        axes.legend(loc="lower right", bbox_to_anchor=(1.12, -0.08), fontsize=8)
    figure.tight_layout()
    return _png(figure)


@dataclass(frozen=True)
class StatsChart:
    """The ``/stats`` picture: new members per week, and champions per region."""

    title: str
    weeks: Sequence[str]
    joined: Sequence[int]
    activity_label: str
    regions: Sequence[str]
    champions: Sequence[int]
    regions_label: str


def stats_png(chart: StatsChart) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 4), dpi=100)
    left, right = figure.subplots(1, 2)
    left.plot(range(len(chart.weeks)), chart.joined, marker="o", color=NOW_COLOUR)
    left.set_xticks(range(len(chart.weeks)), chart.weeks, rotation=45, fontsize=7)
    left.set_title(chart.activity_label, fontsize=9)
    left.set_ylim(bottom=0)
    right.barh(range(len(chart.regions)), chart.champions, color="#00897b")
    right.set_yticks(range(len(chart.regions)), [textwrap.fill(r, 22) for r in chart.regions])
    right.tick_params(labelsize=7)
    right.set_title(chart.regions_label, fontsize=9)
    figure.suptitle(chart.title, fontsize=10)
    figure.tight_layout()
    return _png(figure)


async def draw(render: Callable[P, bytes], *args: P.args, **kwargs: P.kwargs) -> bytes:
    """Render off the event loop: other members' requests are answered meanwhile."""
    return await asyncio.to_thread(render, *args, **kwargs)


@dataclass(frozen=True)
class GroupedBars:
    """Scores (0-100) per group and series: the network by region (groups) and dimension."""

    title: str
    groups: Sequence[str]
    series: Sequence[str]
    values: Sequence[Sequence[float | None]]
    """``values[series][group]``; ``None`` (fewer than five people) leaves a gap."""


def grouped_bars_png(chart: GroupedBars) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 1.2 + 0.6 * len(chart.groups) * max(1, len(chart.series)) / 2))
    axes = figure.add_subplot()
    height = 0.8 / max(1, len(chart.series))
    for low, high, colour in BANDS:
        axes.axvspan(low, high, color=colour, zorder=0)
    for number, (name, values) in enumerate(zip(chart.series, chart.values, strict=True)):
        positions = [g + number * height for g in range(len(chart.groups))]
        widths = [0.0 if v is None else float(v) for v in values]
        axes.barh(positions, widths, height=height, label=name, zorder=2)
        for position, value in zip(positions, values, strict=True):
            if value is None:  # never a figure for fewer than five people: say so
                axes.text(1, position, "< 5", va="center", fontsize=7, color="#555555")
    axes.set_yticks(
        [g + height * (len(chart.series) - 1) / 2 for g in range(len(chart.groups))],
        [textwrap.fill(group, 22) for group in chart.groups],
        fontsize=8,
    )
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.legend(fontsize=7, loc="lower right")
    axes.set_title(chart.title, fontsize=10)
    figure.tight_layout()
    return _png(figure)
