"""Catalogue for mse_loss(pred, target) -> (mean((pred - target)^2), 2 (pred - target) / size)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the gradient is missing the factor 2: the derivative of d ** 2 is 2 d, so dpred = 2 (pred - target) / size.")
def factor_two_missing(pred, target):
    diff = pred - target
    return float(np.mean(diff ** 2)), diff / diff.size


@mistake("the gradient was not divided by the number of elements: the loss is a mean, so each element's share of it is 1 / size.")
def gradient_not_averaged(pred, target):
    diff = pred - target
    return float(np.mean(diff ** 2)), 2 * diff


@mistake("the loss and gradient were averaged over the rows only (divided by N): mse_loss averages over all pred.size elements.")
def averaged_over_rows(pred, target):
    diff = pred - target
    n = diff.shape[0]
    return float(np.sum(diff ** 2) / n), 2 * diff / n


@mistake("the gradient has the wrong sign: it is 2 (pred - target) / size, which is positive where pred is too large.")
def sign_flipped(pred, target):
    diff = target - pred
    return float(np.mean(diff ** 2)), 2 * diff / diff.size


@alternative("np.square and np.size, with the difference written out twice.")
def with_square(pred, target):
    loss = np.mean(np.square(pred - target))
    dpred = 2.0 / np.size(pred) * (pred - target)
    return loss, dpred


@alternative("the sum of squares divided by the size, and the gradient as (d + d) / size.")
def sum_then_divide(pred, target):
    d = np.subtract(pred, target)
    return np.sum(d * d) / d.size, (d + d) / d.size
