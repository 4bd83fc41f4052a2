"""Lesson 06: loss functions, each returning (loss, gradient wrt its first argument).

Every loss is averaged (over all elements for the elementwise losses, over the batch for
the classification losses), so the size of its gradient does not grow with the batch.
"""
import numpy as np

__all__ = ["mse_loss", "binary_cross_entropy", "softmax_cross_entropy", "hinge_loss"]

EPS = 1e-12  # binary_cross_entropy clips p to [EPS, 1 - EPS]


def mse_loss(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over all elements.

    Parameters
    ----------
    pred, target : ndarray of the same shape, any

    Returns
    -------
    loss : float
        ``mean((pred - target) ** 2)``
    dpred : ndarray of the shape of pred
        ``2 (pred - target) / pred.size``
    """
    diff = pred - target
    return float(np.mean(diff ** 2)), 2.0 * diff / diff.size


def binary_cross_entropy(p: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of -(y log p + (1 - y) log(1 - p)) with p clipped to [1e-12, 1 - 1e-12].

    Clipping keeps both logarithms finite (and free of warnings) for p exactly 0 or 1.

    Parameters
    ----------
    p : ndarray, any shape
        Predicted probabilities of the positive class, in [0, 1].
    y : ndarray of the shape of p
        Labels, 0 or 1.

    Returns
    -------
    loss : float
    dp : ndarray of the shape of p
        ``(pc - y) / (pc (1 - pc)) / p.size`` with pc the clipped p.
    """
    pc = np.clip(p, EPS, 1 - EPS)
    # log1p(-pc) = log(1 - pc); 1 - pc is exact here, so both spellings agree
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log1p(-pc))
    return float(loss), (pc - y) / (pc * (1 - pc)) / p.size


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels.

    Uses log-softmax, ``z - max - log(sum(exp(z - max)))``: every exponent is <= 0 and
    no logarithm of a rounded-to-zero probability is taken, so it is exact for logits as
    large as 1e4.

    Parameters
    ----------
    logits : ndarray of shape (N, C)
    y : integer ndarray of shape (N,), each in 0 .. C - 1

    Returns
    -------
    loss : float
        ``mean over n of -log softmax(logits[n])[y[n]]``
    dlogits : ndarray of shape (N, C)
        ``(softmax(logits) - onehot(y)) / N``
    """
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, C), each row's max is 0
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -log_probs[rows, y].mean()
    dlogits = np.exp(log_probs)  # softmax(logits)
    dlogits[rows, y] -= 1
    return float(loss), dlogits / n


def hinge_loss(scores: np.ndarray, y: np.ndarray, margin: float = 1.0) -> tuple[float, np.ndarray]:
    """Multiclass SVM loss: mean over samples of sum_{j != y} max(0, s_j - s_y + margin).

    Parameters
    ----------
    scores : ndarray of shape (N, C)
    y : integer ndarray of shape (N,)
    margin : float

    Returns
    -------
    loss : float
    dscores : ndarray of shape (N, C)
        Each active margin (> 0) adds +1 to ds_j and -1 to ds_y; all divided by N.
    """
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin  # (N, C)
    margins[rows, y] = 0.0  # the correct class is not compared with itself
    active = margins > 0
    loss = np.where(active, margins, 0.0).sum() / n
    dscores = active.astype(float)
    dscores[rows, y] = -active.sum(axis=1)
    return float(loss), dscores / n
