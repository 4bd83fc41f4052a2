"""Lesson 09's live displays: a training monitor, and a browser of the test digits with
the network's predictions and the training digits nearest to each.

Both read models with the ``predict`` they are given, the student's: the forward pass
that reads a model is lesson 09's first exercise, so the course's version of it (and
anything built on it, such as class probabilities) is not here."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import ipywidgets as widgets
import numpy as np

from . import draw_into, label_in_full, name_sliders, picture as new_picture
from ..display import drawing_skipped, figure_bundle
from ..plots.capstone import digit_and_neighbours, empty_history, learning_curves

if TYPE_CHECKING:
    from IPython.display import DisplayHandle

    from ..digits import Split

#: A model as lesson 09 defines it (see helpers.reference.capstone): a dict of arrays and lists of them.
Model = dict[str, Any]
#: The student's predict(model, x) -> the class of each row of x.
Predict = Callable[[Model, np.ndarray], np.ndarray]

BAR = 24  # characters of the text progress bar
NEIGHBOURS = 5  # training digits shown beside a browsed digit


def accuracy(predict: Predict, model: Model, x: np.ndarray, y: np.ndarray) -> float:
    """The share of the digits ``x`` whose class ``predict(model, x)`` gets right."""
    return float(np.mean(np.asarray(predict(model, x)) == y))


class TrainingMonitor:
    """Progress while a network trains: a text progress bar with the latest accuracies, and
    the learning curves, redrawn as the epochs come in.

    Pass it as the ``callback`` of a training function, which calls ``monitor(epoch,
    model)`` after each epoch; use it in a ``with`` block so that the final curves are
    drawn when training ends::

        with TrainingMonitor(split, epochs=20, predict=predict) as monitor:
            model = train_classifier(split.x_train, split.y_train, rng, callback=monitor)

    The accuracies are those of ``predict(model, x)`` (the student's). ``loss``, if given,
    is a function ``loss(model, x, y)`` returning the mean cross-entropy; the losses are
    then recorded and plotted too (the lesson's student can write one: it needs the
    network's scores, which ``predict`` keeps to itself).

    It shows itself with IPython display handles that it updates in place, not with
    widgets, so the notebook a headless run saves (nbconvert, nbgrader) holds the last
    frame too. Drawing a figure takes a tenth of a second or more, so the curves are
    redrawn at most every ``redraw_seconds`` (and once at the end); the text line after
    every epoch. ``history`` keeps every epoch's accuracies (and losses).
    """

    def __init__(self, split: Split, epochs: int | None = None, redraw_seconds: float = 1.0,
                 display: bool = True, *, predict: Predict,
                 loss: Callable[[Model, np.ndarray, np.ndarray], float] | None = None) -> None:
        self.split, self.epochs = split, epochs
        self.predict, self.loss = predict, loss
        self.redraw_seconds = redraw_seconds
        self.history = empty_history()
        self.frames = 0  # how many times the curves were drawn
        self._display = display
        self._status: DisplayHandle | None = None
        self._plot: DisplayHandle | None = None
        # perf_counter() times, set by __enter__ or by the first epoch
        self._started: float | None = None
        self._drawn_at: float | None = None

    def __enter__(self) -> TrainingMonitor:
        self._started = time.perf_counter()
        self._drawn_at = self._started
        if self._display:
            from IPython.display import display
            self._status = display({"text/plain": "waiting for the first epoch..."}, raw=True,
                                   display_id=True)
            self._plot = display({"text/plain": ""}, raw=True, display_id=True)
        return self

    def __call__(self, epoch: int, model: Model) -> None:
        if self._started is None:  # used without a with block
            self._started = self._drawn_at = time.perf_counter()
        self.history["epoch"].append(epoch)
        for part in ("train", "val"):
            x, y = getattr(self.split, f"x_{part}"), getattr(self.split, f"y_{part}")
            self.history[f"{part}_accuracy"].append(accuracy(self.predict, model, x, y))
            if self.loss is not None:
                self.history[f"{part}_loss"].append(float(self.loss(model, x, y)))
        self._update(self._status, {"text/plain": self.status()})
        if time.perf_counter() - self._drawn_at >= self.redraw_seconds:  # type: ignore[operator]
            self.draw()

    def __exit__(self, *exc_info: object) -> Literal[False]:
        if self.history["epoch"]:
            self.draw()
        self._update(self._status, {"text/plain": self.status(done=exc_info[0] is None)})
        return False

    def status(self, done: bool = False) -> str:
        """One line: a progress bar, the epoch, the latest losses and accuracy, the time."""
        if not self.history["epoch"]:
            return "no epoch finished"
        h = {key: values[-1] for key, values in self.history.items() if values}
        seconds = time.perf_counter() - self._started  # type: ignore[operator]  # set with the first epoch
        if self.epochs:
            filled = int(round(BAR * min(1.0, h["epoch"] / self.epochs)))
            bar = f"[{'#' * filled}{'.' * (BAR - filled)}] epoch {h['epoch']}/{self.epochs}"
        else:
            bar = f"epoch {h['epoch']}"
        if "train_loss" in h:
            measured = (f"loss: training {h['train_loss']:.3f}, validation {h['val_loss']:.3f}  "
                        f"validation accuracy {h['val_accuracy']:.1%}")
        else:
            measured = f"accuracy: training {h['train_accuracy']:.1%}, validation {h['val_accuracy']:.1%}"
        return f"{bar}  {measured}  ({seconds:.1f} s{', done' if done else ''})"

    def draw(self) -> None:
        """Redraw the learning curves now."""
        self._drawn_at = time.perf_counter()
        self.frames += 1
        if self._plot is None or drawing_skipped():
            return
        data, metadata = figure_bundle(learning_curves(self.history))
        if self._plot is not None:
            self._plot.update(data, metadata=metadata, raw=True)
        self._drawn_at = time.perf_counter()  # the drawing itself does not count

    @staticmethod
    def _update(handle: DisplayHandle | None, bundle: dict[str, Any]) -> None:
        if handle is not None:
            handle.update(bundle, raw=True)


def digit_browser(model: Model, x: np.ndarray, y: np.ndarray, *, predict: Predict,
                  neighbours: tuple[np.ndarray, np.ndarray] | None = None, index: int = 0,
                  only_mistakes: bool = False) -> widgets.Box:
    """Browse the digits ``x`` (N, 64) with labels ``y``: each with the class that
    ``predict(model, x)`` (the student's) gives it and, when ``neighbours`` = (x_train,
    y_train) is given, the training digits nearest to it. A slider picks the digit; a
    drop-down limits it to the misclassified ones."""
    predicted = np.asarray(predict(model, x))  # (N,), computed once
    mistakes = np.flatnonzero(predicted != y)
    controls = {
        "index": widgets.IntSlider(value=index, min=0, max=len(x) - 1, description="digit",
                                   continuous_update=False),
        "only_mistakes": widgets.Dropdown(
            options=[(f"all {len(x)} digits", False), (f"the {len(mistakes)} misclassified", True)],
            value=bool(only_mistakes and len(mistakes)), description="show",
            disabled=not len(mistakes)),
    }
    picture = new_picture()

    def chosen() -> int:
        """The row of x on show."""
        if controls["only_mistakes"].value and len(mistakes):
            return int(mistakes[min(controls["index"].value, len(mistakes) - 1)])
        return controls["index"].value

    def on_filter(_change: Any = None) -> None:
        controls["index"].max = (len(mistakes) if controls["only_mistakes"].value and len(mistakes)
                                 else len(x)) - 1
        redraw()

    def redraw(_change: Any = None) -> None:
        if drawing_skipped():  # nbgrader is grading: nobody sees the picture
            return
        row = chosen()
        near_x, near_y = nearest(x[row]) if neighbours is not None else ((), ())
        draw_into(picture, digit_and_neighbours(
            x[row], int(predicted[row]), label=int(y[row]), neighbours=near_x,
            neighbour_labels=[int(label) for label in near_y], title=f"digit {row}: label {y[row]}"))

    def nearest(digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The NEIGHBOURS training digits closest to ``digit`` (Euclidean distance of the
        pixels), nearest first, and their labels."""
        train_x, train_y = neighbours  # type: ignore[misc]  # only called with neighbours
        closest = np.argsort(((train_x - digit) ** 2).sum(axis=1), kind="stable")[:NEIGHBOURS]
        return train_x[closest], train_y[closest]

    controls["index"].observe(redraw, names="value")
    controls["only_mistakes"].observe(on_filter, names="value")
    on_filter()
    box = widgets.VBox([widgets.HBox(list(controls.values())), picture])
    box.controls = controls  # for tests and for curious students
    label_in_full(controls)
    name_sliders()
    box.chosen = chosen
    box.nearest = nearest if neighbours is not None else None
    return box
