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

from ..a11y import BLACK, BLUE, GREY, MARKERS, ORANGE, VERMILLION, describe, legend_beside, number
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
    columns = min(2, len(runs))
    rows = -(-len(runs) // columns)
    fig = new_figure(10.0 if columns > 1 else 6.0, 3.3 * rows + 0.2)
    axes = np.atleast_1d(fig.subplots(rows, columns, sharey=True, sharex=True, squeeze=False).ravel())
    for ax in axes[len(runs):]:
        ax.set_visible(False)
    x0, x1, y0, y1 = VIEW
    said = []
    g1, g2 = np.meshgrid(np.linspace(x0, x1, 131), np.linspace(y0, y1, 61))
    surface = valley_loss(np.stack([g1, g2], axis=-1), angle)
    levels = np.geomspace(0.05, 300, 13)
    for ax, (title, path) in zip(axes, runs):
        ax.contour(g1, g2, surface, levels=levels, colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "-o", color=VERMILLION, markersize=3, linewidth=1.2, label="path")
        ax.plot([path[0, 0]], [path[0, 1]], "o", color=BLACK, markersize=6, label="start")
        ax.plot([0.0], [0.0], "*", color=BLUE, markersize=13, markeredgecolor="white", label="minimum")
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        status = describe_run(path, lambda w: valley_loss(w, angle))
        chosen = highlight is not None and title.startswith(highlight)
        ax.set_title(f"{title}{' (chosen)' if chosen else ''}\n{status}", fontsize=10)
        if chosen:
            ax.title.set_fontweight("bold")
            for spine in ax.spines.values():
                spine.set_linewidth(3)
                spine.set_color(BLUE)
        end = path[-1]
        said.append(f"{title}{' (chosen)' if chosen else ''}: {status}, ending at ({number(end[0])}, "
                    f"{number(end[1])})" if np.all(np.isfinite(end)) else f"{title}: {status}")
    for ax in axes[len(runs) - columns:len(runs)]:
        ax.set_xlabel("w1")
    for ax in axes[::columns]:
        ax.set_ylabel("w2")
    return describe(fig, f"Paths over the valley f(w) = 0.5 w^T H w (curvature 1 along its floor, 25 "
                         f"across{f', turned by {angle:g} degrees' if angle else ''}), contours in grey, "
                         f"each from the start ({number(START[0])}, {number(START[1])}) towards the minimum "
                         f"at (0, 0): " + "; ".join(said) + ".")


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
    said = []
    for marker, lr in zip(MARKERS * 2, lrs):
        # Gradient descent on this parabola: w - lr * (curvature * w) = (1 - lr * curvature) w,
        # the factor worked out in section 1 (the lesson shows this before sgd_step is written).
        factor = 1 - lr * curvature
        w: Any = [float(w0)]  # the iterates: a list, then their array
        for _ in range(steps):
            w.append(factor * w[-1])
        w = np.array(w)
        label = f"lr = {lr:g}: w <- {factor:+.2f} w"
        shown = w[:6]
        lines = parabola_ax.plot(shown, 0.5 * curvature * shown ** 2, marker=marker, markersize=5,
                                 linewidth=1, label=label)
        error_ax.semilogy(np.arange(steps + 1), np.abs(w) + 1e-300, marker=marker, markersize=4,
                          color=lines[0].get_color(), linestyle=lines[0].get_linestyle(), label=label)
        said.append(f"lr {lr:g}: w multiplied by {factor:+.2f} per step, |w| {abs(w[-1]):.2g} after {steps}")
    parabola_ax.set(xlim=(-reach, reach), ylim=(-0.05 * curvature * reach ** 2, 0.55 * curvature * reach ** 2),
                    xlabel="w", ylabel="f(w)",
                    title=f"f(w) = {curvature:g}/2 w², first 5 steps")
    error_ax.set(xlabel="step k", ylabel="|w_k| (distance to the minimum)",
                 title=f"stable only for lr < 2 / {curvature:g} = {2 / curvature:g}")
    for ax in (parabola_ax, error_ax):
        ax.grid(alpha=0.3)
    legend_beside(error_ax)
    _no_minor_ticks(error_ax)
    return describe(fig, f"Gradient descent on f(w) = {curvature:g}/2 w² from w = {w0:g}: the first steps on "
                         f"the parabola (left) and |w| over {steps} steps, log scale (right); stable only "
                         f"for lr < {2 / curvature:g}. " + "; ".join(said) + ".")


def minibatch_noise(batch_sizes: Sequence[int] | np.ndarray, spreads: Sequence[float] | np.ndarray,
                    curves: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """Left: the spread of mini-batch gradients against the batch size (log-log) with the
    1 / sqrt(B) law through the first point. Right: ``curves`` maps a label to
    (samples processed, loss): each run's loss against the work it has done."""
    fig = new_figure(10, 3.8)
    spread_ax, loss_ax = fig.subplots(1, 2)
    b = np.asarray(batch_sizes, dtype=float)
    s = np.asarray(spreads, dtype=float)
    spread_ax.loglog(b, s, "o-", color=BLUE, label="measured spread")
    spread_ax.loglog(b, s[0] * np.sqrt(b[0] / b), "--", color=GREY, label="∝ 1 / sqrt(B)")
    spread_ax.set(xlabel="batch size B", ylabel="std of the gradient estimate",
                  title="noise of a mini-batch gradient")
    # label the batch sizes themselves (FixedLocator takes an array; its stub says Sequence)
    spread_ax.xaxis.set_major_locator(FixedLocator(b))  # type: ignore[arg-type]
    spread_ax.xaxis.set_major_formatter(ScalarFormatter())
    nice = [m * 10.0 ** e for e in range(-4, 5) for m in (1, 2, 5)]
    spread_ax.yaxis.set_major_locator(FixedLocator([v for v in nice if s.min() / 1.2 <= v <= s.max() * 1.2]))
    spread_ax.yaxis.set_major_formatter(ScalarFormatter())
    said = []
    for label, (samples, losses) in curves.items():
        loss_ax.semilogy(samples, losses, label=label, linewidth=1.2)
        said.append(f"{label}: {len(samples) - 1} steps, final {float(losses[-1]):.1e}")
    loss_ax.set(xlabel="samples processed (gradient work)", ylabel="loss on all the data - its minimum",
                title="the same work, different batch sizes")
    for ax in (spread_ax, loss_ax):
        ax.grid(alpha=0.3)
        legend_beside(ax)
        _no_minor_ticks(ax)
    return describe(fig, f"Left: the spread of mini-batch gradients against the batch size B, log-log, "
                         f"from {s[0]:.3g} at B = {b[0]:g} to {s[-1]:.3g} at B = {b[-1]:g}, with the "
                         f"1 / sqrt(B) law. Right: the loss (minus its minimum) against the samples "
                         f"processed: " + "; ".join(said) + ".")


def bias_correction(gradients: Sequence[float] | np.ndarray, beta1: float = 0.9, beta2: float = 0.999
                    ) -> Figure:
    """The moving averages m_t (of g) and v_t (of g^2) from zero, raw and bias-corrected,
    for a sequence of scalar gradients g_1, g_2, ...: one panel each."""
    g = np.asarray(gradients, dtype=float)
    t = np.arange(1, g.size + 1)
    fig = new_figure(10.4, 3.6)
    axes = fig.subplots(1, 2)
    said = []
    for ax, values, beta, name in ((axes[0], g, beta1, "m"), (axes[1], g ** 2, beta2, "v")):
        raw = np.zeros_like(values)
        average = 0.0
        for k, value in enumerate(values):
            average = beta * average + (1 - beta) * value
            raw[k] = average
        ax.plot(t, values, ".", color="0.7", markersize=3,
                label="g" if name == "m" else "g²")
        corrected = raw / (1 - beta ** t)
        ax.plot(t, raw, "--", color=ORANGE, label=f"{name}_t (raw, starts at 0)")
        ax.plot(t, corrected, color=BLUE, label=f"{name}_t / (1 - {beta:g}^t)")
        ax.set(xlabel="step t", ylabel="g" if name == "m" else "g²", title=f"{name}: beta = {beta:g}")
        ax.grid(alpha=0.3)
        legend_beside(ax)
        said.append(f"{name} (beta {beta:g}): after step 1 raw {raw[0]:.3g}, corrected {corrected[0]:.3g}; "
                    f"after step {t[-1]} raw {raw[-1]:.3g}, corrected {corrected[-1]:.3g}, "
                    f"the values' mean {values.mean():.3g}")
    return describe(fig, f"Moving averages of {g.size} gradients from zero, raw (dashed) and bias-corrected "
                         f"(solid): " + "; ".join(said) + ".")


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
    fig = new_figure(min(10.4, 2.5 * len(names) + 0.4), 6.6)
    # the stub types a mosaic row as an invariant list of str | HashableList
    axes = fig.subplot_mosaic([["loss"] * len(names), names],  # type: ignore[list-item]
                              height_ratios=[1.0, 1.1])
    for name in names:
        axes["loss"].semilogy(np.arange(1, len(losses[name]) + 1), losses[name], label=name)
    axes["loss"].set(xlabel="step", ylabel="training loss", title="training a 2-16-1 network")
    axes["loss"].grid(alpha=0.3)
    legend_beside(axes["loss"])
    _no_minor_ticks(axes["loss"])
    lo, hi = extent
    labels = np.ravel(y)
    said = []
    for name in names:
        ax = axes[name]
        # the output as a pale background (light orange: class 1, light blue: class 0), the
        # decision line p = 0.5 in black, and the classes as differently shaped points
        ax.imshow(regions[name], origin="lower", extent=(lo, hi, lo, hi), cmap="PuOr_r",
                  vmin=-0.6, vmax=1.6, aspect="equal")
        grid = np.linspace(lo, hi, regions[name].shape[0])
        if regions[name].min() < 0.5 < regions[name].max():  # else no line to draw (and a warning)
            ax.contour(grid, grid, regions[name], levels=[0.5], colors="black", linewidths=1.5)
        for value, colour, marker in ((0, BLUE, "o"), (1, ORANGE, "^")):
            chosen = labels == value
            ax.scatter(x[chosen, 0], x[chosen, 1], color=colour, marker=marker, s=14,
                       edgecolors="black", linewidths=0.4, label=f"class {value}")
        ax.set_title(f"{name}: final loss {losses[name][-1]:.3f}", fontsize=10)
        ax.set_xlabel("x1")
        ax.set(xlim=(lo, hi), ylim=(lo, hi), xticks=[lo, 0, hi], yticks=[lo, 0, hi])
        said.append(f"{name}: loss from {float(losses[name][0]):.3f} to {float(losses[name][-1]):.3f}, "
                    f"output above 0.5 on {np.mean(regions[name] > 0.5):.0%} of the square")
    axes[names[0]].set_ylabel("x2")
    for name in names[1:]:
        axes[name].tick_params(labelleft=False)
    points = [c for c in axes[names[0]].collections if str(c.get_label()).startswith("class")]
    fig.legend(handles=points, loc="outside lower center", ncols=2,
               title="data (black line: output 0.5)")
    return describe(fig, f"Top: the training loss of each optimizer per step, log scale. Below: each "
                         f"trained network's output over the square from {lo:g} to {hi:g} in x1 and x2, "
                         f"with {len(labels)} points of two classes (blue circles class 0, orange triangles "
                         f"class 1) and the decision line where the output is 0.5: " + "; ".join(said) + ".")
