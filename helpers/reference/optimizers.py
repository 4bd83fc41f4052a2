"""Lesson 07: optimizer steps. Each returns new arrays and never mutates its inputs."""
import numpy as np

__all__ = ["sgd_step", "momentum_step", "rmsprop_step", "adam_step"]


def sgd_step(w, dw, lr=1e-2):
    """w - lr * dw."""
    return w - lr * dw


def momentum_step(w, dw, velocity, lr=1e-2, momentum=0.9):
    """velocity = momentum * velocity - lr * dw; w = w + velocity. Returns (w, velocity)."""
    velocity = momentum * velocity - lr * dw
    return w + velocity, velocity


def rmsprop_step(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    """cache = decay * cache + (1 - decay) dw^2; w = w - lr dw / (sqrt(cache) + eps)."""
    cache = decay * cache + (1 - decay) * dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def adam_step(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam with bias correction; t is this step's number, starting at 1.

    m and v start at 0, so early averages are biased towards 0; dividing by
    1 - beta^t undoes that bias exactly for a constant gradient.
    Returns (w, m, v).
    """
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
