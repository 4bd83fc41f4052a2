"""Catalogue for batchnorm_inference(x, gamma, beta, running_mean, running_var, eps=1e-5)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the batch's own mean and variance were used; at inference time normalise with the stored running_mean and running_var, so that each example's output does not depend on the rest of its batch.")
def batch_statistics(x, gamma, beta, running_mean, running_var, eps=1e-5):
    return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta


@mistake("x was divided by running_var + eps, a variance; divide by the standard deviation, sqrt(running_var + eps).")
def divided_by_variance(x, gamma, beta, running_mean, running_var, eps=1e-5):
    return gamma * (x - running_mean) / (running_var + eps) + beta


@mistake("eps was added outside the square root, sqrt(running_var) + eps; it belongs inside: sqrt(running_var + eps), as in training.")
def eps_outside_sqrt(x, gamma, beta, running_mean, running_var, eps=1e-5):
    return gamma * (x - running_mean) / (np.sqrt(running_var) + eps) + beta


@mistake("gamma and beta were left out: after normalising, scale by gamma and shift by beta, as in training.")
def no_scale_and_shift(x, gamma, beta, running_mean, running_var, eps=1e-5):
    return (x - running_mean) / np.sqrt(running_var + eps)


@alternative("folded into one affine map per feature: scale = gamma / sqrt(running_var + eps), shift = beta - running_mean * scale, out = x * scale + shift.")
def folded(x, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    return x * scale + (beta - running_mean * scale)


@alternative("the normalised x first, then gamma and beta, with np.divide and np.add.")
def in_two_steps(x, gamma, beta, running_mean, running_var, eps=1e-5):
    x_hat = np.divide(x - running_mean, np.sqrt(running_var + eps))
    return np.add(gamma * x_hat, beta)
