"""Lesson 02 widget: the step size of a finite difference."""
import ipywidgets as widgets

from . import explorer
from ..plots.chain_rule import EXAMPLES, step_size_view


def step_size_explorer(h: float = 0.5, function: str = "sin(x) at x = 1") -> widgets.Box:
    """A logarithmic slider for the step h and a choice of function, over
    :func:`helpers.plots.chain_rule.step_size_view`: the secants against the tangent, and
    the gradient check's relative error against h with the current h marked."""
    controls = {
        "h": widgets.FloatLogSlider(value=h, base=10, min=-15, max=0, step=0.25,
                                    description="step h", readout_format=".1e",
                                    continuous_update=False),
        "name": widgets.Dropdown(options=list(EXAMPLES), value=function, description="function"),
    }
    return explorer(controls, lambda h, name: step_size_view(name, h))
