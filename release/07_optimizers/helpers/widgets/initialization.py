"""Lesson 05 widget: a scheme, a depth and an activation; what reaches each layer."""
from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets

from . import explorer
from ..plots.initialization import ACTIVATIONS, layer_histograms, propagate, schemes, std_through_depth

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..plots import Functions


def depth_explorer(functions: Functions, scheme: str = "Xavier (Glorot)", depth: int = 6,
                   activation: str = "tanh") -> widgets.Box:
    """A choice of initialization scheme, depth and activation over
    :func:`helpers.plots.initialization.propagate`: histograms of each layer's
    activations, and their standard deviation (and the gradients') through depth.

    ``functions`` holds the student's initializers, ``{"xavier_init": xavier_init,
    "he_init": he_init}``; the schemes are the fixed scales and these
    (:func:`helpers.plots.initialization.schemes`)."""
    inits = schemes(functions)
    controls = {
        "scheme": widgets.Dropdown(options=list(inits), value=scheme, description="scheme"),
        "depth": widgets.IntSlider(value=depth, min=1, max=10, description="depth",
                                   continuous_update=False),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                       description="activation"),
    }

    def draw(scheme: str, depth: int, activation: str) -> tuple[Figure, Figure]:
        run = propagate(inits[scheme], activation, depth)
        label = f"{scheme}, {activation}"
        return (layer_histograms(run[0], title=f"activations of each layer: {label}"),
                std_through_depth({label: run}))

    return explorer(controls, draw, pictures=2)
