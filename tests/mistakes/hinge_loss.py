"""Catalogue for hinge_loss(scores, y, margin=1.0): multiclass SVM loss, scores (N, C)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the correct class was compared with itself: its term max(0, s_y - s_y + margin) = margin adds margin to every sample's loss. Exclude j = y from the sum.")
def own_class_counted(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0, scores - scores[rows, y][:, None] + margin)
    active = (margins > 0).astype(float)
    active[rows, y] = -active.sum(axis=1)
    return float(margins.sum() / n), active / n


@mistake("the correct class's own term was included and then taken back as if it were always active (loss - margin, ds_y = -(active terms - 1)): with margin = 0 that term, max(0, s_y - s_y + 0) = 0, is not active. Leave j = y out of the sum instead.")
def own_term_subtracted(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0, scores - scores[rows, y][:, None] + margin)  # j = y included
    active = margins > 0
    dscores = active.astype(float)
    dscores[rows, y] = -(active.sum(axis=1) - 1)  # "minus the own term", assumed active
    return float(margins.sum() / n - margin), dscores / n


@mistake("the gradient for the correct class has the wrong sign: raising s_y lowers every active margin, so ds_y = -(number of active margins) / N.")
def correct_class_sign(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin
    margins[rows, y] = 0
    active = margins > 0
    dscores = active.astype(float)
    dscores[rows, y] = active.sum(axis=1)
    return float(np.maximum(margins, 0).sum() / n), dscores / n


@mistake("ds_y was set to -1 for any active row: s_y appears in every active margin, so ds_y = -(number of active margins) / N.")
def correct_class_not_counted(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin
    margins[rows, y] = 0
    active = margins > 0
    dscores = active.astype(float)
    dscores[rows, y] = -active.any(axis=1)
    return float(np.maximum(margins, 0).sum() / n), dscores / n


@mistake("the margin argument is ignored (1 is written into the formula): use margin, which the caller may set to any value.")
def margin_ignored(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0
    active = margins > 0
    dscores = active.astype(float)
    dscores[rows, y] = -active.sum(axis=1)
    return float(np.maximum(margins, 0).sum() / n), dscores / n


@mistake("dscores was not divided by N: the loss is a mean over the N samples, so is its gradient.")
def gradient_not_averaged(scores, y, margin=1.0):
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin
    margins[rows, y] = 0
    active = margins > 0
    dscores = active.astype(float)
    dscores[rows, y] = -active.sum(axis=1)
    return float(np.maximum(margins, 0).sum() / n), dscores


@alternative("a one-hot mask np.eye(C)[y] that removes the correct class, with np.maximum for the hinge.")
def one_hot_mask(scores, y, margin=1.0):
    n, c = scores.shape
    onehot = np.eye(c)[y]  # (N, C)
    correct = np.sum(scores * onehot, axis=1, keepdims=True)  # (N, 1)
    margins = np.maximum(0, scores - correct + margin) * (1 - onehot)
    active = (margins > 0).astype(float)
    dscores = active - onehot * active.sum(axis=1, keepdims=True)
    return np.sum(margins) / n, dscores / n


@alternative("np.take_along_axis for the correct scores and np.put_along_axis for their gradient.")
def taken_and_put_along_axis(scores, y, margin=1.0):
    n = scores.shape[0]
    correct = np.take_along_axis(scores, y[:, None], axis=1)  # (N, 1)
    margins = scores - correct + margin
    np.put_along_axis(margins, y[:, None], 0.0, axis=1)
    active = margins > 0
    loss = np.sum(margins[active]) / n
    dscores = active * 1.0
    np.put_along_axis(dscores, y[:, None], -active.sum(axis=1, keepdims=True) * 1.0, axis=1)
    return loss, dscores / n
