"""Catalogue for mlp_backward(dout, activations, weights) -> (dweights, dbiases)."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import dense_backward, sigmoid_backward


@mistake("activations is indexed off by one: layer l (0-based) reads activations[l] and outputs activations[l + 1], so its sigmoid's slope uses activations[l + 1].")
def off_by_one(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout
    for l in reversed(range(L)):
        dz = sigmoid_backward(grad, activations[l])
        grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
    return dweights, dbiases


@mistake("the gradient is not passed down: every layer used dout, but the layer below must receive the dx that dense_backward returns.")
def dx_not_propagated(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    for l in reversed(range(L)):
        dz = sigmoid_backward(dout, activations[l + 1])
        _, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
    return dweights, dbiases


@mistake("the output layer's sigmoid was skipped: dout is dL/d(out), the gradient after the last sigmoid, so go through sigmoid_backward first in every layer, the last included.")
def output_sigmoid_skipped(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    dz = dout
    for l in reversed(range(L)):
        grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
        if l > 0:
            dz = sigmoid_backward(grad, activations[l])
    return dweights, dbiases


@mistake("the lists are in backward order (last layer first): dweights[l] must match weights[l], so fill them by index or reverse them at the end.")
def lists_in_backward_order(dout, activations, weights):
    dweights, dbiases = [], []
    grad = dout
    for l in reversed(range(len(weights))):
        dz = sigmoid_backward(grad, activations[l + 1])
        grad, dW, db = dense_backward(dz, activations[l], weights[l])
        dweights.append(dW)
        dbiases.append(db)
    return dweights, dbiases


@mistake("the bias gradients were averaged over the batch (mean over axis 0): b is added to every row, so "
         "its gradient is the sum over the batch, dz.sum(axis=0); any averaging is already in dout.")
def db_averaged(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout
    for l in reversed(range(L)):
        a = activations[l + 1]
        dz = grad * a * (1 - a)
        dweights[l] = activations[l].T @ dz
        dbiases[l] = dz.mean(axis=0)
        grad = dz @ weights[l].T
    return dweights, dbiases


@mistake("the gradient passed down is dz @ W without the transpose: it flows back through W.T, so the "
         "layer below receives dz @ weights[l].T, of shape (N, D_l).")
def dx_without_transpose(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout
    for l in reversed(range(L)):
        a = activations[l + 1]
        dz = grad * a * (1 - a)
        dweights[l] = activations[l].T @ dz
        dbiases[l] = dz.sum(axis=0)
        grad = dz @ weights[l]
    return dweights, dbiases


@alternative("append while going backwards, then reverse both lists.")
def appended_then_reversed(dout, activations, weights):
    dweights, dbiases = [], []
    grad = dout
    for W, x, a in reversed(list(zip(weights, activations[:-1], activations[1:]))):
        grad, dW, db = dense_backward(sigmoid_backward(grad, a), x, W)
        dweights.append(dW)
        dbiases.append(db)
    return dweights[::-1], dbiases[::-1]


@alternative("the formulas written out, without calling dense_backward or sigmoid_backward.")
def inline_formulas(dout, activations, weights):
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout
    for l in range(L - 1, -1, -1):
        a = activations[l + 1]
        dz = grad * a * (1 - a)
        dweights[l] = activations[l].T @ dz
        dbiases[l] = np.sum(dz, axis=0)
        grad = dz @ weights[l].T
    return dweights, dbiases


@alternative("a recursion: the gradients of the layers above come back from the recursive call.")
def recursive(dout, activations, weights):
    if len(weights) == 1:
        dx, dW, db = dense_backward(sigmoid_backward(dout, activations[1]), activations[0], weights[0])
        return [dW], [db]
    *_, a_below, a_top = activations
    dz = sigmoid_backward(dout, a_top)
    dx, dW, db = dense_backward(dz, a_below, weights[-1])
    dweights, dbiases = recursive(dx, activations[:-1], weights[:-1])
    return dweights + [dW], dbiases + [db]
