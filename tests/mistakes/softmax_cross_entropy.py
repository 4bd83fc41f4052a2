"""Catalogue for softmax_cross_entropy(logits, y): logits (N, C), integer labels y (N,)."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import softmax


@mistake("exp(logits) overflows to inf for logits near 1e4 (inf / inf = nan): subtract each row's maximum before exponentiating.")
def no_max_subtraction(logits, y):
    n = logits.shape[0]
    e = np.exp(logits)
    probs = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dlogits = probs.copy()
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits / n


@mistake("log(softmax(logits)) is log(0) = -inf when the label's probability rounds to 0 (a logit 2e4 below the largest): use log-softmax, z - max - log(sum(exp(z - max))).")
def log_of_softmax(logits, y):
    n = logits.shape[0]
    probs = softmax(logits)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dlogits = probs.copy()
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits / n


@mistake("the maximum of the whole array was subtracted (logits - logits.max()), not each row's: a row whose logits lie far below another row's maximum underflows to exp(...) = 0 and log(0) = -inf. Use logits.max(axis=1, keepdims=True).")
def global_max(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max()
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits / n


@mistake("dlogits was not divided by N: the loss is a mean over the N samples, so each sample's gradient is (softmax - onehot) / N.")
def gradient_not_averaged(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits


@mistake("log_probs[:, y] picks every row's entries for every label (an N x N block): pair row n with its own label, log_probs[np.arange(N), y].")
def all_rows_all_labels(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[:, y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits / n


@mistake("y holds integer labels of shape (N,), not one-hot rows of shape (N, C): build the one-hot matrix first (np.eye(C)[y]) or index with log_probs[np.arange(N), y].")
def labels_as_one_hot(logits, y):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(y * log_probs) / n
    return float(loss), (np.exp(log_probs) - y) / n


@mistake("np.mean over the whole (N, C) array divides by N * C: sum over the classes, then average over the N samples.")
def averaged_over_classes_too(logits, y):
    n, c = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.eye(c)[y]
    loss = np.mean(-onehot * log_probs)
    return float(loss), (np.exp(log_probs) - onehot) / (n * c)


@alternative("a one-hot matrix np.eye(C)[y], the log-sum-exp written as max + log(sum(exp(z - max))), and the course's softmax for the gradient.")
def one_hot_and_logsumexp(logits, y):
    n, c = logits.shape
    onehot = np.eye(c)[y]  # (N, C)
    m = logits.max(axis=1, keepdims=True)
    log_probs = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
    loss = -np.sum(onehot * log_probs) / n
    return loss, (softmax(logits) - onehot) / n


@alternative("np.take_along_axis to pick each row's label, without modifying any array in place.")
def picked_along_axis(logits, y):
    n = len(y)
    shifted = logits - np.max(logits, axis=1)[:, None]
    log_sum = np.log(np.exp(shifted).sum(axis=1))  # (N,)
    picked = np.take_along_axis(shifted, y[:, None], axis=1)[:, 0]  # (N,)
    loss = np.mean(log_sum - picked)
    probs = np.exp(shifted - log_sum[:, None])
    return loss, (probs - (np.arange(logits.shape[1]) == y[:, None])) / n
