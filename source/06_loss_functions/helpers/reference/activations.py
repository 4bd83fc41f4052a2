"""Lesson 04: activation functions and their gradients.

Each backward function takes the upstream gradient ``dout`` first and returns
``dout`` times the activation's derivative, elementwise: the chain rule through a
function applied to every element on its own.
"""
import numpy as np

__all__ = ["relu", "relu_backward", "leaky_relu", "leaky_relu_backward", "tanh_backward", "softmax"]


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit, ``max(z, 0)`` elementwise.

    Parameters
    ----------
    z : ndarray of any shape

    Returns
    -------
    a : ndarray of the same shape
    """
    return np.maximum(z, 0.0)


def relu_backward(dout: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Gradient through ``a = relu(z)`` given the pre-activation ``z``.

    The derivative is 1 where ``z > 0`` and 0 elsewhere, including at exactly 0 (where
    relu has no derivative; 0 is the usual convention).

    Parameters
    ----------
    dout : ndarray, the upstream gradient dL/da
    z : ndarray of the same shape

    Returns
    -------
    dz : ndarray of the same shape, ``dout * (z > 0)``
    """
    return dout * (z > 0)


def leaky_relu(z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: ``z`` where ``z > 0``, ``alpha * z`` elsewhere.

    Parameters
    ----------
    z : ndarray of any shape
    alpha : float in [0, 1], the slope for z <= 0

    Returns
    -------
    a : ndarray of the same shape
    """
    return np.where(z > 0, z, alpha * z)


def leaky_relu_backward(dout: np.ndarray, z: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """Gradient through ``leaky_relu(z, alpha)`` given ``z``.

    The derivative is 1 where ``z > 0`` and ``alpha`` elsewhere, including at exactly 0.

    Returns
    -------
    dz : ndarray of the shape of ``dout``
    """
    return dout * np.where(z > 0, 1.0, alpha)


def tanh_backward(dout: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Gradient through ``a = tanh(z)`` given its output ``a``.

    d tanh(z) / dz = 1 - tanh(z)^2 = 1 - a^2, so the pre-activation is not needed.

    Returns
    -------
    dz : ndarray of the shape of ``dout``, ``dout * (1 - a^2)``
    """
    return dout * (1 - a ** 2)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of an (N, C) array of logits.

    softmax is unchanged by subtracting the same number from every entry of a row, so
    subtracting the row's maximum makes every exponent <= 0: exp cannot overflow, even
    for logits of 1e4, and the denominator is at least 1 (the maximum's own term, e^0).

    >>> softmax(np.array([[0.0, np.log(3)], [1e4, 1e4]]))
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    shifted = z - z.max(axis=1, keepdims=True)  # (N, C) - (N, 1): each row's max is 0
    e = np.exp(shifted)  # in [0, 1]
    return e / e.sum(axis=1, keepdims=True)  # (N, C) / (N, 1)
