"""Lesson 07 widget: the four optimizers' paths over the valley, side by side, each run
with the step function it is given (the student's: this lesson's exercises)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from . import draw_into, label_in_full, name_sliders, picture as new_picture
from ..display import drawing_skipped
from ..plots.optimizers import (OPTIMIZERS, START, VALLEY_SETTINGS, optimizer_path,
                                require_steps, valley_gradient, valley_paths)

if TYPE_CHECKING:
    from ..plots import Functions

#: The valleys the widget offers: label -> angle in degrees.
VALLEYS = {"aligned with the axes": 0.0, "turned by 30 degrees": 30.0}
#: The optimizers that use the momentum slider (Adam as its beta1).
USES_MOMENTUM = ("momentum", "adam")


def run_title(name: str, settings: Mapping[str, float]) -> str:
    momentum = f", {'beta1' if name == 'adam' else 'momentum'} {settings['momentum']:.2f}" \
        if name in USES_MOMENTUM else ""
    return f"{name}: lr {settings['lr']:.3g}{momentum}"


def optimizer_race(functions: Functions, steps: int = 60, optimizer: str = "sgd") -> widgets.Box:
    """Every optimizer's path over the valley, side by side. ``functions`` maps each name
    of ``OPTIMIZERS`` to its step function, as :func:`optimizer_path` takes them. The
    sliders set the learning rate and momentum of the optimizer chosen in the drop-down
    (each optimizer keeps its own settings); the chosen panel is framed."""
    require_steps(functions)
    settings = {name: dict(values) for name, values in VALLEY_SETTINGS.items()}
    controls = {
        "optimizer": widgets.Dropdown(options=list(OPTIMIZERS), value=optimizer,
                                      description="optimizer"),
        "lr": widgets.FloatLogSlider(value=settings[optimizer]["lr"], base=10, min=-3, max=0.3,
                                     step=0.05, description="learning rate",
                                     continuous_update=False, readout_format=".3g"),
        "momentum": widgets.FloatSlider(value=settings[optimizer]["momentum"], min=0.0, max=0.99,
                                        step=0.01, description="momentum",
                                        continuous_update=False, readout_format=".2f"),
        "valley": widgets.Dropdown(options=list(VALLEYS.items()), value=0.0, description="valley"),
    }
    picture = new_picture()
    loading: list[bool] = []  # non-empty while the sliders are being set from the stored settings

    def redraw() -> None:
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        chosen = controls["optimizer"].value
        angle = controls["valley"].value
        runs = [(run_title(name, settings[name]),
                 optimizer_path(name, lambda w: valley_gradient(w, angle), START, steps,
                                **settings[name], functions=functions))
                for name in OPTIMIZERS]
        draw_into(picture, valley_paths(runs, angle=angle, highlight=f"{chosen}:"))

    def on_optimizer(_change: Any = None) -> None:
        chosen = controls["optimizer"].value
        loading.append(True)
        try:
            controls["lr"].value = settings[chosen]["lr"]
            controls["momentum"].value = settings[chosen]["momentum"]
            controls["momentum"].disabled = chosen not in USES_MOMENTUM
            controls["momentum"].description = "beta1" if chosen == "adam" else "momentum"
        finally:
            loading.pop()
        redraw()

    def on_setting(key: str) -> Callable[[dict[str, Any]], None]:
        def store(change: dict[str, Any]) -> None:
            if loading:
                return
            settings[controls["optimizer"].value][key] = change["new"]
            redraw()
        return store

    controls["optimizer"].observe(on_optimizer, names="value")
    for key in ("lr", "momentum"):
        controls[key].observe(on_setting(key), names="value")
    controls["valley"].observe(lambda _change: redraw(), names="value")
    on_optimizer()
    box = widgets.VBox([widgets.HBox(list(controls.values())[:2]),
                        widgets.HBox(list(controls.values())[2:]), picture])
    box.controls = controls  # for tests and for curious students
    label_in_full(controls)
    name_sliders()
    box.settings = settings
    return box
