"""Lesson 09 plots: digits, learning curves, the confusion matrix, the misclassified
digits, one digit with the network's class probabilities, and one digit with its
prediction and the training digits nearest to it.

Nothing here reads a model: the plots take what a network computed (predictions,
probabilities, a history of accuracies), since reading a model is the lesson's ``predict``.

Every function returns a ``matplotlib.figure.Figure``; the digits are rows of 64 values in
[0, 1] (as :func:`helpers.digits.load_split` gives them), shown as 8 x 8 pictures with
0 white and 1 black.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..digits import IMAGE_SHAPE, N_CLASSES
from ..display import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: A training history: each of :data:`HISTORY_KEYS` -> one value per epoch.
History = dict[str, list[float]]

#: The learning-curve series a history holds, each a list with one value per epoch.
HISTORY_KEYS = ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy")
CORRECT, WRONG, TRUE = "tab:green", "tab:red", "black"


def empty_history() -> History:
    return {key: [] for key in HISTORY_KEYS}


def digit_gallery(x: np.ndarray, titles: Sequence[str | tuple[str, str]], columns: int = 10,
                  title: str | None = None, size: float = 0.75) -> Figure:
    """The digits ``x`` (N, 64) in a grid, each under its title; ``titles`` may colour
    each one: a list of strings or of (string, colour) pairs."""
    x = np.asarray(x)
    count = len(x)
    rows = max(1, -(-count // columns))
    fig = new_figure(columns * size, rows * size * 1.25 + (0.3 if title else 0.0))
    axes = fig.subplots(rows, columns, squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index >= count:
            continue
        label = titles[index]
        text, colour = label if isinstance(label, tuple) else (label, "black")
        ax.imshow(x[index].reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0.0, vmax=1.0,
                  interpolation="nearest")
        ax.set_title(text, fontsize=8, color=colour, pad=2)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def misclassified_gallery(x: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray, limit: int = 30,
                          columns: int = 10) -> Figure:
    """The digits whose prediction is wrong, each titled "true -> predicted"."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    wrong = np.flatnonzero(y_true != y_pred)
    shown = wrong[:limit]
    title = (f"{len(wrong)} of {len(y_true)} digits misclassified (true -> predicted)"
             + (f", the first {len(shown)} shown" if len(shown) < len(wrong) else ""))
    if not len(wrong):
        fig = new_figure(4.0, 1.0)
        fig.text(0.5, 0.5, f"no misclassified digits among {len(y_true)}", ha="center", va="center")
        return fig
    titles = [(f"{y_true[i]} -> {y_pred[i]}", WRONG) for i in shown]
    return digit_gallery(np.asarray(x)[shown], titles, columns=min(columns, len(shown)), title=title)


def learning_curves(history: History, title: str | None = None) -> Figure:
    """Loss and accuracy per epoch on the training and validation digits, side by side; the
    accuracy alone when the history holds no losses (a monitor without a loss function)."""
    epochs = history["epoch"]
    with_loss = len(history["train_loss"]) == len(epochs)  # an empty history: both panels
    fig = new_figure(8.0 if with_loss else 4.4, 3.0)
    panels: tuple[tuple[Axes, str, str], ...]
    if with_loss:
        loss_ax, accuracy_ax = fig.subplots(1, 2)
        panels = ((loss_ax, "loss", "mean cross-entropy"), (accuracy_ax, "accuracy", "accuracy"))
    else:
        accuracy_ax = fig.subplots()
        panels = ((accuracy_ax, "accuracy", "accuracy"),)
    for ax, kind, label in panels:
        ax.plot(epochs, history[f"train_{kind}"], "o-", ms=3, color="tab:blue", label="training digits")
        ax.plot(epochs, history[f"val_{kind}"], "o-", ms=3, color="tab:orange", label="validation digits")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    if with_loss:
        loss_ax.set_yscale("log")
        loss_ax.set_title("loss (log scale)")
    accuracy_ax.set_title("accuracy")
    if history["val_accuracy"]:
        low = min(min(history["val_accuracy"]), min(history["train_accuracy"]))
        accuracy_ax.set_ylim(max(0.0, min(0.9, low - 0.02)), 1.005)
        accuracy_ax.legend(loc="lower right", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def confusion_counts(y_true: np.ndarray, y_pred: np.ndarray, classes: int = N_CLASSES) -> np.ndarray:
    """counts[i, j]: how many digits of class i were predicted as j."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, classes: int = N_CLASSES,
                     title: str | None = None) -> Figure:
    """The confusion matrix: rows the true classes, columns the predicted ones, each cell
    its count (the diagonal holds the correct predictions)."""
    counts = confusion_counts(y_true, y_pred, classes)
    fig = new_figure(4.6, 4.2)
    ax = fig.subplots()
    shown = np.where(np.eye(classes, dtype=bool), 0, counts)  # colour only the mistakes
    ax.imshow(shown, cmap="Reds", vmin=0, vmax=max(3, shown.max()))
    for i in range(classes):
        for j in range(classes):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8,
                        color="tab:green" if i == j else "black",
                        fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = np.trace(counts) / max(1, counts.sum())
    ax.set_title(title or f"{counts.sum()} digits, {accuracy:.1%} correct")
    return fig


def digit_probabilities(x: np.ndarray, probabilities: np.ndarray, label: int | None = None,
                        title: str | None = None) -> Figure:
    """One digit, and the network's probability for each class as a bar: the predicted
    class green when right and red when wrong, the true class outlined."""
    probabilities = np.asarray(probabilities)
    predicted = int(np.argmax(probabilities))
    fig = new_figure(6.4, 2.6)
    image_ax, bar_ax = fig.subplots(1, 2, width_ratios=[1, 2.4])
    image_ax.imshow(np.asarray(x).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0.0, vmax=1.0,
                    interpolation="nearest")
    image_ax.set_axis_off()
    image_ax.set_title(title or (f"label {label}" if label is not None else "digit"), fontsize=9)
    colours = ["tab:gray"] * len(probabilities)
    colours[predicted] = CORRECT if label is None or predicted == label else WRONG
    bars = bar_ax.bar(range(len(probabilities)), probabilities, color=colours)
    if label is not None:
        bars[label].set_edgecolor(TRUE)
        bars[label].set_linewidth(2)
    bar_ax.set_xticks(range(len(probabilities)))
    bar_ax.set_ylim(0.0, 1.0)
    bar_ax.set_xlabel("class")
    bar_ax.set_ylabel("probability")
    verdict = "" if label is None else (" (right)" if predicted == label else f" (wrong: it is {label})")
    bar_ax.set_title(f"predicted {predicted} with probability {probabilities[predicted]:.3f}{verdict}",
                     fontsize=9)
    return fig


def digit_and_neighbours(x: np.ndarray, predicted: int, label: int | None = None,
                         neighbours: np.ndarray | Sequence[np.ndarray] = (),
                         neighbour_labels: Sequence[int] | np.ndarray = (),
                         title: str | None = None) -> Figure:
    """One digit under the class a network predicted for it (green when right, red when
    wrong) and, beside it, ``neighbours``: other digits, such as the training digits most
    like it, each under its label: black where that is the true class, red where it is
    the wrongly predicted one, grey where it is neither."""
    neighbours = np.asarray(neighbours, dtype=float).reshape(-1, *IMAGE_SHAPE)
    right = label is None or predicted == label
    fig = new_figure(2.4 + 1.05 * len(neighbours), 2.6)
    # a 1 x 2 grid of subfigures unpacks to two; the stubs allow a single SubFigure
    digit_fig, near_fig = fig.subfigures(1, 2, width_ratios=[2.4, 1.05 * len(neighbours)]) \
        if len(neighbours) else (fig, None)  # type: ignore[misc]
    digit_ax = digit_fig.subplots()
    digit_ax.imshow(np.asarray(x).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0.0, vmax=1.0,
                    interpolation="nearest")
    digit_ax.set_axis_off()
    verdict = f"read as {predicted}" + ("" if label is None else
                                        " (right)" if right else f" (wrong: it is {label})")
    heading = title or (f"label {label}" if label is not None else "digit")
    digit_ax.set_title(f"{heading}\n{verdict}", fontsize=9, color=CORRECT if right else WRONG)
    if len(neighbours):
        # near_fig is a SubFigure whenever there are neighbours
        axes = np.atleast_1d(near_fig.subplots(1, len(neighbours)))  # type: ignore[union-attr]
        for ax, image, near_label in zip(axes, neighbours, neighbour_labels):
            ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
            ax.set_axis_off()
            true = predicted if label is None else label
            colour = TRUE if near_label == true else WRONG if near_label == predicted else "tab:gray"
            ax.set_title(str(near_label), fontsize=9, color=colour)
        near_fig.suptitle(  # type: ignore[union-attr]
            "the nearest training digits, pixel by pixel, and their labels", fontsize=9)
    return fig
