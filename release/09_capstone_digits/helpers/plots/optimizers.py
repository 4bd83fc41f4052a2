"""Lesson 07 plots: the learning rate on a parabola, mini-batch noise, bias correction,
the optimizers' paths over an ill-conditioned valley, and training a small network.

The valley is f(w) = 0.5 w^T H w with H = R diag(1, 25) R^T: curvature 1 along its floor
and 25 across it (R turns it by ``angle`` degrees; angle 0 gives 0.5 (w1^2 + 25 w2^2)).

The four optimizers are this lesson's exercises, so nothing here implements them: the
paths over the valley run the step functions they are given (``functions``, a dict from
an optimizer's name to its step function: the student's in the lesson).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

from ..display import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from . import Functions

#: Curvatures of the valley along its floor and across it.
CURVATURES = (1.0, 25.0)
#: Where every path over the valley starts.
START = np.array([-8.0, 1.6])
#: The four optimizers, in the lesson's order; ``functions`` maps each to its step function
#: (sgd_step, momentum_step, rmsprop_step, adam_step).
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
#: Settings that work on the valley; "momentum" is Adam's beta1 for Adam and is unused
#: by sgd and rmsprop.
VALLEY_SETTINGS = {
    "sgd": {"lr": 0.07, "momentum": 0.9},
    "momentum": {"lr": 0.02, "momentum": 0.8},
    "rmsprop": {"lr": 0.3, "momentum": 0.9},
    "adam": {"lr": 0.2, "momentum": 0.9},
}
#: The part of the plane the valley plots show.
VIEW = (-10.0, 3.0, -3.0, 3.0)  # w1 from, w1 to, w2 from, w2 to


def _no_minor_ticks(ax: Axes) -> None:
    """Log axes draw dozens of minor ticks, which cost more time than the data: drop them."""
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_locator(NullLocator())


def valley_hessian(angle: float = 0.0) -> np.ndarray:
    """H = R diag(1, 25) R^T, R the rotation by ``angle`` degrees."""
    a = np.deg2rad(angle)
    rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return rotation @ np.diag(CURVATURES) @ rotation.T


def valley_loss(w: np.ndarray, angle: float = 0.0) -> np.ndarray:
    """0.5 w^T H w for w of shape (..., 2)."""
    w = np.asarray(w, dtype=float)
    return 0.5 * np.einsum("...i,ij,...j->...", w, valley_hessian(angle), w)


def valley_gradient(w: np.ndarray, angle: float = 0.0) -> np.ndarray:
    """H w, the gradient of :func:`valley_loss`, for w of shape (..., 2)."""
    return np.asarray(w, dtype=float) @ valley_hessian(angle)  # H is symmetric


def require_steps(functions: Functions, names: Sequence[str] = OPTIMIZERS) -> None:
    """Refuse a ``functions`` dict without a step function for each of ``names``."""
    missing = [name for name in names if name not in functions]
    if missing:
        raise ValueError(f"functions has no step function for {', '.join(missing)}: pass a dict "
                         '{"sgd": sgd_step, "momentum": momentum_step, "rmsprop": rmsprop_step, '
                         '"adam": adam_step}')


def optimizer_path(name: str, gradient: Callable[[np.ndarray], np.ndarray], w0: np.ndarray, steps: int,
                   lr: float, momentum: float = 0.9, limit: float = 1e6, *, functions: Functions
                   ) -> np.ndarray:
    """The iterates [w0, w1, ...] of the named optimizer, as an array of shape
    (K + 1, *w0.shape), each step taken by ``functions[name]``, called as lesson 07's step
    functions are: ``sgd_step(w, dw, lr)``, ``momentum_step(w, dw, velocity, lr, momentum)``,
    ``rmsprop_step(w, dw, cache, lr)``, ``adam_step(w, dw, m, v, t, lr, beta1)``.
    ``momentum`` is the momentum of "momentum" and Adam's beta1; sgd and rmsprop ignore
    it. Stops early once some |w| exceeds ``limit``: the run has diverged."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")
    require_steps(functions, [name])
    step = functions[name]
    w = np.asarray(w0, dtype=float)
    first, second = np.zeros_like(w), np.zeros_like(w)
    path = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            dw = gradient(w)
            if name == "sgd":
                w = step(w, dw, lr=lr)
            elif name == "momentum":
                w, first = step(w, dw, first, lr=lr, momentum=momentum)
            elif name == "rmsprop":
                w, second = step(w, dw, second, lr=lr)
            else:
                w, first, second = step(w, dw, first, second, t, lr=lr, beta1=momentum)
            path.append(w)
            if not np.all(np.abs(w) < limit):
                break
    return np.array(path)


def describe_run(path: np.ndarray, loss: Callable[[np.ndarray], np.ndarray | float]) -> str:
    """A few words on how a run ended: 'loss after 60 steps: 1.2e-03', 'diverging: ...'
    when the loss ended above where it started, 'diverged by step k' when it blew up."""
    final, steps = path[-1], len(path) - 1
    if not np.all(np.isfinite(final)) or np.max(np.abs(final)) >= 1e6:
        return f"diverged by step {steps}"
    end = float(loss(final))
    if end > float(loss(path[0])):
        return f"diverging: loss {end:.1e} after {steps} steps"
    return f"loss after {steps} steps: {end:.1e}"


def valley_paths(runs: Sequence[tuple[str, np.ndarray]], angle: float = 0.0, highlight: str | None = None
                 ) -> Figure:
    """One panel per run, side by side: the valley's contours and the run's path.

    ``runs`` is a list of (title, path) with path of shape (K + 1, 2); the panel whose
    title starts with ``highlight`` gets a thick frame. The start is a black dot and the
    minimum at (0, 0) a star.
    """
    fig = new_figure(3.3 * len(runs) + 0.3, 3.5)
    axes = np.atleast_1d(fig.subplots(1, len(runs), sharey=True))
    x0, x1, y0, y1 = VIEW
    g1, g2 = np.meshgrid(np.linspace(x0, x1, 131), np.linspace(y0, y1, 61))
    surface = valley_loss(np.stack([g1, g2], axis=-1), angle)
    levels = np.geomspace(0.05, 300, 13)
    for ax, (title, path) in zip(axes, runs):
        ax.contour(g1, g2, surface, levels=levels, colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "-o", color="tab:red", markersize=2.5, linewidth=1.2)
        ax.plot([path[0, 0]], [path[0, 1]], "o", color="black", markersize=5)
        ax.plot([0.0], [0.0], "*", color="tab:green", markersize=11)
        ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="w1")
        status = describe_run(path, lambda w: valley_loss(w, angle))
        ax.set_title(f"{title}\n{status}", fontsize=9)
        if highlight is not None and title.startswith(highlight):
            ax.title.set_fontweight("bold")
            for spine in ax.spines.values():
                spine.set_linewidth(3)
                spine.set_color("tab:blue")
    axes[0].set_ylabel("w2")
    return fig


def learning_rates(curvature: float, lrs: Sequence[float], w0: float = 1.0, steps: int = 20) -> Figure:
    """Gradient descent on f(w) = curvature / 2 * w^2 from w0, one run per learning rate.

    Left: the parabola with each run's first iterates. Right: |w_k| against k on a log
    scale; the runs with lr < 2 / curvature shrink, the others grow.
    """
    fig = new_figure(10, 3.8)
    parabola_ax, error_ax = fig.subplots(1, 2)
    reach = 1.6 * abs(w0)
    grid = np.linspace(-reach, reach, 201)
    parabola_ax.plot(grid, 0.5 * curvature * grid ** 2, color="0.6")
    for lr in lrs:
        # Gradient descent on this parabola: w - lr * (curvature * w) = (1 - lr * curvature) w,
        # the factor worked out in section 1 (the lesson shows this before sgd_step is written).
        factor = 1 - lr * curvature
        w: Any = [float(w0)]  # the iterates: a list, then their array
        for _ in range(steps):
            w.append(factor * w[-1])
        w = np.array(w)
        label = f"lr = {lr:g}: w <- {factor:+.2f} w"
        shown = w[:6]
        lines = parabola_ax.plot(shown, 0.5 * curvature * shown ** 2, "-o", markersize=4,
                                 linewidth=1, label=label)
        error_ax.semilogy(np.arange(steps + 1), np.abs(w) + 1e-300, "-o", markersize=3,
                          color=lines[0].get_color(), label=label)
    parabola_ax.set(xlim=(-reach, reach), ylim=(-0.05 * curvature * reach ** 2, 0.55 * curvature * reach ** 2),
                    xlabel="w", ylabel="f(w)",
                    title=f"f(w) = {curvature:g}/2 w², first 5 steps")
    error_ax.set(xlabel="step k", ylabel="|w_k| (distance to the minimum)",
                 title=f"stable only for lr < 2 / {curvature:g} = {2 / curvature:g}")
    for ax in (parabola_ax, error_ax):
        ax.grid(alpha=0.3)
    error_ax.legend(fontsize=8)
    _no_minor_ticks(error_ax)
    return fig


def minibatch_noise(batch_sizes: Sequence[int] | np.ndarray, spreads: Sequence[float] | np.ndarray,
                    curves: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """Left: the spread of mini-batch gradients against the batch size (log-log) with the
    1 / sqrt(B) law through the first point. Right: ``curves`` maps a label to
    (samples processed, loss): each run's loss against the work it has done."""
    fig = new_figure(10, 3.8)
    spread_ax, loss_ax = fig.subplots(1, 2)
    b = np.asarray(batch_sizes, dtype=float)
    s = np.asarray(spreads, dtype=float)
    spread_ax.loglog(b, s, "o-", color="tab:blue", label="measured spread")
    spread_ax.loglog(b, s[0] * np.sqrt(b[0] / b), "--", color="0.5", label="∝ 1 / sqrt(B)")
    spread_ax.set(xlabel="batch size B", ylabel="std of the gradient estimate",
                  title="noise of a mini-batch gradient")
    # label the batch sizes themselves (FixedLocator takes an array; its stub says Sequence)
    spread_ax.xaxis.set_major_locator(FixedLocator(b))  # type: ignore[arg-type]
    spread_ax.xaxis.set_major_formatter(ScalarFormatter())
    nice = [m * 10.0 ** e for e in range(-4, 5) for m in (1, 2, 5)]
    spread_ax.yaxis.set_major_locator(FixedLocator([v for v in nice if s.min() / 1.2 <= v <= s.max() * 1.2]))
    spread_ax.yaxis.set_major_formatter(ScalarFormatter())
    for label, (samples, losses) in curves.items():
        loss_ax.semilogy(samples, losses, label=label, linewidth=1)
    loss_ax.set(xlabel="samples processed (gradient work)", ylabel="loss on all the data - its minimum",
                title="the same work, different batch sizes")
    for ax in (spread_ax, loss_ax):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        _no_minor_ticks(ax)
    return fig


def bias_correction(gradients: Sequence[float] | np.ndarray, beta1: float = 0.9, beta2: float = 0.999
                    ) -> Figure:
    """The moving averages m_t (of g) and v_t (of g^2) from zero, raw and bias-corrected,
    for a sequence of scalar gradients g_1, g_2, ...: one panel each."""
    g = np.asarray(gradients, dtype=float)
    t = np.arange(1, g.size + 1)
    fig = new_figure(10, 3.4)
    axes = fig.subplots(1, 2)
    for ax, values, beta, name in ((axes[0], g, beta1, "m"), (axes[1], g ** 2, beta2, "v")):
        raw = np.zeros_like(values)
        average = 0.0
        for k, value in enumerate(values):
            average = beta * average + (1 - beta) * value
            raw[k] = average
        ax.plot(t, values, ".", color="0.7", markersize=3,
                label="g" if name == "m" else "g²")
        ax.plot(t, raw, color="tab:orange", label=f"{name}_t (raw, starts at 0)")
        ax.plot(t, raw / (1 - beta ** t), color="tab:blue", label=f"{name}_t / (1 - {beta:g}^t)")
        ax.set(xlabel="step t", title=f"{name}: beta = {beta:g}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return fig


def two_moons(n: int, rng: np.random.Generator, noise: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """A toy 2-D data set of two interleaved half circles: x of shape (n, 2), labels y of
    shape (n, 1) in {0, 1}, half of each."""
    half = n // 2
    angles = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angles[:half]), np.sin(angles[:half])])
    lower = np.column_stack([1 - np.cos(angles[half:]), 0.5 - np.sin(angles[half:])])
    x = np.vstack([upper, lower]) + noise * rng.normal(size=(n, 2))
    x = (x - np.array([0.5, 0.25])) / np.array([0.9, 0.5])  # roughly standardised
    y = np.concatenate([np.zeros(half), np.ones(n - half)])[:, None]
    return x, y


def network_comparison(losses: Mapping[str, Sequence[float] | np.ndarray],
                       regions: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray,
                       extent: tuple[float, float]) -> Figure:
    """Top: each optimizer's training loss per step (log scale). Below: each trained
    network's output over the square ``extent`` = (lo, hi), with the data on top.

    ``losses`` maps a name to the loss at every step; ``regions`` maps the same names to
    an (R, R) array of the network's output on an R x R grid over the square.
    """
    names = list(losses)
    fig = new_figure(2.6 * len(names) + 0.4, 6.2)
    # the stub types a mosaic row as an invariant list of str | HashableList
    axes = fig.subplot_mosaic([["loss"] * len(names), names],  # type: ignore[list-item]
                              height_ratios=[1.0, 1.1])
    for name in names:
        axes["loss"].semilogy(np.arange(1, len(losses[name]) + 1), losses[name], label=name)
    axes["loss"].set(xlabel="step", ylabel="training loss", title="training a 2-16-1 network")
    axes["loss"].grid(alpha=0.3)
    axes["loss"].legend(fontsize=8)
    _no_minor_ticks(axes["loss"])
    lo, hi = extent
    labels = np.ravel(y)
    for name in names:
        ax = axes[name]
        ax.imshow(regions[name], origin="lower", extent=(lo, hi, lo, hi), cmap="coolwarm",
                  vmin=0.0, vmax=1.0, aspect="equal")
        ax.scatter(x[:, 0], x[:, 1], c=labels, cmap="coolwarm", vmin=0, vmax=1, s=6,
                   edgecolors="black", linewidths=0.3)
        ax.set_title(f"{name}: final loss {losses[name][-1]:.3f}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig
