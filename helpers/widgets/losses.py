"""Lesson 06 widget: a positive example's squared error and cross-entropy, side by side."""
import ipywidgets as widgets

from ..display import drawing_skipped, to_png
from ..plots.losses import positive_example


def probability_explorer(p=0.1):
    """A slider for the predicted probability p of a positive example, over
    :func:`helpers.plots.losses.positive_example`."""
    controls = {
        "p": widgets.FloatSlider(value=p, min=0.001, max=0.999, step=0.001,
                                 description="p", continuous_update=False,
                                 readout_format=".3f"),
    }
    picture = widgets.Image(format="png")

    def redraw(_change=None):
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        picture.value = to_png(positive_example(controls["p"].value))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    box.controls = controls  # for tests and for curious students
    return box
