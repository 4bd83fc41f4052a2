"""Lesson 02 widget: the step size of a finite difference."""
import ipywidgets as widgets

from ..display import drawing_skipped, to_png
from ..plots.chain_rule import EXAMPLES, step_size_view


def step_size_explorer(h=0.5, function="sin(x) at x = 1"):
    """A logarithmic slider for the step h and a choice of function, over
    :func:`helpers.plots.chain_rule.step_size_view`: the secants against the tangent, and
    the gradient check's relative error against h with the current h marked."""
    controls = {
        "h": widgets.FloatLogSlider(value=h, base=10, min=-15, max=0, step=0.25,
                                    description="step h", readout_format=".1e",
                                    continuous_update=False),
        "name": widgets.Dropdown(options=list(EXAMPLES), value=function, description="function"),
    }
    picture = widgets.Image(format="png")

    def redraw(_change=None):
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        picture.value = to_png(step_size_view(controls["name"].value, controls["h"].value))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    box.controls = controls  # for tests and for curious students
    return box
