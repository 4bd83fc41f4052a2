"""Lesson 01 references against independent computations: explicit sums and Python's math."""
import math
import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.reference import dense_forward, mlp_forward, sigmoid
from strategies import any_float, dense_inputs, dims, networks


def sigmoid_by_math(z):
    """One float at a time with Python's math: exp overflows into an exception, not inf."""
    try:
        return 1.0 / (1.0 + math.exp(-z))
    except OverflowError:  # exp(-z) > 1.8e308, so the sigmoid is below 1e-308: 0 in float64
        return 0.0


def elementwise(fn, z):
    return np.array([fn(float(v)) for v in z.ravel()]).reshape(z.shape)


@given(dense_inputs())
def test_dense_forward_is_the_sum_over_d(inputs):
    x, W, b = inputs
    n, d = x.shape
    m = W.shape[1]
    expected = np.array([[math.fsum(x[i, k] * W[k, j] for k in range(d)) + b[j]
                          for j in range(m)] for i in range(n)])
    np.testing.assert_allclose(dense_forward(x, W, b), expected, rtol=1e-9, atol=1e-6)


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=any_float))
def test_sigmoid_matches_math_everywhere_without_warnings(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        got = sigmoid(z)
    expected = elementwise(sigmoid_by_math, z)
    assert got.shape == z.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-300)


def test_sigmoid_at_hand_checked_values():
    z = np.array([0.0, math.log(3), -math.log(3), 1000.0, -1000.0, np.inf, -np.inf])
    np.testing.assert_array_equal(sigmoid(z)[[0, 3, 4, 5, 6]], [0.5, 1.0, 0.0, 1.0, 0.0])
    np.testing.assert_allclose(sigmoid(z)[1:3], [0.75, 0.25], rtol=1e-15)


@given(st.floats(min_value=-700, max_value=700))
def test_sigmoid_is_symmetric(z):
    assert math.isclose(sigmoid(np.array(-z)), 1 - sigmoid(np.array(z)), rel_tol=1e-12, abs_tol=1e-15)


@given(networks())
def test_mlp_forward_composes_layers(net):
    x, weights, biases = net
    out, activations = mlp_forward(x, weights, biases)
    assert len(activations) == len(weights) + 1
    assert activations[0] is x and activations[-1] is out
    a = x
    for W, b in zip(weights, biases):  # an independent loop with math's sigmoid
        z = np.array([[math.fsum(a[i, k] * W[k, j] for k in range(W.shape[0])) + b[j]
                       for j in range(W.shape[1])] for i in range(a.shape[0])])
        a = elementwise(sigmoid_by_math, z)
    np.testing.assert_allclose(out, a, rtol=1e-9, atol=1e-12)


@given(dims, dims)
def test_references_leave_inputs_unchanged(n, m):
    rng = np.random.default_rng(n * 10 + m)
    x, W, b = rng.normal(size=(n, 3)), rng.normal(size=(3, m)), rng.normal(size=m)
    copies = [x.copy(), W.copy(), b.copy()]
    dense_forward(x, W, b)
    sigmoid(x)
    mlp_forward(x, [W], [b])
    for before, after in zip(copies, [x, W, b]):
        np.testing.assert_array_equal(before, after)


def sigmoid_by_decimal(z):
    """The sigmoid to 40 significant digits with the decimal module, then rounded once."""
    import decimal
    with decimal.localcontext() as context:
        context.prec = 40
        t = decimal.Decimal(-abs(z)).exp()  # e^-|z|, exact enough at any z
        value = 1 / (1 + t) if z >= 0 else t / (1 + t)
        return float(value)


@given(st.floats(min_value=-745.5, max_value=-500.0))
def test_sigmoid_keeps_the_tiny_values_between_minus_745_and_minus_500(z):
    # Where the lesson's claim "correct to a couple of units in the last place" is easiest
    # to break (clipping z at -500, or 1 + tanh(z / 2), gives 7e-218 or 0 here).
    got, expected = float(sigmoid(np.array(z))), sigmoid_by_decimal(z)
    assert abs(got - expected) <= 2 * np.spacing(expected) or (got == expected == 0.0), (z, got, expected)


def test_sigmoid_is_within_two_ulp_of_the_true_value_everywhere():
    rng = np.random.default_rng(7)
    z = np.concatenate([rng.uniform(-746.0, 746.0, 3000), rng.normal(0.0, 5.0, 3000),
                        [-745.2, -745.13, -745.0, -709.78, -600.0, -37.0, 0.0, 37.0, 709.78]])
    got = sigmoid(z)
    expected = np.array([sigmoid_by_decimal(float(v)) for v in z])
    assert np.all(np.abs(got - expected) <= 2 * np.spacing(expected))
    assert sigmoid(np.array(-600.0)) == math.exp(-600.0)  # 1 + e^-600 rounds to 1
