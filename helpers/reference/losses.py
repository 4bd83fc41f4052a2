"""Lesson 06: loss functions, each returning (loss, gradient wrt its first argument)."""
import numpy as np

__all__ = ["mse_loss", "binary_cross_entropy", "softmax_cross_entropy", "hinge_loss"]

EPS = 1e-12  # binary_cross_entropy clips p to [EPS, 1 - EPS]


def mse_loss(pred, target):
    """mean((pred - target)^2) over all elements; dpred = 2 (pred - target) / size."""
    diff = pred - target
    return float(np.mean(diff ** 2)), 2.0 * diff / diff.size


def binary_cross_entropy(p, y):
    """mean(-(y log p + (1 - y) log(1 - p))) with p clipped to [1e-12, 1 - 1e-12].

    dp = (pc - y) / (pc (1 - pc)) / p.size, pc the clipped p.
    """
    pc = np.clip(p, EPS, 1 - EPS)
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log1p(-pc))
    return float(loss), (pc - y) / (pc * (1 - pc)) / p.size


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of softmax(logits) (N, C) against integer labels y (N,).

    Uses log-softmax, z - max - log(sum(exp(z - max))), so it is exact for huge logits;
    dlogits = (softmax(logits) - onehot(y)) / N.
    """
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dlogits = np.exp(log_probs)
    dlogits[rows, y] -= 1
    return float(loss), dlogits / n


def hinge_loss(scores, y, margin=1.0):
    """Multiclass SVM loss: mean over samples of sum_{j != y} max(0, s_j - s_y + margin).

    Each active margin (> 0) adds +1 to ds_j and -1 to ds_y; divided by N.
    """
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin
    margins[rows, y] = 0.0
    active = margins > 0
    loss = np.where(active, margins, 0.0).sum() / n
    dscores = active.astype(float)
    dscores[rows, y] = -active.sum(axis=1)
    return float(loss), dscores / n
