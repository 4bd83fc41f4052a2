"""Lesson 06's plots show what they claim (checked on the data in their artists); the
widget redraws when its control changes."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import numeric_gradient
from helpers.plots.losses import (cross_entropy, descend, learning_curves, margin_losses,
                                  positive_example, pre_activation_gradients, squared_error)
from helpers.widgets.losses import probability_explorer


def sigmoid_by_math(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("z", [-6.0, -1.5, 0.0, 0.7, 4.0])
def test_the_gradients_wrt_z_are_the_chain_rule_through_the_sigmoid(z, y):
    """dL/dz of each loss, differentiated numerically through math's sigmoid."""
    for loss in (squared_error, cross_entropy):
        numeric = numeric_gradient(lambda v: float(loss(sigmoid_by_math(float(v)), y)[0]), np.array(z))
        assert float(loss(sigmoid_by_math(z), y)[2]) == pytest.approx(float(numeric), rel=1e-6, abs=1e-9)
        numeric_p = numeric_gradient(lambda q: float(loss(float(q), y)[0]), np.array(sigmoid_by_math(z)))
        assert float(loss(sigmoid_by_math(z), y)[1]) == pytest.approx(float(numeric_p), rel=1e-5, abs=1e-9)


def test_cross_entropy_gradient_wrt_z_is_p_minus_y_and_squared_error_has_the_slope():
    p = np.array([0.01, 0.3, 0.5, 0.99])
    np.testing.assert_allclose(cross_entropy(p, 1.0)[2], p - 1)
    np.testing.assert_allclose(squared_error(p, 1.0)[2], (p - 1) * p * (1 - p))
    np.testing.assert_allclose(cross_entropy(p, 1.0)[0], [-math.log(v) for v in p])


def test_pre_activation_gradients_shows_the_vanishing_squared_error_gradient():
    fig = pre_activation_gradients(z_mark=-4.0, reach=8.0)
    assert isinstance(fig, Figure)
    loss_ax, grad_ax = fig.axes
    se_line, ce_line = grad_ax.lines[:2]
    z, se = se_line.get_data()
    p = np.array([sigmoid_by_math(v) for v in z])
    np.testing.assert_allclose(se, (p - 1) * p * (1 - p), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ce_line.get_ydata(), p - 1, rtol=1e-12, atol=1e-15)
    # the claim: confidently wrong (z = -8), squared error's gradient is ~0, cross-entropy's ~-1
    assert z[0] == -8.0 and abs(se[0]) < 1e-3 and ce_line.get_ydata()[0] < -0.999
    # the marked points sit on the curves at z = -4
    p0 = sigmoid_by_math(-4.0)
    marks = [tuple(line.get_xydata()[0]) for line in grad_ax.lines[2:4]]
    np.testing.assert_allclose(marks, [(-4.0, (p0 - 1) * p0 * (1 - p0)), (-4.0, p0 - 1)])
    loss_marks = [line.get_ydata()[0] for line in loss_ax.lines[2:4]]
    np.testing.assert_allclose(loss_marks, [0.5 * (p0 - 1) ** 2, -math.log(p0)])
    assert "-0.017" in grad_ax.get_title() and "-0.982" in grad_ax.get_title()


def test_descend_takes_gradient_steps_on_z():
    ps = descend(-4.0, 0.5, 3, "squared error")
    z = -4.0
    expected = [sigmoid_by_math(z)]
    for _ in range(3):
        p = sigmoid_by_math(z)
        z -= 0.5 * (p - 1) * p * (1 - p)
        expected.append(sigmoid_by_math(z))
    np.testing.assert_allclose(ps, expected, rtol=1e-12)
    np.testing.assert_allclose(descend(0.0, 2.0, 1, "cross-entropy"), [0.5, sigmoid_by_math(1.0)])


def test_learning_curves_shows_cross_entropy_learning_first():
    fig = learning_curves(z0=-4.0, lr=1.0, steps=150)
    ax = fig.axes[0]
    se_line, ce_line = ax.lines
    assert se_line.get_label() == "squared error" and ce_line.get_label() == "cross-entropy"
    np.testing.assert_allclose(ce_line.get_ydata(), descend(-4.0, 1.0, 150, "cross-entropy"))
    se, ce = se_line.get_ydata(), ce_line.get_ydata()
    # the lesson's claims: cross-entropy passes 0.8 within ten steps; squared error is still
    # below 0.1 after fifty and gets going only after about sixty
    assert ce[10] > 0.8 and se[50] < 0.1 and se[150] > 0.8
    assert np.argmax(se > 0.5) > 60


def test_margin_losses_plots_the_hinge_and_the_two_class_cross_entropy():
    ax = margin_losses(margin=2.0, reach=3.0).axes[0]
    hinge, ce = ax.lines[:2]
    m = hinge.get_xdata()
    np.testing.assert_allclose(hinge.get_ydata(), [max(0.0, 2.0 - v) for v in m])
    np.testing.assert_allclose(ce.get_ydata(), [math.log(1 + math.exp(-v)) for v in m], rtol=1e-12)
    assert "max(0, 2 - m)" in hinge.get_label()


@pytest.mark.parametrize("p", [0.02, 0.3, 0.9])
def test_positive_example_marks_p_on_every_panel(p):
    fig = positive_example(p)
    assert len(fig.axes) == 3
    expected = [(0.5 * (p - 1) ** 2, -math.log(p)),  # losses
                (p - 1, -1 / p),  # dL/dp
                ((p - 1) * p * (1 - p), p - 1)]  # dL/dz
    for ax, (se, ce) in zip(fig.axes, expected):
        se_curve, ce_curve = ax.lines[:2]
        assert se_curve.get_label().endswith(f"{se:.4g}") and ce_curve.get_label().endswith(f"{ce:.4g}")
        low, high = ax.get_ylim()
        for marker, value, shape in zip(ax.lines[2:4], (se, ce), ("s", "o")):
            x, shown = marker.get_xydata()[0]
            assert x == pytest.approx(p)
            if low <= value <= high:  # a square for the squared error, a circle for the cross-entropy
                assert shown == pytest.approx(value) and marker.get_marker() == shape
            else:  # off the panel: a triangle at the edge
                assert marker.get_marker() in ("v", "^") and low <= shown <= high


def test_widget_redraws_when_p_changes():
    box = probability_explorer(p=0.2)
    picture = box.children[1]
    before = bytes(picture.value)
    assert before.startswith(b"\x89PNG")
    box.controls["p"].value = 0.7
    assert bytes(picture.value) != before and bytes(picture.value).startswith(b"\x89PNG")
