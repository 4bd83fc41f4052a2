"""Lesson 03: backpropagation through dense layers and sigmoids."""
import numpy as np

__all__ = ["dense_backward", "sigmoid_backward", "mlp_backward"]


def dense_backward(dout, x, W):
    """Gradients of out = x @ W + b.

    dout: (N, M) upstream gradient; x: (N, D); W: (D, M).
    Returns dx (N, D) = dout @ W.T, dW (D, M) = x.T @ dout, db (M,) = dout summed over
    the batch (b is added to every row, so each row's gradient flows into it).
    """
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def sigmoid_backward(dout, a):
    """Gradient through a = sigmoid(z) given its output: dz = dout * a * (1 - a)."""
    return dout * a * (1 - a)


def mlp_backward(dout, activations, weights):
    """Backward pass of mlp_forward's sigmoid network.

    dout: dL/d(out), shape of the output; activations: [x, a1, ..., aL];
    weights: [W1, ..., WL]. Returns (dweights, dbiases), lists matching the layers.
    """
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout
    for l in reversed(range(L)):
        dz = sigmoid_backward(grad, activations[l + 1])  # through the layer's sigmoid
        grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
    return dweights, dbiases
