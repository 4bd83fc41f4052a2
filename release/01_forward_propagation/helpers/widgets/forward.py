"""Lesson 01 widget: one neuron with two inputs."""
import ipywidgets as widgets

from . import explorer
from ..plots.forward import ACTIVATIONS, neuron_plane


def neuron_explorer(w1: float = 1.0, w2: float = -1.0, b: float = 0.0, activation: str = "sigmoid"
                    ) -> widgets.Box:
    """Sliders for the weights and bias and a choice of activation, over
    :func:`helpers.plots.forward.neuron_plane`."""
    def slider(description: str, value: float) -> widgets.FloatSlider:
        return widgets.FloatSlider(value=value, min=-5, max=5, step=0.1,
                                   description=description, continuous_update=False,
                                   readout_format=".1f")
    controls = {
        "w1": slider("w1", w1),
        "w2": slider("w2", w2),
        "b": slider("b", b),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                       description="activation"),
    }
    return explorer(controls, neuron_plane, beside=True)
