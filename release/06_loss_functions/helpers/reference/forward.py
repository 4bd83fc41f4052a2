"""Lesson 01: forward propagation."""
import numpy as np

__all__ = ["dense_forward", "sigmoid", "mlp_forward"]


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Affine layer for a batch: ``x @ W + b``.

    Parameters
    ----------
    x : ndarray of shape (N, D)
        A batch of N inputs, one per row.
    W : ndarray of shape (D, M)
    b : ndarray of shape (M,)

    Returns
    -------
    out : ndarray of shape (N, M)
    """
    return x @ W + b  # (N, D) @ (D, M) -> (N, M), b broadcast over the rows


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-z)), elementwise.

    For any float input, +-inf included, the result is the true value rounded to float64
    to within about two units in the last place (relative error a few times 1e-16; for
    results below 2.2e-308, the subnormals, within half the smallest positive float64),
    with no overflow warning and no NaN: exp is only ever taken of -|z| <= 0, which cannot
    overflow, and each branch is the algebraically equal form that divides by a number in
    [1, 2].

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    z = np.asarray(z, dtype=float)
    t = np.exp(-np.abs(z))  # in (0, 1]
    # z >= 0: 1 / (1 + e^-z);  z < 0: e^z / (1 + e^z)
    return np.where(z >= 0, 1.0 / (1.0 + t), t / (1.0 + t))


def mlp_forward(x: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray]
                ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Forward pass of a fully connected network with a sigmoid after every layer.

    Parameters
    ----------
    x : ndarray of shape (N, D)
    weights : list of L ndarrays, weights[l] of shape (D_l, D_{l+1})
    biases : list of L ndarrays, biases[l] of shape (D_{l+1},)

    Returns
    -------
    out : ndarray of shape (N, D_L)
        The last layer's activation.
    activations : list of L + 1 ndarrays
        ``[x, a1, ..., aL]``: every layer's input, then the output (``aL is out``).
    """
    activations = [x]
    for W, b in zip(weights, biases):
        activations.append(sigmoid(dense_forward(activations[-1], W, b)))
    return activations[-1], activations
