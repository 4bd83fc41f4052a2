"""Lesson 09: a digit classifier assembled from the course's pieces.

The model is plain data, so that it can cross from a grading sandbox as it is and any
``predict`` can read it: a dict ``{"weights": [W1, ..., WL], "biases": [b1, ..., bL]}``
of a network with a ReLU after every layer but the last, whose L-th layer gives one score
(logit) per class. ``W_l`` has shape ``(D_(l-1), D_l)`` with ``D_0 = 64`` pixels and
``D_L = 10`` classes; ``b_l`` has shape ``(D_l,)``.

Two optional parts (see :func:`class_scores`), both read by :func:`predict`:

- input standardisation, ``"mean"`` and ``"std"`` of shape ``(D_0,)``: the network reads
  ``(x - mean) / std`` instead of ``x``;
- batch normalization in inference mode (lesson 08) after each hidden layer's affine map
  and before its ReLU: ``"gamma"``, ``"beta"``, ``"running_mean"``, ``"running_var"``,
  lists of ``L - 1`` arrays, the l-th of shape ``(D_l,)``, with eps = ``BN_EPS``.
"""
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..digits import N_CLASSES

__all__ = ["train_classifier", "predict", "train_step"]

#: The eps of batch normalization in a model (lesson 08's default).
BN_EPS = 1e-5
#: The optional parts of a model: input standardisation, and batch normalization.
STANDARDISATION = ("mean", "std")
BATCHNORM = ("gamma", "beta", "running_mean", "running_var")
#: A model as the module's docstring describes it: lists of arrays and arrays, by name.
Model = dict[str, Any]


def train_classifier(x_train: np.ndarray, y_train: np.ndarray, rng: np.random.Generator,
                     hidden: tuple[int, ...] = (128,), epochs: int = 20, batch_size: int = 32,
                     lr: float = 1e-2,
                     callback: Callable[[int, Model], object] | None = None) -> Model:
    """Train a ReLU network with softmax cross-entropy, mini-batches and Adam.

    Parameters
    ----------
    x_train : ndarray of shape (N, D)
        One flattened digit per row, values in [0, 1].
    y_train : ndarray of shape (N,)
        Integer labels 0 to 9.
    rng : numpy.random.Generator
        The only source of randomness (initial weights, the order of the samples).
    hidden : tuple of int
        Sizes of the hidden layers.
    epochs, batch_size : int
        Passes over the data, and samples per Adam step.
    lr : float
        Adam's learning rate (beta1 = 0.9, beta2 = 0.999, eps = 1e-8).
    callback : callable or None
        Called as ``callback(epoch, model)`` after each epoch (1, 2, ...); the model it
        gets shares memory with the training, so it must be used at once, not kept.

    Returns
    -------
    model : dict
        ``{"weights": [W1, ..., WL], "biases": [b1, ..., bL]}``, float64 arrays.
    """
    n, d = x_train.shape
    sizes = [d, *hidden, N_CLASSES]
    shapes = [shape for fan_in, fan_out in zip(sizes, sizes[1:])
              for shape in ((fan_in, fan_out), (fan_out,))]
    # Every parameter lives in one flat vector theta, and W1, b1, W2, ... are reshaped views
    # of its slices; the gradients likewise in grad. Adam works elementwise, so one Adam
    # step on theta updates every parameter at once.
    theta = np.zeros(sum(int(np.prod(shape)) for shape in shapes))
    grad = np.zeros_like(theta)
    weights, biases = _views(theta, shapes)
    dweights, dbiases = _views(grad, shapes)
    for W in weights:  # He initialization, N(0, 2 / fan_in); the biases start at 0
        W[...] = rng.normal(0.0, np.sqrt(2.0 / W.shape[0]), size=W.shape)
    m, v, scratch = np.zeros_like(theta), np.zeros_like(theta), np.empty_like(theta)
    t = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)  # a new shuffle every epoch
        xs, ys = x_train[order], y_train[order]
        for start in range(0, n, batch_size):
            xb, yb = xs[start:start + batch_size], ys[start:start + batch_size]  # (B, D), (B,)
            _gradients(weights, biases, xb, yb, dweights, dbiases)  # fills grad
            t += 1
            _adam_update(theta, grad, m, v, t, lr, scratch)
        if callback is not None:
            callback(epoch, {"weights": weights, "biases": biases})
    return {"weights": [W.copy() for W in weights], "biases": [b.copy() for b in biases]}


def predict(model: Model, x: np.ndarray) -> np.ndarray:
    """The class with the largest score for each row of ``x``.

    Parameters
    ----------
    model : dict
        ``{"weights": [...], "biases": [...]}``, as :func:`train_classifier` returns.
    x : ndarray of shape (N, D)

    Returns
    -------
    labels : ndarray of shape (N,), integer classes 0 to C - 1.
    """
    return np.argmax(class_scores(model, x), axis=1)


def train_step(params: list[np.ndarray], m: list[np.ndarray], v: list[np.ndarray], t: int, x: np.ndarray,
               y: np.ndarray, lr: float = 1e-2
               ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """One Adam step on the mean softmax cross-entropy of the batch ``x``, ``y``.

    Parameters
    ----------
    params : list of ndarrays
        ``[W1, b1, W2, b2, ..., WL, bL]`` of a network with a ReLU after every layer but
        the last (the model is ``{"weights": params[0::2], "biases": params[1::2]}``).
    m, v : lists of ndarrays
        Adam's moving averages of the gradient and of its square, one per parameter,
        of the parameters' shapes (zeros before the first step).
    t : int
        This step's number, counted from 1 (Adam's bias correction).
    x : ndarray of shape (B, D_0)
    y : ndarray of shape (B,), integer classes
    lr : float
        Adam's learning rate (beta1 = 0.9, beta2 = 0.999, eps = 1e-8).

    Returns
    -------
    (params, m, v) : new lists of new arrays; the inputs are left unchanged.
    """
    weights, biases = params[0::2], params[1::2]
    dweights = [np.empty_like(W) for W in weights]
    dbiases = [np.empty_like(b) for b in biases]
    _gradients(weights, biases, x, y, dweights, dbiases)
    grads = [g for pair in zip(dweights, dbiases) for g in pair]  # params' order
    new_params: list[np.ndarray] = []
    new_m: list[np.ndarray] = []
    new_v: list[np.ndarray] = []
    for p, g, m_p, v_p in zip(params, grads, m, v):
        m_p = 0.9 * m_p + (1 - 0.9) * g
        v_p = 0.999 * v_p + (1 - 0.999) * g ** 2
        m_hat, v_hat = m_p / (1 - 0.9 ** t), v_p / (1 - 0.999 ** t)
        new_params.append(p - lr * m_hat / (np.sqrt(v_hat) + 1e-8))
        new_m.append(m_p)
        new_v.append(v_p)
    return new_params, new_m, new_v


# --- for the lesson's plots, widget and checks (not graded) ---------------------------------

def class_scores(model: Model, x: np.ndarray) -> np.ndarray:
    """The network's scores (logits), shape (N, C): ReLU after every layer but the last.

    With ``"mean"`` and ``"std"`` the network reads the standardised inputs
    ``(x - mean) / std``; with ``"gamma"``, ``"beta"``, ``"running_mean"`` and
    ``"running_var"`` (one array per hidden layer) each hidden layer's ``z = a W + b`` is
    batch-normalised in inference mode, ``gamma (z - running_mean) / sqrt(running_var +
    eps) + beta``, before its ReLU."""
    a = x
    if "mean" in model:
        a = (a - model["mean"]) / model["std"]
    batchnorm = "gamma" in model
    layers = list(zip(model["weights"], model["biases"]))
    for layer, (W, b) in enumerate(layers):
        a = a @ W + b
        if layer < len(layers) - 1:
            if batchnorm:
                a = (model["gamma"][layer] * (a - model["running_mean"][layer])
                     / np.sqrt(model["running_var"][layer] + BN_EPS) + model["beta"][layer])
            a = np.maximum(a, 0.0)
    return a


def class_probabilities(model: Model, x: np.ndarray) -> np.ndarray:
    """Softmax of :func:`class_scores`, row by row, shape (N, C)."""
    scores = class_scores(model, x)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def evaluate(model: Model, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) of ``model`` on the samples ``x``, ``y``."""
    scores = class_scores(model, x)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -float(np.mean(log_p[np.arange(len(y)), y]))
    accuracy = float(np.mean(np.argmax(scores, axis=1) == y))
    return loss, accuracy


def _gradients(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, y: np.ndarray,
               dweights: list[np.ndarray], dbiases: list[np.ndarray]) -> None:
    """Backpropagation of the mean softmax cross-entropy of the batch ``x``, ``y``: writes
    the gradients into ``dweights`` and ``dbiases`` (arrays of the parameters' shapes)."""
    # forward: activations[l] is layer l's input; the last entry holds the scores
    activations = [x]
    for layer, (W, b) in enumerate(zip(weights, biases)):
        z = activations[-1] @ W + b  # (B, D_l-1) @ (D_l-1, D_l) -> (B, D_l)
        if layer < len(weights) - 1:
            np.maximum(z, 0.0, out=z)  # ReLU, in place: z is a new array
        activations.append(z)
    # softmax cross-entropy: dloss/dscores = (softmax(scores) - one_hot(y)) / B
    dz = activations.pop()
    dz -= dz.max(axis=1, keepdims=True)  # the max-subtraction of lesson 04
    np.exp(dz, out=dz)
    dz /= dz.sum(axis=1, keepdims=True)
    dz[np.arange(len(y)), y] -= 1.0
    dz /= len(y)
    # backward, from the last layer to the first
    for layer in range(len(weights) - 1, -1, -1):
        a = activations[layer]
        np.matmul(a.T, dz, out=dweights[layer])  # (D_l-1, B) @ (B, D_l)
        np.sum(dz, axis=0, out=dbiases[layer])
        if layer > 0:
            dz = dz @ weights[layer].T  # (B, D_l) @ (D_l, D_l-1)
            dz *= a > 0  # ReLU's derivative: 1 where its output is positive, else 0


def _adam_update(theta: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, lr: float,
                 scratch: np.ndarray, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
    """Lesson 07's adam_step on ``theta``, in place (``m``, ``v`` too; ``scratch`` is work
    space). The bias correction is carried by the step size and eps, which is the same:
    m_hat / (sqrt(v_hat) + eps) = (c2 / c1) m / (sqrt(v) + eps c2) with c1 = 1 - beta1^t,
    c2 = sqrt(1 - beta2^t)."""
    m *= beta1
    m += (1.0 - beta1) * grad
    v *= beta2
    np.square(grad, out=scratch)
    scratch *= 1.0 - beta2
    v += scratch
    c1, c2 = 1.0 - beta1 ** t, np.sqrt(1.0 - beta2 ** t)
    np.sqrt(v, out=scratch)
    scratch += eps * c2
    np.divide(m, scratch, out=scratch)
    scratch *= lr * c2 / c1
    theta -= scratch


def _views(flat: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Reshaped views of consecutive slices of ``flat``: (weights, biases), every other one."""
    views: list[np.ndarray] = []
    offset = 0
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(flat[offset:offset + size].reshape(shape))
        offset += size
    return views[0::2], views[1::2]
