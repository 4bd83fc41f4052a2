"""Catalogue for update_running_stats(running_mean, running_var, x, momentum=0.9)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("momentum was applied the wrong way round; it is the weight the OLD value keeps: running = momentum * running + (1 - momentum) * batch statistic.")
def momentum_reversed(running_mean, running_var, x, momentum=0.9):
    return (momentum * x.mean(axis=0) + (1 - momentum) * running_mean,
            momentum * x.var(axis=0) + (1 - momentum) * running_var)


@mistake("the running variance was fed the unbiased batch variance (ddof=1); this course keeps the biased one that the forward pass divides by (PyTorch's running_var differs here).")
def unbiased_variance(running_mean, running_var, x, momentum=0.9):
    return (momentum * running_mean + (1 - momentum) * x.mean(axis=0),
            momentum * running_var + (1 - momentum) * x.var(axis=0, ddof=1))


@mistake("the running variance was fed the batch's standard deviation; it is an average of variances.")
def standard_deviation(running_mean, running_var, x, momentum=0.9):
    return (momentum * running_mean + (1 - momentum) * x.mean(axis=0),
            momentum * running_var + (1 - momentum) * x.std(axis=0))


@mistake("the batch variance was computed as mean(x**2) - mean(x)**2, which loses its digits when a feature's mean is large compared with its spread (a feature around 1e6); take the mean of the squared deviations, mean((x - mean)**2), or np.var.")
def variance_by_cancellation(running_mean, running_var, x, momentum=0.9):
    mean = x.mean(axis=0)
    return (momentum * running_mean + (1 - momentum) * mean,
            momentum * running_var + (1 - momentum) * ((x ** 2).mean(axis=0) - mean ** 2))


@mistake("running_mean and running_var were updated in place (running_mean *= momentum, ...); return new arrays and leave the inputs unchanged.")
def in_place(running_mean, running_var, x, momentum=0.9):
    running_mean *= momentum
    running_mean += (1 - momentum) * x.mean(axis=0)
    running_var *= momentum
    running_var += (1 - momentum) * x.var(axis=0)
    return running_mean, running_var


@alternative("a step of size 1 - momentum from the old value towards the batch statistic: running + (1 - momentum) * (batch - running).")
def step_towards_batch(running_mean, running_var, x, momentum=0.9):
    step = 1 - momentum
    return (running_mean + step * (x.mean(axis=0) - running_mean),
            running_var + step * (np.mean((x - x.mean(axis=0)) ** 2, axis=0) - running_var))


@alternative("np.average with weights (momentum, 1 - momentum) over the old and the new statistic.")
def weighted_average(running_mean, running_var, x, momentum=0.9):
    weights = [momentum, 1 - momentum]
    return (np.average([running_mean, x.mean(axis=0)], axis=0, weights=weights),
            np.average([running_var, x.var(axis=0)], axis=0, weights=weights))
