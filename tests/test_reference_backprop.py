"""Lesson 03 references: each formula against explicit index sums, each gradient against
tests/gradcheck.py's central difference of an independently written forward pass."""
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import numeric_gradient
from helpers.reference import dense_backward, mlp_backward, sigmoid_backward, tanh_sigmoid_backward
from strategies import dims

# Bounded values keep the loss below ~1e2, so the central difference's round-off,
# about 1e-16 * |f| / h with h = 1e-6, stays below 1e-7: the atol of the gradient checks.
moderate = st.floats(min_value=-3, max_value=3, allow_nan=False, width=64)
RTOL, ATOL = 1e-6, 1e-7


def arrays(shape, elements=moderate):
    return hnp.arrays(np.float64, shape, elements=elements)


def sigmoid_by_math(z):
    return np.vectorize(lambda v: 1.0 / (1.0 + math.exp(-v)))(z)


def assert_gradient(analytic, f, x):
    np.testing.assert_allclose(analytic, numeric_gradient(f, x), rtol=RTOL, atol=ATOL)


@st.composite
def dense_cases(draw):
    n, d, m = draw(dims), draw(dims), draw(dims)
    return draw(arrays((n, m))), draw(arrays((n, d))), draw(arrays((d, m))), draw(arrays((m,)))


@given(dense_cases())
def test_dense_backward_is_the_index_sums(case):
    dout, x, W, _ = case
    n, d = x.shape
    m = W.shape[1]
    dx, dW, db = dense_backward(dout, x, W)
    np.testing.assert_allclose(dx, [[math.fsum(dout[i, j] * W[k, j] for j in range(m)) for k in range(d)]
                                    for i in range(n)], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dW, [[math.fsum(x[i, k] * dout[i, j] for i in range(n)) for j in range(m)]
                                    for k in range(d)], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db, [math.fsum(dout[:, j]) for j in range(m)], rtol=1e-12, atol=1e-12)
    assert (dx.shape, dW.shape, db.shape) == (x.shape, W.shape, (m,))


@given(dense_cases())
def test_dense_backward_matches_central_differences(case):
    dout, x, W, b = case
    # The scalar sum(out * dout) has gradient dout with respect to out.
    dx, dW, db = dense_backward(dout, x, W)
    assert_gradient(dx, lambda v: np.sum((v @ W + b) * dout), x)
    assert_gradient(dW, lambda v: np.sum((x @ v + b) * dout), W)
    assert_gradient(db, lambda v: np.sum((x @ W + v) * dout), b)


@given(dense_cases())
def test_db_is_the_weight_gradient_of_a_constant_input(case):
    """A bias is a weight on an extra input that is always 1: appending a column of ones to
    x and the row b to W must give db as the last row of dW (so a sum, not a mean)."""
    dout, x, W, b = case
    _, dW_augmented, _ = dense_backward(dout, np.hstack([x, np.ones((x.shape[0], 1))]), np.vstack([W, b]))
    np.testing.assert_allclose(dense_backward(dout, x, W)[2], dW_augmented[-1], rtol=1e-12, atol=1e-12)


@given(hnp.array_shapes(max_dims=3, max_side=5).flatmap(
    lambda shape: st.tuples(arrays(shape), arrays(shape, st.floats(-20, 20, width=64)))))
def test_sigmoid_backward_matches_central_differences(case):
    dout, z = case
    got = sigmoid_backward(dout, sigmoid_by_math(z))
    assert got.shape == z.shape
    assert_gradient(got, lambda v: np.sum(sigmoid_by_math(v) * dout), z)


def test_sigmoid_backward_at_the_extremes():
    dout = np.array([3.0, -3.0, 8.0, 1.0])
    np.testing.assert_array_equal(sigmoid_backward(dout, np.array([0.0, 1.0, 0.5, 0.75])),
                                  [0.0, 0.0, 2.0, 0.1875])


@st.composite
def networks(draw):
    """(dout, x, weights, biases) of a sigmoid network with 1 to 4 layers."""
    sizes = draw(st.lists(dims, min_size=2, max_size=5))
    n = draw(dims)
    x = draw(arrays((n, sizes[0])))
    weights = [draw(arrays((a, b))) for a, b in zip(sizes, sizes[1:])]
    biases = [draw(arrays((b,))) for b in sizes[1:]]
    return draw(arrays((n, sizes[-1]))), x, weights, biases


def forward_by_math(x, weights, biases):
    activations = [x]
    for W, b in zip(weights, biases):
        activations.append(sigmoid_by_math(activations[-1] @ W + b))
    return activations


@given(networks())
def test_mlp_backward_matches_central_differences(net):
    dout, x, weights, biases = net
    dweights, dbiases = mlp_backward(dout, forward_by_math(x, weights, biases), weights)
    assert len(dweights) == len(dbiases) == len(weights)

    def loss(ws, bs):
        return np.sum(forward_by_math(x, ws, bs)[-1] * dout)

    for l, (W, b) in enumerate(zip(weights, biases)):
        assert dweights[l].shape == W.shape and dbiases[l].shape == b.shape
        assert_gradient(dweights[l], lambda v: loss(weights[:l] + [v] + weights[l + 1:], biases), W)
        assert_gradient(dbiases[l], lambda v: loss(weights, biases[:l] + [v] + biases[l + 1:]), b)


@st.composite
def tanh_networks(draw):
    n, d, h, k = draw(dims), draw(dims), draw(dims), draw(dims)
    return draw(arrays((n, k))), draw(arrays((n, d))), draw(arrays((d, h))), draw(arrays((h, k)))


@given(tanh_networks())
def test_tanh_sigmoid_backward_matches_central_differences(net):
    dout, x, W1, W2 = net

    def out_of(W1, W2):
        return sigmoid_by_math(np.vectorize(math.tanh)(x @ W1) @ W2)

    a1 = np.vectorize(math.tanh)(x @ W1)
    dW1, dW2 = tanh_sigmoid_backward(dout, x, W1, a1, W2, out_of(W1, W2))
    assert dW1.shape == W1.shape and dW2.shape == W2.shape
    assert_gradient(dW1, lambda v: np.sum(out_of(v, W2) * dout), W1)
    assert_gradient(dW2, lambda v: np.sum(out_of(W1, v) * dout), W2)


def test_tanh_sigmoid_backward_on_the_lessons_hand_example():
    x = np.array([[1.0, 2.0, 4.0]])
    W1 = np.array([[math.log(2), math.log(3)], [1.0, -1.0], [-0.5, 0.5]])
    W2 = np.array([[4.0], [-3.0]])
    a1 = np.tanh(x @ W1)
    np.testing.assert_allclose(a1, [[0.6, 0.8]], rtol=1e-15)
    dW1, dW2 = tanh_sigmoid_backward(np.array([[-0.5]]), x, W1, a1, W2, np.array([[0.5]]))
    np.testing.assert_allclose(dW2, [[-0.075], [-0.1]], rtol=1e-14)
    np.testing.assert_allclose(dW1, np.outer([1, 2, 4], [-0.32, 0.135]), rtol=1e-14)


def test_saturated_tanh_passes_no_gradient_to_its_weights():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    a1 = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]])  # tanh saturated everywhere
    dW1, dW2 = tanh_sigmoid_backward(np.ones((2, 1)), x, np.full((2, 3), 50.0), a1,
                                     np.ones((3, 1)), np.array([[0.7], [0.2]]))
    np.testing.assert_array_equal(dW1, np.zeros((2, 3)))
    assert np.all(dW2 != 0)


def test_the_tutorials_bug_fails_the_gradient_check():
    """The tutorial's backward pass, sigmoid slope on the tanh layer, differs from the
    central difference while the reference matches it: the oracle can tell them apart."""
    x = np.array([[0.5, 0.2, 0.1]])
    W1 = np.array([[0.4, 0.3], [0.2, 0.7], [0.6, 0.5]])
    W2 = np.array([[0.8], [0.6]])
    target = 1.0
    a1 = np.tanh(x @ W1)
    out = sigmoid_by_math(a1 @ W2)
    dout = out - target
    numeric = numeric_gradient(lambda v: 0.5 * np.sum((sigmoid_by_math(np.tanh(x @ v) @ W2) - target) ** 2), W1)
    dz2 = dout * out * (1 - out)
    buggy = x.T @ ((dz2 @ W2.T) * a1 * (1 - a1))
    assert np.max(np.abs(buggy - numeric)) > 1e-3
    np.testing.assert_allclose(tanh_sigmoid_backward(dout, x, W1, a1, W2, out)[0], numeric, rtol=RTOL, atol=ATOL)


@given(networks())
def test_references_leave_inputs_unchanged(net):
    dout, x, weights, biases = net
    activations = forward_by_math(x, weights, biases)
    before = [a.copy() for a in [dout, *activations, *weights]]
    dense_backward(dout, activations[-2], weights[-1])
    sigmoid_backward(dout, activations[-1])
    mlp_backward(dout, activations, weights)
    if len(weights) == 2:
        tanh_sigmoid_backward(dout, x, weights[0], np.tanh(x @ weights[0]), weights[1], activations[-1])
    for then, now in zip(before, [dout, *activations, *weights]):
        np.testing.assert_array_equal(then, now)
