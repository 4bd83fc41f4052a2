"""Figures without pyplot: every plot is a plain ``matplotlib.figure.Figure``, turned
into PNG bytes here. This keeps global state out of the lessons and keeps pyplot's
start-up cost out of grading.

While nbgrader autogrades a notebook (it sets ``NBGRADER_EXECUTION=autograde`` for the
kernel), figures are not rendered: no grade depends on a picture, and rendering is most
of a lesson's run time. ``show`` then displays a one-line note instead, and the widgets
skip their drawing (see :func:`drawing_skipped`).
"""
import io
import os
from typing import Any

from matplotlib.figure import Figure

#: What a figure shows in an autograded notebook (and so in the feedback).
NOT_DRAWN = "[figure not drawn while grading]"


def drawing_skipped() -> bool:
    """True while nbgrader autogrades this process (or the kernel it started)."""
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def new_figure(width: float = 6.4, height: float = 4.0, **kwargs: Any) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def to_png(fig: Figure, dpi: float = 90) -> bytes:
    """The figure as PNG bytes; empty bytes while grading (see :func:`drawing_skipped`)."""
    if drawing_skipped():
        return b""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show(fig: Figure) -> None:
    """Display a figure in the notebook as a PNG image (a one-line note while grading)."""
    from IPython.display import Image, display
    if drawing_skipped():
        display({"text/plain": NOT_DRAWN}, raw=True)
        return
    display(Image(data=to_png(fig), format="png"))
