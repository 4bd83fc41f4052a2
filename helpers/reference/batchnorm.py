"""Lesson 08: batch normalization."""
import numpy as np

__all__ = ["batchnorm_forward", "batchnorm_backward", "batchnorm_inference", "update_running_stats"]


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Training-mode batch normalization over axis 0 with the biased batch variance.

    x: (N, D); gamma, beta: (D,). Returns (out, cache).
    """
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # biased: divides by N
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    """Returns (dx, dgamma, dbeta) given the cache of batchnorm_forward.

    With x_hat = (x - mean) / std, the mean and the variance depend on every row, and the
    three paths combine into
    dx = inv_std / N * (N dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat)),
    where dx_hat = dout * gamma and the sums run over the batch.
    """
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


def batchnorm_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):
    """Inference mode: normalise with stored statistics, then scale and shift."""
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


def update_running_stats(running_mean, running_var, x, momentum=0.9):
    """running = momentum * running + (1 - momentum) * batch statistic, for the mean and
    the biased variance of x. Returns (running_mean, running_var)."""
    return (momentum * running_mean + (1 - momentum) * x.mean(axis=0),
            momentum * running_var + (1 - momentum) * x.var(axis=0))
