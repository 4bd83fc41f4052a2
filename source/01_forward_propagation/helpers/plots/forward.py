"""Lesson 01 plots: the sigmoid's saturation and one neuron over its input plane.

The sigmoid is lesson 01's own exercise, so nothing here computes it the way the exercise
asks: :func:`sigmoid_saturation` takes the student's sigmoid as an argument, and the
widget's neuron uses :func:`naive_sigmoid`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..a11y import BLUE, GREEN, MARKERS, ORANGE, PURPLE, VERMILLION, describe, legend_below, number
from ..display import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def naive_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) as written. Accurate on the widget's plane, where
    |z| <= 5 * 3 + 5 * 3 + 5 = 35, but for z < -709 exp(-z) overflows with a RuntimeWarning.
    Lesson 01's sigmoid must stay silent at z = -750, so this deliberately fails that
    exercise's tests: it is not a solution."""
    return 1 / (1 + np.exp(-z))


#: Activations a single neuron can use in the lesson's widget: name -> function.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": naive_sigmoid,
    "tanh": np.tanh,
    "step": lambda z: np.heaviside(z, 0.5),  # 1 for z > 0, 0 for z < 0: the perceptron's threshold
    "identity": lambda z: z,
}


def sigmoid_saturation(marks: Mapping[str, float], logistic: Callable[[np.ndarray], np.ndarray]) -> Figure:
    """A sigmoid and its slope sigmoid * (1 - sigmoid), with named pre-activations marked.

    ``marks`` maps a label to a pre-activation z; ``logistic`` is the sigmoid drawn (the
    lesson passes the student's ``sigmoid``). The slope is computed here, by
    :func:`sigmoid_slope`, and drawn on a log scale so that the tiny slope of a saturated
    neuron stays visible.
    """
    fig = new_figure(10.0, 4.2)
    value_ax, slope_ax = fig.subplots(1, 2)
    reach = max(10.0, 1.2 * max((abs(z) for z in marks.values()), default=0.0))
    z = np.linspace(-reach, reach, 801)
    value_ax.plot(z, logistic(z), color=BLUE, label="sigmoid(z)")
    slope_ax.semilogy(z, sigmoid_slope(z), color=ORANGE, linestyle="--", label="slope")
    # the exercise's sigmoid takes an array, not a Python float: mark all points in one call
    marked = logistic(np.array(list(marks.values()), dtype=float))
    said = []
    for (label, z0), a0, colour, marker in zip(marks.items(), marked, (VERMILLION, GREEN, PURPLE),
                                               MARKERS[1:]):
        a0, s0 = float(a0), float(sigmoid_slope(z0))
        style = dict(marker=marker, color=colour, markersize=8, markeredgecolor="black", linestyle="")
        value_ax.plot([z0], [a0], **style, label=f"{label}: z = {z0:.4g}, sigmoid = {a0:.4f}")
        slope_ax.plot([z0], [s0], **style, label=f"{label}: slope = {s0:.2g}")
        said.append(f"{label} at z = {number(z0)}: sigmoid {a0:.4f}, slope {s0:.2g}")
    value_ax.set(title="sigmoid(z)", xlabel="pre-activation z", ylabel="sigmoid(z)", ylim=(-0.05, 1.05))
    slope_ax.set(title="its slope sigmoid(z) (1 - sigmoid(z))", xlabel="pre-activation z",
                 ylabel="slope (log scale)")
    for ax in (value_ax, slope_ax):
        ax.grid(alpha=0.3)
        if marks:
            legend_below(ax, handles=ax.get_lines()[1:])
    return describe(fig, f"The sigmoid (left) and its slope on a log scale (right), from z = "
                         f"{number(-reach)} to {number(reach)}; the slope peaks at 0.25 at z = 0. "
                         + "; ".join(said) + ".")


def sigmoid_slope(z: np.ndarray | float) -> np.ndarray:
    """sigmoid(z) (1 - sigmoid(z)) written as e / (1 + e)^2 with e = exp(-|z|): the
    product form rounds 1 - sigmoid(z) to 0 for z > 37 and loses the tail."""
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1.0 + e) ** 2


def neuron_plane(w1: float, w2: float, b: float, activation: str = "sigmoid", reach: float = 3.0,
                 resolution: int = 121) -> Figure:
    """Output of the neuron activation(w1 x1 + w2 x2 + b) over the square [-reach, reach]^2,
    with its decision line w1 x1 + w2 x2 + b = 0 where the pre-activation changes sign."""
    fig = new_figure(5.2, 4.2)
    ax = fig.subplots()
    grid = np.linspace(-reach, reach, resolution)
    x1, x2 = np.meshgrid(grid, grid)
    z = w1 * x1 + w2 * x2 + b
    out = ACTIVATIONS[activation](z)
    image = ax.imshow(out, origin="lower", extent=(-reach, reach, -reach, reach),
                      cmap="PuOr_r", aspect="equal")
    fig.colorbar(image, ax=ax, label=f"{activation}(z)")
    if (w1, w2) != (0, 0) and z.min() < 0 < z.max():
        ax.contour(x1, x2, z, levels=[0.0], colors="black", linewidths=2)
        line = "black line: z = 0"
    else:
        line = "no decision line in view"
    ax.set(xlabel="input x1", ylabel="input x2",
           title=f"z = {w1:.2f} x1 {w2:+.2f} x2 {b:+.2f}\n({line})")
    ax.title.set_fontsize(10)
    return describe(fig, f"The output of one neuron, {activation}(z) with z = {w1:.2f} x1 {w2:+.2f} x2 "
                         f"{b:+.2f}, over inputs x1 and x2 from {number(-reach)} to {number(reach)}: "
                         f"from {number(float(out.min()))} to {number(float(out.max()))}, "
                         + ("split by the decision line z = 0." if line.startswith("black")
                            else "with no decision line in view."))


def layer_histograms(runs: Mapping[str, Sequence[np.ndarray]]) -> Figure:
    """Histograms of each layer's outputs: one row per run, one column per layer.

    ``runs`` maps a label to the list of layer outputs ``[a1, ..., aL]`` of that run;
    every run has the same number of layers, with outputs in [0, 1].
    """
    labels = list(runs)
    depth = len(runs[labels[0]])
    fig = new_figure(min(10.4, 2.4 * depth + 0.9), 2.2 * len(labels) + 0.4)
    axes = fig.subplots(len(labels), depth, squeeze=False, sharex=True, sharey=True)
    bins = np.linspace(0.0, 1.0, 21)
    said = []
    for row, label in zip(axes, labels):
        for layer, (ax, a) in enumerate(zip(row, runs[label]), start=1):
            values = np.ravel(a)
            ax.hist(values, bins=bins, color=BLUE)
            ax.set_title(f"{label}: layer {layer}", fontsize=10)
            ax.grid(alpha=0.3, axis="y")
            said.append(f"{label}, layer {layer}: {np.mean((values < 0.05) | (values > 0.95)):.0%} of "
                        f"{values.size} outputs within 0.05 of 0 or 1")
        row[0].set_ylabel("outputs per bin")
    for ax in axes[-1]:
        ax.set_xlabel("output (0 to 1)")
    return describe(fig, "Histograms of each layer's outputs, one row per run: " + "; ".join(said) + ".")
