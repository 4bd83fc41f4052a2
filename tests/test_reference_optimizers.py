"""Lesson 07 references against independent computations: one float at a time with
Python's math, the unrolled (closed-form) sums behind momentum and Adam, and the
stability bound of gradient descent on a parabola."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers.reference import adam_step, momentum_step, rmsprop_step, sgd_step

shapes = hnp.array_shapes(min_dims=1, max_dims=3, max_side=5)
values = st.floats(min_value=-100, max_value=100, allow_nan=False, width=64)
positive = st.floats(min_value=0, max_value=100, allow_nan=False, width=64)
rates = st.floats(min_value=0, max_value=2, allow_nan=False, width=64)
fractions = st.floats(min_value=0, max_value=0.999, allow_nan=False, width=64)
guards = st.sampled_from([1e-8, 1e-3, 0.5, 1.0])


@st.composite
def same_shape(draw, count, elements=values):
    """``count`` float64 arrays of one random shape."""
    shape = draw(shapes)
    return [draw(hnp.arrays(np.float64, shape, elements=elements)) for _ in range(count)]


@st.composite
def optimizer_inputs(draw):
    """w, dw, a signed state and a non-negative state, all of one shape."""
    w, dw, signed = draw(same_shape(3))
    square = draw(hnp.arrays(np.float64, w.shape, elements=positive))
    return w, dw, signed, square


def each(fn, *arrays):
    """fn applied to the arrays' elements one at a time, as Python floats."""
    flat = [a.ravel().tolist() for a in arrays]
    return np.array([fn(*items) for items in zip(*flat)]).reshape(arrays[0].shape)


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


# sgd_step

@given(same_shape(2), rates)
def test_sgd_step_one_element_at_a_time(arrays, lr):
    w, dw = arrays
    close(sgd_step(w, dw, lr=lr), each(lambda a, g: a - lr * g, w, dw))


def test_sgd_step_default_learning_rate_is_0_01():
    assert sgd_step(np.array([1.0]), np.array([100.0]))[0] == pytest.approx(0.0, abs=1e-15)


@given(st.floats(min_value=0.1, max_value=50), st.floats(min_value=0.01, max_value=1.99))
def test_gradient_descent_on_a_parabola_converges_below_2_over_L(curvature, fraction):
    """f(w) = L/2 w^2: lr = fraction * 2 / L with fraction < 1 converges, factor |1 - lr L| < 1."""
    lr = fraction * 2 / curvature
    w = np.array([1.0])
    for _ in range(200):
        w = sgd_step(w, curvature * w, lr=lr)
    expected = (1 - lr * curvature) ** 200
    np.testing.assert_allclose(w, [expected], rtol=1e-9, atol=1e-250)
    if fraction < 1:
        assert abs(w[0]) < 1
    if fraction > 1:
        assert abs(w[0]) > 1


# momentum_step

@given(optimizer_inputs(), rates, fractions)
def test_momentum_step_one_element_at_a_time(inputs, lr, momentum):
    w, dw, velocity, _ = inputs
    new_w, new_velocity = momentum_step(w, dw, velocity, lr=lr, momentum=momentum)
    close(new_velocity, each(lambda v, g: momentum * v - lr * g, velocity, dw))
    close(new_w, each(lambda a, v, g: a + (momentum * v - lr * g), w, velocity, dw))


@given(same_shape(6), rates, fractions)
def test_momentum_velocity_is_the_discounted_sum_of_past_steps(grads, lr, momentum):
    """v_k = -lr * sum_j momentum^(k-1-j) g_j from v_0 = 0, and w_k = w_0 + sum of the v's."""
    w0 = np.ones_like(grads[0])
    w, velocity = w0, np.zeros_like(w0)
    for k, g in enumerate(grads, start=1):
        w, velocity = momentum_step(w, g, velocity, lr=lr, momentum=momentum)
        unrolled = -lr * sum(momentum ** (k - 1 - j) * grads[j] for j in range(k))
        np.testing.assert_allclose(velocity, unrolled, rtol=1e-9, atol=1e-9)


def test_momentum_reaches_the_terminal_velocity_for_a_constant_gradient():
    velocity = np.zeros(1)
    for _ in range(400):
        _, velocity = momentum_step(np.zeros(1), np.ones(1), velocity, lr=0.1, momentum=0.9)
    assert velocity[0] == pytest.approx(-0.1 / (1 - 0.9), rel=1e-12)


@given(optimizer_inputs(), rates)
def test_momentum_zero_is_gradient_descent(inputs, lr):
    w, dw, velocity, _ = inputs
    new_w, new_velocity = momentum_step(w, dw, velocity, lr=lr, momentum=0.0)
    close(new_w, sgd_step(w, dw, lr=lr))
    close(new_velocity, -lr * dw)


# rmsprop_step

@given(optimizer_inputs(), rates, fractions, guards)
def test_rmsprop_step_one_element_at_a_time(inputs, lr, decay, eps):
    w, dw, _, cache = inputs
    new_w, new_cache = rmsprop_step(w, dw, cache, lr=lr, decay=decay, eps=eps)

    def one(a, g, c):
        c = decay * c + (1 - decay) * g * g
        return a - lr * g / (math.sqrt(c) + eps), c

    close(new_w, each(lambda a, g, c: one(a, g, c)[0], w, dw, cache))
    close(new_cache, each(lambda a, g, c: one(a, g, c)[1], w, dw, cache))


@given(same_shape(1, st.floats(min_value=-1e3, max_value=1e3).filter(lambda x: abs(x) > 1e-3)), fractions)
def test_rmsprop_steady_state_steps_by_lr_and_first_step_by_lr_over_sqrt_one_minus_decay(arrays, decay):
    g, = arrays
    w = np.zeros_like(g)
    steady, cache = rmsprop_step(w, g, g ** 2, lr=0.1, decay=decay, eps=0.0)
    close(steady, -0.1 * np.sign(g))
    close(cache, g ** 2)
    first, _ = rmsprop_step(w, g, np.zeros_like(g), lr=0.1, decay=decay, eps=0.0)
    close(first, -0.1 * np.sign(g) / math.sqrt(1 - decay))


def test_rmsprop_never_divides_zero_by_zero():
    with np.errstate(all="raise"):
        w, cache = rmsprop_step(np.ones(3), np.zeros(3), np.zeros(3))
    close(w, np.ones(3))
    close(cache, np.zeros(3))


# adam_step

@given(optimizer_inputs(), st.integers(min_value=1, max_value=10_000), rates, fractions, fractions, guards)
def test_adam_step_one_element_at_a_time(inputs, t, lr, beta1, beta2, eps):
    w, dw, m, v = inputs
    new_w, new_m, new_v = adam_step(w, dw, m, v, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)

    def one(a, g, m1, v1):
        m1 = beta1 * m1 + (1 - beta1) * g
        v1 = beta2 * v1 + (1 - beta2) * g * g
        m_hat = m1 / (1 - math.pow(beta1, t))
        v_hat = v1 / (1 - math.pow(beta2, t))
        return a - lr * m_hat / (math.sqrt(v_hat) + eps), m1, v1

    for i, got in enumerate((new_w, new_m, new_v)):
        np.testing.assert_allclose(got, each(lambda *xs: one(*xs)[i], w, dw, m, v), rtol=1e-9, atol=1e-12)


@given(same_shape(1, st.floats(min_value=-1e4, max_value=1e4).filter(lambda x: x == 0 or abs(x) > 1e-100)),
       st.integers(1, 60), fractions, fractions)
def test_adam_bias_correction_is_exact_for_a_constant_gradient(arrays, steps, beta1, beta2):
    """m_t = (1 - beta1^t) g, so m_hat = g and v_hat = g^2: with eps = 0 every step moves
    each coordinate by exactly lr against the sign of its gradient (0 where g = 0)."""
    g, = arrays
    w, m, v = np.zeros_like(g), np.zeros_like(g), np.zeros_like(g)
    for t in range(1, steps + 1):
        before = w
        with np.errstate(invalid="ignore"):  # 0 / 0 where g == 0, replaced below
            w, m, v = adam_step(w, g, m, v, t, lr=0.01, beta1=beta1, beta2=beta2, eps=0.0)
        np.testing.assert_allclose(m, (1 - beta1 ** t) * g, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(v, (1 - beta2 ** t) * g ** 2, rtol=1e-9, atol=1e-12)
        step = np.where(g == 0, 0.0, before - w)
        np.testing.assert_allclose(step[g != 0], 0.01 * np.sign(g[g != 0]), rtol=1e-9)
        w = np.where(g == 0, before, w)


@given(same_shape(6), fractions)
def test_adam_first_moment_is_the_weighted_sum_of_past_gradients(grads, beta1):
    """m_t = (1 - beta1) sum_k beta1^(t-k) g_k, whose weights sum to 1 - beta1^t."""
    m, v = np.zeros_like(grads[0]), np.zeros_like(grads[0])
    w = np.zeros_like(grads[0])
    for t, g in enumerate(grads, start=1):
        w, m, v = adam_step(w, g, m, v, t, beta1=beta1)
        unrolled = (1 - beta1) * sum(beta1 ** (t - k) * grads[k - 1] for k in range(1, t + 1))
        np.testing.assert_allclose(m, unrolled, rtol=1e-9, atol=1e-9)


@given(same_shape(1, st.floats(min_value=-1e6, max_value=1e6).filter(lambda x: abs(x) > 1e-4)))
def test_adam_first_step_is_about_lr_per_coordinate(arrays):
    g, = arrays
    zeros = np.zeros_like(g)
    w, _, _ = adam_step(zeros, g, zeros, zeros, 1)  # lr = 1e-3
    np.testing.assert_allclose(-w, 1e-3 * np.sign(g), rtol=1e-4)


def test_adam_late_steps_are_barely_corrected():
    rng = np.random.default_rng(0)
    w, dw, m, v = rng.normal(size=(4, 3, 2))
    v = np.abs(v)
    late, _, _ = adam_step(w, dw, m, v, 100_000, lr=0.1, beta1=0.8, beta2=0.9)
    m1, v1 = 0.8 * m + 0.2 * dw, 0.9 * v + 0.1 * dw ** 2
    close(late, w - 0.1 * m1 / (np.sqrt(v1) + 1e-8))


# all four

STEPS = {  # (w, dw, signed state, non-negative state, step number) -> the step's result
    "sgd_step": lambda w, dw, s1, s2, t: sgd_step(w, dw, lr=0.1),
    "momentum_step": lambda w, dw, s1, s2, t: momentum_step(w, dw, s1, lr=0.1, momentum=0.5),
    "rmsprop_step": lambda w, dw, s1, s2, t: rmsprop_step(w, dw, s2, lr=0.1, decay=0.5),
    "adam_step": lambda w, dw, s1, s2, t: adam_step(w, dw, s1, s2, t, lr=0.1),
}


@pytest.mark.parametrize("name", STEPS)
@given(inputs=optimizer_inputs())
def test_steps_leave_inputs_unchanged_and_return_new_arrays(name, inputs):
    copies = [a.copy() for a in inputs]
    out = STEPS[name](*inputs, 3)
    for before, after in zip(copies, inputs):
        np.testing.assert_array_equal(before, after)
    for result in (out if isinstance(out, tuple) else (out,)):
        assert result.shape == inputs[0].shape and result.dtype == np.float64
        assert not any(np.may_share_memory(result, a) for a in inputs)


@pytest.mark.parametrize("name", STEPS)
def test_steps_descend_a_quadratic(name):
    """Small steps of each optimizer lower f(w) = 0.5 * sum(c * w^2) from a random start."""
    rng = np.random.default_rng(1)
    curvatures = np.array([[1.0, 4.0, 9.0], [0.5, 2.0, 3.0]])
    w = rng.normal(size=(2, 3))
    s1, s2 = np.zeros_like(w), np.zeros_like(w)
    start = 0.5 * np.sum(curvatures * w ** 2)
    for t in range(1, 21):
        out = STEPS[name](w, curvatures * w, s1, s2, t)
        if name == "sgd_step":
            w = out
        elif name == "momentum_step":
            w, s1 = out
        elif name == "rmsprop_step":
            w, s2 = out
        else:
            w, s1, s2 = out
    assert 0.5 * np.sum(curvatures * w ** 2) < 0.5 * start
