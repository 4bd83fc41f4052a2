"""Catalogue for predict(model, x): the class with the largest score, shape (N,), for the
network {"weights": [W1, ..., WL], "biases": [b1, ..., bL]} with a ReLU after every layer
but the last, and, when the model has them, the input standardisation "mean", "std" and
batch normalization "gamma", "beta", "running_mean", "running_var" before each hidden ReLU."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the model's optional parts were ignored: when the model has \"mean\" and \"std\", the "
         "network was trained on (x - mean) / std, and when it has \"gamma\", each hidden layer's "
         "z is batch-normalised with the running statistics before its ReLU. predict must do "
         "the same, or it reads another network than the one trained.")
def ignores_optional_parts(model, x):
    a = x
    layers = list(zip(model["weights"], model["biases"]))
    for W, b in layers[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    W, b = layers[-1]
    return np.argmax(a @ W + b, axis=1)


@mistake("batch normalization used the statistics of the batch given to predict, as in "
         "training; a trained network predicts in inference mode, with the model's "
         "running_mean and running_var (lesson 08), so that each digit's class does not "
         "depend on the other digits in the batch.")
def batchnorm_with_batch_statistics(model, x):
    a = (x - model["mean"]) / model["std"] if "mean" in model else x
    layers = list(zip(model["weights"], model["biases"]))
    for layer, (W, b) in enumerate(layers[:-1]):
        z = a @ W + b
        if "gamma" in model:
            z = model["gamma"][layer] * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-5) \
                + model["beta"][layer]
        a = np.maximum(z, 0.0)
    W, b = layers[-1]
    return np.argmax(a @ W + b, axis=1)


@mistake("a ReLU was applied to the last layer too: the scores may be negative, and ReLU turns "
         "them all to 0, so argmax can no longer tell the classes apart. The ReLU belongs "
         "after every layer but the last.")
def relu_on_scores(model, x):
    a = x
    for W, b in zip(model["weights"], model["biases"]):
        a = np.maximum(a @ W + b, 0.0)
    return np.argmax(a, axis=1)


@mistake("the ReLU between the layers is missing: without it the network is one linear map "
         "(lesson 04), not the one that was trained.")
def no_relu(model, x):
    a = x
    for W, b in zip(model["weights"], model["biases"]):
        a = a @ W + b
    return np.argmax(a, axis=1)


@mistake("the hidden layers used the sigmoid of lesson 01's mlp_forward; this network was "
         "trained with ReLU after every layer but the last.")
def sigmoid_hidden(model, x):
    a = x
    layers = list(zip(model["weights"], model["biases"]))
    for W, b in layers[:-1]:
        a = 1.0 / (1.0 + np.exp(-(a @ W + b)))
    W, b = layers[-1]
    return np.argmax(a @ W + b, axis=1)


@mistake("it returned the scores (or probabilities) of every class, shape (N, C); predict "
         "returns one class per row: np.argmax(scores, axis=1).")
def returns_scores(model, x):
    a = x
    layers = list(zip(model["weights"], model["biases"]))
    for W, b in layers[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    W, b = layers[-1]
    return a @ W + b


@mistake("argmax ran down the columns (axis=0), giving the best sample for each class; the "
         "class of each sample is the argmax along each row, axis=1.")
def argmax_over_samples(model, x):
    a = x
    layers = list(zip(model["weights"], model["biases"]))
    for W, b in layers[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    W, b = layers[-1]
    return np.argmax(a @ W + b, axis=0)


@mistake("the biases were left out: every layer computes x @ W + b.")
def no_biases(model, x):
    a = x
    weights = model["weights"]
    for W in weights[:-1]:
        a = np.maximum(a @ W, 0.0)
    return np.argmax(a @ weights[-1], axis=1)


@alternative("softmax before argmax: the softmax keeps the order of the scores, so the largest "
             "probability is the largest score.")
def softmax_then_argmax(model, x):
    a = (x - model["mean"]) / model["std"] if "mean" in model else x
    layers = list(zip(model["weights"], model["biases"]))
    for layer, (W, b) in enumerate(layers[:-1]):
        z = a @ W + b
        if "gamma" in model:
            z_hat = (z - model["running_mean"][layer]) / np.sqrt(model["running_var"][layer] + 1e-5)
            z = model["gamma"][layer] * z_hat + model["beta"][layer]
        a = np.maximum(z, 0.0)
    W, b = layers[-1]
    scores = a @ W + b
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.argmax(p / p.sum(axis=1, keepdims=True), axis=1)


@alternative("an index loop over the layers, with the ReLU as z * (z > 0), the standardisation "
             "and batch normalization written with a precomputed scale per unit.")
def index_loop(model, x):
    weights, biases = model["weights"], model["biases"]
    a = x
    if "std" in model:
        a = (a - model["mean"]) * (1.0 / model["std"])
    for layer in range(len(weights)):
        z = np.dot(a, weights[layer]) + biases[layer]
        if layer < len(weights) - 1:
            if "running_var" in model:
                scale = model["gamma"][layer] / np.sqrt(model["running_var"][layer] + 1e-5)
                z = (z - model["running_mean"][layer]) * scale + model["beta"][layer]
            a = z * (z > 0)
        else:
            a = z
    return a.argmax(axis=1)
