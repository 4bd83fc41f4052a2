"""Lesson 04 widget: an activation and a depth; its shape, its derivative and the
gradient that reaches each layer."""
from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets

from . import explorer
from ..plots.activations import activation_and_depth, available

if TYPE_CHECKING:
    from ..plots import Functions


def depth_explorer(functions: Functions, activation: str = "sigmoid", depth: int = 10) -> widgets.Box:
    """A choice of activation and a depth slider, over
    :func:`helpers.plots.activations.activation_and_depth`.

    ``functions`` maps the names of the lesson's functions (``"tanh_backward"``,
    ``"relu"``, ``"relu_backward"``, ``"leaky_relu"``, ``"leaky_relu_backward"``) to the
    student's; the choice offers the sigmoid and every activation they complete.
    """
    controls = {
        "name": widgets.Dropdown(options=list(available(functions)), value=activation,
                                 description="activation"),
        "depth": widgets.IntSlider(value=depth, min=1, max=30, step=1, description="depth",
                                   continuous_update=False),
    }
    return explorer(controls, lambda **values: activation_and_depth(functions, **values))
