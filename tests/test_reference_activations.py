"""Lesson 04 references against independent computations: Python's math one element at
a time, a different softmax formula, and central differences for every gradient."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import numeric_gradient
from helpers.reference import (leaky_relu, leaky_relu_backward, relu, relu_backward, sigmoid, softmax,
                               tanh_backward)
from strategies import any_float, dims

shapes = hnp.array_shapes(max_dims=3, max_side=5)
small_shapes = hnp.array_shapes(max_dims=2, max_side=4)  # for central differences: few terms in f
# finite floats with exact zeros of both signs and the smallest subnormals made likely
edgy = st.one_of(st.sampled_from([0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300]),
                 st.floats(min_value=-1e300, max_value=1e300, width=64))
alphas = st.floats(min_value=0.0, max_value=1.0, width=64)
# away from relu's kink at 0, where a central difference straddles the corner
smooth = st.one_of(st.floats(min_value=1e-3, max_value=50.0), st.floats(min_value=-50.0, max_value=-1e-3))
moderate = st.floats(min_value=-5.0, max_value=5.0, width=64)


def elementwise(fn, *arrays):
    flat = [a.ravel() for a in arrays]
    return np.array([fn(*(float(v[i]) for v in flat)) for i in range(arrays[0].size)]).reshape(arrays[0].shape)


def assert_is_the_numerical_gradient(analytic, f, z, dout, h=1e-6):
    """``analytic`` is the central-difference gradient of sum(dout * f(z)) with respect to z.

    Relative error 1e-6: the truncation error is O(h^2) times the third derivative.
    Absolute error: the round-off of the difference quotient, at most a few
    eps * sum|dout * f(z)| / h, which dominates for tiny gradients.
    """
    numeric = numeric_gradient(lambda v: float(np.sum(dout * f(v))), z, h=h)
    round_off = 4 * np.finfo(float).eps * float(np.sum(np.abs(dout * f(z)))) / h
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=round_off + 1e-300)


# ---- relu -------------------------------------------------------------------------------

@given(hnp.arrays(np.float64, shapes, elements=any_float))
def test_relu_is_max_with_zero_elementwise(z):
    expected = elementwise(lambda v: v if v > 0 else 0.0, z)
    got = relu(z)
    assert got.shape == z.shape and got.dtype == np.float64
    np.testing.assert_array_equal(got, expected)


@given(hnp.arrays(np.float64, shapes, elements=edgy), st.data())
def test_relu_backward_passes_dout_only_where_z_is_positive(z, data):
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    expected = elementwise(lambda d, v: d if v > 0 else 0.0, dout, z)
    np.testing.assert_array_equal(relu_backward(dout, z), expected)


@given(hnp.arrays(np.float64, small_shapes, elements=smooth), st.data())
def test_relu_backward_is_the_numerical_gradient(z, data):
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    assert_is_the_numerical_gradient(relu_backward(dout, z), relu, z, dout)


def test_relu_derivative_at_zero_is_the_left_slope_zero():
    z, dout = np.array([0.0, -0.0]), np.array([3.0, -2.0])
    np.testing.assert_array_equal(relu_backward(dout, z), [0.0, 0.0])
    h = 1e-6  # the one-sided slopes at the corner: 0 on the left, 1 on the right
    assert (relu(np.array(0.0)) - relu(np.array(-h))) / h == 0.0
    assert (relu(np.array(h)) - relu(np.array(0.0))) / h == pytest.approx(1.0)


# ---- leaky relu -------------------------------------------------------------------------

@given(hnp.arrays(np.float64, shapes, elements=edgy), alphas)
def test_leaky_relu_follows_its_definition(z, alpha):
    expected = elementwise(lambda v: v if v > 0 else alpha * v, z)
    np.testing.assert_array_equal(leaky_relu(z, alpha), expected)


@given(hnp.arrays(np.float64, shapes, elements=edgy))
def test_leaky_relu_default_alpha_is_a_hundredth(z):
    np.testing.assert_array_equal(leaky_relu(z), elementwise(lambda v: v if v > 0 else 0.01 * v, z))


@given(hnp.arrays(np.float64, shapes, elements=moderate), st.floats(min_value=1.0, max_value=10.0))
def test_leaky_relu_by_cases_also_holds_beyond_alpha_one(z, alpha):
    """np.maximum(alpha * z, z) equals leaky relu only for alpha <= 1; the reference is the
    definition by cases, so it stays right where that shortcut does not."""
    np.testing.assert_array_equal(leaky_relu(z, alpha), np.where(z > 0, z, alpha * z))


@given(hnp.arrays(np.float64, shapes, elements=edgy), alphas, st.data())
def test_leaky_relu_backward_is_dout_times_its_slope(z, alpha, data):
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    expected = elementwise(lambda d, v: d if v > 0 else alpha * d, dout, z)
    np.testing.assert_array_equal(leaky_relu_backward(dout, z, alpha), expected)


@given(hnp.arrays(np.float64, small_shapes, elements=smooth), alphas, st.data())
def test_leaky_relu_backward_is_the_numerical_gradient(z, alpha, data):
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    assert_is_the_numerical_gradient(leaky_relu_backward(dout, z, alpha), lambda v: leaky_relu(v, alpha),
                                     z, dout)


def test_leaky_relu_derivative_at_zero_is_alpha():
    dout = np.array([[4.0, -8.0]])
    np.testing.assert_allclose(leaky_relu_backward(dout, np.array([[0.0, -0.0]]), alpha=0.25), [[1.0, -2.0]])
    np.testing.assert_allclose(leaky_relu_backward(dout, np.array([[0.0, -0.0]])), [[0.04, -0.08]])


# ---- tanh -------------------------------------------------------------------------------

@given(hnp.arrays(np.float64, small_shapes, elements=moderate), st.data())
def test_tanh_backward_is_the_numerical_gradient(z, data):
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    assert_is_the_numerical_gradient(tanh_backward(dout, np.tanh(z)), np.tanh, z, dout)


@given(hnp.arrays(np.float64, shapes, elements=st.floats(min_value=-300.0, max_value=300.0)), st.data())
def test_tanh_backward_is_dout_over_cosh_squared(z, data):
    """tanh'(z) = 1 / cosh(z)^2, a formula in z rather than in the output a."""
    dout = data.draw(hnp.arrays(np.float64, z.shape, elements=moderate))
    expected = elementwise(lambda d, v: d / math.cosh(v) ** 2, dout, z)
    # 1 - a^2 loses relative accuracy once a rounds near +-1; the absolute error stays ~1e-16
    np.testing.assert_allclose(tanh_backward(dout, np.tanh(z)), expected, rtol=1e-9, atol=1e-14)


def test_tanh_backward_at_saturation_and_at_zero():
    a = np.tanh(np.array([20.0, -20.0, 0.0, math.log(3)]))
    np.testing.assert_allclose(tanh_backward(np.full(4, 5.0), a), [0.0, 0.0, 5.0, 1.8], rtol=1e-14)


# ---- softmax ----------------------------------------------------------------------------

def softmax_by_math(row):
    """p_i = 1 / sum_j exp(z_j - z_i), one element at a time: no maximum subtracted. A term
    that overflows means p_i < 1 / 1.8e308, which is 0 to within 1e-308."""
    out = []
    for zi in row:
        try:
            out.append(1.0 / math.fsum(math.exp(zj - zi) for zj in row))
        except OverflowError:
            out.append(0.0)
    return out


logits = st.floats(min_value=-1e4, max_value=1e4, width=64)


@st.composite
def logit_batches(draw, elements=logits):
    n, c = draw(dims), draw(dims)
    return draw(hnp.arrays(np.float64, (n, c), elements=elements))


@given(logit_batches())
def test_softmax_matches_a_different_formula_without_warnings(z):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        got = softmax(z)
    expected = np.array([softmax_by_math(row) for row in z])
    assert got.shape == z.shape
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-14)


@given(logit_batches(moderate), st.data())
def test_softmax_is_unchanged_by_a_shift_of_each_row(z, data):
    shift = data.draw(hnp.arrays(np.float64, (z.shape[0], 1), elements=st.floats(-1e3, 1e3)))
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-9, atol=1e-300)


@given(moderate)
def test_softmax_of_two_logits_is_the_sigmoid(v):
    assume(abs(v) < 30)  # beyond that 1 - p rounds away and relative errors mean nothing
    p = softmax(np.array([[v, 0.0]]))
    assert p[0, 0] == pytest.approx(float(sigmoid(v)), rel=1e-13)


def test_softmax_with_huge_and_equal_logits():
    z = np.array([[1e4, 1e4 + math.log(3), -1e4, 0.0],
                  [1e4, 1e4, 1e4, 1e4],
                  [-1e4, -1e4, -1e4, -1e4]])
    np.testing.assert_allclose(softmax(z), [[0.25, 0.75, 0, 0], [0.25] * 4, [0.25] * 4], rtol=1e-10)


# ---- all --------------------------------------------------------------------------------

@given(dims, dims, alphas)
def test_references_leave_inputs_unchanged(n, m, alpha):
    rng = np.random.default_rng(n * 10 + m)
    z, dout = rng.normal(size=(n, m)), rng.normal(size=(n, m))
    z[0, 0] = 0.0
    copies = z.copy(), dout.copy()
    relu(z)
    relu_backward(dout, z)
    leaky_relu(z, alpha)
    leaky_relu_backward(dout, z, alpha)
    tanh_backward(dout, np.tanh(z))
    softmax(z)
    np.testing.assert_array_equal(z, copies[0])
    np.testing.assert_array_equal(dout, copies[1])
