"""Catalogue for mlp_forward(x, weights, biases) -> (out, [x, a1, ..., aL])."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import dense_forward, sigmoid


@mistake("activations is missing the input: it should start with x, as [x, a1, ..., aL].")
def input_not_recorded(x, weights, biases):
    a, activations = x, []
    for W, b in zip(weights, biases):
        a = sigmoid(dense_forward(a, W, b))
        activations.append(a)
    return a, activations


@mistake("the output layer has no sigmoid: in this network every layer, the last included, applies it.")
def linear_output(x, weights, biases):
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(sigmoid(dense_forward(activations[-1], W, b)))
    activations.append(dense_forward(activations[-1], weights[-1], biases[-1]))
    return activations[-1], activations


@mistake("activations holds a copy of each layer's output (a.copy()), so its last entry is not the "
         "array returned as out: append a itself, so that activations[-1] is out.")
def output_copied(x, weights, biases):
    a, activations = x, [x]
    for W, b in zip(weights, biases):
        a = sigmoid(dense_forward(a, W, b))
        activations.append(a.copy())
    return a, activations


@mistake("every layer was fed the network's input x instead of the previous layer's activation.")
def always_from_input(x, weights, biases):
    activations = [x]
    for W, b in zip(weights, biases):
        activations.append(sigmoid(dense_forward(x, W, b)))
    return activations[-1], activations


@mistake("activations records the pre-activations z = a @ W + b instead of the layer outputs sigmoid(z).")
def records_pre_activations(x, weights, biases):
    a, activations = x, [x]
    for W, b in zip(weights, biases):
        z = dense_forward(a, W, b)
        activations.append(z)
        a = sigmoid(z)
    return a, activations


@alternative("a recursion over the layers that builds the list from the back.")
def recursive(x, weights, biases):
    if not weights:
        return x, [x]
    out, rest = recursive(sigmoid(dense_forward(x, weights[0], biases[0])), weights[1:], biases[1:])
    return out, [x] + rest


@alternative("np.dot and an index loop instead of dense_forward and zip.")
def indexed_loop(x, weights, biases):
    activations = [x]
    for i in range(len(weights)):
        activations.append(sigmoid(np.dot(activations[i], weights[i]) + biases[i]))
    return activations[-1], activations


@mistake("a Python loop over the samples runs the network on one input row at a time: "
         "dense_forward and sigmoid take the whole batch; only the loop over layers is needed.")
def loop_over_samples(x, weights, biases):
    rows = []
    for n in range(x.shape[0]):
        a = x[n:n + 1]
        layers = [a]
        for W, b in zip(weights, biases):
            a = sigmoid(dense_forward(a, W, b))
            layers.append(a)
        rows.append(layers)
    activations = [x] + [np.concatenate([r[k] for r in rows]) for k in range(1, len(weights) + 1)]
    return activations[-1], activations
