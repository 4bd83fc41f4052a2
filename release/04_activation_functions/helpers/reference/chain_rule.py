"""Lesson 02: the chain rule and numerical differentiation."""
from collections.abc import Callable

import numpy as np

from .forward import sigmoid

__all__ = ["numerical_gradient", "rel_error", "neuron_gradients"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray | float, h: float = 1e-5
                       ) -> np.ndarray:
    """Central-difference gradient of a scalar function ``f`` at the float array ``x``.

    df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h): its truncation error is O(h^2),
    against O(h) for the forward difference. ``x`` is perturbed one element at a time
    and restored, so it is unchanged afterwards.
    """
    x = np.asarray(x, dtype=float)
    work = x.copy()  # perturb a private copy: x itself is never written
    grad = np.zeros_like(work)
    for index in np.ndindex(work.shape):
        original = work[index]
        work[index] = original + h
        f_plus = float(f(work))
        work[index] = original - h
        f_minus = float(f(work))
        work[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """max over elements of |a - b| / max(1e-8, |a| + |b|), as a float."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def neuron_gradients(x: np.ndarray, w: np.ndarray, b: float, y: float) -> tuple[float, np.ndarray, float]:
    """Loss and gradients of one sigmoid neuron on one sample, by the chain rule.

    L = 0.5 (a - y)^2 with a = sigmoid(z), z = x . w + b, so
    dloss/da = a - y, da/dz = a (1 - a), dz/dw = x, dz/db = 1.

    Returns (loss, dw, db): a float, an array of shape (D,), a float.
    """
    z = x @ w + b
    a = float(sigmoid(z))
    loss = 0.5 * (a - y) ** 2
    dz = (a - y) * a * (1 - a)
    return float(loss), dz * x, float(dz)
