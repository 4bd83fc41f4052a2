"""Lesson 07's plots show what they claim; the valley's gradient is its loss's gradient;
the widget draws at once and redraws when each control changes."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import max_rel_error, numeric_gradient
from helpers import reference
from helpers.plots.optimizers import (OPTIMIZERS, START, VALLEY_SETTINGS, bias_correction,
                                      describe_run, learning_rates, minibatch_noise,
                                      network_comparison, optimizer_path, two_moons,
                                      valley_gradient, valley_hessian, valley_loss, valley_paths)
from helpers.widgets.optimizers import optimizer_race

#: The course's step functions, as the lesson passes the student's.
STEPS = {"sgd": reference.sgd_step, "momentum": reference.momentum_step,
         "rmsprop": reference.rmsprop_step, "adam": reference.adam_step}


@pytest.mark.parametrize("angle", [0.0, 30.0, -75.0])
def test_valley_gradient_is_the_gradient_of_the_loss(angle):
    rng = np.random.default_rng(int(angle) % 7)
    for w in rng.normal(scale=3.0, size=(5, 2)):
        numeric = numeric_gradient(lambda u: valley_loss(u, angle), w)
        assert max_rel_error(valley_gradient(w, angle), numeric) < 1e-7


def test_valley_is_the_lesson_formula_and_keeps_its_curvatures_when_turned():
    w = np.array([[3.0, -2.0], [0.5, 1.0]])
    np.testing.assert_allclose(valley_loss(w), 0.5 * (w[:, 0] ** 2 + 25 * w[:, 1] ** 2))
    np.testing.assert_allclose(valley_gradient(w), w * np.array([1.0, 25.0]))
    for angle in (0.0, 30.0, 90.0):
        np.testing.assert_allclose(np.linalg.eigvalsh(valley_hessian(angle)), [1.0, 25.0])
    np.testing.assert_allclose(valley_hessian(90.0), np.diag([25.0, 1.0]), atol=1e-12)


def test_gradient_descent_path_is_the_closed_form():
    """On the aligned valley, w1 <- (1 - lr) w1 and w2 <- (1 - 25 lr) w2 at every step."""
    path = optimizer_path("sgd", valley_gradient, START, 30, lr=0.07, functions=STEPS)
    k = np.arange(31)[:, None]
    np.testing.assert_allclose(path, START * np.array([0.93, 1 - 25 * 0.07]) ** k, rtol=1e-10)


def test_paths_stop_when_they_diverge_and_unknown_names_are_refused():
    path = optimizer_path("sgd", valley_gradient, START, 500, lr=0.2, functions=STEPS)
    assert len(path) < 501 and np.max(np.abs(path[-1])) >= 1e6
    assert describe_run(path, valley_loss).startswith("diverged by step")
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer_path("adagrad", valley_gradient, START, 5, lr=0.1, functions=STEPS)


def test_paths_run_the_step_functions_they_are_given_and_need_them():
    calls = []

    def counting_adam(*args, **kwargs):
        calls.append(args[4])  # the step number t
        return reference.adam_step(*args, **kwargs)

    path = optimizer_path("adam", valley_gradient, START, 5, lr=0.2, functions={"adam": counting_adam})
    assert calls == [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(path, optimizer_path("adam", valley_gradient, START, 5, lr=0.2,
                                                       functions=STEPS))
    with pytest.raises(ValueError, match="no step function for momentum"):
        optimizer_path("momentum", valley_gradient, START, 5, lr=0.1, functions={"sgd": reference.sgd_step})
    with pytest.raises(ValueError, match="no step function for rmsprop, adam"):
        optimizer_race({"sgd": reference.sgd_step, "momentum": reference.momentum_step})


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_valley_settings_converge(name):
    path = optimizer_path(name, valley_gradient, START, 60, **VALLEY_SETTINGS[name], functions=STEPS)
    assert valley_loss(path[-1]) < 0.02 * valley_loss(START)


def test_adam_and_rmsprop_first_steps_on_the_valley():
    """Adam's bias-corrected first step is lr per coordinate; RMSprop's is 10 lr (decay 0.99)."""
    adam = optimizer_path("adam", valley_gradient, START, 1, lr=0.2, functions=STEPS)
    np.testing.assert_allclose(adam[1] - adam[0], [0.2, -0.2], rtol=1e-6)
    rmsprop = optimizer_path("rmsprop", valley_gradient, START, 1, lr=0.3, functions=STEPS)
    np.testing.assert_allclose(rmsprop[1] - rmsprop[0], [3.0, -3.0], rtol=1e-6)


def test_describe_run_says_diverging_when_the_loss_grew():
    growing = np.array([[1.0, 1.0], [2.0, -2.0]])
    assert describe_run(growing, valley_loss).startswith("diverging")
    assert describe_run(growing[::-1], valley_loss) == "loss after 1 steps: 1.3e+01"


def test_valley_paths_draws_each_path_in_its_own_panel_and_frames_the_highlight():
    runs = [("sgd: lr 0.07", optimizer_path("sgd", valley_gradient, START, 10, lr=0.07, functions=STEPS)),
            ("adam: lr 0.2", optimizer_path("adam", valley_gradient, START, 10, lr=0.2, functions=STEPS))]
    fig = valley_paths(runs, highlight="adam:")
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    for ax, (title, path) in zip(fig.axes, runs):
        np.testing.assert_allclose(ax.lines[0].get_xydata(), path)
        np.testing.assert_allclose(ax.lines[1].get_xydata(), [START])  # the start
        assert ax.get_title().startswith(title)
        assert len(ax.collections) >= 1  # the contours
    assert fig.axes[1].spines["left"].get_linewidth() == 3
    assert fig.axes[0].spines["left"].get_linewidth() != 3


def test_learning_rates_shows_the_distance_shrinking_or_growing_by_one_minus_lr_L():
    fig = learning_rates(4.0, [0.05, 0.55], w0=1.0, steps=10)
    parabola_ax, error_ax = fig.axes
    k = np.arange(11)
    for line, lr in zip(error_ax.lines, [0.05, 0.55]):
        np.testing.assert_allclose(line.get_xdata(), k)
        np.testing.assert_allclose(line.get_ydata(), np.abs(1 - 4 * lr) ** k, rtol=1e-12)
    assert "2 / 4 = 0.5" in error_ax.get_title()
    first = parabola_ax.lines[1].get_xydata()  # after the parabola itself
    np.testing.assert_allclose(first, np.column_stack([0.8 ** np.arange(6), 2 * 0.8 ** (2 * np.arange(6))]))


def test_minibatch_noise_plots_the_spreads_the_law_and_the_runs():
    sizes, spreads = [1, 4, 16], [2.0, 1.1, 0.4]
    curves = {"B = 1": (np.array([0, 1, 2]), np.array([1.0, 0.5, 0.3])),
              "B = 2": (np.array([0, 2]), np.array([1.0, 0.4]))}
    spread_ax, loss_ax = minibatch_noise(sizes, spreads, curves).axes
    np.testing.assert_allclose(spread_ax.lines[0].get_xydata(), np.column_stack([sizes, spreads]))
    np.testing.assert_allclose(spread_ax.lines[1].get_ydata(), [2.0, 1.0, 0.5])  # 2 / sqrt(B)
    for line, (label, (samples, losses)) in zip(loss_ax.lines, curves.items()):
        assert line.get_label() == label
        np.testing.assert_allclose(line.get_xydata(), np.column_stack([samples, losses]))


def test_bias_correction_recovers_a_constant_gradient_exactly():
    fig = bias_correction(np.full(50, 2.0), beta1=0.9, beta2=0.999)
    m_ax, v_ax = fig.axes
    t = np.arange(1, 51)
    np.testing.assert_allclose(m_ax.lines[1].get_ydata(), 2.0 * (1 - 0.9 ** t), rtol=1e-12)
    np.testing.assert_allclose(m_ax.lines[2].get_ydata(), 2.0, rtol=1e-12)
    np.testing.assert_allclose(v_ax.lines[1].get_ydata(), 4.0 * (1 - 0.999 ** t), rtol=1e-9)
    np.testing.assert_allclose(v_ax.lines[2].get_ydata(), 4.0, rtol=1e-9)


def test_two_moons_is_balanced_and_shaped_for_the_network():
    x, y = two_moons(201, np.random.default_rng(0))
    assert x.shape == (201, 2) and y.shape == (201, 1)
    assert set(np.unique(y)) == {0.0, 1.0} and abs(int(y.sum()) - 100) <= 1
    assert np.all(np.abs(x.mean(axis=0)) < 0.5)  # roughly centred


def test_network_comparison_shows_each_loss_curve_and_output():
    losses = {"sgd": np.array([0.7, 0.5, 0.4]), "adam": np.array([0.7, 0.2, 0.1])}
    regions = {"sgd": np.full((4, 4), 0.3), "adam": np.eye(4)}
    x, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0], [1.0]])
    fig = network_comparison(losses, regions, x, y, extent=(-2, 2))
    loss_ax = next(ax for ax in fig.axes if ax.get_title() == "training a 2-16-1 network")
    for line, name in zip(loss_ax.lines, losses):
        np.testing.assert_allclose(line.get_ydata(), losses[name])
    for name in losses:
        ax = next(ax for ax in fig.axes if ax.get_title().startswith(f"{name}:"))
        np.testing.assert_allclose(ax.images[0].get_array(), regions[name])
        points = [c for c in ax.collections if str(c.get_label()).startswith("class")]  # class 0, then 1
        np.testing.assert_allclose(np.concatenate([c.get_offsets() for c in points]), x)
        assert [c.get_label() for c in points] == ["class 0", "class 1"]
        assert points[0].get_paths()[0] != points[1].get_paths()[0]  # told apart by shape, not colour
        assert f"final loss {losses[name][-1]:.3f}" in ax.get_title()


def test_widget_draws_at_once_and_redraws_when_each_control_changes():
    box = optimizer_race(STEPS)
    picture = box.children[-1]
    seen = [bytes(picture.value)]
    assert seen[0].startswith(b"\x89PNG")
    assert box.controls["momentum"].disabled  # gradient descent has no momentum

    box.controls["optimizer"].value = "momentum"
    seen.append(bytes(picture.value))
    assert not box.controls["momentum"].disabled
    assert box.controls["lr"].value == pytest.approx(VALLEY_SETTINGS["momentum"]["lr"])

    box.controls["lr"].value = 0.005
    seen.append(bytes(picture.value))
    box.controls["momentum"].value = 0.5
    seen.append(bytes(picture.value))
    box.controls["valley"].value = 30.0
    seen.append(bytes(picture.value))
    assert len(set(seen)) == len(seen)  # every change drew something new
    assert box.settings["momentum"] == {"lr": pytest.approx(0.005), "momentum": 0.5}
    assert box.settings["sgd"] == VALLEY_SETTINGS["sgd"]  # the others keep their own

    box.controls["optimizer"].value = "adam"  # the sliders show Adam's own settings
    assert box.controls["lr"].value == pytest.approx(VALLEY_SETTINGS["adam"]["lr"])
    assert box.controls["momentum"].description == "beta1"
