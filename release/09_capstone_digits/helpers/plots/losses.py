"""Lesson 06 plots: squared error against cross-entropy for a sigmoid output, the
learning they cause, and the hinge loss against cross-entropy.

Throughout, one positive example (label y = 1) meets a sigmoid output p = sigmoid(z).
The squared error is 1/2 (p - y)^2, as in lessons 02 and 03, so that its gradient has no
factor 2: dL/dz = (p - y) p (1 - p). The cross-entropy is -log p, with dL/dz = p - y.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..a11y import BLUE, GREEN, GREY, ORANGE, describe
from ..display import new_figure
from ..reference.forward import sigmoid

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SE_COLOUR, CE_COLOUR = ORANGE, BLUE
#: The squared error is dashed, the cross-entropy solid: told apart without colour.
SE_STYLE = "--"


def squared_error(p: np.ndarray | float, y: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(loss, dL/dp, dL/dz) of 1/2 (p - y)^2 for p = sigmoid(z)."""
    p = np.asarray(p, dtype=float)
    return 0.5 * (p - y) ** 2, p - y, (p - y) * p * (1 - p)


def cross_entropy(p: np.ndarray | float, y: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(loss, dL/dp, dL/dz) of -(y log p + (1 - y) log(1 - p)) for p = sigmoid(z), 0 < p < 1."""
    p = np.asarray(p, dtype=float)
    loss = -(y * np.log(p) + (1 - y) * np.log1p(-p))
    return loss, (p - y) / (p * (1 - p)), p - y


def pre_activation_gradients(z_mark: float = -4.0, reach: float = 8.0) -> Figure:
    """Both losses of a positive example and their gradients wrt the pre-activation z.

    Left: the losses against z. Right: dL/dz against z, where the squared error's
    gradient (p - 1) p (1 - p) dies out for a confidently wrong z << 0 while the
    cross-entropy's, p - 1, tends to -1. The point z = ``z_mark`` is marked on both.
    """
    fig = new_figure(10, 3.6)
    loss_ax, grad_ax = fig.subplots(1, 2)
    z = np.linspace(-reach, reach, 401)
    p = sigmoid(z)
    se, ce = squared_error(p), cross_entropy(p)
    loss_ax.plot(z, se[0], SE_STYLE, color=SE_COLOUR, label="squared error $\\frac{1}{2}(p - 1)^2$")
    loss_ax.plot(z, ce[0], color=CE_COLOUR, label="cross-entropy $-\\log p$")
    grad_ax.plot(z, se[2], SE_STYLE, color=SE_COLOUR, label="squared error: $(p - 1)\\,p\\,(1 - p)$")
    grad_ax.plot(z, ce[2], color=CE_COLOUR, label="cross-entropy: $p - 1$")
    p0 = sigmoid(np.array(z_mark))
    se0, ce0 = squared_error(p0), cross_entropy(p0)
    for ax, index in ((loss_ax, 0), (grad_ax, 2)):
        ax.plot([z_mark], [se0[index]], "s", color=SE_COLOUR, markeredgecolor="black")
        ax.plot([z_mark], [ce0[index]], "o", color=CE_COLOUR, markeredgecolor="black")
        ax.axvline(z_mark, color=GREY, lw=0.8, ls=":")
        ax.grid(alpha=0.3)
        ax.set_xlabel("pre-activation z  (p = sigmoid(z))")
    loss_ax.set(title="loss of a positive example (y = 1)", ylabel="loss L", ylim=(-0.2, 5))
    grad_ax.set(title=f"dL/dz; at z = {z_mark:g}: squared error {float(se0[2]):.3f},\n"
                      f"cross-entropy {float(ce0[2]):.3f}", ylabel="dL/dz", ylim=(-1.1, 0.1))
    grad_ax.title.set_fontsize(10)
    loss_ax.legend(loc="upper right")
    grad_ax.legend(loc="lower right")
    return describe(fig, f"The squared error (dashed) and the cross-entropy (solid) of a positive example "
                         f"against the pre-activation z from {-reach:g} to {reach:g} (left), and their "
                         f"gradients dL/dz (right). At z = {z_mark:g} the losses are {float(se0[0]):.3f} and "
                         f"{float(ce0[0]):.3f}, and the gradients {float(se0[2]):.3f} (squared error, almost "
                         f"none) and {float(ce0[2]):.3f} (cross-entropy).")


def descend(z0: float, lr: float, steps: int, loss: str = "cross-entropy") -> np.ndarray:
    """Probabilities p_0, ..., p_steps of gradient descent on z for one positive example,
    z <- z - lr dL/dz, starting from z0. ``loss`` is "cross-entropy" or "squared error"."""
    gradient = {"cross-entropy": cross_entropy, "squared error": squared_error}[loss]
    z = float(z0)
    ps = [float(sigmoid(np.array(z)))]
    for _ in range(steps):
        z -= lr * float(gradient(ps[-1])[2])
        ps.append(float(sigmoid(np.array(z))))
    return np.array(ps)


def learning_curves(z0: float = -4.0, lr: float = 1.0, steps: int = 150) -> Figure:
    """p over gradient-descent steps on a bias-only sigmoid neuron that starts
    confidently wrong (z = ``z0``) on a positive example, for both losses."""
    fig = new_figure(6.4, 3.6)
    ax = fig.subplots()
    t = np.arange(steps + 1)
    ends = {}
    for name, colour, style in (("squared error", SE_COLOUR, SE_STYLE), ("cross-entropy", CE_COLOUR, "-")):
        ps = descend(z0, lr, steps, name)
        ax.plot(t, ps, style, color=colour, label=name)
        ends[name] = (ps, int(np.argmax(ps > 0.5)) if (ps > 0.5).any() else None)
    ax.set(title=f"gradient descent from z = {z0:g} (p = {float(sigmoid(np.array(z0))):.3f}), "
                 f"learning rate {lr:g}",
           xlabel="step", ylabel="prediction p for the positive example", ylim=(0, 1.02))
    ax.title.set_fontsize(10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="center right")
    said = "; ".join(f"{name}: p reaches {ps[-1]:.3f}" + (f", past 0.5 at step {k}" if k is not None
                                                          else ", never past 0.5")
                     for name, (ps, k) in ends.items())
    return describe(fig, f"The prediction p over {steps} steps of gradient descent from z = {z0:g} "
                         f"(p = {float(sigmoid(np.array(z0))):.3f}), learning rate {lr:g}: {said}.")


def margin_losses(margin: float = 1.0, reach: float = 4.0) -> Figure:
    """Two classes, the correct one ahead by m = s_y - s_other: the hinge loss
    max(0, margin - m) and the softmax cross-entropy log(1 + exp(-m)), against m."""
    fig = new_figure(6.4, 3.6)
    ax = fig.subplots()
    m = np.linspace(-reach, reach, 401)
    ax.plot(m, np.maximum(0.0, margin - m), "--", color=GREEN,
            label=f"hinge: max(0, {margin:g} - m)")
    ax.plot(m, np.logaddexp(0.0, -m), color=CE_COLOUR, label="cross-entropy: log(1 + exp(-m))")
    ax.axvline(margin, color=GREY, lw=0.8, ls=":")
    ax.set(title="loss against the correct class's lead m = s_y - s_other",
           xlabel="lead m of the correct class's score", ylabel="loss")
    ax.title.set_fontsize(10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return describe(fig, f"The hinge loss (dashed) and the softmax cross-entropy (solid) of two classes "
                         f"against the correct class's lead m from {-reach:g} to {reach:g}: the hinge is 0 "
                         f"from m = {margin:g} on, the cross-entropy only approaches 0 (at m = {reach:g}: "
                         f"{np.logaddexp(0.0, -reach):.3f}); at m = 0 they are {margin:g} and {np.log(2):.3f}.")


def positive_example(p: float) -> Figure:
    """The widget's picture: for a positive example predicted with probability ``p``,
    the two losses, their gradients wrt p and their gradients wrt z, with p marked."""
    fig = new_figure(10.4, 3.7)
    axes = fig.subplots(1, 3)
    grid = np.linspace(0.001, 0.999, 500)
    se, ce = squared_error(grid), cross_entropy(grid)
    se0, ce0 = squared_error(p), cross_entropy(p)
    titles = ("loss", "gradient wrt the probability, dL/dp", "gradient wrt the pre-activation, dL/dz")
    limits = ((-0.1, 5.0), (-10.0, 0.5), (-1.05, 0.05))
    for index, (ax, title, ylim) in enumerate(zip(axes, titles, limits)):
        ax.plot(grid, se[index], SE_STYLE, color=SE_COLOUR,
                label=f"squared error: {float(se0[index]):.4g}")
        ax.plot(grid, ce[index], color=CE_COLOUR,
                label=f"cross-entropy: {float(ce0[index]):.4g}")
        for value, colour, mark in ((se0[index], SE_COLOUR, "s"), (ce0[index], CE_COLOUR, "o")):
            # a value beyond the panel is drawn at its edge as a triangle pointing out
            inside = ylim[0] <= value <= ylim[1]
            shown = min(max(float(value), ylim[0] + 0.02 * (ylim[1] - ylim[0])), ylim[1])
            ax.plot([p], [shown], mark if inside else ("v" if value < ylim[0] else "^"),
                    color=colour, markeredgecolor="black")
        ax.axvline(p, color=GREY, lw=0.8, ls=":")
        ax.set(title=title, xlabel="predicted probability p (label y = 1)", xlim=(0, 1), ylim=ylim,
               ylabel=("L", "dL/dp", "dL/dz")[index])
        ax.title.set_fontsize(10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, title=f"at p = {p:.3f}", title_fontsize=8,
                  loc="upper right" if index == 0 else "lower right")
    return describe(fig, f"A positive example predicted with probability p = {p:.3f}, for the squared "
                         f"error (dashed) and the cross-entropy (solid). Loss: {float(se0[0]):.4g} and "
                         f"{float(ce0[0]):.4g}; gradient wrt p: {float(se0[1]):.4g} and {float(ce0[1]):.4g}; "
                         f"gradient wrt z: {float(se0[2]):.4g} and {float(ce0[2]):.4g}.")
