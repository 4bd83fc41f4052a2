"""Lesson 05 plots: the symmetry of a constant start, and how the scale of the initial
weights decides what reaches the deep layers of a network, forwards and backwards.

Xavier's and He's initializers are this lesson's exercises, so the plots have none of
their own: they take the student's, as ``init`` functions or in a dict ``functions``
(see :func:`schemes`)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..a11y import BLUE, MARKERS, describe, legend_beside
from ..display import new_figure
from ..reference.activations import relu, relu_backward, tanh_backward

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from . import Functions

#: init(fan_in, fan_out, rng) -> a (fan_in, fan_out) weight matrix.
Init = Callable[[int, int, np.random.Generator], np.ndarray]

#: Ways to draw a (fan_in, fan_out) weight matrix at a fixed scale, whatever the fans:
#: name -> init(fan_in, fan_out, rng).
SCHEMES: dict[str, Init] = {
    "std 0.01": lambda fan_in, fan_out, rng: 0.01 * rng.standard_normal((fan_in, fan_out)),
    "std 1": lambda fan_in, fan_out, rng: rng.standard_normal((fan_in, fan_out)),
}

#: The lesson's initializers, by the name the plots give them: name -> the key of
#: ``functions`` (the graded function's name) that holds the student's.
LESSON_SCHEMES = {"Xavier (Glorot)": "xavier_init", "He": "he_init"}

#: Activations of the deep network: name -> (forward(z), backward(dout, z, a)).
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray],
                            Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]]] = {
    "tanh": (np.tanh, lambda dout, z, a: tanh_backward(dout, a)),
    "relu": (relu, lambda dout, z, a: relu_backward(dout, z)),
}


def schemes(functions: Functions) -> dict[str, Init]:
    """:data:`SCHEMES` and, after them, each of :data:`LESSON_SCHEMES` whose function
    ``functions`` holds (e.g. ``{"xavier_init": xavier_init, "he_init": he_init}``):
    name -> init(fan_in, fan_out, rng)."""
    lesson = {name: functions[key] for name, key in LESSON_SCHEMES.items() if key in functions}
    return {**SCHEMES, **lesson}


def propagate(init: str | Init, activation: str, depth: int, width: int = 64, batch: int = 100, seed: int = 0
              ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A forward and a backward pass through ``depth`` dense layers of ``width`` units
    with no biases, at initialization.

    ``init`` is a key of :data:`SCHEMES` or a function ``init(fan_in, fan_out, rng)``;
    ``activation`` a key of :data:`ACTIVATIONS`. The input and the gradient arriving at
    the output are standard normal, shape ``(batch, width)``. Returns ``(activations,
    gradients)``: the lists ``[a1, ..., aL]`` of the layers' outputs and
    ``[dz1, ..., dzL]`` of the gradients reaching their pre-activations (the gradient of
    ``W_l`` is ``a_(l-1).T @ dz_l``, so ``dz_l`` sets how fast layer ``l`` learns).

    The default sizes keep each matrix product small enough for OpenBLAS to run it on one
    thread: on a busy machine, its threads make products of a few hundred rows 30 times
    slower, and the lesson must run in seconds.
    """
    draw = SCHEMES[init] if isinstance(init, str) else init
    forward, backward = ACTIVATIONS[activation]
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((batch, width))
    weights: list[np.ndarray] = []
    pre: list[np.ndarray] = []
    activations: list[np.ndarray] = []
    for _ in range(depth):
        W = draw(width, width, rng)  # (width, width)
        z = a @ W  # (batch, width) @ (width, width) -> (batch, width)
        a = forward(z)
        weights.append(W)
        pre.append(z)
        activations.append(a)
    grad = rng.standard_normal((batch, width))  # dL/d(aL)
    gradients: list[Any] = [None] * depth  # filled from the last layer back
    for l in reversed(range(depth)):
        gradients[l] = backward(grad, pre[l], activations[l])  # dL/d(z_l)
        grad = gradients[l] @ weights[l].T  # dL/d(a_(l-1)) = dz_l W_l^T
    return activations, gradients


def std_through_depth(runs: Mapping[str, tuple[Sequence[np.ndarray], Sequence[np.ndarray]]]) -> Figure:
    """The standard deviation of each layer's activations (left) and of the gradients
    reaching its pre-activations (right), on a log scale, one line per run.

    ``runs`` maps a label to ``(activations, gradients)`` as :func:`propagate` returns.
    A standard deviation of exactly 0 cannot be drawn on a log scale and is left out.
    """
    fig = new_figure(10.4, 3.8)
    forward_ax, backward_ax = fig.subplots(1, 2)
    said = []
    for marker, (label, (activations, gradients)) in zip(MARKERS * 3, runs.items()):
        for ax, arrays in ((forward_ax, activations), (backward_ax, gradients)):
            layers = np.arange(1, len(arrays) + 1)
            stds = np.array([np.std(x) for x in arrays])
            shown = stds > 0
            ax.semilogy(layers[shown], stds[shown], marker=marker, label=label)
            said.append(f"{label}, {'activations' if ax is forward_ax else 'gradients'}: "
                        f"{stds[0]:.2g} at layer 1, {stds[-1]:.2g} at layer {len(stds)}")
    forward_ax.set(title="forward: std of the activations a_l", xlabel="layer l", ylabel="standard deviation")
    backward_ax.set(title="backward: std of the gradients dL/dz_l", xlabel="layer l",
                    ylabel="standard deviation")
    for ax in (forward_ax, backward_ax):
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    if runs:
        legend_beside(backward_ax)
    return describe(fig, "The standard deviation of each layer's activations (left) and of the gradients "
                         "reaching it (right), log scale, one line per run: " + "; ".join(said) + ".")


def layer_histograms(activations: Sequence[np.ndarray], title: str = "", columns: int = 5) -> Figure:
    """Histograms of each layer's activations on one common horizontal scale, so that a
    signal that shrinks or grows through depth shows as a spike that narrows or a spread
    that widens; ``columns`` panels per row.

    The common range holds the middle 99.8% of all the values (a few extreme values would
    otherwise squash every panel). Exact zeros, half of the outputs of a ReLU, are counted
    in the title and not drawn, so that the rest of the distribution stays visible.
    """
    depth = len(activations)
    rows = -(-depth // columns)
    fig = new_figure(2.0 * min(depth, columns) + 0.6, 2.1 * rows + 0.6)
    axes = fig.subplots(rows, min(depth, columns), squeeze=False)
    everything = np.concatenate([np.ravel(a) for a in activations])
    low, high = np.quantile(everything, [0.001, 0.999])
    if high <= low:  # every value the same: a narrow window around it
        low, high = low - 1.0, high + 1.0
    bins = np.linspace(low, high, 41)
    said = []
    for l, ax in enumerate(axes.flat):
        if l >= depth:
            ax.set_visible(False)
            continue
        values = np.ravel(activations[l])
        heading = f"layer {l + 1}: std {np.std(values):.2g}"
        zeros = np.mean(values == 0)
        if zeros > 0.05:
            values = values[values != 0]
            heading += f"\n{zeros:.0%} exactly 0 (not drawn)"
        ax.hist(values, bins=bins, color=BLUE)
        ax.set_title(heading, fontsize=9)
        ax.set_xlim(low, high)
        ax.set_yticks([])
        ax.set_xticks([low, (low + high) / 2, high], [f"{v:.2g}" for v in (low, (low + high) / 2, high)])
        ax.tick_params(axis="x", labelsize=8)
        if l % columns == 0:
            ax.set_ylabel("count")
        if l >= depth - columns:
            ax.set_xlabel("activation")
        said.append(heading.replace("\n", ", "))
    if title:
        fig.suptitle(title, fontsize=10)
    return describe(fig, f"Histograms of the activations of {depth} layers on one scale, from {low:.2g} "
                         f"to {high:.2g}" + (f" ({title})" if title else "") + ": " + "; ".join(said) + ".")


def symmetry_training(runs: Mapping[str, tuple[np.ndarray, Sequence[float] | np.ndarray]]) -> Figure:
    """Training from a constant start against a random one.

    ``runs`` maps a label to ``(hidden_weights, losses)``: ``hidden_weights`` of shape
    ``(steps + 1, H)`` holds, after each step, the weight from the first input to each of
    the H hidden units; ``losses`` the loss at each step. One panel per run shows the H
    weights over training (identical units draw one line on top of another); the last
    panel compares the losses on a log scale.
    """
    columns = min(2, len(runs) + 1)
    rows = -(-(len(runs) + 1) // columns)
    fig = new_figure(10.0, 3.0 * rows + 0.2)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(runs) + 1:]:
        ax.set_visible(False)
    loss_ax = axes[len(runs)]
    said = []
    for ax, (label, (hidden_weights, losses)) in zip(axes, runs.items()):
        steps = np.arange(hidden_weights.shape[0])
        for j in range(hidden_weights.shape[1]):
            ax.plot(steps, hidden_weights[:, j], marker=MARKERS[j % len(MARKERS)],
                    markevery=max(1, len(steps) // 8), label=f"hidden unit {j + 1}")
        last = hidden_weights[-1]
        distinct = sum(not np.isclose(last[j], last[:j], rtol=1e-9, atol=1e-12).any()
                       for j in range(len(last)))
        ax.set(title=f"{label}: {distinct} distinct unit{'s' if distinct > 1 else ''}",
               xlabel="training step", ylabel="weight from input 1")
        ax.title.set_fontsize(10)
        legend_beside(ax)
        ax.grid(alpha=0.3)
        loss_ax.semilogy(np.arange(len(losses)), losses, label=label)
        said.append(f"{label}: {distinct} distinct unit{'s' if distinct > 1 else ''}, loss from "
                    f"{float(losses[0]):.3g} to {float(losses[-1]):.2g}")
    loss_ax.set(title="loss", xlabel="training step", ylabel="loss (log scale)")
    loss_ax.grid(alpha=0.3)
    legend_beside(loss_ax)
    return describe(fig, "Training from a constant start against a random one: each run's hidden weights "
                         "over training, and the losses: " + "; ".join(said) + ".")
