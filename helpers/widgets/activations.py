"""Lesson 04 widget: an activation and a depth; its shape, its derivative and the
gradient that reaches each layer."""
import ipywidgets as widgets

from ..display import drawing_skipped, to_png
from ..plots.activations import activation_and_depth, available


def depth_explorer(functions, activation="sigmoid", depth=10):
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
    picture = widgets.Image(format="png")

    def redraw(_change=None):
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        values = {name: control.value for name, control in controls.items()}
        picture.value = to_png(activation_and_depth(functions, **values))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    box.controls = controls  # for tests and for curious students
    return box
