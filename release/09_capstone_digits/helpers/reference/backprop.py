"""Lesson 03: backpropagation through dense layers and sigmoids."""
from typing import Any

import numpy as np

__all__ = ["dense_backward", "sigmoid_backward", "mlp_backward", "tanh_sigmoid_backward"]


def dense_backward(dout: np.ndarray, x: np.ndarray, W: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``out = x @ W + b`` for a batch.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
        Upstream gradient dloss/d(out).
    x : ndarray of shape (N, D)
        The layer's input, saved by the forward pass.
    W : ndarray of shape (D, M)

    Returns
    -------
    dx : ndarray of shape (N, D)
        ``dout @ W.T``.
    dW : ndarray of shape (D, M)
        ``x.T @ dout``: each weight W[d, m] collects x[n, d] * dout[n, m] over the batch.
    db : ndarray of shape (M,)
        ``dout`` summed over the batch: b is added to every row, so each row's gradient
        flows into it (the chain rule sums over those N paths).
    """
    dx = dout @ W.T  # (N, M) @ (M, D) -> (N, D)
    dW = x.T @ dout  # (D, N) @ (N, M) -> (D, M)
    db = dout.sum(axis=0)  # (N, M) -> (M,)
    return dx, dW, db


def sigmoid_backward(dout: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Gradient through ``a = sigmoid(z)`` given its output ``a``, any shape.

    sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)) = a (1 - a), so
    dloss/dz = dout * a * (1 - a), elementwise.
    """
    return dout * a * (1 - a)


def mlp_backward(dout: np.ndarray, activations: list[np.ndarray], weights: list[np.ndarray]
                 ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backward pass of :func:`helpers.reference.mlp_forward`'s sigmoid network.

    Parameters
    ----------
    dout : ndarray of shape (N, D_L)
        dloss/d(out), the gradient of the loss with respect to the network's output.
    activations : list of L + 1 ndarrays
        ``[x, a1, ..., aL]`` as returned by ``mlp_forward``.
    weights : list of L ndarrays, weights[l] of shape (D_l, D_{l+1})

    Returns
    -------
    dweights : list of L ndarrays, dweights[l] of the shape of weights[l]
    dbiases : list of L ndarrays, dbiases[l] of shape (D_{l+1},)
    """
    L = len(weights)
    # filled from the last layer back
    dweights: list[Any] = [None] * L
    dbiases: list[Any] = [None] * L
    grad = dout  # dloss/d(a_{l+1}), the output of layer l (0-based)
    for l in reversed(range(L)):
        dz = sigmoid_backward(grad, activations[l + 1])  # through the layer's sigmoid
        grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
    return dweights, dbiases


def tanh_sigmoid_backward(dout: np.ndarray, x: np.ndarray, W1: np.ndarray, a1: np.ndarray, W2: np.ndarray,
                          out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Backward pass of the find-the-bug tutorial's network ``out = sigmoid(tanh(x @ W1) @ W2)`` (no biases).

    Parameters
    ----------
    dout : ndarray of shape (N, K)
        dloss/d(out).
    x : ndarray of shape (N, D)
    W1 : ndarray of shape (D, H)
    a1 : ndarray of shape (N, H)
        The hidden layer's output ``tanh(x @ W1)``, saved by the forward pass.
    W2 : ndarray of shape (H, K)
    out : ndarray of shape (N, K)
        The network's output ``sigmoid(a1 @ W2)``.

    Returns
    -------
    dW1 : ndarray of shape (D, H)
    dW2 : ndarray of shape (H, K)
        The gradients of the weights, in the order of the inputs.
    """
    dz2 = sigmoid_backward(dout, out)  # sigmoid'(z2) = out (1 - out)
    da1, dW2, _ = dense_backward(dz2, a1, W2)
    dz1 = da1 * (1 - a1 ** 2)  # tanh'(z1) = 1 - tanh(z1)^2 = 1 - a1^2, not a1 (1 - a1)
    _, dW1, _ = dense_backward(dz1, x, W1)
    return dW1, dW2
