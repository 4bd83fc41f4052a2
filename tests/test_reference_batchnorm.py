"""Lesson 08 references against independent computations: per-column loops with Python's
math and statistics (exact rational variances), and central differences for the backward
pass."""
import math
import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import numeric_gradient
from helpers.reference import (batchnorm_backward, batchnorm_forward, batchnorm_forward_out,
                               batchnorm_inference, update_running_stats)

sizes = st.integers(min_value=1, max_value=6)
moderate = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, width=64)
small = st.floats(min_value=-5, max_value=5, allow_nan=False, width=64)
epsilons = st.sampled_from([1e-5, 1e-3, 0.1, 2.0])


@st.composite
def batches(draw, elements=moderate, min_rows=1):
    """(x, gamma, beta, eps) with x of shape (N, D)."""
    n, d = draw(st.integers(min_value=min_rows, max_value=6)), draw(sizes)
    x = draw(hnp.arrays(np.float64, (n, d), elements=elements))
    gamma = draw(hnp.arrays(np.float64, (d,), elements=small))
    beta = draw(hnp.arrays(np.float64, (d,), elements=small))
    return x, gamma, beta, draw(epsilons)


def forward_by_columns(x, gamma, beta, eps):
    """Training-mode batch norm one column at a time with math.fsum and the exact
    population variance of the statistics module."""
    out = np.empty_like(x)
    for d in range(x.shape[1]):
        column = [float(v) for v in x[:, d]]
        mean = math.fsum(column) / len(column)
        std = math.sqrt(statistics.pvariance(column) + eps)
        for n, v in enumerate(column):
            out[n, d] = gamma[d] * (v - mean) / std + beta[d]
    return out


@given(batches())
def test_forward_matches_a_loop_over_columns(batch):
    x, gamma, beta, eps = batch
    out, _ = batchnorm_forward(x, gamma, beta, eps=eps)
    # |x - mean| <= 2e3 is rounded to ~1e-13 and divided by sqrt(var + eps) >= 3e-3
    np.testing.assert_allclose(out, forward_by_columns(x, gamma, beta, eps), rtol=1e-9, atol=1e-9)


@given(batches())
def test_forward_out_is_the_first_return_value(batch):
    x, gamma, beta, eps = batch
    np.testing.assert_array_equal(batchnorm_forward_out(x, gamma, beta, eps=eps),
                                  batchnorm_forward(x, gamma, beta, eps=eps)[0])


@given(batches())
def test_cache_holds_x_hat_with_mean_0_and_mean_square_var_over_var_plus_eps(batch):
    x, gamma, beta, eps = batch
    x_hat, cached_gamma, inv_std = batchnorm_forward(x, gamma, beta, eps=eps)[1]
    var = np.array([statistics.pvariance([float(v) for v in x[:, d]]) for d in range(x.shape[1])])
    np.testing.assert_allclose(inv_std, 1 / np.sqrt(var + eps), rtol=1e-12)
    np.testing.assert_allclose(x_hat.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose((x_hat ** 2).mean(axis=0), var / (var + eps), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(cached_gamma, gamma)


def test_forward_at_the_worked_example_and_the_extremes():
    x = np.array([[1.0, 4.0, 9.5], [7.0, 0.0, 10.5], [7.0, 4.0, 10.5], [9.0, 0.0, 9.5]])
    out, _ = batchnorm_forward(x, np.array([3.0, 2.0, 0.5]), np.array([1.0, 0.0, -1.0]), eps=0.0)
    np.testing.assert_allclose(out, [[-4, 2, -1.5], [2, -2, -0.5], [2, 2, -0.5], [4, -2, -1.5]], rtol=1e-15)
    # a large eps goes inside the square root: sqrt(9 + 16) = 5
    out, _ = batchnorm_forward(np.array([[1.0, 5.0], [7.0, 5.0], [7.0, 5.0], [9.0, 5.0]]),
                               np.array([5.0, 3.0]), np.array([0.0, 2.0]), eps=16.0)
    np.testing.assert_allclose(out, [[-5, 2], [1, 2], [1, 2], [3, 2]], rtol=1e-15)
    # a batch of one: x_hat = 0, out = beta exactly
    beta = np.array([0.5, -2.0, 7.0])
    np.testing.assert_array_equal(batchnorm_forward(np.array([[1e300, -3.0, 0.0]]), np.ones(3), beta)[0], [beta])


def test_forward_keeps_its_digits_for_features_with_a_large_mean():
    rng = np.random.default_rng(0)
    x = 1e8 + rng.normal(size=(7, 3))  # mean(x**2) - mean(x)**2 would lose every digit here
    gamma, beta = np.ones(3), np.zeros(3)
    np.testing.assert_allclose(batchnorm_forward(x, gamma, beta)[0], forward_by_columns(x, gamma, beta, 1e-5),
                               rtol=1e-6, atol=1e-6)


def upstream_loss(x, gamma, beta, dout, eps):
    return float(np.sum(dout * batchnorm_forward(x, gamma, beta, eps=eps)[0]))


@given(batches(elements=small, min_rows=2), st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_backward_matches_central_differences(batch, seed):
    x, gamma, beta, eps = batch
    x = x + np.random.default_rng(seed).normal(size=x.shape)  # a spread well above eps
    dout = np.random.default_rng(seed + 1).normal(size=x.shape)
    dx, dgamma, dbeta = batchnorm_backward(dout, batchnorm_forward(x, gamma, beta, eps=eps)[1])
    numeric = (numeric_gradient(lambda v: upstream_loss(v, gamma, beta, dout, eps), x),
               numeric_gradient(lambda v: upstream_loss(x, v, beta, dout, eps), gamma),
               numeric_gradient(lambda v: upstream_loss(x, gamma, v, dout, eps), beta))
    for analytic, approx in zip((dx, dgamma, dbeta), numeric):
        assert analytic.shape == approx.shape
        np.testing.assert_allclose(analytic, approx, rtol=1e-5, atol=1e-6)


@given(batches(elements=small))
def test_backward_sums_and_the_batch_of_one(batch):
    x, gamma, beta, eps = batch
    dout = np.random.default_rng(x.size).normal(size=x.shape)
    cache = batchnorm_forward(x, gamma, beta, eps=eps)[1]
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    # shifting every row of a feature by the same amount changes nothing, so dx sums to 0
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-9 * (1 + np.abs(dx).sum()))
    np.testing.assert_allclose(dbeta, [math.fsum(dout[:, d]) for d in range(x.shape[1])], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dgamma, [math.fsum(dout[:, d] * cache[0][:, d]) for d in range(x.shape[1])],
                               rtol=1e-9, atol=1e-9)
    if x.shape[0] == 1:
        np.testing.assert_array_equal(dx, 0.0)
        np.testing.assert_array_equal(dgamma, 0.0)


def test_backward_at_the_worked_example():
    x = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0], [9.0, 0.0]])
    dout = np.array([[-4.0, 2.0], [3.0, -3.0], [1.0, 0.0], [4.0, -3.0]])
    cache = batchnorm_forward(x, np.array([3.0, -2.0]), np.array([0.5, 0.5]), eps=0.0)[1]
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    np.testing.assert_allclose(dx, [[0, -1], [1, 0], [-1, 1], [0, 0]], atol=1e-14)
    np.testing.assert_array_equal(dgamma, [12.0, 8.0])
    np.testing.assert_array_equal(dbeta, [4.0, -4.0])


@given(batches(), st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_inference_matches_a_loop(batch, seed):
    x, gamma, beta, eps = batch
    rng = np.random.default_rng(seed)
    mean, var = rng.normal(size=x.shape[1]), rng.uniform(0.0, 5.0, size=x.shape[1])
    expected = np.array([[gamma[d] * (x[n, d] - mean[d]) / math.sqrt(var[d] + eps) + beta[d]
                          for d in range(x.shape[1])] for n in range(x.shape[0])])
    np.testing.assert_allclose(batchnorm_inference(x, gamma, beta, mean, var, eps=eps), expected,
                               rtol=1e-12, atol=1e-9)


@given(batches())
def test_inference_with_the_batch_statistics_is_training_mode(batch):
    x, gamma, beta, eps = batch
    np.testing.assert_allclose(batchnorm_inference(x, gamma, beta, x.mean(axis=0), x.var(axis=0), eps=eps),
                               batchnorm_forward(x, gamma, beta, eps=eps)[0], rtol=1e-12, atol=1e-9)


def test_inference_handles_rows_alone():
    gamma, beta = np.array([5.0, 1.0]), np.array([1.0, 0.0])
    mean, var = np.array([3.0, 0.0]), np.array([9.0, 0.0])
    x = np.array([[13.0, -2.0], [3.0, 4.0]])
    both = batchnorm_inference(x, gamma, beta, mean, var, eps=16.0)
    np.testing.assert_array_equal(both, [[11.0, -0.5], [1.0, 1.0]])
    np.testing.assert_array_equal(batchnorm_inference(x[:1], gamma, beta, mean, var, eps=16.0), both[:1])


@given(batches(), st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_running_stats_match_statistics_module(batch, momentum, seed):
    x = batch[0]
    rng = np.random.default_rng(seed)
    old_mean, old_var = rng.normal(size=x.shape[1]), rng.uniform(0.0, 3.0, size=x.shape[1])
    new_mean, new_var = update_running_stats(old_mean, old_var, x, momentum=momentum)
    columns = [[float(v) for v in x[:, d]] for d in range(x.shape[1])]
    expected_mean = [momentum * m + (1 - momentum) * statistics.fmean(c) for m, c in zip(old_mean, columns)]
    expected_var = [momentum * v + (1 - momentum) * statistics.pvariance(c) for v, c in zip(old_var, columns)]
    np.testing.assert_allclose(new_mean, expected_mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(new_var, expected_var, rtol=1e-9, atol=1e-9)


def test_running_stats_at_the_extreme_momenta_and_the_worked_examples():
    x = np.array([[8.0, -1.0], [12.0, 1.0], [10.0, -3.0], [10.0, 3.0]])
    mean, var = np.array([0.0, 10.0]), np.array([1.0, 1.0])
    np.testing.assert_allclose(update_running_stats(mean, var, x), ([1, 9], [1.1, 1.4]), rtol=1e-15)
    np.testing.assert_array_equal(update_running_stats(mean, var, x, momentum=1.0), (mean, var))
    np.testing.assert_array_equal(update_running_stats(mean, var, x, momentum=0.0), ([10, 0], [2, 5]))
    np.testing.assert_array_equal(
        update_running_stats(np.array([4.0, -2.0, 0.0]), np.array([2.0, 8.0, 4.0]), np.array([[8.0, 2.0, 1.0]]),
                             momentum=0.75),
        ([5.0, -1.0, 0.25], [1.5, 6.0, 3.0]))


@pytest.mark.parametrize("n, d", [(1, 3), (4, 2), (5, 5)])
def test_references_leave_inputs_unchanged(n, d):
    rng = np.random.default_rng(n * 10 + d)
    x, gamma, beta, dout = rng.normal(size=(n, d)), rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))
    mean, var = rng.normal(size=d), rng.uniform(0.1, 2.0, size=d)
    inputs = [x, gamma, beta, dout, mean, var]
    copies = [a.copy() for a in inputs]
    out, cache = batchnorm_forward(x, gamma, beta)
    cache_copy = [a.copy() for a in cache]
    batchnorm_backward(dout, cache)
    batchnorm_inference(x, gamma, beta, mean, var)
    new_mean, new_var = update_running_stats(mean, var, x)
    assert new_mean is not mean and new_var is not var
    for before, after in zip(copies + cache_copy, inputs + list(cache)):
        np.testing.assert_array_equal(before, after)
