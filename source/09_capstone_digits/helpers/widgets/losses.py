"""Lesson 06 widget: a positive example's squared error and cross-entropy, side by side."""
import ipywidgets as widgets

from . import explorer
from ..plots.losses import positive_example


def probability_explorer(p: float = 0.1) -> widgets.Box:
    """A slider for the predicted probability p of a positive example, over
    :func:`helpers.plots.losses.positive_example`."""
    controls = {
        "p": widgets.FloatSlider(value=p, min=0.001, max=0.999, step=0.001,
                                 description="p", continuous_update=False,
                                 readout_format=".3f"),
    }
    return explorer(controls, positive_example)
