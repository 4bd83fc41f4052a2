"""Catalogue for batchnorm_backward(dout, cache) -> (dx, dgamma, dbeta); dout (N, D).

The cache is the one the lesson's (and the reference's) batchnorm_forward returns,
``(x_hat, gamma, inv_std)``: a student's backward pass reads their own forward's cache,
and these entries are paired with the instructor's forward.
"""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("dx = dout * gamma / std treats the batch mean and variance as constants, but they depend on every row of x; with g = dout * gamma, the paths through them give dx = (N g - sum(g) - x_hat * sum(g * x_hat)) / (N std).")
def mean_and_variance_ignored(dout, cache):
    x_hat, gamma, inv_std = cache
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake("dgamma and dbeta were averaged over the batch; gamma and beta act on every row, so their gradients are sums over the batch.")
def parameter_gradients_averaged(dout, cache):
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    g = dout * gamma
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x_hat).mean(axis=0), dout.mean(axis=0)


@mistake("the path through the variance is missing: dx = (g - mean(g)) / std with g = dout * gamma only accounts for the mean; subtract x_hat * mean(g * x_hat) / std as well.")
def variance_path_missing(dout, cache):
    x_hat, gamma, inv_std = cache
    g = dout * gamma
    dx = inv_std * (g - g.mean(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake("gamma is missing from dx: out = gamma * x_hat + beta, so the gradient reaching x_hat is dout * gamma, not dout.")
def gamma_missing(dout, cache):
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dx = inv_std / n * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


@mistake("dout was modified in place (dout *= gamma); a graded function must not change its inputs: write g = dout * gamma.")
def dout_in_place(dout, cache):
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dout *= gamma
    dx = inv_std / n * (n * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


@alternative("the staged computational graph: back through x_hat, then inv_std, the variance, x - mean and the mean, one node at a time.")
def staged_graph(dout, cache):
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    centred = x_hat / inv_std  # x - mean
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dinv_std = (dx_hat * centred).sum(axis=0)  # x_hat = centred * inv_std
    dvar = dinv_std * -0.5 * inv_std ** 3  # inv_std = (var + eps) ** -0.5
    dcentred = dx_hat * inv_std + dvar * 2 * centred / n  # var = mean(centred ** 2)
    dmean = -dcentred.sum(axis=0)  # centred = x - mean
    dx = dcentred + dmean / n  # mean = sum(x) / n
    return dx, dgamma, dbeta


@alternative("the compact formula written with means instead of sums: dx = (g - mean(g) - x_hat * mean(g * x_hat)) / std.")
def with_means(dout, cache):
    x_hat, gamma, inv_std = cache
    g = dout * gamma
    dx = inv_std * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
