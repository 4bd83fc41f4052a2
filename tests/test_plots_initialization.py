"""Lesson 05's plots show what they claim; the widget redraws on every control."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import max_rel_error, numeric_gradient
from helpers.plots.initialization import (ACTIVATIONS, LESSON_SCHEMES, SCHEMES, layer_histograms, propagate,
                                          schemes, std_through_depth, symmetry_training)
from helpers.reference import he_init, xavier_init
from helpers.widgets.initialization import depth_explorer

#: The course's initializers, passed to the widget as a student passes theirs.
FUNCTIONS = {"xavier_init": xavier_init, "he_init": he_init}


def recording(draw):
    """An init that records the matrices it returns."""
    drawn = []

    def init(fan_in, fan_out, rng):
        drawn.append(draw(fan_in, fan_out, rng))
        return drawn[-1]
    return init, drawn


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_propagate_forward_is_the_layers_in_order(activation):
    init, drawn = recording(he_init)
    activations, gradients = propagate(init, activation, depth=3, width=5, batch=4, seed=2)
    assert len(drawn) == 3 and all(W.shape == (5, 5) for W in drawn)
    x = np.random.default_rng(2).standard_normal((4, 5))  # the input is the first draw
    f = {"tanh": np.tanh, "relu": lambda z: np.where(z > 0, z, 0.0)}[activation]
    a = x
    for W, got in zip(drawn, activations):
        a = f(np.array([[sum(a[n, i] * W[i, j] for i in range(5)) for j in range(5)] for n in range(4)]))
        np.testing.assert_allclose(got, a, rtol=1e-12, atol=1e-15)
    assert [g.shape for g in gradients] == [(4, 5)] * 3


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_propagate_gradients_are_those_of_the_upstream_gradient_dotted_with_the_output(activation):
    """The loss is L = sum(g * aL) for the standard normal g drawn after the weights, so
    dL/dz_l is the central difference of L with respect to z_l."""
    init, drawn = recording(xavier_init)
    depth, width, batch = 3, 4, 2
    activations, gradients = propagate(init, activation, depth=depth, width=width, batch=batch, seed=5)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((batch, width))
    for _ in range(depth):
        xavier_init(width, width, rng)  # the same draws as the weights
    g = rng.standard_normal((batch, width))
    f = ACTIVATIONS[activation][0]
    inputs = [x] + activations[:-1]
    for l in range(depth):
        z_l = inputs[l] @ drawn[l]

        def loss_from(z, l=l):
            a = f(z)
            for W in drawn[l + 1:]:
                a = f(a @ W)
            return float(np.sum(g * a))
        if activation == "relu":  # keep clear of the kink at 0
            assert np.min(np.abs(z_l)) > 1e-4
        assert max_rel_error(gradients[l], numeric_gradient(loss_from, z_l)) < 1e-6


def test_propagate_with_a_scheme_name_is_reproducible_and_the_scales_show():
    a1, _ = propagate("std 0.01", "tanh", depth=4, width=64, batch=200)
    a2, _ = propagate("std 0.01", "tanh", depth=4, width=64, batch=200)
    np.testing.assert_array_equal(a1[-1], a2[-1])
    # each layer multiplies the std by about 0.01 * sqrt(64) = 0.08 (tanh z ~ z here)
    ratios = [np.std(a1[l + 1]) / np.std(a1[l]) for l in range(3)]
    np.testing.assert_allclose(ratios, 0.08, rtol=0.1)
    he, _ = propagate(he_init, "relu", depth=8, width=128, batch=300)
    assert 0.5 < np.std(he[-1]) / np.std(he[0]) < 2  # He keeps ReLU networks flat
    glorot, _ = propagate(xavier_init, "relu", depth=8, width=128, batch=300)
    assert np.std(glorot[-1]) / np.std(glorot[0]) < 1 / 6  # about (1 / sqrt 2) ** 7 = 0.088


def test_std_through_depth_plots_each_layers_std_on_log_axes():
    runs = {"a": ([np.full((2, 2), 1.0) * [1, -1], np.array([[0.0, 2.0]])], [np.array([3.0, -3.0]), np.zeros(2)]),
            "b": ([np.array([0.0, 4.0]), np.array([1.0, 1.0])], [np.array([1.0, 3.0]), np.array([5.0, 1.0])])}
    fig = std_through_depth(runs)
    assert isinstance(fig, Figure)
    forward_ax, backward_ax = fig.axes
    assert forward_ax.get_yscale() == backward_ax.get_yscale() == "log"
    a_forward, b_forward = forward_ax.lines
    np.testing.assert_allclose(a_forward.get_xydata(), [[1, 1.0], [2, 1.0]])
    np.testing.assert_allclose(b_forward.get_xydata(), [[1, 2.0]])  # std 0 in layer 2 is left out
    a_backward, b_backward = backward_ax.lines
    np.testing.assert_allclose(a_backward.get_xydata(), [[1, 3.0]])
    np.testing.assert_allclose(b_backward.get_xydata(), [[1, 1.0], [2, 2.0]])
    assert [t.get_text() for t in backward_ax.get_legend().get_texts()] == ["a", "b"]  # one legend, beside


def test_layer_histograms_one_panel_per_layer_on_a_common_scale():
    rng = np.random.default_rng(0)
    layers = [rng.normal(0, 1.0, 1000), rng.normal(0, 0.5, 1000), rng.normal(0, 0.25, 1000)]
    fig = layer_histograms(layers, title="three layers", columns=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == 4 and len(visible) == 3
    assert len({ax.get_xlim() for ax in visible}) == 1  # one horizontal scale
    for ax, values in zip(visible, layers):
        assert ax.get_title().startswith(f"layer {visible.index(ax) + 1}: std {np.std(values):.2g}")
        low, high = ax.get_xlim()
        inside = np.sum((values >= low) & (values <= high))
        assert sum(p.get_height() for p in ax.patches) == inside
    assert fig._suptitle.get_text() == "three layers"


def test_layer_histograms_leave_out_the_exact_zeros_of_relu_and_say_so():
    values = np.r_[np.zeros(600), np.linspace(0.1, 2.0, 400)]
    ax = layer_histograms([values]).axes[0]
    assert "60% exactly 0 (not drawn)" in ax.get_title()
    low, high = ax.get_xlim()
    nonzero = values[values != 0]
    assert sum(p.get_height() for p in ax.patches) == np.sum((nonzero >= low) & (nonzero <= high)) >= 398


def test_layer_histograms_of_constant_layers_do_not_break():
    fig = layer_histograms([np.zeros(10), np.zeros(10)])
    assert len(fig.axes) == 2


def test_symmetry_training_counts_distinct_units_and_plots_every_weight():
    steps = np.arange(4)[:, None]
    same = np.hstack([steps * 0.1] * 3)  # three identical units
    different = np.hstack([steps * 0.1, steps * -0.2, steps * 0.0 + 1])
    fig = symmetry_training({"constant": (same, np.array([1.0, 0.9, 0.8])),
                             "random": (different, np.array([1.0, 0.1, 0.01]))})
    constant_ax, random_ax, loss_ax = [ax for ax in fig.axes if ax.get_visible()]  # a 2 x 2 grid
    assert constant_ax.get_title() == "constant: 1 distinct unit"
    assert random_ax.get_title() == "random: 3 distinct units"
    assert len(constant_ax.lines) == len(random_ax.lines) == 3
    np.testing.assert_allclose(random_ax.lines[1].get_ydata(), different[:, 1])
    assert loss_ax.get_yscale() == "log" and len(loss_ax.lines) == 2
    np.testing.assert_allclose(loss_ax.lines[1].get_ydata(), [1.0, 0.1, 0.01])


def test_widget_redraws_when_each_control_changes():
    box = depth_explorer(FUNCTIONS, depth=3)
    histograms, stds = box.children[1], box.children[2]
    seen = [(bytes(histograms.value), bytes(stds.value))]
    assert seen[0][0].startswith(b"\x89PNG") and seen[0][1].startswith(b"\x89PNG")
    for name, value in [("scheme", "He"), ("depth", 5), ("activation", "relu")]:
        box.controls[name].value = value
        now = (bytes(histograms.value), bytes(stds.value))
        assert now[0] != seen[-1][0] and now[1] != seen[-1][1], name
        seen.append(now)
    assert set(box.controls) == {"scheme", "depth", "activation"}
    assert list(box.controls["scheme"].options) == ["std 0.01", "std 1", "Xavier (Glorot)", "He"]


def test_schemes_are_the_fixed_scales_and_the_initializers_given():
    assert list(SCHEMES) == ["std 0.01", "std 1"]
    assert list(LESSON_SCHEMES.values()) == ["xavier_init", "he_init"]
    assert schemes({}) == SCHEMES
    assert schemes(FUNCTIONS) == {**SCHEMES, "Xavier (Glorot)": xavier_init, "He": he_init}
    assert list(schemes({"he_init": he_init})) == ["std 0.01", "std 1", "He"]


def test_widget_draws_with_the_initializers_it_is_given():
    calls = []

    def spy(fan_in, fan_out, rng):
        calls.append((fan_in, fan_out))
        return he_init(fan_in, fan_out, rng)
    box = depth_explorer({"xavier_init": xavier_init, "he_init": spy}, depth=3)
    assert not calls
    box.controls["scheme"].value = "He"
    assert calls == [(64, 64)] * 3


def test_a_stub_raises_its_own_error():
    def stub(fan_in, fan_out, rng):
        raise NotImplementedError()
    with pytest.raises(NotImplementedError):
        depth_explorer({"xavier_init": stub, "he_init": stub})
