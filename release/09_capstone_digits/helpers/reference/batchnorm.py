"""Lesson 08: batch normalization.

Training mode normalises each feature (column) over the batch (axis 0) with the batch's
mean and biased variance, then scales and shifts it with the learned ``gamma`` and
``beta``. Inference mode uses stored (running) statistics instead, so that an example's
output does not depend on the other examples in its batch.
"""
import numpy as np

__all__ = ["batchnorm_forward", "batchnorm_backward", "batchnorm_inference", "update_running_stats",
           "batchnorm_forward_out"]


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
                      ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Training-mode batch normalization over axis 0 with the biased batch variance.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        A batch of N examples with D features each.
    gamma, beta : ndarray of shape (D,)
        The learned scale and shift of each feature.
    eps : float
        Added to the variance inside the square root, so a feature that is constant over
        the batch (variance 0) is divided by sqrt(eps), not by 0.

    Returns
    -------
    out : ndarray of shape (N, D)
        ``gamma * x_hat + beta`` with ``x_hat = (x - mean) / sqrt(var + eps)``.
    cache : tuple ``(x_hat, gamma, inv_std)``
        What :func:`batchnorm_backward` needs: x_hat of shape (N, D), gamma and
        ``inv_std = 1 / sqrt(var + eps)`` of shape (D,).
    """
    mean = x.mean(axis=0)  # (N, D) -> (D,)
    var = x.var(axis=0)  # biased (divides by N), as the mean of squared deviations
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)
    x_hat = (x - mean) * inv_std  # (N, D) - (D,): each column has mean 0, variance ~1
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)


def batchnorm_forward_out(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5
                          ) -> np.ndarray:
    """The ``out`` of :func:`batchnorm_forward`, alone.

    The cache's contents are the student's choice, so the tests compare only ``out``:
    they check a wrapper that returns it (see ``helpers.contracts.batchnorm.out_only``)
    against this.
    """
    return batchnorm_forward(x, gamma, beta, eps=eps)[0]


def batchnorm_backward(dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`batchnorm_forward` given its cache.

    With ``s = sqrt(var + eps)`` and ``g = dout * gamma`` (the gradient reaching x_hat),
    x reaches x_hat directly and through the batch mean and variance, which depend on
    every row. The three paths add up to (sums over the batch, per feature)::

        dx = (N g - sum(g) - x_hat * sum(g * x_hat)) / (N s)

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient dL/d(out).
    cache : tuple ``(x_hat, gamma, inv_std)`` from :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma, dbeta : ndarray of shape (D,)
        ``sum(dout * x_hat)`` and ``sum(dout)`` over the batch: gamma and beta act on
        every row, so their gradients collect every row's (they are summed, not averaged).
    """
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)  # (N, D) -> (D,)
    dgamma = (dout * x_hat).sum(axis=0)
    g = dout * gamma  # dL/d(x_hat)
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, dgamma, dbeta


def batchnorm_inference(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                        running_var: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Inference-mode batch normalization with stored statistics.

    Parameters
    ----------
    x : ndarray of shape (N, D)
    gamma, beta, running_mean, running_var : ndarray of shape (D,)
    eps : float

    Returns
    -------
    out : ndarray of shape (N, D)
        ``gamma * (x - running_mean) / sqrt(running_var + eps) + beta``: each row on its
        own, whatever else is in the batch.
    """
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


def update_running_stats(running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray,
                         momentum: float = 0.9
                         ) -> tuple[np.ndarray, np.ndarray]:
    """One step of the exponential moving averages of the batch statistics.

    Parameters
    ----------
    running_mean, running_var : ndarray of shape (D,)
    x : ndarray of shape (N, D), this training step's batch (the input of batch norm)
    momentum : float in [0, 1]
        The weight kept by the old value: 1 never changes it, 0 replaces it.

    Returns
    -------
    (running_mean, running_var) : new ndarrays of shape (D,)
        ``momentum * running + (1 - momentum) * batch statistic``, with the batch's mean
        and biased variance.
    """
    return (momentum * running_mean + (1 - momentum) * x.mean(axis=0),
            momentum * running_var + (1 - momentum) * x.var(axis=0))
