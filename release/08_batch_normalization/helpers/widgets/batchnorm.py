"""Lesson 08 widget: a deep ReLU network trained with and without batch normalization
(the batch-norm functions it is given: the student's)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np

from . import explorer
from ..plots.batchnorm import require_functions, spiral, train_network, training_comparison

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..plots import Functions


def batchnorm_explorer(functions: Functions, scale: float = 0.02, depth: int = 8, steps: int = 100,
                       seed: int = 0) -> widgets.Box:
    """A weight scale and a depth over :func:`helpers.plots.batchnorm.training_comparison`:
    the same network (same data, same first weights) trained with and without batch
    normalization, and the inputs to the ReLU of its last hidden layer at the start.

    ``functions`` are the batch-norm functions to train with, a dict with the keys
    "forward", "backward" and "update" (see ``BATCHNORM_FUNCTIONS``): the student's."""
    require_functions(functions)  # refused at once, not at the first redraw
    controls = {
        "scale": widgets.FloatLogSlider(value=scale, base=10, min=-3, max=0.5, step=0.1,
                                        description="weight std", readout_format=".3g",
                                        continuous_update=False),
        "depth": widgets.IntSlider(value=depth, min=2, max=10, description="depth",
                                   continuous_update=False),
    }
    x, y = spiral(np.random.default_rng(seed))

    def draw(scale: float, depth: int) -> Figure:
        settings: dict[str, Any] = dict(depth=depth, scale=scale, steps=steps, seed=seed)
        return training_comparison({
            "without batch norm": train_network(x, y, batchnorm=False, **settings),
            "with batch norm": train_network(x, y, batchnorm=True, functions=functions, **settings)})

    return explorer(controls, draw)
