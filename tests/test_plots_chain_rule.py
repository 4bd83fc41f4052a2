"""Lesson 02's plots show what they claim; the widget redraws."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.plots.chain_rule import (EPS, EXAMPLES, STEPS, chain_graph, difference_errors,
                                      secant_and_tangent, step_size_errors, step_size_view,
                                      worked_graph)
from helpers.widgets.chain_rule import step_size_explorer


def line(ax, label_start):
    found = [l for l in ax.get_lines() if l.get_label().startswith(label_start)]
    assert len(found) == 1, [l.get_label() for l in ax.get_lines()]
    return found[0]


def slope(ax, label, low, high):
    """Least-squares slope of a curve on log-log axes between h = low and h = high."""
    h, err = line(ax, label).get_data()
    keep = (h >= low) & (h <= high)
    return np.polyfit(np.log10(h[keep]), np.log10(err[keep]), 1)[0]


def test_error_plot_shows_the_measured_errors_of_both_differences():
    ax = step_size_errors("sin(x) at x = 1").axes[0]
    h = np.logspace(-16, 0, 161)
    forward = [abs((math.sin(1 + s) - math.sin(1)) / s - math.cos(1)) for s in h]
    central = [abs((math.sin(1 + s) - math.sin(1 - s)) / (2 * s) - math.cos(1)) for s in h]
    np.testing.assert_allclose(line(ax, "forward difference").get_xydata(),
                               np.column_stack([h, np.maximum(forward, 1e-17)]), rtol=1e-9)
    np.testing.assert_allclose(line(ax, "central difference").get_ydata(),
                               np.maximum(central, 1e-17), rtol=1e-9)
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_error_plot_has_the_slopes_the_lesson_explains():
    ax = step_size_errors("exp(x) at x = 1").axes[0]
    assert slope(ax, "forward difference", 1e-5, 1e-2) == pytest.approx(1, abs=0.05)
    assert slope(ax, "central difference", 1e-3, 1e-1) == pytest.approx(2, abs=0.05)
    for label in ("forward difference", "central difference"):  # round-off: slope -1, jagged
        assert slope(ax, label, 1e-15, 1e-11) == pytest.approx(-1, abs=0.3)
    assert slope(ax, "|f''| h / 2", 1e-8, 1) == pytest.approx(1)
    assert slope(ax, "|f'''| h² / 6", 1e-8, 1) == pytest.approx(2)
    assert slope(ax, "eps |f| / h", 1e-16, 1) == pytest.approx(-1)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_curve_is_a_v_with_its_bottom_near_the_best_step(name):
    ax = step_size_errors(name).axes[0]
    bottoms = [STEPS[np.argmin(line(ax, label).get_ydata())]
               for label in ("forward difference", "central difference")]
    assert 1e-10 <= bottoms[0] <= 1e-6  # about 1e-8
    assert 1e-7 <= bottoms[1] <= 1e-3  # about 1e-5
    marked = [l.get_xdata()[0] for l in ax.get_lines() if l.get_label().startswith("best h")]
    example = EXAMPLES[name]
    f0 = abs(example.f(1.0))
    # the models' minima, by hand: forward sqrt(2 eps |f| / |f''|), central (3 eps |f| / |f'''|)^(1/3)
    np.testing.assert_allclose(marked, [math.sqrt(2 * EPS * f0 / abs(example.d2f(1.0))),
                                        (3 * EPS * f0 / abs(example.d3f(1.0))) ** (1 / 3)], rtol=1e-12)
    for h_best, bottom in zip(marked, bottoms):
        assert abs(math.log10(h_best / bottom)) < 1.5


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_best_errors_are_about_sqrt_eps_and_eps_to_the_two_thirds(name):
    # the lesson's claim: at its best step the forward difference is off by about
    # sqrt(eps) ~ 1.5e-8 and the central one by about eps^(2/3) ~ 3.7e-11 (for f, f'', f'''
    # around 1); the measured errors near the best steps agree to within a factor of 10
    example = EXAMPLES[name]
    forward_best, central_best = example.best_errors()
    assert EPS ** 0.5 / 10 < forward_best < EPS ** 0.5 * 10
    assert EPS ** (2 / 3) / 10 < central_best < EPS ** (2 / 3) * 10
    for h_best, modelled, measured in zip(example.best_steps(), (forward_best, central_best),
                                          difference_errors(example, STEPS)):
        near = (STEPS > h_best / 3) & (STEPS < h_best * 3)
        assert modelled / 10 < np.median(measured[near]) < modelled * 10
    ax = step_size_errors(name).axes[0]
    labels = [l.get_label() for l in ax.get_lines() if l.get_label().startswith("best h")]
    assert [label.endswith(f"(error about {e:.0e})") for label, e in
            zip(labels, (forward_best, central_best))] == [True, True]


def test_examples_have_the_right_derivatives():
    for name, example in EXAMPLES.items():
        for fn, derivative in ((example.f, example.df), (example.df, example.d2f), (example.d2f, example.d3f)):
            x = np.array([0.3, 1.0, 1.7])
            numeric = (fn(x + 1e-5) - fn(x - 1e-5)) / 2e-5
            np.testing.assert_allclose(derivative(x), numeric, rtol=1e-8, err_msg=name)


def test_secants_pass_through_the_points_they_claim():
    h = 0.4
    ax = secant_and_tangent("sin(x) at x = 1", h).axes[0]
    def value_at(label, x):
        xs, ys = line(ax, label).get_data()
        return np.interp(x, xs, ys)
    assert value_at("tangent", 1.3) == pytest.approx(math.sin(1) + 0.3 * math.cos(1), rel=1e-9)
    assert value_at("forward secant", 1.0) == pytest.approx(math.sin(1), rel=1e-9)
    assert value_at("forward secant", 1.4) == pytest.approx(math.sin(1.4), rel=1e-9)
    assert value_at("central secant", 0.6) == pytest.approx(math.sin(0.6), rel=1e-9)
    assert value_at("central secant", 1.4) == pytest.approx(math.sin(1.4), rel=1e-9)
    assert f"{(math.sin(1.4) - math.sin(0.6)) / 0.8:.10f}" in line(ax, "central secant").get_label()


def test_widget_view_marks_the_current_step_and_its_relative_errors():
    h = 1e-3
    fig = step_size_view("x^3 at x = 1", h)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    right = fig.axes[1]
    markers = [l for l in right.get_lines() if l.get_marker() in ("o", "s")]  # forward, central
    assert [l.get_xdata()[0] for l in markers] == [h, h]
    forward, central = 3 * h + h ** 2, h ** 2  # absolute errors of x^3's differences at x = 1
    expected = [forward / (3 + forward + 3), central / (3 + central + 3)]
    np.testing.assert_allclose([l.get_ydata()[0] for l in markers], expected, rtol=1e-6)
    assert any(np.all(np.asarray(l.get_xdata()) == h) for l in right.get_lines() if l not in markers)
    assert "slope 3.0000000000" in line(fig.axes[0], "tangent").get_label()


def texts(fig):
    return {t.get_text() for t in fig.axes[0].texts}


def test_worked_graph_carries_the_hand_computed_values():
    shown = texts(worked_graph(2.0, 3.0))
    assert {"a = 6", "b = 5", "f = 30", "∂f/∂x = 21", "∂f/∂y = 16", "∂f/∂a = 5", "∂f/∂b = 6"} <= shown
    assert {"∂a/∂x = y = 3", "∂f/∂a = b = 5"} <= shown
    # another point: f = x^2 y + x y^2 at (1, -2): df/dx = 2xy + y^2 = 0, df/dy = x^2 + 2xy = -3
    assert {"f = 2", "∂f/∂x = 0", "∂f/∂y = -3"} <= texts(worked_graph(1.0, -2.0))


def test_chain_graph_carries_the_hand_computed_values():
    assert {"u = 4", "f = 16", "∂f/∂u = 8", "∂f/∂x = 24"} <= texts(chain_graph(1.0))
    assert {"u = 7", "f = 49", "∂f/∂x = 42"} <= texts(chain_graph(2.0))  # d/dx (3x+1)^2 = 6 (3x+1)


def test_widget_redraws_when_each_control_changes():
    box = step_size_explorer()
    picture = box.children[1]
    first = bytes(picture.value)
    assert first.startswith(b"\x89PNG")
    box.controls["h"].value = 1e-6
    second = bytes(picture.value)
    box.controls["name"].value = "exp(x) at x = 1"
    third = bytes(picture.value)
    assert len({first, second, third}) == 3
