"""Widgets: thin ipywidgets layers over the plots, one module per lesson."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..display import drawing_skipped, to_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def explorer(controls: Mapping[str, widgets.ValueWidget], draw: Callable[..., Figure | tuple[Figure, ...]],
             pictures: int = 1, beside: bool = False) -> widgets.Box:
    """Controls over pictures: ``controls`` maps a name to an ipywidget, and
    ``draw(**values)`` (each control's value by its name) returns the Figure to show, or a
    tuple of ``pictures`` Figures. Drawn at once and again whenever a control changes, but
    not while nbgrader grades (nobody sees it). The controls sit in a row above the
    pictures, or in a column beside them."""
    images = [widgets.Image(format="png") for _ in range(pictures)]

    def redraw(_change: Any = None) -> None:
        if drawing_skipped():
            return
        # a Figure, or a tuple of ``pictures`` of them
        figures: Any = draw(**{name: control.value for name, control in controls.items()})
        for image, figure in zip(images, figures if pictures > 1 else (figures,)):
            image.value = to_png(figure)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    if beside:
        box = widgets.HBox([widgets.VBox(list(controls.values())), *images])
    else:
        box = widgets.VBox([widgets.HBox(list(controls.values())), *images])
    box.controls = controls  # for tests and for curious students
    return box
