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
from ..a11y import BLACK, BLUE, GREEN, GREY, ORANGE, VERMILLION, describe, legend_beside
from ..display import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: A training history: each of :data:`HISTORY_KEYS` -> one value per epoch.
History = dict[str, list[float]]

#: The learning-curve series a history holds, each a list with one value per epoch.
HISTORY_KEYS = ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy")
#: Colours of right and wrong predictions and of the true class; every picture also says
#: "right" or "wrong" in words, or marks it by shape, never by colour alone.
CORRECT, WRONG, TRUE = GREEN, VERMILLION, BLACK


def empty_history() -> History:
    return {key: [] for key in HISTORY_KEYS}


def digit_gallery(x: np.ndarray, titles: Sequence[str | tuple[str, str]], columns: int = 10,
                  title: str | None = None, size: float = 1.0) -> Figure:
    """The digits ``x`` (N, 64) in a grid, each under its title; ``titles`` may colour
    each one: a list of strings or of (string, colour) pairs."""
    x = np.asarray(x)
    count = len(x)
    rows = max(1, -(-count // columns))
    fig = new_figure(columns * size, rows * size * 1.3 + (0.4 if title else 0.0))
    axes = fig.subplots(rows, columns, squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.set_axis_off()
        if index >= count:
            continue
        label = titles[index]
        text, colour = label if isinstance(label, tuple) else (label, "black")
        ax.imshow(x[index].reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0.0, vmax=1.0,
                  interpolation="nearest")
        ax.set_title(text, fontsize=11, color=colour, pad=2)
    if title:
        fig.suptitle(title, fontsize=11)
    texts = [label[0] if isinstance(label, tuple) else label for label in titles[:count]]
    return describe(fig, f"{count} handwritten digits, 8 by 8 pixels each, in {rows} row"
                         f"{'s' if rows > 1 else ''} of up to {columns}" + (f" ({title})" if title else "")
                         + ", titled: " + ", ".join(texts) + ".")


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
        return describe(fig, f"No misclassified digits among {len(y_true)}.")
    titles = [(f"{y_true[i]} -> {y_pred[i]}", WRONG) for i in shown]
    fig = digit_gallery(np.asarray(x)[shown], titles, columns=min(columns, len(shown)), title=title)
    return describe(fig, f"{title}: " + ", ".join(f"a {y_true[i]} read as {y_pred[i]}" for i in shown) + ".")


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
        ax.plot(epochs, history[f"train_{kind}"], "o-", ms=4, color=BLUE, label="training digits")
        ax.plot(epochs, history[f"val_{kind}"], "s--", ms=4, color=ORANGE, label="validation digits")
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
        legend_beside(accuracy_ax)
    if title:
        fig.suptitle(title, fontsize=10)
    said = [f"{part} {kind} {history[f'{part}_{kind}'][-1]:.3g}" for kind in ("loss", "accuracy")
            for part in ("train", "val") if history[f"{part}_{kind}"]]
    return describe(fig, f"Learning curves over {len(epochs)} epochs, on the training and validation digits"
                         + (f"; after epoch {epochs[-1]}: " + ", ".join(said) if epochs else "") + ".")


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
    fig = new_figure(6.0, 5.6)
    ax = fig.subplots()
    shown = np.where(np.eye(classes, dtype=bool), 0, counts)  # colour only the mistakes
    top = max(3, shown.max())
    ax.imshow(shown, cmap="Oranges", vmin=0, vmax=top * 1.6)  # pale enough for black text
    for i in range(classes):
        for j in range(classes):
            if counts[i, j]:
                # right answers (the diagonal) boxed and bold, mistakes plain: not by colour
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=11, color="black",
                        fontweight="bold" if i == j else "normal",
                        bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="black", lw=0.8)
                        if i == j else None)
    ax.set_xticks(range(classes))
    ax.set_yticks(range(classes))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    accuracy = np.trace(counts) / max(1, counts.sum())
    ax.set_title(title or f"{counts.sum()} digits, {accuracy:.1%} correct\n(boxed: right; shaded: mistakes)")
    mistakes = sorted(((int(shown[i, j]), i, j) for i in range(classes) for j in range(classes) if shown[i, j]),
                      reverse=True)
    return describe(fig, f"Confusion matrix of {counts.sum()} digits, {accuracy:.1%} correct: right answers "
                         f"per class " + ", ".join(f"{i}: {counts[i, i]} of {counts[i].sum()}" for i in range(classes))
                         + ". Mistakes, most common first: " + (", ".join(f"{n} x {i} read as {j}"
                                                                          for n, i, j in mistakes)
                                                                if mistakes else "none") + ".")


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
    colours = [GREY] * len(probabilities)
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
                     fontsize=10)
    return describe(fig, f"A digit ({'label ' + str(label) if label is not None else 'no label'}) and the "
                         f"network's probability for each class: " + ", ".join(
                             f"{k}: {p:.3f}" for k, p in enumerate(probabilities))
                         + f"; predicted {predicted}{verdict}.")


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
    fig = new_figure(2.6 + 1.2 * len(neighbours), 2.8)
    # a 1 x 2 grid of subfigures unpacks to two; the stubs allow a single SubFigure
    digit_fig, near_fig = fig.subfigures(1, 2, width_ratios=[2.6, 1.2 * len(neighbours)]) \
        if len(neighbours) else (fig, None)  # type: ignore[misc]
    digit_ax = digit_fig.subplots()
    digit_ax.imshow(np.asarray(x).reshape(IMAGE_SHAPE), cmap="gray_r", vmin=0.0, vmax=1.0,
                    interpolation="nearest")
    digit_ax.set_axis_off()
    verdict = f"read as {predicted}" + ("" if label is None else
                                        " (right)" if right else f" (wrong: it is {label})")
    heading = title or (f"label {label}" if label is not None else "digit")
    digit_ax.set_title(f"{heading}\n{verdict}", fontsize=10, color=CORRECT if right else WRONG)
    if len(neighbours):
        # near_fig is a SubFigure whenever there are neighbours
        axes = np.atleast_1d(near_fig.subplots(1, len(neighbours)))  # type: ignore[union-attr]
        for ax, image, near_label in zip(axes, neighbours, neighbour_labels):
            ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
            ax.set_axis_off()
            true = predicted if label is None else label
            colour = TRUE if near_label == true else WRONG if near_label == predicted else GREY
            # said in words as well as colour: the true class, or the wrongly chosen one
            mark = ", true" if near_label == true else ", chosen" if near_label == predicted else ""
            ax.set_title(f"{near_label}{mark}", fontsize=11, color=colour)
        near_fig.suptitle(  # type: ignore[union-attr]
            "the nearest training digits,\npixel by pixel, and their labels", fontsize=10)
    near = (f" The {len(neighbours)} nearest training digits are labelled "
            + ", ".join(str(v) for v in neighbour_labels) + ".") if len(neighbours) else ""
    return describe(fig, f"One digit, {heading}: {verdict}.{near}")
