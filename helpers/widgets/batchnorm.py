"""Lesson 08 widget: a deep ReLU network trained with and without batch normalization
(the batch-norm functions it is given: the student's)."""
import ipywidgets as widgets
import numpy as np

from ..display import drawing_skipped, to_png
from ..plots.batchnorm import require_functions, spiral, train_network, training_comparison


def batchnorm_explorer(functions, scale=0.02, depth=8, steps=100, seed=0):
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
    picture = widgets.Image(format="png")

    def redraw(_change=None):
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        settings = dict(depth=controls["depth"].value, scale=controls["scale"].value, steps=steps,
                        seed=seed)
        runs = {"without batch norm": train_network(x, y, batchnorm=False, **settings),
                "with batch norm": train_network(x, y, batchnorm=True, functions=functions, **settings)}
        picture.value = to_png(training_comparison(runs))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    box.controls = controls  # for tests and for curious students
    return box
