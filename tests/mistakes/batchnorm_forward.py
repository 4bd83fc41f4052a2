"""Catalogue for batchnorm_forward(x, gamma, beta, eps=1e-5) -> (out, cache); x (N, D).

The tests compare only ``out`` (the cache is the student's choice). Every entry returns
the instructor's cache ``(x_hat, gamma, inv_std)``, the format the lesson's
batchnorm_backward reads, as a student's forward and backward passes agree on one.
"""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the variance was computed with ddof=1 (dividing by N - 1); batch normalization uses the biased variance, dividing by N, so that each normalised feature has variance 1 over the batch.")
def unbiased_variance(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


@mistake("each example was normalised over its own features (axis=1, which is layer normalization); batch normalization normalises each feature over the batch, axis=0.")
def over_features(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=1, keepdims=True)
    var = x.var(axis=1, keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


@mistake("eps was added outside the square root, (x - mean) / (sqrt(var) + eps); it belongs inside: (x - mean) / sqrt(var + eps).")
def eps_outside_sqrt(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    inv_std = 1 / (np.sqrt(x.var(axis=0)) + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


@mistake("gamma and beta were left out: out is gamma * x_hat + beta, not the normalised x_hat alone.")
def no_scale_and_shift(x, gamma, beta, eps=1e-5):
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    return x_hat, (x_hat, gamma, inv_std)


@mistake("the variance was computed as mean(x**2) - mean(x)**2, which loses its digits when a feature's mean is large compared with its spread; take the mean of the squared deviations, mean((x - mean)**2), or np.var.")
def variance_by_cancellation(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = (x ** 2).mean(axis=0) - mean ** 2
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


@mistake("x was modified in place (x -= mean); a graded function must not change its inputs: build a new array, x_centred = x - mean.")
def in_place(x, gamma, beta, eps=1e-5):
    inv_std = 1 / np.sqrt(x.var(axis=0) + eps)
    x -= x.mean(axis=0)
    x *= inv_std
    return gamma * x + beta, (x.copy(), gamma, inv_std)


@alternative("the variance as the mean of the squared deviations and the division as a power, (var + eps) ** -0.5.")
def explicit_moments(x, gamma, beta, eps=1e-5):
    centred = x - np.mean(x, axis=0)
    var = np.mean(centred ** 2, axis=0)
    inv_std = (var + eps) ** -0.5
    x_hat = centred * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


@alternative("statistics kept with keepdims=True, shape (1, D), broadcast over the batch; dividing by the standard deviation.")
def statistics_of_shape_1_by_d(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0, keepdims=True)
    std = np.sqrt(x.var(axis=0, keepdims=True) + eps)
    x_hat = (x - mean) / std
    return gamma * x_hat + beta, (x_hat, gamma, 1 / std[0])
