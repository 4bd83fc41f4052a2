"""Lesson 05 widget: a scheme, a depth and an activation; what reaches each layer."""
import ipywidgets as widgets

from ..display import drawing_skipped, to_png
from ..plots.initialization import ACTIVATIONS, layer_histograms, propagate, schemes, std_through_depth


def depth_explorer(functions, scheme="Xavier (Glorot)", depth=6, activation="tanh"):
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
    histograms = widgets.Image(format="png")
    stds = widgets.Image(format="png")

    def redraw(_change=None):
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        values = {name: control.value for name, control in controls.items()}
        run = propagate(inits[values["scheme"]], values["activation"], values["depth"])
        label = f"{values['scheme']}, {values['activation']}"
        histograms.value = to_png(layer_histograms(run[0], title=f"activations of each layer: {label}"))
        stds.value = to_png(std_through_depth({label: run}))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(controls.values())), histograms, stds])
    box.controls = controls  # for tests and for curious students
    return box
