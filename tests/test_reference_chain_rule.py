"""Lesson 02 references against independent computations: derivatives worked out by hand,
tests/gradcheck.py's separate central difference, and loops with Python's math."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import max_rel_error, numeric_gradient
from helpers.reference import neuron_gradients, numerical_gradient, rel_error

# Strategies of this lesson (kept here, not in tests/strategies.py).
moderate = st.floats(min_value=-3, max_value=3, allow_nan=False, width=64)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
points = hnp.arrays(np.float64, shapes, elements=moderate)
steps = st.sampled_from([1e-5, 1e-4, 1e-3])
wide = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=64)


@st.composite
def pairs(draw):
    """Two arrays of one shape, with some entries equal, some zero, some tiny."""
    shape = draw(shapes)
    special = st.sampled_from([0.0, -0.0, 1e-9, -3e-9, 1.0])
    a = draw(hnp.arrays(np.float64, shape, elements=st.one_of(wide, special)))
    b = draw(hnp.arrays(np.float64, shape, elements=st.one_of(wide, special)))
    return a, b


@st.composite
def neurons(draw):
    d = draw(st.integers(min_value=1, max_value=6))
    x = draw(hnp.arrays(np.float64, (d,), elements=moderate))
    w = draw(hnp.arrays(np.float64, (d,), elements=moderate))
    return x, w, draw(moderate), draw(st.floats(min_value=0, max_value=1))


# numerical_gradient ---------------------------------------------------------------------

def wavy(x):
    """sum(sin x) + 0.5 (sum x)^2, whose gradient cos(x) + sum(x) is known exactly."""
    return math.fsum(math.sin(v) for v in x.ravel()) + 0.5 * math.fsum(x.ravel()) ** 2


@given(points, steps)
def test_numerical_gradient_matches_the_derivative_worked_out_by_hand(x, h):
    exact = np.cos(x) + math.fsum(x.ravel())
    truncation = h ** 2 / 6  # |f'''| h^2 / 6 with |f'''| = |cos x_i| <= 1
    size = math.fsum(abs(math.sin(v)) for v in x.ravel()) + 0.5 * math.fsum(x.ravel()) ** 2 + 1
    roundoff = np.finfo(float).eps * size / h  # eps |f| / h, with |f| bounded by its terms
    np.testing.assert_allclose(numerical_gradient(wavy, x, h=h), exact, rtol=0,
                               atol=truncation + 4 * roundoff)


@given(points, steps)
def test_numerical_gradient_agrees_with_the_independent_checker(x, h):
    np.testing.assert_allclose(numerical_gradient(wavy, x, h=h), numeric_gradient(wavy, x, h=h),
                               rtol=0, atol=1e-8)


@given(points)
def test_numerical_gradient_is_exact_up_to_round_off_on_a_quadratic(x):
    def bowl(v):
        return float(np.sum(v ** 2) + np.sum(v) ** 2)
    roundoff = np.finfo(float).eps * abs(bowl(x)) / 1e-5  # no truncation error: f''' = 0
    np.testing.assert_allclose(numerical_gradient(bowl, x), 2 * x + 2 * x.sum(), rtol=0,
                               atol=4 * roundoff + 1e-12)


@pytest.mark.parametrize("h", [0.1, 0.05, 0.01])
def test_numerical_gradient_has_the_central_truncation_error(h):
    """For x^3 the central difference is 3 x^2 + h^2 exactly (the forward one 3 x^2 + 3 x h + h^2)."""
    x = np.array([[[1.0, -2.0]], [[0.0, 3.0]], [[0.5, -1.0]]])
    got = numerical_gradient(lambda v: float(np.sum(v ** 3)), x, h=h)
    np.testing.assert_allclose(got - 3 * x ** 2, np.full(x.shape, h ** 2), rtol=1e-6)


def test_numerical_gradient_moves_one_element_at_a_time_and_leaves_x_alone():
    x = np.arange(6.0).reshape(2, 3) / 7  # entries whose sums with h round
    before = x.copy()
    seen = []

    def spy(v):
        seen.append(v.copy())
        return float(np.sum(v))
    grad = numerical_gradient(spy, x, h=1e-3)
    np.testing.assert_array_equal(x, before)  # bitwise unchanged
    assert len(seen) == 2 * x.size
    for v in seen:
        moved = np.argwhere(v != x)
        assert v.shape == x.shape and len(moved) == 1
        index = tuple(moved[0])
        assert v[index] in (x[index] + 1e-3, x[index] - 1e-3)
    np.testing.assert_allclose(grad, np.ones_like(x), rtol=1e-9)


def test_numerical_gradient_of_one_element():
    got = numerical_gradient(lambda v: math.exp(v[0]), np.array([0.3]))
    assert got.shape == (1,)
    assert got[0] == pytest.approx(math.exp(0.3), rel=1e-9)


# rel_error ---------------------------------------------------------------------------

def rel_error_by_math(a, b):
    return max(abs(p - q) / max(1e-8, abs(p) + abs(q)) for p, q in zip(a.ravel().tolist(), b.ravel().tolist()))


@given(pairs())
def test_rel_error_is_the_max_of_the_elementwise_ratios(pair):
    a, b = pair
    got = rel_error(a, b)
    assert isinstance(got, float)
    assert got == pytest.approx(rel_error_by_math(a, b), rel=1e-12, abs=0)
    assert 0.0 <= got <= 1.0
    assert got == rel_error(b, a)


def test_rel_error_at_hand_checked_values():
    a = np.array([[1.0, 3.0, 0.0], [10.0, 1.0, -1.0]])
    b = np.array([[1.0, 1.0, 0.0], [8.0, 4.0, -2.0]])
    assert rel_error(a, b) == pytest.approx(0.6, rel=1e-15)
    assert rel_error(np.array([1e-9, 0.0, -2.0]), np.array([0.0, 0.0, 2.0])) == 1.0
    assert rel_error(np.array([1e-9]), np.array([0.0])) == pytest.approx(0.1, rel=1e-15)  # the floor
    assert rel_error(0.0, 0.0) == 0.0  # floats, and 0 / 1e-8 rather than 0 / 0
    assert rel_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0


def test_rel_error_leaves_its_inputs_alone():
    a, b = np.array([1.0, -2.0]), np.array([1.5, 2.0])
    rel_error(a, b)
    np.testing.assert_array_equal(a, [1.0, -2.0])
    np.testing.assert_array_equal(b, [1.5, 2.0])


# neuron_gradients ---------------------------------------------------------------------

def loss_by_math(x, w, b, y):
    z = math.fsum(p * q for p, q in zip(x.tolist(), w.tolist())) + b
    return 0.5 * (1.0 / (1.0 + math.exp(-z)) - y) ** 2


@given(neurons())
def test_neuron_loss_matches_math(neuron):
    x, w, b, y = neuron
    loss, dw, db = neuron_gradients(x, w, b, y)
    assert isinstance(loss, float) and isinstance(db, float)
    assert dw.shape == x.shape and dw.dtype == np.float64
    assert loss == pytest.approx(loss_by_math(x, w, b, y), rel=1e-12, abs=1e-300)


@given(neurons())
def test_neuron_gradients_pass_a_gradient_check(neuron):
    x, w, b, y = neuron
    _, dw, db = neuron_gradients(x, w, b, y)
    dw_num = numeric_gradient(lambda v: loss_by_math(x, v, b, y), w)
    db_num = numeric_gradient(lambda v: loss_by_math(x, w, float(v[0]), y), np.array([b]))
    # the checker's round-off is about eps |L| / h ~ 1e-10 (|L| <= 0.5, h = 1e-6), absolute:
    # it dominates where the sigmoid saturates and the gradients themselves are tiny
    np.testing.assert_allclose(dw, dw_num, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(db, db_num[0], rtol=1e-6, atol=1e-9)
    if np.abs(dw).min() > 1e-2:  # well-scaled: the gradient check's verdict is "correct"
        assert max_rel_error(dw, dw_num) < 1e-7


def test_neuron_at_hand_checked_values():
    loss, dw, db = neuron_gradients(np.array([1.0, 2.0, -1.0]), np.array([0.5, -0.5, -0.5]), 0.0, 1.0)
    assert (loss, db) == (0.125, -0.125)
    np.testing.assert_array_equal(dw, [-0.125, -0.25, 0.125])
    loss, dw, db = neuron_gradients(np.array([2.0, -1.0, 0.5, 4.0]), np.zeros(4), math.log(3), 0.0)
    assert loss == pytest.approx(0.28125, rel=1e-14) and db == pytest.approx(0.140625, rel=1e-14)
    np.testing.assert_allclose(dw, [0.28125, -0.140625, 0.0703125, 0.5625], rtol=1e-14)


def test_saturated_neuron_has_zero_gradients_and_no_warning():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, dw, db = neuron_gradients(np.array([45.0, 80.0, 200.0]), np.array([0.1, -0.2, 0.3]), 0.5, 0.0)
        assert neuron_gradients(np.array([1.0]), np.array([-1000.0]), 0.0, 1.0)[0] == 0.5
    assert loss == 0.5 and db == 0.0
    np.testing.assert_array_equal(dw, np.zeros(3))


def test_neuron_gradients_leave_inputs_alone():
    x, w = np.array([0.4, -1.2]), np.array([-3.0, 2.0])
    neuron_gradients(x, w, -1.5, 1.0)
    np.testing.assert_array_equal(x, [0.4, -1.2])
    np.testing.assert_array_equal(w, [-3.0, 2.0])
