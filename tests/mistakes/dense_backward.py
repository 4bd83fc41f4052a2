"""Catalogue for dense_backward(dout, x, W) -> (dx, dW, db): dout (N, M), x (N, D), W (D, M)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("db looks averaged over the batch instead of summed: b is added to every row, so each row's gradient adds into db (sum over axis 0).")
def db_averaged(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)


@mistake("dW = dout.T @ x is the transpose of the gradient: dW must have W's shape (D, M), which only x.T @ dout gives.")
def dW_transposed(dout, x, W):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)


@mistake("dW = x @ dout multiplies x without transposing it: dW[d, m] sums x[n, d] * dout[n, m] over the batch n, which is x.T @ dout.")
def dW_x_not_transposed(dout, x, W):
    return dout @ W.T, x @ dout, dout.sum(axis=0)


@mistake("dx = dout @ W uses W the wrong way round: the gradient flows back through W.T, so dx = dout @ W.T of shape (N, D).")
def dx_without_transpose(dout, x, W):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


@mistake("dW was divided by the batch size: the layer only applies the chain rule; any averaging over the batch is already in dout, from the loss.")
def dW_averaged(dout, x, W):
    return dout @ W.T, x.T @ dout / x.shape[0], dout.sum(axis=0)


@mistake("dW and db were both divided by the batch size N: the layer only applies the chain rule, so both are sums over the batch; any averaging is already in dout, from the loss.")
def dW_and_db_averaged(dout, x, W):
    n = x.shape[0]
    return dout @ W.T, x.T @ dout / n, dout.sum(axis=0) / n


@mistake("db was summed over the wrong axis (axis=1, one number per sample); sum over the batch, axis 0, to get one number per bias, shape (M,).")
def db_wrong_axis(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.sum(axis=1)


@mistake("db has shape (1, M), as in the seed article's np.dot(np.ones((1, N)), dout); b has shape (M,), so db must too (dout.sum(axis=0)).")
def db_kept_2d(dout, x, W):
    return dout @ W.T, x.T @ dout, np.ones((1, dout.shape[0])) @ dout


@alternative("np.dot and a product with a vector of ones for db, the seed article's spelling.")
def with_dot_and_ones(dout, x, W):
    return np.dot(dout, W.T), np.dot(x.T, dout), np.ones(dout.shape[0]) @ dout


@alternative("einsum with the index names of the derivation.")
def with_einsum(dout, x, W):
    dx = np.einsum("nm,dm->nd", dout, W)
    dW = np.einsum("nd,nm->dm", x, dout)
    db = np.einsum("nm->m", dout)
    return dx, dW, db


@mistake("a Python loop over the samples adds up dW and db one row at a time: x.T @ dout and "
         "dout.sum(axis=0) sum over the batch in one operation each.")
def loop_over_samples(dout, x, W):
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[1])
    for n in range(x.shape[0]):
        dW = dW + np.outer(x[n], dout[n])
        db = db + dout[n]
    return dout @ W.T, dW, db
