"""Catalogue for train_classifier(x_train, y_train, rng): a trained model
{"weights": [W1, ..., WL], "biases": [b1, ..., bL]} whose ReLU network classifies at least
95% of held-out digits, with all its randomness from rng.

Each entry is a whole answer as a student might write it: one hidden layer of 128 ReLUs,
softmax cross-entropy, mini-batches of 32 and Adam (lr 0.01) for 20 epochs, with one thing
changed. Everything is written inline, since the course's functions from earlier lessons
are slow to call in a training loop while graded.
"""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("every weight started at zero: all hidden units then compute the same thing, get the "
         "same gradient and stay identical (with ReLU they even stay at zero). Draw the "
         "weights at random, He's way: rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, fan_out)).")
def zero_init(x_train, y_train, rng):
    n, d = x_train.shape
    W1, b1 = np.zeros((d, 128)), np.zeros(128)
    W2, b2 = np.zeros((128, 10)), np.zeros(10)
    params = [W1, b1, W2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the parameters moved up the gradient (w + lr * step): that climbs the loss. An update "
         "must go against the gradient, w - lr * step.")
def gradient_ascent(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] + 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("Adam's step counter t started at 0: the bias correction then divides by "
         "1 - beta ** 0 = 0. Count the steps from 1 (increase t before the step).")
def adam_from_step_zero(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
            t += 1
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("x_train and y_train were shuffled in place with two calls of rng.shuffle: that changes "
         "the caller's arrays, and the two calls draw two different orders, so the images no "
         "longer match their labels. Shuffle one index for both: order = rng.permutation(n), "
         "then x_train[order] and y_train[order].")
def shuffled_in_place(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        rng.shuffle(x_train)
        rng.shuffle(y_train)
        for start in range(0, n, 32):
            xb, yb = x_train[start:start + 32], y_train[start:start + 32]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the weights and the shuffles came from NumPy's global random state (np.random.randn, "
         "np.random.permutation), so the seed of rng does not reproduce the training. Draw "
         "everything from the rng argument: rng.normal(...), rng.permutation(n).")
def global_random_state(x_train, y_train, rng):
    n, d = x_train.shape
    params = [np.random.randn(d, 128) * np.sqrt(2 / d), np.zeros(128),
              np.random.randn(128, 10) * np.sqrt(2 / 128), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = np.random.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("a generator of its own with a fixed seed (np.random.default_rng(0)) replaced the rng "
         "argument, so every seed trains the same model. Use the rng you are given.")
def own_generator(x_train, y_train, rng):
    rng = np.random.default_rng(0)
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the softmax was normalised over the batch (axis 0) instead of over each sample's "
         "classes (axis 1): every row of probabilities must sum to 1, so use "
         "sum(axis=1, keepdims=True), and the max likewise.")
def softmax_over_batch(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=0))
            p /= p.sum(axis=0)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the biases were kept as rows of shape (1, M) (np.zeros((1, M))); the model's biases "
         "are vectors of shape (M,), np.zeros(M), as everywhere in this course.")
def bias_rows(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros((1, 128)),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros((1, 10))]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0, keepdims=True), h.T @ dscores,
                     dscores.sum(axis=0, keepdims=True)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the model was returned as a tuple (weights, biases); return the dict "
         '{"weights": [W1, W2], "biases": [b1, b2]} that predict expects.')
def returns_tuple(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return [W1, W2], [b1, b2]


@alternative("one hidden layer of 128, Adam on each parameter array in turn, a fancy-indexed "
             "batch per step: the plain way.")
def adam_per_array(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dh = dscores @ W2.T
            dz1 = dh * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@alternative("gradient descent with momentum (lr 0.1, momentum 0.9) instead of Adam, and its own "
             "small helper functions defined inside the answer.")
def momentum_with_helpers(x_train, y_train, rng):
    def relu(z):
        return np.maximum(z, 0.0)

    def softmax_cross_entropy_gradient(scores, y):
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = p / p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        return p / len(y)

    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    velocity = [np.zeros_like(p) for p in params]
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = relu(z1)
            dscores = softmax_cross_entropy_gradient(h @ W2 + b2, yb)
            dz1 = (dscores @ W2.T) * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            for i, g in enumerate(grads):
                velocity[i] = 0.9 * velocity[i] - 0.1 * g
                params[i] = params[i] + velocity[i]
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@alternative("two hidden layers (128 and 64 units, Adam's lr 0.005) with a loop over the layers "
             "forwards and backwards, as in lesson 03's mlp_backward.")
def two_hidden_layers(x_train, y_train, rng):
    sizes = [x_train.shape[1], 128, 64, 10]
    weights = [rng.normal(0.0, np.sqrt(2 / a), size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [np.zeros(b) for b in sizes[1:]]
    params = [p for pair in zip(weights, biases) for p in pair]  # W1, b1, W2, b2, ...
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    n, t = len(y_train), 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            yb = y_train[rows]
            acts = [x_train[rows]]
            for layer in range(len(sizes) - 1):
                z = acts[-1] @ params[2 * layer] + params[2 * layer + 1]
                acts.append(np.maximum(z, 0.0) if layer < len(sizes) - 2 else z)
            p = np.exp(acts[-1] - acts[-1].max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dz = p / len(yb)
            grads = [None] * len(params)
            for layer in range(len(sizes) - 2, -1, -1):
                grads[2 * layer] = acts[layer].T @ dz
                grads[2 * layer + 1] = dz.sum(axis=0)
                if layer > 0:
                    dz = (dz @ params[2 * layer].T) * (acts[layer] > 0)
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                params[i] = params[i] - 0.005 * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    return {"weights": params[0::2], "biases": params[1::2]}


@alternative("batch normalization before the ReLU while training (lesson 08), folded into the "
             "first layer's weights and bias at the end with the running statistics: in "
             "inference mode it is an affine map, so the model keeps the agreed form.")
def batchnorm_folded(x_train, y_train, rng):
    n, d = x_train.shape
    W1 = rng.normal(0.0, np.sqrt(2 / d), size=(d, 128))
    W2, b2 = rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)
    gamma, beta = np.ones(128), np.zeros(128)
    running_mean, running_var = np.zeros(128), np.ones(128)
    params = [W1, gamma, beta, W2, b2]  # no b1: batch normalization's beta replaces it
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t, eps = 0, 1e-5
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, gamma, beta, W2, b2 = params
            z = xb @ W1
            mean, var = z.mean(axis=0), z.var(axis=0)
            running_mean = 0.9 * running_mean + 0.1 * mean
            running_var = 0.9 * running_var + 0.1 * var
            z_hat = (z - mean) / np.sqrt(var + eps)
            u = gamma * z_hat + beta
            h = np.maximum(u, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            du = (dscores @ W2.T) * (u > 0)
            dz_hat = du * gamma
            dz = (dz_hat - dz_hat.mean(axis=0) - z_hat * (dz_hat * z_hat).mean(axis=0)) / np.sqrt(var + eps)
            grads = [xb.T @ dz, (du * z_hat).sum(axis=0), du.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, gamma, beta, W2, b2 = params
    scale = gamma / np.sqrt(running_var + eps)  # gamma (x W1 - mean) / std + beta, as x W + b
    return {"weights": [W1 * scale, W2], "biases": [beta - running_mean * scale, b2]}


@alternative("the course's he_init (lesson 05) for the initial weights, given rng: while graded "
             "it runs in the grader and the generator comes back advanced, so the shuffles "
             "that follow draw what they would draw in the notebook.")
def course_he_init(x_train, y_train, rng):
    from helpers.reference import he_init
    n, d = x_train.shape
    params = [he_init(d, 128, rng), np.zeros(128), he_init(128, 10, rng), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dz1 = (dscores @ W2.T) * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("the images and the labels were shuffled with two different orders (two calls of "
         "rng.permutation), so every image is trained with a random label and the network "
         "learns nothing (accuracy at chance). Draw one order and index both with it: "
         "order = rng.permutation(n); x_train[order], y_train[order].")
def labels_shuffled_apart(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        xs = x_train[rng.permutation(n)]
        ys = y_train[rng.permutation(n)]
        for start in range(0, n, 32):
            xb, yb = xs[start:start + 32], ys[start:start + 32]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dz1 = (dscores @ W2.T) * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@mistake("Adam's learning rate is too large (0.1): the steps overshoot, so the network does "
         "not even fit its training digits well (96 to 98% of them) and its validation "
         "accuracy falls short. That is not overfitting; a learning rate of 0.01 suits Adam here.")
def learning_rate_too_large(x_train, y_train, rng):
    n, d = x_train.shape
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dz1 = (dscores @ W2.T) * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2]}


@alternative("the inputs standardised with the training digits' mean and standard deviation "
             "per pixel (1 where a pixel never varies), stored in the model as \"mean\" and "
             "\"std\" for predict to apply.")
def standardised_inputs(x_train, y_train, rng):
    n, d = x_train.shape
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # the corner pixels are 0 in every digit
    xs_all = (x_train - mean) / std
    params = [rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128),
              rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = xs_all[rows], y_train[rows]
            W1, b1, W2, b2 = params
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            dz1 = (dscores @ W2.T) * (z1 > 0)
            grads = [xb.T @ dz1, dz1.sum(axis=0), h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.003 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2], "mean": mean, "std": std}


@alternative("batch normalization before the ReLU while training (lesson 08), kept in the model "
             "as gamma, beta and the running statistics, which predict uses in inference mode.")
def batchnorm_in_model(x_train, y_train, rng):
    n, d = x_train.shape
    W1, b1 = rng.normal(0.0, np.sqrt(2 / d), size=(d, 128)), np.zeros(128)
    W2, b2 = rng.normal(0.0, np.sqrt(2 / 128), size=(128, 10)), np.zeros(10)
    gamma, beta = np.ones(128), np.zeros(128)
    running_mean, running_var = np.zeros(128), np.ones(128)
    params = [W1, b1, gamma, beta, W2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t, eps = 0, 1e-5
    for epoch in range(20):
        order = rng.permutation(n)
        for start in range(0, n, 32):
            rows = order[start:start + 32]
            xb, yb = x_train[rows], y_train[rows]
            W1, b1, gamma, beta, W2, b2 = params
            z = xb @ W1 + b1
            mean, var = z.mean(axis=0), z.var(axis=0)
            running_mean = 0.9 * running_mean + 0.1 * mean
            running_var = 0.9 * running_var + 0.1 * var
            z_hat = (z - mean) / np.sqrt(var + eps)
            u = gamma * z_hat + beta
            h = np.maximum(u, 0.0)
            scores = h @ W2 + b2
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1.0
            dscores = p / len(yb)
            du = (dscores @ W2.T) * (u > 0)
            dz_hat = du * gamma
            dz = (dz_hat - dz_hat.mean(axis=0) - z_hat * (dz_hat * z_hat).mean(axis=0)) / np.sqrt(var + eps)
            grads = [xb.T @ dz, dz.sum(axis=0), (du * z_hat).sum(axis=0), du.sum(axis=0),
                     h.T @ dscores, dscores.sum(axis=0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.999 * v[i] + 0.001 * g ** 2
                m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
                params[i] = params[i] - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    W1, b1, gamma, beta, W2, b2 = params
    return {"weights": [W1, W2], "biases": [b1, b2], "gamma": [gamma], "beta": [beta],
            "running_mean": [running_mean], "running_var": [running_var]}
