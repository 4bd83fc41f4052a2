"""Lesson 03 plots: a training run's loss and prediction, a gradient check, and the slope
of tanh against the sigmoid's formula that a published tutorial's backward pass applies to it.

The backward pass is lesson 03's own exercise: :func:`gradient_descent_step` takes it as an argument
(the lesson passes the student's ``mlp_backward``). The forward pass is lesson 01's, so
the course's reference version is the default.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..a11y import BLUE, GREEN, GREY, HATCHES, PALETTE, VERMILLION, describe, legend_beside
from ..display import new_figure
from ..reference.forward import mlp_forward

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The training problem of a widely read blog post on backpropagation: one sample, one
#: target, a 2-2-2-1 sigmoid network. The article draws its initial weights with an
#: unseeded np.random.randn, so it does not say what they were; these are fixed,
#: one-decimal weights whose run follows the article's printed log (0.5295 at epoch 0,
#: 0.8744 at epoch 500) to within 0.003.
ARTICLE_X = np.array([[0.6, 0.4]])
ARTICLE_Y = np.array([[0.875]])
ARTICLE_WEIGHTS = (
    np.array([[0.1, -0.4], [0.7, -1.0]]),
    np.array([[0.1, -1.3], [0.2, -1.8]]),
    np.array([[0.1], [0.4]]),
)
ARTICLE_BIASES = (np.array([-2.3, 0.2]), np.array([-0.3, 0.5]), np.array([-0.1]))


def article_network() -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Fresh copies of the blog post's ``(X, Y, weights, biases)``, weights and biases as lists."""
    return (ARTICLE_X.copy(), ARTICLE_Y.copy(),
            [W.copy() for W in ARTICLE_WEIGHTS], [b.copy() for b in ARTICLE_BIASES])


def half_squared_error(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """The blog post's loss 0.5 * sum((pred - target) ** 2) and its gradient pred - target."""
    return 0.5 * float(np.sum((pred - target) ** 2)), pred - target


def gradient_descent_step(
        x: np.ndarray, y: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray], lr: float, *,
        backward: Callable[[np.ndarray, list[np.ndarray], list[np.ndarray]],
                           tuple[list[np.ndarray], list[np.ndarray]]],
        forward: Callable[[np.ndarray, list[np.ndarray], list[np.ndarray]],
                          tuple[np.ndarray, list[np.ndarray]]] = mlp_forward,
) -> tuple[float, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """One step of gradient descent on the half squared error: returns
    ``(loss, pred, new_weights, new_biases)``, with the loss and prediction taken before
    the step. The lists passed in are not modified.

    ``backward(dout, activations, weights) -> (dweights, dbiases)`` is an ``mlp_backward``
    and ``forward(x, weights, biases) -> (out, activations)`` an ``mlp_forward``.
    """
    pred, activations = forward(x, weights, biases)
    loss, dpred = half_squared_error(pred, y)
    dweights, dbiases = backward(dpred, activations, weights)
    new_weights = [W - lr * dW for W, dW in zip(weights, dweights)]
    new_biases = [b - lr * db for b, db in zip(biases, dbiases)]
    return loss, pred, new_weights, new_biases


def training_curves(losses: Sequence[float] | np.ndarray, predictions: Sequence[float] | np.ndarray,
                    target: float | np.ndarray, lr_changes: Sequence[tuple[int, float]] = (),
                    title: str | None = None) -> Figure:
    """The loss and the prediction after each epoch of a one-output training run.

    ``losses[t]`` and ``predictions[t]`` are the values after t steps (so index 0 is the
    start); ``target`` is the value the prediction should reach; ``lr_changes`` lists
    ``(epoch, learning rate)`` pairs drawn as dotted vertical lines.
    """
    losses = np.asarray(losses, dtype=float)
    predictions = np.asarray(predictions, dtype=float).ravel()
    epochs = np.arange(len(losses))
    fig = new_figure(9, 3.4)
    loss_ax, pred_ax = fig.subplots(1, 2)
    marker = "o" if len(losses) <= 30 else None  # a short run's points, visible one by one
    loss_ax.plot(epochs, losses, color=VERMILLION, marker=marker, label="loss")
    loss_ax.set(xlabel="epoch", ylabel="0.5 (pred - y)$^2$", title="loss",
                ylim=(0, 1.08 * max(float(losses.max()), 1e-12)))
    pred_ax.plot(epochs, predictions, color=BLUE, marker=marker, label="prediction")
    pred_ax.axhline(float(target), color="black", linestyle="--", label=f"target {float(target):g}")
    pred_ax.set(xlabel="epoch", ylabel="network output", title="prediction")
    for epoch, lr in lr_changes:
        for ax in (loss_ax, pred_ax):
            ax.axvline(epoch, color=GREY, linestyle=":", linewidth=1)
        # as the widget's slider shows it (3 significant digits), not 5.01187
        note = loss_ax.annotate(f"lr {lr:.3g}", (epoch, 1), xycoords=("data", "axes fraction"),
                                xytext=(3, -10), textcoords="offset points", fontsize=8, color=GREY)
        note.set_in_layout(False)  # a note beyond the axes must not squeeze them
    for ax in (loss_ax, pred_ax):
        ax.grid(alpha=0.3)
        span = max(len(losses) - 1, 1)
        ax.set_xlim(-0.02 * span, span)  # the start, epoch 0, in view and not cut by the frame
    legend_beside(pred_ax)
    fig.suptitle(title or f"after {len(losses) - 1} epochs: loss {losses[-1]:.3g}, "
                 f"prediction {predictions[-1]:.5f}", fontsize=10)
    rates = "; learning rate " + ", ".join(f"{lr:.3g} from epoch {epoch}" for epoch, lr in lr_changes) \
        if lr_changes else ""
    return describe(fig, f"Training curves over {len(losses) - 1} epochs{rates}. Loss (left) from "
                         f"{losses[0]:.3g} to {losses[-1]:.3g}; prediction (right) from {predictions[0]:.5f} "
                         f"to {predictions[-1]:.5f}, target {float(target):g}.")


def gradient_check_chart(runs: Mapping[str, Mapping[str, float]], threshold: float = 1e-7) -> Figure:
    """Relative errors between analytic and numerical gradients, one bar per parameter,
    on a log scale, with the ``threshold`` below which a gradient counts as right.

    ``runs`` maps a label (say "your backward pass") to ``{parameter name: rel error}``;
    every run names the same parameters.
    """
    labels = list(runs)
    names = list(runs[labels[0]])
    fig = new_figure(max(5.0, 0.9 * len(names) * len(labels) + 2.5), 3.4)
    ax = fig.subplots()
    width = 0.8 / len(labels)
    positions = np.arange(len(names))
    floor = 1e-16  # an error of exactly 0 cannot be drawn on a log scale
    for i, label in enumerate(labels):
        errors = [max(float(runs[label][name]), floor) for name in names]
        ax.bar(positions + (i - (len(labels) - 1) / 2) * width, errors, width, label=label,
               color=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="black",
               linewidth=0.5)
    ax.axhline(threshold, color="black", linestyle="--", linewidth=1,
               label=f"{threshold:g}: below is right")
    ax.set_yscale("log")
    ax.set_ylim(floor, 1e4)  # room above the largest possible error, 1, for the legend
    ax.set_yticks([1e-16, 1e-12, 1e-8, 1e-4, 1.0])
    ax.set_xticks(positions, names)
    ax.set(ylabel="relative error", title="analytic vs numerical gradient")
    ax.grid(alpha=0.3, axis="y")
    legend_beside(ax)
    said = "; ".join(f"{label}: " + ", ".join(f"{name} {float(runs[label][name]):.1e}" for name in names)
                     for label in labels)
    wrong = [f"{label} {name}" for label in labels for name in names if float(runs[label][name]) >= threshold]
    return describe(fig, f"Bar chart of the relative error between analytic and numerical gradients, "
                         f"on a log scale, with {threshold:g} (below is right) dashed. {said}. "
                         + (f"At or above {threshold:g}: {', '.join(wrong)}." if wrong
                            else f"Every error is below {threshold:g}."))


def derivative_mixup(marks: Sequence[float] = ()) -> Figure:
    """tanh's slope written with its output a = tanh(z), 1 - a^2, against the sigmoid's
    formula a (1 - a) that the tutorial's snippet applies to a tanh layer, for a in [-1, 1].

    ``marks`` are hidden-layer outputs to mark on both curves.
    """
    a = np.linspace(-1.0, 1.0, 401)
    fig = new_figure(6.4, 3.8)
    ax = fig.subplots()
    ax.plot(a, 1 - a ** 2, color=GREEN, label="tanh's slope: 1 - a$^2$ (right)")
    ax.plot(a, a * (1 - a), color=VERMILLION, linestyle="--", label="sigmoid's formula: a (1 - a) (the bug)")
    for a0 in marks:
        ax.plot([a0, a0], [1 - a0 ** 2, a0 * (1 - a0)], "o:", color=GREY)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set(xlabel="hidden output a = tanh(z)", ylabel="slope used by the backward pass",
           title="the slope of a tanh layer, right and wrong")
    ax.grid(alpha=0.3)
    legend_beside(ax)
    said = "; ".join(f"at a = {a0:g}: right {1 - a0 ** 2:.4f}, the bug's {a0 * (1 - a0):.4f}" for a0 in marks)
    return describe(fig, "tanh's slope 1 - a² (solid, right) against the sigmoid's formula a (1 - a) "
                         "(dashed, the bug) for hidden outputs a from -1 to 1: the right slope peaks at 1 "
                         "at a = 0, the bug's is 0 there and turns negative, down to -2 at a = -1"
                         + (f"; {said}." if said else "."))
