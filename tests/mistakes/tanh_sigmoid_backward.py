"""Catalogue for tanh_sigmoid_backward(dout, x, W1, a1, W2, out) -> (dW1, dW2), the fixed
backward pass of the find-the-bug tutorial's network out = sigmoid(tanh(x @ W1) @ W2)."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import dense_backward, sigmoid_backward


@mistake("the tutorial's bug: a1 * (1 - a1) is the sigmoid's derivative, but the hidden layer is tanh, whose derivative in terms of its output is 1 - a1 ** 2.")
def tutorial_bug(dout, x, W1, a1, W2, out):
    dz2 = dout * out * (1 - out)
    dz1 = (dz2 @ W2.T) * a1 * (1 - a1)
    return x.T @ dz1, a1.T @ dz2


@mistake("tanh was applied again: 1 - tanh(a1) ** 2 is the slope at z = a1, but a1 is already tanh(z1), so the slope there is 1 - a1 ** 2.")
def tanh_slope_at_the_output(dout, x, W1, a1, W2, out):
    dz2 = dout * out * (1 - out)
    dz1 = (dz2 @ W2.T) * (1 - np.tanh(a1) ** 2)
    return x.T @ dz1, a1.T @ dz2


@mistake("the output sigmoid's derivative is missing: dout is dL/d(out), so first multiply by out * (1 - out) to get dL/dz2.")
def output_slope_forgotten(dout, x, W1, a1, W2, out):
    dz2 = dout
    dz1 = (dz2 @ W2.T) * (1 - a1 ** 2)
    return x.T @ dz1, a1.T @ dz2


@mistake("the gradients were divided by the batch size: they are sums over the batch; any averaging belongs to the loss, and is already in dout.")
def averaged(dout, x, W1, a1, W2, out):
    n = x.shape[0]
    dz2 = dout * out * (1 - out)
    dz1 = (dz2 @ W2.T) * (1 - a1 ** 2)
    return x.T @ dz1 / n, a1.T @ dz2 / n


@mistake("the gradients come back in backward order (dW2, dW1); return them in the order of the inputs, (dW1, dW2).")
def backward_order(dout, x, W1, a1, W2, out):
    dz2 = dout * out * (1 - out)
    dz1 = (dz2 @ W2.T) * (1 - a1 ** 2)
    return a1.T @ dz2, x.T @ dz1


@alternative("dense_backward and sigmoid_backward for the layers, tanh's slope by hand.")
def with_layer_functions(dout, x, W1, a1, W2, out):
    da1, dW2, _ = dense_backward(sigmoid_backward(dout, out), a1, W2)
    _, dW1, _ = dense_backward(da1 * (1 - a1) * (1 + a1), x, W1)
    return dW1, dW2


@alternative("tanh's slope recomputed from the pre-activation: 1 - tanh(x @ W1) ** 2 equals 1 - a1 ** 2.")
def slope_from_pre_activation(dout, x, W1, a1, W2, out):
    dz2 = dout * out * (1 - out)
    dz1 = (dz2 @ W2.T) * (1 - np.tanh(x @ W1) ** 2)
    return x.T @ dz1, a1.T @ dz2
