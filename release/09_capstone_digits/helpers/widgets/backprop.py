"""Lesson 03 widget: train the blog post's network one gradient step at a time."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np

from . import draw_into, label_in_full, name_sliders, picture as new_picture
from ..display import drawing_skipped
from ..plots.backprop import half_squared_error, article_network, gradient_descent_step, training_curves
from ..reference.forward import mlp_forward


def training_stepper(
        *, backward: Callable[[np.ndarray, list[np.ndarray], list[np.ndarray]],
                              tuple[list[np.ndarray], list[np.ndarray]]],
        forward: Callable[[np.ndarray, list[np.ndarray], list[np.ndarray]],
                          tuple[np.ndarray, list[np.ndarray]]] = mlp_forward,
        lr: float = 0.5, start_steps: int = 50) -> widgets.Box:
    """Buttons that take 1 or 50 steps of gradient descent on the blog post's network, a
    learning-rate slider (which applies to the steps taken after it moves) and a reset,
    over :func:`helpers.plots.backprop.training_curves`.

    ``backward`` is the ``mlp_backward`` that computes the gradients (the lesson passes
    the student's) and ``forward`` the ``mlp_forward`` (lesson 01's, by default the
    course's), as in :func:`helpers.plots.backprop.gradient_descent_step`. It opens
    after ``start_steps`` steps, so the curves are there before the first click.
    """
    controls = {
        "step": widgets.Button(description="step", tooltip="one forward pass, backward pass and update"),
        "step_50": widgets.Button(description="50 steps"),
        "reset": widgets.Button(description="reset", tooltip="back to the initial weights"),
        # a log scale: from a crawl (0.01) to steps so large that they saturate the output (100)
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-2, max=2, step=0.05, description="learning rate",
                                     continuous_update=False, readout_format=".3g",
                                     style={"description_width": "initial"}),
    }
    picture = new_picture()
    state: dict[str, Any] = {}  # the weights, data and history of the run on show

    def evaluate() -> tuple[float, float]:
        """Loss and prediction of the current weights (the point after the last step)."""
        pred, _ = forward(state["x"], state["weights"], state["biases"])
        loss, _ = half_squared_error(pred, state["y"])
        return loss, float(pred[0, 0])

    def redraw() -> None:
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        draw_into(picture, training_curves(
            state["losses"], state["predictions"], float(state["y"][0, 0]),
            lr_changes=state["lr_changes"]))

    def reset(_button: Any = None) -> None:
        x, y, weights, biases = article_network()
        state.update(x=x, y=y, weights=weights, biases=biases, losses=[], predictions=[],
                     lr_changes=[(0, controls["lr"].value)])
        loss, pred = evaluate()
        state["losses"].append(loss)
        state["predictions"].append(pred)
        redraw()

    def steps(count: int) -> Callable[..., None]:
        def take(_button: Any = None) -> None:
            for _ in range(count):
                _, _, state["weights"], state["biases"] = gradient_descent_step(
                    state["x"], state["y"], state["weights"], state["biases"], controls["lr"].value,
                    backward=backward, forward=forward)
                loss, pred = evaluate()
                state["losses"].append(loss)
                state["predictions"].append(pred)
            redraw()
        return take

    def learning_rate_changed(change: dict[str, Any]) -> None:
        epoch = len(state["losses"]) - 1
        state["lr_changes"] = [c for c in state["lr_changes"] if c[0] != epoch] + [(epoch, change["new"])]
        redraw()

    controls["step"].on_click(steps(1))
    controls["step_50"].on_click(steps(50))
    controls["reset"].on_click(reset)
    controls["lr"].observe(learning_rate_changed, names="value")
    reset()
    if start_steps:
        steps(start_steps)()
    buttons = widgets.HBox([controls["step"], controls["step_50"], controls["reset"]])
    box = widgets.VBox([widgets.HBox([buttons, controls["lr"]]), picture])
    box.controls = controls  # for tests and for curious students
    label_in_full(controls)
    name_sliders()
    box.state = state
    return box
