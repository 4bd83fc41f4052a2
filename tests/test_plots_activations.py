"""Lesson 04's plots show what they claim (the data in their artists, and the numbers
the lesson's prose quotes from them); the widget redraws on every control."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import numeric_gradient
from helpers.plots.activations import (LEAK, NAMES, DyingReluSetup, activation, activation_and_depth,
                                       activation_gallery, available, dead_fraction, dying_relu,
                                       gradient_norms, gradient_through_depth, layer_gradients)
from helpers.reference import activations as course
from helpers.widgets.activations import depth_explorer

#: The course's lesson 04 functions, passed to the plots as a student passes theirs.
FUNCTIONS = {name: getattr(course, name)
             for name in ("tanh_backward", "relu", "relu_backward", "leaky_relu", "leaky_relu_backward")}
ACTIVATIONS = {name: activation(name, FUNCTIONS) for name in NAMES}


def scalar(name):
    """Each activation one float at a time with Python's math: an independent forward."""
    return {
        "sigmoid": lambda v: 1 / (1 + math.exp(-v)),
        "tanh": math.tanh,
        "relu": lambda v: max(v, 0.0),
        "leaky relu": lambda v: v if v > 0 else LEAK * v,
    }[name]


def elementwise(fn, z):
    return np.array([fn(float(v)) for v in z.ravel()]).reshape(z.shape)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_each_activation_and_its_derivative(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-4, 4, 81) + 0.05  # no grid point on relu's corner
    np.testing.assert_allclose(act.forward(z), elementwise(scalar(name), z), rtol=1e-12)
    h = 1e-6
    slope = (elementwise(scalar(name), z + h) - elementwise(scalar(name), z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(z), slope, rtol=1e-6, atol=1e-9)


def test_derivatives_at_zero_follow_the_lesson():
    zero = np.array([0.0, -0.0])
    assert list(ACTIVATIONS["relu"].derivative(zero)) == [0.0, 0.0]
    assert list(ACTIVATIONS["leaky relu"].derivative(zero)) == [LEAK, LEAK]
    assert ACTIVATIONS["sigmoid"].derivative(np.array([0.0]))[0] == 0.25
    assert ACTIVATIONS["tanh"].derivative(np.array([0.0]))[0] == 1.0


def test_gallery_draws_each_function_above_its_derivative():
    fig = activation_gallery(FUNCTIONS)
    assert isinstance(fig, Figure)
    names = list(ACTIVATIONS)
    axes = fig.axes  # row-major: the functions, then the derivatives
    assert len(axes) == 2 * len(names)
    for i, name in enumerate(names):
        value_ax, slope_ax = axes[i], axes[len(names) + i]
        z, a = value_ax.lines[0].get_data()
        np.testing.assert_allclose(a, ACTIVATIONS[name].forward(z))
        z, slope = slope_ax.lines[0].get_data()
        np.testing.assert_allclose(slope, ACTIVATIONS[name].derivative(z))
        assert name in value_ax.get_title() and name in slope_ax.get_title()
    sigmoid_peak = [t.get_text() for t in axes[len(names)].texts]
    assert sigmoid_peak == ["max 0.25"]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_layer_gradients_are_the_numerical_gradients(name):
    """dL/dz at each layer, checked by nudging that layer's z with a perturbation e and
    differencing L = sum(g * a_L), in an independent forward pass built from math."""
    rng = np.random.default_rng(13)  # no z near relu's corner with this draw
    sizes = [3, 4, 2, 3]
    x = rng.normal(size=(2, 3))
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    g = rng.normal(size=(2, 3))
    f = scalar(name)

    def loss(layer, e, corners=None):
        a = x
        for l, W in enumerate(weights):
            z = a @ W + (e if l == layer else 0.0)
            if corners is not None:
                corners.append(np.abs(z).min())
            a = elementwise(f, z)
        return float(np.sum(g * a))

    distances = []
    loss(None, 0.0, distances)
    assert name not in ("relu", "leaky relu") or min(distances) > 1e-3  # corners out of reach of h

    dzs = layer_gradients(ACTIVATIONS[name], x, weights, g)
    assert [dz.shape for dz in dzs] == [(2, 4), (2, 2), (2, 3)]
    for layer, dz in enumerate(dzs):
        numeric = numeric_gradient(lambda e: loss(layer, e), np.zeros_like(dz))
        np.testing.assert_allclose(dz, numeric, rtol=1e-5, atol=1e-8)


def test_gradient_norms_are_the_rms_per_layer_and_reproducible():
    tanh = ACTIVATIONS["tanh"]
    norms = gradient_norms(tanh, 6, width=8, batch=5, seed=3)
    assert norms.shape == (6,)
    np.testing.assert_array_equal(norms, gradient_norms(tanh, 6, width=8, batch=5, seed=3))
    rng = np.random.default_rng(3)  # the draws gradient_norms documents, in its order
    x = rng.normal(size=(5, 8))
    weights = [rng.normal(scale=1 / math.sqrt(8), size=(8, 8)) for _ in range(6)]
    dzs = layer_gradients(tanh, x, weights, rng.normal(size=(5, 8)))
    np.testing.assert_allclose(norms, [math.sqrt(np.mean(dz ** 2)) for dz in dzs])


def test_depth_plot_shows_what_the_lesson_says():
    fig = gradient_through_depth(FUNCTIONS, depth=20)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    for name in ("sigmoid", "tanh", "relu"):
        layers, norms = lines[name].get_data()
        np.testing.assert_array_equal(layers, np.arange(1, 21))
        np.testing.assert_allclose(norms, gradient_norms(ACTIVATIONS[name], 20))
    sigmoid, tanh, relu = (gradient_norms(ACTIVATIONS[n], 20) for n in ("sigmoid", "tanh", "relu"))
    # sigmoid: shrinks by a factor of at least 4 per layer, to ~1e-12 at layer 1
    assert np.all(sigmoid[:-1] / sigmoid[1:] <= 0.25)
    assert sigmoid[0] / sigmoid[-1] < 4.0 ** -19
    # tanh loses some, far less; relu neither vanishes nor explodes
    assert 0.01 < tanh[0] / tanh[-1] < 0.5
    assert 0.3 < relu[0] / relu[-1] < 3
    # the dashed guide: x 0.25 per layer back from the output layer
    _, guide = lines["x 0.25 per layer"].get_data()
    np.testing.assert_allclose(guide, sigmoid[-1] * 0.25 ** np.arange(19, -1, -1))
    assert ax.get_yscale() == "log"


def test_widget_figure_has_the_activation_its_derivative_and_the_depth():
    fig = activation_and_depth(FUNCTIONS, "tanh", 7)
    shape_ax, depth_ax = fig.axes
    z, a = shape_ax.lines[0].get_data()
    np.testing.assert_allclose(a, np.tanh(z))
    _, slope = shape_ax.lines[1].get_data()
    np.testing.assert_allclose(slope, 1 - np.tanh(z) ** 2)
    layers, norms = depth_ax.lines[0].get_data()
    np.testing.assert_array_equal(layers, np.arange(1, 8))
    np.testing.assert_allclose(norms, gradient_norms(ACTIVATIONS["tanh"], 7))
    assert f"{norms[0] / norms[-1]:.2g}" in depth_ax.get_title()


def test_dead_fraction_counts_units_off_on_the_whole_batch():
    z = np.array([[-1.0, 0.0, 2.0, -3.0],
                  [-2.0, -0.5, -1.0, 0.0],
                  [0.0, -4.0, -1.0, 1e-300]])
    assert dead_fraction(z) == 0.5  # columns 0 and 1; a single positive sample keeps a unit alive


def test_dying_relu_setup_gradient_is_the_numerical_gradient():
    setup = DyingReluSetup.make(FUNCTIONS, n=6, d=3, m=4, seed=1)
    dW1, db1 = setup.gradient()

    def loss(W1, b1):
        out = np.maximum(setup.x @ W1 + b1, 0.0) @ setup.W2
        return float(np.mean((out - setup.y) ** 2))

    np.testing.assert_allclose(dW1, numeric_gradient(lambda W: loss(W, setup.b1), setup.W1), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(db1, numeric_gradient(lambda b: loss(setup.W1, b), setup.b1), rtol=1e-5, atol=1e-8)


def test_dying_relu_plot_shows_what_the_lesson_says():
    shifts, rates = np.linspace(0, 6, 13), np.logspace(-2, 2, 9)
    fig = dying_relu(FUNCTIONS, shifts, rates)
    shift_ax, step_ax = fig.axes
    x, dead = shift_ax.lines[0].get_data()
    np.testing.assert_array_equal(x, shifts)
    setup = DyingReluSetup.make(FUNCTIONS)
    np.testing.assert_array_equal(dead, [setup.dead_after_shift(s) for s in shifts])
    assert dead[0] == pytest.approx(0.05)  # "five percent are dead from the start"
    assert np.all(np.diff(dead) >= 0) and dead[shifts == 3.0][0] == 1.0  # "a shift of 3 kills them all"
    x, dead = step_ax.lines[0].get_data()
    np.testing.assert_array_equal(x, rates)
    assert dead[0] == pytest.approx(0.05) and dead[rates <= 0.1].max() == pytest.approx(0.05)
    assert 0.4 <= setup.dead_after_step(10.0) <= 0.6  # "about half of the layer"
    assert step_ax.get_xscale() == "log"


def test_big_steps_kill_the_units_that_feed_the_output_positively():
    setup = DyingReluSetup.make(FUNCTIONS)
    before = np.all(setup.x @ setup.W1 + setup.b1 <= 0, axis=0)
    dW1, db1 = setup.gradient()
    after = np.all(setup.x @ (setup.W1 - 100 * dW1) + setup.b1 - 100 * db1 <= 0, axis=0)
    killed = after & ~before
    assert killed.sum() > 40
    assert np.all(setup.W2[killed, 0] > 0)


def test_widget_redraws_when_each_control_changes():
    box = depth_explorer(FUNCTIONS)
    picture = box.children[1]
    before = bytes(picture.value)
    assert before.startswith(b"\x89PNG")
    box.controls["depth"].value = 25
    after_depth = bytes(picture.value)
    box.controls["name"].value = "relu"
    after_name = bytes(picture.value)
    assert len({before, after_depth, after_name}) == 3
    assert list(box.controls["name"].options) == list(NAMES)


def test_plots_draw_with_the_functions_they_are_given():
    """The student's functions, not the course's: a relu that doubles shows in the pictures."""
    doubled = {**FUNCTIONS, "relu": lambda z: 2 * course.relu(z),
               "relu_backward": lambda dout, z: 2 * course.relu_backward(dout, z)}
    fig = activation_gallery(doubled, names=("relu",))
    z, a = fig.axes[0].lines[0].get_data()
    np.testing.assert_allclose(a, 2 * np.maximum(z, 0))
    z, slope = fig.axes[1].lines[0].get_data()
    np.testing.assert_allclose(slope, 2.0 * (z > 0))
    _, norms = activation_and_depth(doubled, "relu", 3).axes[1].lines[0].get_data()
    assert not np.allclose(norms, gradient_norms(ACTIVATIONS["relu"], 3))


def test_an_activation_needs_its_functions_and_says_which():
    assert available({}) == ("sigmoid",)
    assert available({"tanh_backward": 1, "relu": 2, "relu_backward": 3}) == ("sigmoid", "tanh", "relu")
    assert available(FUNCTIONS) == NAMES
    with pytest.raises(ValueError, match="leaky_relu and leaky_relu_backward"):
        activation("leaky relu", {"relu": course.relu})
    with pytest.raises(ValueError, match="relu_backward"):
        gradient_through_depth({"tanh_backward": course.tanh_backward, "relu": course.relu})
    assert activation("sigmoid", {}).derivative(np.array([0.0]))[0] == 0.25


def test_a_stub_raises_its_own_error():
    """Before the student writes a function, a plot that needs it fails with the stub's
    NotImplementedError, not with something the student cannot place."""
    def stub(*args):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        dying_relu({**FUNCTIONS, "relu": stub})
    with pytest.raises(NotImplementedError):
        activation_gallery({**FUNCTIONS, "leaky_relu_backward": stub})


def test_widget_offers_the_activations_whose_functions_it_has():
    box = depth_explorer({"tanh_backward": course.tanh_backward})
    assert list(box.controls["name"].options) == ["sigmoid", "tanh"]
