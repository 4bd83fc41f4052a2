"""Figures every student can read: one colour-blind-safe palette, and a text alternative
for every figure.

The palette is Okabe and Ito's (2008), whose eight colours stay distinct under the
common colour-vision deficiencies. The plots take their colours from here, never from
matplotlib's defaults, and tell their series apart by marker or line style as well.

A figure's text alternative is what a screen reader says instead of the picture. The
plot function that draws a figure writes it, with :func:`describe`, in words and with the
numbers that matter; :func:`alt_text` adds, for each panel, what its axes and data show,
read back from the drawn artists, so every number in it is one the picture shows.
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
from cycler import cycler

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
YELLOW = "#F0E442"
BLACK = "#000000"
GREY = "#777777"  # not Okabe-Ito's: a neutral for guides and context, 4.5:1 on white

#: The series colours, in the order a plot uses them.
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK)
#: Markers and line styles paired with the palette: a series differs by more than colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)))

#: Hatches for filled areas (bars), paired with the palette.
HATCHES = ("", "//", "xx", "..", "\\\\", "++", "oo")

#: Matplotlib settings the course's figures use (applied by helpers.display).
RC: dict[str, Any] = {
    "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
}

#: Figures with more panels than this are described as a whole only (a gallery).
MAX_PANELS = 12

#: Fonts smaller than this many pixels are too small to read at 100% zoom.
MIN_FONT_PX = 10.0

_DESCRIPTIONS: weakref.WeakKeyDictionary[Figure, str] = weakref.WeakKeyDictionary()


def describe(fig: Figure, text: str) -> Figure:
    """Attach ``text``, what ``fig`` shows in words, to the figure; returns the figure."""
    _DESCRIPTIONS[fig] = " ".join(text.split())
    return fig


def described(fig: Figure) -> str:
    """The words :func:`describe` attached to ``fig`` ("" if none)."""
    return _DESCRIPTIONS.get(fig, "")


def legend_beside(ax: Axes, **kwargs: Any) -> Legend:
    """The axes' legend outside it, to its right, where it cannot cover the data (the
    figure's constrained layout makes room for it)."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs)


def legend_below(ax: Axes, **kwargs: Any) -> Legend:
    """The axes' legend outside it, under its x label."""
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), borderaxespad=0.0, **kwargs)


def number(value: float) -> str:
    """A number as a reader hears it: 4 significant digits, no trailing zeros."""
    return f"{value:.4g}" if np.isfinite(value) else str(value)


def _span(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return "no finite values"
    return f"from {number(finite.min())} to {number(finite.max())}"


def _axis(ax: Axes, which: str) -> str:
    label = (ax.get_xlabel() if which == "x" else ax.get_ylabel()).replace("\n", " ")
    low, high = ax.get_xlim() if which == "x" else ax.get_ylim()
    scale = ax.get_xscale() if which == "x" else ax.get_yscale()
    kind = " (log scale)" if scale == "log" else ""
    return f"{which} axis {label or 'unlabelled'}{kind}, {number(low)} to {number(high)}"


def _lines(ax: Axes) -> list[str]:
    said = []
    for line in ax.get_lines():
        label = str(line.get_label())
        y = np.asarray(line.get_ydata(), dtype=float)
        if label.startswith("_") or y.size == 0:
            continue
        if y.size == 1:
            x = np.asarray(line.get_xdata(), dtype=float)
            said.append(f"{label}: the point ({number(x[0])}, {number(y[0])})")
        else:
            said.append(f"{label}: {y.size} points, first {number(y[0])}, last {number(y[-1])}, "
                        f"{_span(y)}")
    return said


def _panel(ax: Axes) -> str:
    title = ax.get_title().replace("\n", " ") or ax.get_title(loc="left")
    parts = [f"panel {title!r}" if title else "panel"]
    if ax.axison and (ax.get_xlabel() or ax.get_ylabel() or ax.get_lines()):
        parts += [_axis(ax, "x"), _axis(ax, "y")]
    parts += _lines(ax)
    for image in ax.get_images():
        array = np.asarray(image.get_array(), dtype=float)
        parts.append(f"an image of {array.shape[0]} by {array.shape[1]} values {_span(array)}")
    bars = [p.get_height() for p in ax.patches if hasattr(p, "get_height")]
    if len(bars) > 1:
        parts.append(f"{len(bars)} bars of heights {_span(np.asarray(bars, dtype=float))}")
    return "; ".join(parts)


def alt_text(fig: Figure) -> str:
    """The figure's text alternative: the description its plot function attached, then
    each visible panel's title, axes and data, as drawn."""
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and ax.get_label() != "<colorbar>"]
    # a gallery's many small pictures are said by its description, not one by one
    panels = [_panel(ax) for ax in axes] if len(axes) <= MAX_PANELS else []
    lead = described(fig) or "A figure."
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    head = f"{lead} Title: {suptitle}." if suptitle else lead
    return f"{head} " + ". ".join(p[:1].upper() + p[1:] for p in panels if p) + "." if panels else head
