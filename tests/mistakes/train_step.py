"""Catalogue for train_step(params, m, v, t, x, y, lr): one Adam step (beta1 = 0.9,
beta2 = 0.999, eps = 1e-8, t this step's number from 1) on the mean softmax cross-entropy of
the batch x, y, for the ReLU network params = [W1, b1, ..., WL, bL]; returns new lists
(params, m, v).

Each entry is a whole answer as a student might write it: the forward pass keeping each
layer's input, the gradient (softmax - one_hot) / B, backpropagation from the last layer to
the first, and Adam on every parameter, with one thing changed. The first three are the
broken trainings that still reach 95% on the digits: only an exact step tells them apart.
"""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the backward pass left out ReLU's derivative: between two layers the gradient "
         "delta @ W.T must be multiplied by [z > 0] (1 where the hidden unit was active, 0 "
         "elsewhere), so that units that output 0 pass no gradient back. Without it the "
         "gradients of every layer below the last are wrong (the network may still learn the "
         "digits, by luck).")
def no_relu_derivative(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads = [activations[layer].T @ delta, delta.sum(axis=0)] + grads
        if layer > 0:
            delta = delta @ weights[layer].T
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = 0.9 * m_i + 0.1 * g
        v_i = 0.999 * v_i + 0.001 * g ** 2
        m_hat, v_hat = m_i / (1 - 0.9 ** t), v_i / (1 - 0.999 ** t)
        new_params.append(theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v


@mistake("the biases were never updated (frozen at their initial values): only the weights "
         "took Adam steps. Every parameter, b1, ..., bL included, gets its gradient "
         "(delta summed over the batch) and its own Adam step.")
def frozen_biases(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    dweights = []
    for layer in range(len(weights) - 1, -1, -1):
        dweights = [activations[layer].T @ delta] + dweights
        if layer > 0:
            delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    new_params, new_m, new_v = list(params), list(m), list(v)
    for i, g in enumerate(dweights):
        k = 2 * i  # the weights sit at the even places of params
        new_m[k] = 0.9 * m[k] + 0.1 * g
        new_v[k] = 0.999 * v[k] + 0.001 * g ** 2
        m_hat, v_hat = new_m[k] / (1 - 0.9 ** t), new_v[k] / (1 - 0.999 ** t)
        new_params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    return new_params, new_m, new_v


@mistake("Adam without its bias correction: the step used m and v themselves, not "
         "m_hat = m / (1 - beta1 ** t) and v_hat = v / (1 - beta2 ** t). Started at zero, m "
         "and v are too small by those factors for the first hundreds of steps, and the steps "
         "are about 3 times too large at first (0.1 / sqrt(0.001)).")
def no_bias_correction(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads = [activations[layer].T @ delta, delta.sum(axis=0)] + grads
        if layer > 0:
            delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = 0.9 * m_i + 0.1 * g
        v_i = 0.999 * v_i + 0.001 * g ** 2
        new_params.append(theta - lr * m_i / (np.sqrt(v_i) + 1e-8))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v


@mistake("the loss gradient was not divided by the batch size: the loss is the mean "
         "cross-entropy, so dL/dscores = (softmax - one_hot) / B, and m and v hold B and B^2 "
         "times too much.")
def summed_loss(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads = [activations[layer].T @ delta, delta.sum(axis=0)] + grads
        if layer > 0:
            delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = 0.9 * m_i + 0.1 * g
        v_i = 0.999 * v_i + 0.001 * g ** 2
        m_hat, v_hat = m_i / (1 - 0.9 ** t), v_i / (1 - 0.999 ** t)
        new_params.append(theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v


@mistake("the step counter was advanced inside train_step (t + 1): t is already this step's "
         "number, counted from 1 by the caller; the bias correction uses it as it is.")
def counts_the_step_again(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads = [activations[layer].T @ delta, delta.sum(axis=0)] + grads
        if layer > 0:
            delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    t = t + 1
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = 0.9 * m_i + 0.1 * g
        v_i = 0.999 * v_i + 0.001 * g ** 2
        m_hat, v_hat = m_i / (1 - 0.9 ** t), v_i / (1 - 0.999 ** t)
        new_params.append(theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v


@alternative("every parameter flattened into one vector: one Adam step on the vector, then "
             "cut back into the parameters' shapes; the ReLU mask taken from z.")
def one_vector(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    inputs, zs = [], []
    a = x
    for layer, (W, b) in enumerate(zip(weights, biases)):
        inputs.append(a)
        z = a @ W + b
        zs.append(z)
        a = np.maximum(z, 0.0) if layer < len(weights) - 1 else z
    e = np.exp(a - a.max(axis=1, keepdims=True))
    delta = e / e.sum(axis=1, keepdims=True) - np.eye(a.shape[1])[y]
    delta = delta / x.shape[0]
    grads = [None] * len(params)
    for layer in reversed(range(len(weights))):
        grads[2 * layer] = inputs[layer].T @ delta
        grads[2 * layer + 1] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ weights[layer].T) * (zs[layer - 1] > 0)
    flat = lambda arrays: np.concatenate([a.ravel() for a in arrays])  # noqa: E731 (as a student writes it)
    g, m_all, v_all = flat(grads), flat(m), flat(v)
    m_all = 0.9 * m_all + 0.1 * g
    v_all = 0.999 * v_all + 0.001 * g * g
    theta = flat(params) - lr * (m_all / (1 - 0.9 ** t)) / (np.sqrt(v_all / (1 - 0.999 ** t)) + 1e-8)
    cut = np.cumsum([p.size for p in params])[:-1]

    def unflat(vector):
        return [part.reshape(p.shape) for part, p in zip(np.split(vector, cut), params)]
    return unflat(theta), unflat(m_all), unflat(v_all)


@alternative("the course's adam_step (lesson 07) for each parameter, after a backward pass "
             "written inline.")
def with_adam_step(params, m, v, t, x, y, lr=0.01):
    from helpers.reference import adam_step
    weights, biases = params[0::2], params[1::2]
    activations = [x]
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))
    scores = activations[-1] @ weights[-1] + biases[-1]
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    delta = p / len(y)
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads = [activations[layer].T @ delta, delta.sum(axis=0)] + grads
        if layer > 0:
            delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    steps = [adam_step(theta, g, m_i, v_i, t, lr=lr) for theta, g, m_i, v_i in zip(params, grads, m, v)]
    return [s[0] for s in steps], [s[1] for s in steps], [s[2] for s in steps]


@mistake("a Python loop over the samples of the batch (each sample's gradient computed on "
         "its own, then averaged): the same numbers, many times slower. Compute the whole "
         "batch at once with matrix products: delta has one row per sample, and "
         "a.T @ delta sums over them.")
def loop_over_samples(params, m, v, t, x, y, lr=0.01):
    weights, biases = params[0::2], params[1::2]
    grads = [np.zeros_like(p) for p in params]
    for n in range(len(y)):
        activations = [x[n:n + 1]]
        for W, b in zip(weights[:-1], biases[:-1]):
            activations.append(np.maximum(activations[-1] @ W + b, 0.0))
        scores = activations[-1] @ weights[-1] + biases[-1]
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[0, y[n]] -= 1.0
        delta = p / len(y)
        for layer in range(len(weights) - 1, -1, -1):
            grads[2 * layer] += activations[layer].T @ delta
            grads[2 * layer + 1] += delta.sum(axis=0)
            if layer > 0:
                delta = (delta @ weights[layer].T) * (activations[layer] > 0)
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = 0.9 * m_i + 0.1 * g
        v_i = 0.999 * v_i + 0.001 * g ** 2
        m_hat, v_hat = m_i / (1 - 0.9 ** t), v_i / (1 - 0.999 ** t)
        new_params.append(theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v
