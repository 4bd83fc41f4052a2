"""Lesson 08 plots: what batch normalization does to a batch, the running averages of its
statistics, and a deep ReLU network trained with and without it from a bad initial scale.

The network is built from the course's references of earlier lessons (dense layers,
ReLU, softmax cross-entropy, SGD with momentum). Its batch-norm functions are this
lesson's exercises, so they are not here: a network with batch normalization runs the
ones it is given, ``functions``, a dict with the keys of ``BATCHNORM_FUNCTIONS`` (the
student's, in the lesson).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from ..a11y import BLUE, GREY, ORANGE, PURPLE, VERMILLION, GREEN, describe, legend_beside
from ..display import new_figure
from ..reference.activations import relu, relu_backward
from ..reference.backprop import dense_backward
from ..reference.forward import dense_forward
from ..reference.losses import softmax_cross_entropy
from ..reference.optimizers import momentum_step

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from . import Functions

#: The keys of ``functions``, the batch-norm functions a network with batch normalization
#: uses, and the lesson's function each stands for. ``network_forward`` needs "forward" (in
#: training mode) or "inference", ``network_backward`` "backward", ``train_network``
#: "forward", "backward" and "update", ``classify`` "inference".
BATCHNORM_FUNCTIONS = {
    "forward": "batchnorm_forward",
    "backward": "batchnorm_backward",
    "inference": "batchnorm_inference",
    "update": "update_running_stats",
}

#: Losses above this (nats) leave the loss panel; a note gives the largest.
LOSS_CEILING = 30.0
#: The loss panel's dark lines average this many steps.
SMOOTHING = 10


def spiral(rng: np.random.Generator, per_class: int = 60, classes: int = 3, noise: float = 0.2
           ) -> tuple[np.ndarray, np.ndarray]:
    """Points on ``classes`` interleaved spiral arms in the plane, standardised.

    Returns ``x`` of shape (classes * per_class, 2) and integer labels ``y``. No line (nor
    a shallow network) separates the arms well; a deep ReLU network can.
    """
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for c in range(classes):
        radius = np.linspace(0.05, 1.0, per_class)
        angle = np.linspace(4.0 * c, 4.0 * (c + 1), per_class) + noise * rng.standard_normal(per_class)
        xs.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        ys.append(np.full(per_class, c))
    x = np.vstack(xs)
    return (x - x.mean(axis=0)) / x.std(axis=0), np.concatenate(ys)


@dataclass
class Network:
    """A ReLU network: ``depth`` hidden layers of ``width`` units, then a linear output.

    Hidden layer l computes ``relu(bn_l(a W_l))`` with batch normalization, or
    ``relu(a W_l + b_l)`` without; a bias before batch normalization would be
    subtracted again with the batch mean, so there ``beta_l`` takes its place.
    """
    # lists of arrays, one per layer (network_backward's gradients start as lists of None)
    weights: list[Any]
    biases: list[Any]
    gammas: list[Any] = field(default_factory=list)
    betas: list[Any] = field(default_factory=list)
    running_means: list[Any] = field(default_factory=list)
    running_vars: list[Any] = field(default_factory=list)

    @property
    def batchnorm(self) -> bool:
        return bool(self.gammas)

    @property
    def depth(self) -> int:
        return len(self.weights) - 1


def init_network(depth: int, width: int, scale: float, rng: np.random.Generator, batchnorm: bool,
                 inputs: int = 2, classes: int = 3) -> Network:
    """Every weight drawn from N(0, scale^2) (He's choice would be scale = sqrt(2 / fan_in));
    biases and betas 0, gammas 1, running means 0 and running variances 1."""
    sizes = [inputs] + [width] * depth + [classes]
    weights = [scale * rng.standard_normal((a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [np.zeros(b) for b in sizes[1:]]
    net = Network(weights, biases)
    if batchnorm:
        net.gammas = [np.ones(width) for _ in range(depth)]
        net.betas = [np.zeros(width) for _ in range(depth)]
        net.running_means = [np.zeros(width) for _ in range(depth)]
        net.running_vars = [np.ones(width) for _ in range(depth)]
    return net


def batchnorm_function(functions: Functions | None, key: str) -> Callable[..., Any]:
    """``functions[key]``, or an error that says what to pass."""
    if functions is None or key not in functions:
        example = ", ".join(f'"{k}": {name}' for k, name in BATCHNORM_FUNCTIONS.items())
        raise ValueError(f"a network with batch normalization needs its {BATCHNORM_FUNCTIONS[key]}: "
                         f"pass functions={{{example}}}")
    return functions[key]


def require_functions(functions: Functions | None,
                      keys: Sequence[str] = ("forward", "backward", "update")) -> None:
    """Refuse ``functions`` without each of ``keys`` (by default, what training needs)."""
    for key in keys:
        batchnorm_function(functions, key)


def network_forward(net: Network, x: np.ndarray, functions: Functions | None = None, training: bool = True
                    ) -> tuple[np.ndarray, list[Any], list[np.ndarray]]:
    """Logits of shape (N, classes), the caches for :func:`network_backward`, and the list
    of each hidden layer's input to its ReLU (after batch normalization, when used).

    In training mode batch normalization uses the batch's statistics; otherwise the
    running ones. ``functions`` is needed with batch normalization only."""
    if net.batchnorm:
        normalise = batchnorm_function(functions, "forward" if training else "inference")
    a = x
    caches: list[Any] = []  # (a, z, u, bn_cache) per hidden layer, then the last input
    hidden: list[np.ndarray] = []
    for l in range(net.depth):
        W = net.weights[l]
        if not net.batchnorm:
            z = dense_forward(a, W, net.biases[l])  # (N, D) @ (D, width) -> (N, width)
            u, bn_cache = z, None
        elif training:
            z = a @ W
            u, bn_cache = normalise(z, net.gammas[l], net.betas[l])
        else:
            z = a @ W
            u, bn_cache = normalise(z, net.gammas[l], net.betas[l],
                                    net.running_means[l], net.running_vars[l]), None
        caches.append((a, z, u, bn_cache))
        hidden.append(u)
        a = relu(u)
    logits = dense_forward(a, net.weights[-1], net.biases[-1])
    caches.append(a)
    return logits, caches, hidden


def network_backward(net: Network, dlogits: np.ndarray, caches: list[Any], functions: Functions | None = None
                     ) -> Network:
    """Gradients of the loss for every parameter, as a Network of the same shape.
    ``functions`` is needed with batch normalization only."""
    if net.batchnorm:
        normalise_backward = batchnorm_function(functions, "backward")
    depth = net.depth
    grads = Network([None] * (depth + 1), [None] * (depth + 1),
                    [None] * depth if net.batchnorm else [], [None] * depth if net.batchnorm else [])
    d, grads.weights[-1], grads.biases[-1] = dense_backward(dlogits, caches[-1], net.weights[-1])
    for l in reversed(range(depth)):
        a, z, u, bn_cache = caches[l]
        d = relu_backward(d, u)  # dL/du
        if net.batchnorm:
            d, grads.gammas[l], grads.betas[l] = normalise_backward(d, bn_cache)
            grads.biases[l] = np.zeros_like(net.biases[l])  # not used: beta does its job
        d, grads.weights[l], db = dense_backward(d, a, net.weights[l])
        if not net.batchnorm:
            grads.biases[l] = db
    return grads


@dataclass
class TrainingRun:
    losses: np.ndarray  # the loss on each step's mini-batch; inf from the first non-finite one
    hidden_at_start: list[np.ndarray]  # each hidden layer's input to its ReLU, on all of x, at step 0
    net: Network


def train_network(x: np.ndarray, y: np.ndarray, depth: int = 8, width: int = 32, scale: float = 0.02,
                  batchnorm: bool = True, steps: int = 120, lr: float = 0.05, batch_size: int = 60,
                  momentum: float = 0.9, seed: int = 0, functions: Functions | None = None) -> TrainingRun:
    """Train a network of :func:`init_network` with SGD and momentum (lesson 07) on
    mini-batches of softmax cross-entropy (lesson 06), updating the running statistics
    of batch normalization after every step's forward pass.

    ``functions`` (see ``BATCHNORM_FUNCTIONS``) is needed with batch normalization only.
    A run that overflows stops there: its remaining losses are inf."""
    if batchnorm:
        require_functions(functions)  # refused now, not halfway through the first step
    rng = np.random.default_rng(seed)
    net = init_network(depth, width, scale, rng, batchnorm, inputs=x.shape[1], classes=int(y.max()) + 1)
    with np.errstate(all="ignore"):  # a diverging run is reported by its losses, not warnings
        hidden_at_start = network_forward(net, x, functions)[2]
        velocities = _like(net)
        losses = np.full(steps, np.inf)
        order = np.arange(0)
        for step in range(steps):
            if order.size < batch_size:  # a new epoch: reshuffle
                order = rng.permutation(len(x))
            batch, order = order[:batch_size], order[batch_size:]
            logits, caches, _ = network_forward(net, x[batch], functions)
            loss, dlogits = softmax_cross_entropy(logits, y[batch])
            if not np.isfinite(loss):
                break
            losses[step] = loss
            grads = network_backward(net, dlogits, caches, functions)
            for l in range(depth if batchnorm else 0):  # the statistics of this batch
                z = caches[l][1]
                # only with batchnorm, where require_functions has refused functions=None
                net.running_means[l], net.running_vars[l] = functions["update"](  # type: ignore[index]
                    net.running_means[l], net.running_vars[l], z)
            for name in ("weights", "biases", "gammas", "betas"):
                params, dparams, vs = getattr(net, name), getattr(grads, name), getattr(velocities, name)
                for i in range(len(params)):
                    params[i], vs[i] = momentum_step(params[i], dparams[i], vs[i], lr=lr, momentum=momentum)
    return TrainingRun(losses, hidden_at_start, net)


def classify(net: Network, x: np.ndarray, functions: Functions | None = None) -> np.ndarray:
    """Class predictions of shape (N,), with batch normalization in inference mode
    (``functions["inference"]``)."""
    with np.errstate(all="ignore"):
        return network_forward(net, x, functions, training=False)[0].argmax(axis=1)


def _like(net: Network) -> Network:
    zeros = lambda arrays: [np.zeros_like(a) for a in arrays]  # noqa: E731
    return Network(zeros(net.weights), zeros(net.biases), zeros(net.gammas), zeros(net.betas))


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """The mean of the last ``window`` values (fewer at the start), same length."""
    sums = np.cumsum(np.concatenate([[0.0], values]))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    ends = np.arange(1, len(values) + 1)
    return (sums[ends] - sums[ends - counts]) / counts


def training_comparison(runs: Mapping[str, TrainingRun], layer: int | None = None) -> Figure:
    """Loss curves of the runs (left, log scale) and, for each run, a histogram of one
    hidden layer's inputs to its ReLU at initialization, with their standard deviation.

    ``runs`` maps a label to a :class:`TrainingRun`; ``layer`` counts from 1 (default:
    the last hidden layer). A run that diverged ends where its loss stopped being finite.
    """
    labels = list(runs)
    fig = new_figure(min(10.4, 4.6 + 2.8 * len(labels)), 3.9)
    axes = fig.subplots(1, 1 + len(labels), width_ratios=[1.6] + [1] * len(labels))
    loss_ax, hist_axes = axes[0], axes[1:]
    colours = [VERMILLION, BLUE, GREEN, PURPLE]
    styles = ["--", "-", "-.", ":"]
    said = []
    for colour, style, label in zip(colours, styles, labels):
        losses = runs[label].losses
        finite = np.isfinite(losses)
        steps = np.arange(1, len(losses) + 1)
        notes = []
        if losses[finite].size and losses[finite].max() > LOSS_CEILING:
            notes.append(f"loss up to {losses[finite].max():.2g}")
        if not finite.all():
            notes.append(f"overflow at step {int(np.argmin(finite)) + 1}")
        loss_ax.semilogy(steps[finite], losses[finite], color=colour, alpha=0.3, linewidth=0.8, linestyle="-")
        loss_ax.semilogy(steps[finite], moving_average(losses[finite], SMOOTHING), color=colour,
                         linestyle=style, linewidth=2, label=label + (f" ({', '.join(notes)})" if notes else ""))
        kept = losses[finite]
        said.append(f"{label}: loss from {kept[0]:.3g} to {kept[-1]:.3g} over {len(kept)} steps"
                    + (f" ({', '.join(notes)})" if notes else "") if kept.size else f"{label}: no finite loss")
    shown = np.concatenate([r.losses[np.isfinite(r.losses)] for r in runs.values()] + [[1.0]])
    shown = shown[shown > 0]  # a log axis cannot show a loss of exactly 0
    loss_ax.set_ylim(0.5 * shown.min(), min(2.0 * shown.max(), LOSS_CEILING))
    loss_ax.set(title=f"training loss (light: each step;\ndark: mean of {SMOOTHING})",
                xlabel="step", ylabel="cross-entropy (log scale)")
    loss_ax.title.set_fontsize(10)
    loss_ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost more to draw than the rest
    loss_ax.grid(alpha=0.3)
    loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), borderaxespad=0.0)
    for ax, colour, label in zip(hist_axes, colours, labels):
        hidden = runs[label].hidden_at_start
        index = len(hidden) - 1 if layer is None else layer - 1
        values = np.ravel(hidden[index])
        values = values[np.isfinite(values)]  # a histogram needs a finite range
        counts, edges = np.histogram(values, bins=40)
        ax.stairs(counts, edges, fill=True, color=colour)
        ax.set_title(f"{label}\nlayer {index + 1} at the start:\nstd {np.std(values):.2g}", fontsize=10)
        ax.set_ylabel("units x samples" if ax is hist_axes[0] else "")
        ax.set_xlabel("input to the ReLU")
        # the tick labels carry their own powers of ten: no offset text sitting on the label
        ax.set_xticks([edges[0], 0.0, edges[-1]] if edges[0] < 0 < edges[-1] else [edges[0], edges[-1]])
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.2g}"))
        said.append(f"{label}: the inputs to layer {index + 1}'s ReLU at the start range from "
                    f"{edges[0]:.2g} to {edges[-1]:.2g}, std {np.std(values):.2g}")
    return describe(fig, "Left: the training loss of each run per step, log scale. Right: histograms of "
                         "one hidden layer's inputs to its ReLU at initialization. " + "; ".join(said) + ".")


def running_averages(batch_means: Sequence[float] | np.ndarray,
                     running: Mapping[str, Sequence[float] | np.ndarray],
                     true_mean: float | None = None) -> Figure:
    """A statistic of each step's batch (dots) and running averages of it (lines).

    ``batch_means`` has one value per step; ``running`` maps a label (say, a momentum) to
    the running average after each step."""
    fig = new_figure(8.4, 3.6)
    ax = fig.subplots()
    steps = np.arange(1, len(batch_means) + 1)
    ax.plot(steps, batch_means, ".", color=GREY, label="the batch's mean")
    said = []
    for (label, values), colour, style in zip(running.items(), (ORANGE, BLUE, VERMILLION), ("-", "-.", ":")):
        ax.plot(steps, values, linewidth=2, color=colour, linestyle=style, label=label)
        said.append(f"{label}: {float(np.asarray(values)[-1]):.3g} after step {len(steps)}")
    if true_mean is not None:
        ax.axhline(true_mean, color="black", linestyle="--", linewidth=1, label="the population's mean")
    ax.set(xlabel="training step", ylabel="mean of one feature", title="running averages of the batch mean")
    ax.grid(alpha=0.3)
    legend_beside(ax)
    population = f"; the population's mean is {true_mean:g}" if true_mean is not None else ""
    return describe(fig, f"The mean of each of {len(steps)} batches (dots, from {np.min(batch_means):.3g} to "
                         f"{np.max(batch_means):.3g}) and running averages of it (lines): " + "; ".join(said)
                         + population + ".")


def before_and_after(x: np.ndarray, out: np.ndarray,
                     labels: Sequence[str] = ("x", "batchnorm_forward(x, gamma, beta)"),
                     units: Sequence[str] = ("feature 1", "feature 2")) -> Figure:
    """Two features of a batch before (left) and after (right) batch normalization, on
    axes of the same scale, with each panel's per-feature mean and standard deviation.
    ``units`` names the two features (with their units) as measured before."""
    fig = new_figure(9.0, 4.0)
    axes = fig.subplots(1, 2)
    said = []
    for ax, data, label, after in zip(axes, (x, out), labels, (False, True)):
        ax.scatter(data[:, 0], data[:, 1], s=12, color=BLUE, label="a sample")
        mean, std = data.mean(axis=0), data.std(axis=0)
        ax.plot([mean[0]], [mean[1]], "X", color=ORANGE, markeredgecolor="black", markersize=11,
                label="the mean")
        ax.set_title(f"{label}\nmeans ({mean[0]:.3g}, {mean[1]:.3g}), stds ({std[0]:.3g}, {std[1]:.3g})",
                     fontsize=10)
        name_1, name_2 = (f"{u.split(' (')[0]}, normalised (no unit)" for u in units) if after else units
        ax.set(xlabel=name_1, ylabel=name_2)
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(alpha=0.3)
        said.append(f"{label}: {len(data)} samples, means ({mean[0]:.3g}, {mean[1]:.3g}), "
                    f"standard deviations ({std[0]:.3g}, {std[1]:.3g})")
    legend_beside(axes[1])
    return describe(fig, f"Scatter plots of two features, {units[0]} and {units[1]}, before (left) and after "
                         f"(right) batch normalization, the mean marked with a cross: " + "; ".join(said) + ".")
