"""Lesson 04 plots: activation functions and their derivatives, gradients through depth,
and dying ReLUs.

The sigmoid is the course's own (lessons 01 and 03). Everything else these plots draw,
tanh's gradient, ReLU and the leaky ReLU, is what the student writes in this lesson, so
each plot takes those functions as ``functions``: a dict from the graded function's name
to the student's function, e.g. ``{"relu": relu, "relu_backward": relu_backward}``.
A plot needs only the functions of the activations it draws (see :data:`NEEDS`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..a11y import BLUE, GREEN, GREY, ORANGE, VERMILLION, describe, legend_beside, number
from ..display import new_figure
from ..reference.backprop import sigmoid_backward
from ..reference.forward import sigmoid

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from . import Functions

#: The leak drawn in the plots: the default 0.01 would be invisible at their scale.
LEAK = 0.1

#: The activations the plots and the widget know, in the order they are drawn.
NAMES = ("sigmoid", "tanh", "relu", "leaky relu")

#: The lesson's functions that each activation is built from (keys of ``functions``).
NEEDS = {
    "sigmoid": (),
    "tanh": ("tanh_backward",),
    "relu": ("relu", "relu_backward"),
    "leaky relu": ("leaky_relu", "leaky_relu_backward"),
}

#: Weights are drawn with standard deviation gain / sqrt(fan_in). The gains are the usual
#: initialisations (lesson 05): LeCun's 1 for sigmoid and tanh, He's sqrt(2) for the
#: ReLUs, whose units pass no gradient back for half of their inputs.
GAINS = {"sigmoid": 1.0, "tanh": 1.0, "relu": np.sqrt(2.0), "leaky relu": np.sqrt(2.0)}

COLOURS = {"sigmoid": BLUE, "tanh": ORANGE, "relu": GREEN, "leaky relu": VERMILLION}
#: Each activation's marker, so the lines differ by more than colour.
MARKS = {"sigmoid": "o", "tanh": "s", "relu": "^", "leaky relu": "D"}


@dataclass(frozen=True)
class Activation:
    """An activation f as the plots use it: its forward pass, its backward pass from
    whichever of z and a = f(z) it needs, and the gain of its weights (:data:`GAINS`)."""
    name: str
    forward: Callable[[np.ndarray], np.ndarray]  # z -> a
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # (dout, z, a) -> dz
    gain: float

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """f'(z): the gradient through f for an upstream gradient of ones."""
        return self.backward(np.ones_like(z), z, self.forward(z))


def available(functions: Functions) -> tuple[str, ...]:
    """The names of the activations that ``functions`` has everything for, in order."""
    return tuple(name for name in NAMES if all(f in functions for f in NEEDS[name]))


def activation(name: str, functions: Functions) -> Activation:
    """The :class:`Activation` ``name``, with the lesson's functions taken from
    ``functions`` (name -> function)."""
    missing = [f for f in NEEDS[name] if f not in functions]
    if missing:
        raise ValueError(f"the {name} activation needs your {' and '.join(missing)}: pass them in "
                         f"functions, e.g. {{{', '.join(f'{m!r}: {m}' for m in NEEDS[name])}}}")
    f = functions
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    if name == "sigmoid":  # sigma'(z) = a (1 - a), from the output
        forward, backward = sigmoid, lambda dout, z, a: sigmoid_backward(dout, a)
    elif name == "tanh":  # tanh' from the output, like sigmoid's
        forward, backward = np.tanh, lambda dout, z, a: f["tanh_backward"](dout, a)
    elif name == "relu":  # relu' from the pre-activation
        forward, backward = f["relu"], lambda dout, z, a: f["relu_backward"](dout, z)
    else:  # the leaky ReLU at the plots' leak
        forward, backward = (lambda z: f["leaky_relu"](z, LEAK),
                             lambda dout, z, a: f["leaky_relu_backward"](dout, z, LEAK))
    return Activation(name, forward, backward, GAINS[name])


def activation_gallery(functions: Functions, names: Sequence[str] = NAMES, reach: float = 5.0) -> Figure:
    """Each activation (top row) above its derivative (bottom row), over [-reach, reach],
    drawn with the lesson's functions given in ``functions``."""
    fig = new_figure(min(10.4, 2.5 * len(names) + 0.4), 5.2)
    axes = fig.subplots(2, len(names), squeeze=False, sharex=True)
    z = np.linspace(-reach, reach, 1001)  # 1001 points: z = 0 is one of them
    said = []
    for column, name in zip(axes.T, names):
        act = activation(name, functions)
        value_ax, slope_ax = column
        value_ax.plot(z, act.forward(z), color=COLOURS[name])
        slope = act.derivative(z)
        slope_ax.plot(z, slope, color=COLOURS[name])
        peak = float(slope.max())
        slope_ax.axhline(peak, color=GREY, linestyle=":", linewidth=1)
        slope_ax.text(-reach, peak, f"max {peak:g}", va="bottom", fontsize=8, color=GREY)
        values = act.forward(z)
        said.append(f"{name}: values from {number(values.min())} to {number(values.max())}, "
                    f"derivative at most {peak:g}")
        title = f"{name} (alpha = {LEAK:g})" if name == "leaky relu" else name
        value_ax.set_title(title, fontsize=10)
        slope_ax.set_title(f"derivative of {name}", fontsize=10)
        slope_ax.set_ylim(-0.05, 1.15)
        slope_ax.set_xlabel("z")
        value_ax.set_ylabel("f(z)" if name == names[0] else "")
        slope_ax.set_ylabel("f'(z)" if name == names[0] else "")
        for ax in column:
            ax.grid(alpha=0.3)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.axvline(0, color="black", linewidth=0.6)
    return describe(fig, f"Each activation (top row) above its derivative (bottom row), for z from "
                         f"{number(-reach)} to {number(reach)}: " + "; ".join(said) + ".")


def layer_gradients(act: Activation, x: np.ndarray, weights: list[np.ndarray], grad_out: np.ndarray
                    ) -> list[np.ndarray]:
    """dL/dz at each layer of the network ``a_l = f(a_(l-1) @ W_l)`` (no biases), from
    ``a_0 = x``, for the loss ``L = sum(grad_out * a_L)``, with ``f`` the
    :class:`Activation` ``act``: a list, layer 1 first."""
    a = x
    saved: list[tuple[np.ndarray, np.ndarray]] = []
    for W in weights:  # forward, keeping each layer's z and a
        z = a @ W
        a = act.forward(z)
        saved.append((z, a))
    grad = grad_out
    dzs: list[np.ndarray] = []
    for W, (z, a) in zip(reversed(weights), reversed(saved)):
        dz = act.backward(grad, z, a)  # through the activation
        dzs.append(dz)
        grad = dz @ W.T  # through the weights: (N, M) @ (M, D) -> (N, D)
    return dzs[::-1]


def gradient_norms(act: Activation, depth: int, width: int = 64, batch: int = 64, seed: int = 0
                   ) -> np.ndarray:
    """RMS of dL/dz at each layer of a random ``depth``-layer network of the
    :class:`Activation` ``act``, layer 1 (next to the input) first.

    The inputs are standard normal, the ``depth`` layers square (``width`` units) with
    weights of standard deviation ``act.gain / sqrt(width)``, and the upstream gradient at
    the output is standard normal, so its RMS is about 1.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width))
    weights = [rng.normal(scale=act.gain / np.sqrt(width), size=(width, width)) for _ in range(depth)]
    dzs = layer_gradients(act, x, weights, rng.normal(size=(batch, width)))
    return np.array([np.sqrt(np.mean(dz ** 2)) for dz in dzs])


def _draw_gradient_norms(ax: Axes, act: Activation, depth: int, guide: bool) -> np.ndarray:
    norms = gradient_norms(act, depth)
    layers = np.arange(1, depth + 1)
    colour = COLOURS[act.name]
    ax.semilogy(layers, norms, "-", marker=MARKS[act.name], color=colour, markersize=4, label=act.name)
    if guide:  # x 0.25 per layer, counted back from the output layer
        ax.semilogy(layers, norms[-1] * 0.25 ** (depth - layers), "--", color=colour,
                    linewidth=1, label="x 0.25 per layer")
    return norms


def gradient_through_depth(functions: Functions, depth: int = 20,
                           names: Sequence[str] = ("sigmoid", "tanh", "relu")) -> Figure:
    """The gradient magnitude reaching each layer of a deep network, one line per
    activation (built with the lesson's ``functions``), with the sigmoid's bound of 0.25
    per layer as a dashed guide."""
    fig = new_figure(6.4, 4.0)
    ax = fig.subplots()
    for name in names:
        _draw_gradient_norms(ax, activation(name, functions), depth, guide=name == "sigmoid")
    ax.set(xlabel="layer (1 = first, next to the input)", ylabel="RMS of dL/dz at that layer",
           title=f"Gradient reaching each layer of a {depth}-layer network")
    ax.set_xticks(range(1, depth + 1, max(1, depth // 10)))
    ax.grid(alpha=0.3)
    legend_beside(ax)
    drawn = {str(line.get_label()): np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()}
    said = "; ".join(f"{name}: layer 1 gets {drawn[name][0]:.2g}, layer {depth} {drawn[name][-1]:.2g}"
                     for name in names)
    return describe(fig, f"The RMS gradient reaching each layer of a {depth}-layer network, on a log "
                         f"scale, one line per activation: {said}.")


def activation_and_depth(functions: Functions, name: str, depth: int) -> Figure:
    """The widget's picture: the activation ``name`` (built with the lesson's
    ``functions``) and its derivative, and the gradient magnitude reaching each layer of
    a ``depth``-layer network that uses it."""
    fig = new_figure(9.5, 3.6)
    shape_ax, depth_ax = fig.subplots(1, 2)
    act = activation(name, functions)
    z = np.linspace(-4, 4, 801)
    shape_ax.plot(z, act.forward(z), color=COLOURS[name], label=name)
    shape_ax.plot(z, act.derivative(z), color="black", linestyle="--", label="its derivative")
    shape_ax.set(xlabel="z", ylabel="f(z) and f'(z)",
                 title=f"{name}" + (f" (alpha = {LEAK:g})" if name == "leaky relu" else ""))
    shape_ax.grid(alpha=0.3)
    shape_ax.legend(fontsize=8, loc="upper left")
    norms = _draw_gradient_norms(depth_ax, act, depth, guide=name == "sigmoid")
    # a fixed floor of 1e-3 keeps a flat line looking flat rather than zoomed into noise
    depth_ax.set(xlabel="layer (1 = next to the input)", ylabel="RMS of dL/dz",
                 ylim=(min(1e-3, norms.min() / 3), max(3.0, norms.max() * 3)),
                 title=f"layer 1 gets {norms[0] / norms[-1]:.2g} x the last layer's gradient")
    depth_ax.title.set_fontsize(10)
    depth_ax.grid(alpha=0.3)
    legend_beside(depth_ax)
    slope = act.derivative(z)
    return describe(fig, f"Left: {name} and its derivative for z from -4 to 4 (the derivative from "
                         f"{number(slope.min())} to {number(slope.max())}). Right: the RMS gradient reaching "
                         f"each layer of a {depth}-layer {name} network, log scale: {norms[-1]:.2g} at the last "
                         f"layer, {norms[0]:.2g} at layer 1, {norms[0] / norms[-1]:.2g} times the last layer's.")


def dead_fraction(z: np.ndarray) -> float:
    """Fraction of units that are dead on a batch: columns of the (N, M) pre-activations
    ``z`` that are <= 0 for every sample, so relu passes back no gradient at all."""
    return float(np.mean(np.all(z <= 0, axis=0)))


@dataclass(frozen=True)
class DyingReluSetup:
    """One ReLU layer on a batch of inputs in [0, 1] (like pixel intensities, or the
    outputs of a previous ReLU layer, which are never negative), a linear output, and
    targets 3 below the outputs: the gradient tells every unit that feeds the output
    positively to lower its output. ``act`` is the ReLU :class:`Activation`, built from
    the lesson's ``relu`` and ``relu_backward``."""
    act: Activation
    x: np.ndarray  # (N, D)
    W1: np.ndarray  # (D, M)
    b1: np.ndarray  # (M,)
    W2: np.ndarray  # (M, 1)
    y: np.ndarray  # (N, 1)

    @classmethod
    def make(cls, functions: Functions, n: int = 200, d: int = 10, m: int = 100, seed: int = 0
             ) -> DyingReluSetup:
        """The setup with ``functions["relu"]`` and ``functions["relu_backward"]``."""
        act = activation("relu", functions)
        rng = np.random.default_rng(seed)
        x = rng.uniform(size=(n, d))
        W1 = rng.normal(scale=np.sqrt(2.0 / d), size=(d, m))  # He initialisation
        W2 = rng.normal(scale=np.sqrt(1.0 / m), size=(m, 1))
        out = act.forward(x @ W1) @ W2
        return cls(act, x, W1, np.zeros(m), W2, out - 3.0)

    def gradient(self) -> tuple[np.ndarray, np.ndarray]:
        """(dW1, db1) of the loss mean((out - y)^2), out = relu(x @ W1 + b1) @ W2."""
        z = self.x @ self.W1 + self.b1
        a = self.act.forward(z)
        out = a @ self.W2
        dout = 2.0 * (out - self.y) / len(self.y)
        dz = self.act.backward(dout @ self.W2.T, z, a)  # (N, 1) @ (1, M), then through relu
        return self.x.T @ dz, dz.sum(axis=0)

    def dead_after_shift(self, shift: float) -> float:
        return dead_fraction(self.x @ self.W1 + self.b1 - shift)

    def dead_after_step(self, lr: float) -> float:
        dW1, db1 = self.gradient()
        return dead_fraction(self.x @ (self.W1 - lr * dW1) + (self.b1 - lr * db1))


#: The bias shifts and learning rates dying_relu tries by default.
SHIFTS = np.linspace(0.0, 6.0, 25)
LEARNING_RATES = np.logspace(-2, 2, 25)


def dying_relu(functions: Functions, shifts: np.ndarray = SHIFTS,
               learning_rates: np.ndarray = LEARNING_RATES, seed: int = 0) -> Figure:
    """Fraction of dead ReLU units on a batch (the lesson's ``relu`` and
    ``relu_backward`` from ``functions``): after every bias is lowered by a shift (left),
    and after one gradient-descent step of a given learning rate (right)."""
    setup = DyingReluSetup.make(functions, seed=seed)
    fig = new_figure(9.5, 3.6)
    shift_ax, step_ax = fig.subplots(1, 2, sharey=True)
    after_shift = [setup.dead_after_shift(s) for s in shifts]
    after_step = [setup.dead_after_step(lr) for lr in learning_rates]
    shift_ax.plot(shifts, after_shift, "o-", color=GREEN, markersize=4)
    shift_ax.set(xlabel="shift: every bias b lowered by this much", ylabel="fraction of units dead",
                 title="after a negative bias shift", ylim=(-0.03, 1.03))
    step_ax.semilogx(learning_rates, after_step, "s-", color=VERMILLION, markersize=4)
    step_ax.set(xlabel="learning rate of one gradient step", title="after one gradient step")
    for ax in (shift_ax, step_ax):
        ax.grid(alpha=0.3)
    return describe(fig, f"The fraction of dead ReLU units: after every bias is lowered by a shift from "
                         f"{number(shifts[0])} to {number(shifts[-1])} (left), from {after_shift[0]:.0%} to "
                         f"{after_shift[-1]:.0%}; and after one gradient step with a learning rate from "
                         f"{number(learning_rates[0])} to {number(learning_rates[-1])} (right), from "
                         f"{after_step[0]:.0%} to {after_step[-1]:.0%}.")
