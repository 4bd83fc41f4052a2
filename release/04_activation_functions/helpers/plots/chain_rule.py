"""Lesson 02 plots: computational graphs, and finite differences against the step size."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.patches import Circle

from ..a11y import BLUE, GREEN, GREY, ORANGE, VERMILLION, describe, legend_beside, number
from ..display import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: A function of one variable that works on floats and, elementwise, on arrays.
ScalarFunction = Callable[[Any], Any]

EPS = np.finfo(float).eps  # 2.2e-16, the spacing of float64 numbers near 1


@dataclass(frozen=True)
class Example:
    """A smooth function of one variable, its first three derivatives and a point x0."""
    f: ScalarFunction
    df: ScalarFunction
    d2f: ScalarFunction
    d3f: ScalarFunction
    x0: float

    def forward(self, h: np.ndarray | float) -> Any:
        """Forward difference (f(x0 + h) - f(x0)) / h, for an array of steps h."""
        return (self.f(self.x0 + h) - self.f(self.x0)) / h

    def central(self, h: np.ndarray | float) -> Any:
        """Central difference (f(x0 + h) - f(x0 - h)) / (2 h)."""
        return (self.f(self.x0 + h) - self.f(self.x0 - h)) / (2 * h)

    def best_steps(self) -> tuple[float, float]:
        """The steps that minimise the error models of :func:`error_models`: for the
        forward difference |f''| h / 2 = eps |f| / h, for the central |f'''| h^2 / 3 = eps |f| / h
        (where the derivative of |f'''| h^2 / 6 + eps |f| / h is zero)."""
        scale = EPS * abs(self.f(self.x0))
        return (np.sqrt(2 * scale / abs(self.d2f(self.x0))),
                np.cbrt(3 * scale / abs(self.d3f(self.x0))))

    def best_errors(self) -> tuple[float, float]:
        """The modelled errors at the best steps: truncation plus round-off. For f and its
        derivatives around 1 these are about sqrt(eps) (forward) and eps^(2/3) (central)."""
        h_forward, h_central = self.best_steps()
        trunc_f, _, round_f = error_models(self, h_forward)
        _, trunc_c, round_c = error_models(self, h_central)
        return trunc_f + round_f, trunc_c + round_c


#: The functions the widget offers: label -> Example.
EXAMPLES = {
    "sin(x) at x = 1": Example(np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x), 1.0),
    "exp(x) at x = 1": Example(np.exp, np.exp, np.exp, np.exp, 1.0),
    "x^3 at x = 1": Example(lambda x: x ** 3, lambda x: 3 * x ** 2, lambda x: 6 * x,
                            lambda x: 6 + 0 * x, 1.0),
}

#: The steps on the error plots: 10^-16 ... 10^0, ten per decade.
STEPS = np.logspace(-16, 0, 161)

#: Errors below this are drawn at it, so that an exact zero stays on a log axis.
FLOOR = 1e-17


def error_models(example: Example, h: np.ndarray | float) -> tuple[Any, Any, Any]:
    """Models of the absolute errors at step h: (truncation of the forward difference,
    truncation of the central difference, round-off of either). From Taylor's theorem
    the forward difference is off by f''(x0) h / 2 and the central one by f'''(x0) h^2 / 6;
    f itself is only known to about eps |f|, so dividing a difference of two values of f
    by a step of order h adds an error of about eps |f| / h."""
    x0 = example.x0
    return (abs(example.d2f(x0)) * h / 2, abs(example.d3f(x0)) * h ** 2 / 6,
            EPS * abs(example.f(x0)) / h)


def difference_errors(example: Example, h: np.ndarray, relative: bool = False) -> list[np.ndarray]:
    """Errors of the forward and central differences at the steps ``h`` (an array): the
    absolute error |approximation - f'(x0)|, or with ``relative`` the gradient check's
    relative error |a - b| / (|a| + |b|). Each at least :data:`FLOOR`."""
    exact = example.df(example.x0)
    errors = []
    for approx in (example.forward(h), example.central(h)):
        error = np.abs(approx - exact)
        if relative:
            error = error / np.maximum(1e-8, np.abs(approx) + np.abs(exact))
        errors.append(np.maximum(error, FLOOR))
    return errors


def _draw_errors(ax: Axes, example: Example, current_h: float | None = None, relative: bool = False,
                 models: bool = True) -> None:
    forward, central = difference_errors(example, STEPS, relative)
    ax.loglog(STEPS, forward, color=BLUE, label="forward difference")
    ax.loglog(STEPS, central, color=ORANGE, linestyle="-.", label="central difference")
    if models:
        trunc_f, trunc_c, roundoff = error_models(example, STEPS)
        ax.loglog(STEPS, trunc_f, ":", color=BLUE, label="|f''| h / 2 (slope 1)")
        ax.loglog(STEPS, trunc_c, ":", color=ORANGE, label="|f'''| h² / 6 (slope 2)")
        ax.loglog(STEPS, roundoff, "--", color=GREY, label="eps |f| / h (slope -1)")
        for h_best, error, color, which in zip(example.best_steps(), example.best_errors(),
                                               (BLUE, ORANGE), ("forward", "central")):
            ax.axvline(h_best, color=color, alpha=0.4, linewidth=4,
                       label=f"best h, {which}: about {h_best:.0e}\n(error about {error:.0e})")
    if relative:
        ax.axhspan(FLOOR, 1e-7, color=GREEN, alpha=0.15, hatch="..", label="below 1e-7: correct")
        ax.axhspan(1e-2, 10.0, color=VERMILLION, alpha=0.15, hatch="//", label="above 1e-2: a bug")
    if current_h is not None:
        ax.axvline(current_h, color="black", linewidth=1)
        now_f, now_c = difference_errors(example, np.array([current_h]), relative)
        ax.loglog([current_h], now_f, "o", color=BLUE, markeredgecolor="black",
                  label=f"forward at h = {current_h:.1e}: {now_f[0]:.1e}")
        ax.loglog([current_h], now_c, "s", color=ORANGE, markeredgecolor="black",
                  label=f"central at h = {current_h:.1e}: {now_c[0]:.1e}")
    ax.set(xlabel="step size h", ylim=(FLOOR / 2, 10.0),
           ylabel="relative error (gradient check)" if relative else "|error| of the derivative")
    ax.grid(alpha=0.3, which="major")
    legend_beside(ax)


def step_size_errors(name: str = "sin(x) at x = 1", current_h: float | None = None, relative: bool = False
                     ) -> Figure:
    """Log-log plot of the error of the forward and central differences against h.

    Solid lines are measured errors; dotted lines the truncation errors (slopes 1 and 2),
    the dashed line the round-off error (slope -1); the wide pale vertical lines mark each
    difference's best step, where its truncation and round-off models meet.
    """
    fig = new_figure(10.0, 4.4)
    ax = fig.subplots()
    example = EXAMPLES[name]
    _draw_errors(ax, example, current_h, relative)
    best_f, best_c = example.best_steps()
    error_f, error_c = example.best_errors()
    ax.set_title(f"{name}: best h about {best_f:.0e} (forward), {best_c:.0e} (central)", fontsize=10)
    forward, central = difference_errors(example, STEPS, relative)
    return describe(fig, f"Log-log plot of the error of the forward and central differences of {name} "
                         f"against the step h from {number(STEPS[0])} to {number(STEPS[-1])}: each "
                         f"error falls as h shrinks, then rises again as round-off takes over. The "
                         f"forward difference is best at h about {best_f:.0e} (error about {error_f:.0e}, "
                         f"smallest measured {forward.min():.1e}); the central one at h about {best_c:.0e} "
                         f"(error about {error_c:.0e}, smallest measured {central.min():.1e}).")


def _draw_secants(ax: Axes, name: str, h: float, reach: float = 1.5) -> None:
    example = EXAMPLES[name]
    x0 = example.x0
    f0, slope = example.f(x0), example.df(x0)
    xs = np.linspace(x0 - reach, x0 + reach, 301)
    forward, central = example.forward(h), example.central(h)
    ax.plot(xs, example.f(xs), color="black", linewidth=2, label=name.split(" at ")[0])
    ax.plot(xs, f0 + slope * (xs - x0), "-", color=GREEN, label=f"tangent, slope {slope:.10f}")
    ax.plot(xs, f0 + forward * (xs - x0), "--", color=BLUE,
            label=f"forward secant, slope {forward:.10f}")
    mid = (example.f(x0 + h) + example.f(x0 - h)) / 2  # the central secant passes through
    ax.plot(xs, mid + central * (xs - x0), "-.", color=ORANGE,  # f(x0 - h) and f(x0 + h)
            label=f"central secant, slope {central:.10f}")
    ax.plot([x0 - h, x0, x0 + h], example.f(np.array([x0 - h, x0, x0 + h])), "o", color="black",
            markersize=4)
    low, high = example.f(xs).min(), example.f(xs).max()
    margin = 0.15 * (high - low)
    ax.set(xlim=(x0 - reach, x0 + reach), ylim=(low - margin, high + margin), xlabel="x",
           ylabel="f(x)",
           title=f"slopes at x = {x0:g} with h = {h:.3g}")
    ax.title.set_fontsize(10)
    ax.grid(alpha=0.3)
    legend_beside(ax)


def secant_and_tangent(name: str = "sin(x) at x = 1", h: float = 0.5) -> Figure:
    """The function near x0 with its tangent at x0 and the forward and central secants of
    step h, whose slopes are the two finite-difference estimates of f'(x0)."""
    fig = new_figure(8.0, 4.2)
    _draw_secants(fig.subplots(), name, h)
    return describe(fig, _secants_said(name, h))


def _secants_said(name: str, h: float) -> str:
    example = EXAMPLES[name]
    return (f"{name.split(' at ')[0]} near x = {example.x0:g} with its tangent, slope "
            f"{example.df(example.x0):.10f}, and the secants of step h = {h:.3g}: forward slope "
            f"{example.forward(h):.10f}, central slope {example.central(h):.10f}.")


def step_size_view(name: str = "sin(x) at x = 1", h: float = 1e-2) -> Figure:
    """The widget's picture: secants and tangent (left), the gradient check's relative
    error against h with the current h marked (right)."""
    fig = new_figure(10.4, 7.6)
    left, right = fig.subplots(2, 1)
    example = EXAMPLES[name]
    _draw_secants(left, name, h)
    _draw_errors(right, example, current_h=h, relative=True, models=False)
    forward, central = difference_errors(example, np.array([h]), relative=True)
    right.set_title(f"relative error at h = {h:.1e}: forward {forward[0]:.1e}, "
                    f"central {central[0]:.1e}", fontsize=10)
    return describe(fig, f"Top: {_secants_said(name, h)} Bottom: the gradient check's relative error "
                         f"against h on log scales; at h = {h:.1e} it is {forward[0]:.1e} for the "
                         f"forward difference and {central[0]:.1e} for the central one (below 1e-7 "
                         f"counts as correct, above 1e-2 as a bug).")


def draw_graph(nodes: Mapping[str, tuple[float, float, str, float, float | None]],
               edges: Sequence[tuple[str, str, str]],
               title: str = "", width: float = 7.5, height: float = 3.6) -> Figure:
    """A computational graph. ``nodes`` maps a name to (x, y, label, value, gradient);
    ``edges`` lists (source, target, local derivative as text). Forward values are written
    above each node in green, gradients of the output below it in red, and each edge
    carries its local derivative."""
    fig = new_figure(width, height)
    ax = fig.subplots()
    radius = 0.32
    for source, target, local in edges:
        (x1, y1), (x2, y2) = nodes[source][:2], nodes[target][:2]
        length = np.hypot(x2 - x1, y2 - y1)
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        ax.annotate("", xy=(x2 - radius * ux, y2 - radius * uy),
                    xytext=(x1 + radius * ux, y1 + radius * uy),
                    arrowprops=dict(arrowstyle="->", color="gray", linewidth=1.2))
        ax.text(x1 + 0.35 * (x2 - x1), y1 + 0.35 * (y2 - y1), local, fontsize=8, ha="center",
                va="center", color=BLUE, bbox=dict(boxstyle="round", fc="white", ec="none"))
    for name, (x, y, label, value, gradient) in nodes.items():
        ax.add_patch(Circle((x, y), radius, facecolor="whitesmoke", edgecolor="black"))
        ax.text(x, y, label, ha="center", va="center", fontsize=10)
        ax.text(x, y + radius + 0.08, f"{name} = {value:g}", ha="center", va="bottom",
                fontsize=9, color=GREEN)
        if gradient is not None:
            ax.text(x, y - radius - 0.08, f"∂f/∂{name} = {gradient:g}", ha="center", va="top",
                    fontsize=9, color=VERMILLION)
    xs = [n[0] for n in nodes.values()]
    ys = [n[1] for n in nodes.values()]
    ax.set(xlim=(min(xs) - 0.8, max(xs) + 0.8), ylim=(min(ys) - 0.9, max(ys) + 0.9), aspect="equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return describe(fig, f"A computational graph: {title}. Forward values (above each node): "
                         + ", ".join(f"{n} = {v[3]:g}" for n, v in nodes.items()) + ". Gradients of the output "
                         "(below each node): " + ", ".join(f"∂f/∂{n} = {v[4]:g}" for n, v in nodes.items()
                                                           if v[4] is not None)
                         + ". Local derivatives on the edges: " + ", ".join(
                             f"{source} to {target}: {local}" for source, target, local in edges) + ".")


def chain_graph(x: float = 1.0) -> Figure:
    """f = u^2 with u = 3x + 1: the scalar chain rule df/dx = (df/du)(du/dx) = 2u * 3."""
    u = 3 * x + 1
    nodes = {"x": (0, 0, "x", x, 2 * u * 3),
             "u": (2.5, 0, "3x+1", u, 2 * u),
             "f": (5, 0, "u²", u ** 2, 1.0)}
    edges = [("x", "u", "∂u/∂x = 3"), ("u", "f", f"∂f/∂u = 2u = {2 * u:g}")]
    return draw_graph(nodes, edges, "the scalar chain rule: multiply the local derivatives",
                      height=2.2)


def worked_graph(x: float = 2.0, y: float = 3.0) -> Figure:
    """f = a b with a = x y and b = x + y: x and y each reach f along two paths, and
    their gradients are sums over those paths."""
    a, b = x * y, x + y
    df_da, df_db = b, a  # f = a * b
    df_dx = df_da * y + df_db * 1  # path through a (da/dx = y) + path through b (db/dx = 1)
    df_dy = df_da * x + df_db * 1
    nodes = {"x": (0, 1.1, "x", x, df_dx),
             "y": (0, -1.1, "y", y, df_dy),
             "a": (2.6, 1.1, "×", a, df_da),
             "b": (2.6, -1.1, "+", b, df_db),
             "f": (5.2, 0, "×", a * b, 1.0)}
    edges = [("x", "a", f"∂a/∂x = y = {y:g}"), ("y", "a", f"∂a/∂y = x = {x:g}"),
             ("x", "b", "∂b/∂x = 1"), ("y", "b", "∂b/∂y = 1"),
             ("a", "f", f"∂f/∂a = b = {b:g}"), ("b", "f", f"∂f/∂b = a = {a:g}")]
    return draw_graph(nodes, edges, "f = a·b with a = x·y, b = x + y: each input reaches f by two paths",
                      height=4.4)
