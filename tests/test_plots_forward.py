"""Lesson 01's plots return figures that show what they claim; the widget redraws."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.display import to_png
from helpers.plots.forward import (ACTIVATIONS, layer_histograms, naive_sigmoid, neuron_plane,
                                   sigmoid_saturation, sigmoid_slope)
from helpers.reference import sigmoid
from helpers.widgets.forward import neuron_explorer


def test_sigmoid_slope_matches_the_product_form_where_that_is_accurate():
    z = np.linspace(-30, 10, 41)  # beyond z = 10, 1 - sigmoid(z) loses digits to rounding
    np.testing.assert_allclose(sigmoid_slope(z), sigmoid(z) * (1 - sigmoid(z)), rtol=1e-9)
    # and where it cannot: at z = 49 the product form gives 0
    assert sigmoid_slope(49.0) == pytest.approx(math.exp(-49) / (1 + math.exp(-49)) ** 2, rel=1e-12)


def test_sigmoid_saturation_marks_each_point_on_both_panels():
    fig = sigmoid_saturation({"raw": 49.0, "standardised": 0.47}, sigmoid)
    assert isinstance(fig, Figure)
    value_ax, slope_ax = fig.axes
    marked = [line.get_xydata()[0] for line in value_ax.lines[1:]]
    np.testing.assert_allclose(marked, [[49.0, 1.0], [0.47, sigmoid(0.47)]])
    slopes = [line.get_ydata()[0] for line in slope_ax.lines[1:]]
    np.testing.assert_allclose(slopes, sigmoid_slope(np.array([49.0, 0.47])))
    assert value_ax.get_xlim()[1] >= 49.0


def test_neuron_plane_shows_the_neuron_and_its_decision_line():
    fig = neuron_plane(2.0, -1.0, 0.5, "sigmoid", reach=3.0, resolution=31)
    ax = fig.axes[0]
    image = ax.images[0].get_array()
    grid = np.linspace(-3, 3, 31)
    x1, x2 = np.meshgrid(grid, grid)
    np.testing.assert_allclose(image, sigmoid(2 * x1 - x2 + 0.5))
    assert len(ax.collections) >= 1  # the z = 0 contour
    assert "z = 2.00 x1 -1.00 x2 +0.50" in ax.get_title()


def test_neuron_plane_without_a_line_in_view_says_so():
    ax = neuron_plane(0.0, 0.0, 1.0, "step").axes[0]
    assert "no decision line" in ax.get_title()


def test_the_widgets_activations_are_right_and_its_sigmoid_is_not_lesson_01s_solution():
    z = np.linspace(-35, 35, 141)  # the widget's plane: |w1 x1 + w2 x2 + b| <= 35
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"](z), sigmoid(z), rtol=1e-12)
    np.testing.assert_array_equal(ACTIVATIONS["step"](np.array([-2.0, 0.0, 3.0])), [0.0, 0.5, 1.0])
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "step", "identity"}  # no later lesson's relu
    with pytest.warns(RuntimeWarning, match="overflow"):  # the exercise demands silence at -750
        naive_sigmoid(np.array([-750.0]))


def test_layer_histograms_has_a_panel_per_run_and_layer():
    runs = {"a": [np.full((5, 2), 0.2), np.full((5, 1), 0.9)], "b": [np.zeros((5, 2)), np.ones((5, 1))]}
    fig = layer_histograms(runs)
    assert len(fig.axes) == 4
    assert fig.axes[0].get_title() == "a: layer 1"
    counts = [patch.get_height() for patch in fig.axes[0].patches]
    assert sum(counts) == 10 and counts[4] == 10  # ten values of 0.2 in the bin [0.2, 0.25)


def test_widget_redraws_when_a_control_changes():
    box = neuron_explorer()
    picture = box.children[1]
    before = bytes(picture.value)
    assert before.startswith(b"\x89PNG")
    box.controls["w1"].value = -3.0
    after_weight = bytes(picture.value)
    box.controls["activation"].value = "tanh"
    assert before != after_weight != bytes(picture.value)


def test_png_is_a_png():
    assert to_png(neuron_plane(1, 1, 0)).startswith(b"\x89PNG")
