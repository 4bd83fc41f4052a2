"""Figures without pyplot: every plot is a plain ``matplotlib.figure.Figure``, turned
into PNG bytes here. This keeps global state out of the lessons and keeps pyplot's
start-up cost out of grading.

A figure is shown at its natural size (never scaled up) with its text alternative
(:func:`helpers.a11y.alt_text`) as the image's ``alt``, so a screen reader reads what the
picture shows.

While nbgrader autogrades a notebook (it sets ``NBGRADER_EXECUTION=autograde`` for the
kernel), figures are not rendered: no grade depends on a picture, and rendering is most
of a lesson's run time. ``show`` then displays a one-line note instead, and the widgets
skip their drawing (see :func:`drawing_skipped`).
"""
import base64
import html
import io
import os
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from .a11y import RC, alt_text

matplotlib.rcParams.update(RC)  # type: ignore[arg-type]  # the course's palette and legend size, in every figure

#: What a figure shows in an autograded notebook (and so in the feedback).
NOT_DRAWN = "[figure not drawn while grading]"
#: Pixels per inch of every picture: 10 px text is an 8 pt font.
DPI = 90


def drawing_skipped() -> bool:
    """True while nbgrader autogrades this process (or the kernel it started)."""
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def new_figure(width: float = 6.4, height: float = 4.0, **kwargs: Any) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def to_png(fig: Figure, dpi: float = DPI) -> bytes:
    """The figure as PNG bytes; empty bytes while grading (see :func:`drawing_skipped`)."""
    if drawing_skipped():
        return b""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def pixel_size(fig: Figure, dpi: float = DPI) -> tuple[int, int]:
    """(width, height) in pixels of the figure's PNG at ``dpi``."""
    width, height = fig.get_size_inches() * dpi
    return int(round(width)), int(round(height))


def figure_html(fig: Figure, png: bytes) -> str:
    """An <img> of the PNG at its natural width (narrower only if the page is), with the
    figure's text alternative as its alt text."""
    width, _ = pixel_size(fig)
    source = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{source}" width="{width}" '
            f'style="max-width: 100%; height: auto" alt="{html.escape(alt_text(fig))}">')


def figure_bundle(fig: Figure) -> tuple[dict[str, str], dict[str, Any]]:
    """The display data and metadata of a figure: HTML with alt text, the PNG (at its
    natural size) and the text alternative as plain text."""
    png = to_png(fig)
    width, height = pixel_size(fig)
    data = {"text/html": figure_html(fig, png), "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": alt_text(fig)}
    return data, {"image/png": {"width": width, "height": height}}


def show(fig: Figure) -> None:
    """Display a figure in the notebook as a PNG image with its text alternative (a
    one-line note while grading)."""
    from IPython.display import display
    if drawing_skipped():
        display({"text/plain": NOT_DRAWN}, raw=True)
        return
    data, metadata = figure_bundle(fig)
    display(data, metadata=metadata, raw=True)
