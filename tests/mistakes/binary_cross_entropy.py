"""Catalogue for binary_cross_entropy(p, y): mean BCE with p clipped to [1e-12, 1 - 1e-12]."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("p was not clipped: log(0) = -inf, so p exactly 0 or 1 gives an infinite loss, and 0 * log(0) gives nan. Clip p to [1e-12, 1 - 1e-12] first.")
def not_clipped(p, y):
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(loss), (p - y) / (p * (1 - p)) / p.size


@mistake("the gradient uses the unclipped p: at p exactly 0 or 1, p (1 - p) = 0 and the division gives inf or nan. Use the clipped pc in dp as well.")
def gradient_unclipped(p, y):
    pc = np.clip(p, 1e-12, 1 - 1e-12)
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    return float(loss), (p - y) / (p * (1 - p)) / p.size


@mistake("the losses were summed instead of averaged (as seed 002's cross_entropy does): divide the loss and dp by p.size.")
def summed(p, y):
    pc = np.clip(p, 1e-12, 1 - 1e-12)
    loss = -np.sum(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    return float(loss), (pc - y) / (pc * (1 - pc))


@mistake("p was clipped to [1e-7, 1 - 1e-7] (a common default elsewhere); the contract clips to [1e-12, 1 - 1e-12].")
def clipped_at_1e_7(p, y):
    pc = np.clip(p, 1e-7, 1 - 1e-7)
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    return float(loss), (pc - y) / (pc * (1 - pc)) / p.size


@mistake("the gradient has its sign flipped: dL/dp = (p - y) / (p (1 - p)), negative when y = 1 (a larger p lowers the loss).")
def gradient_sign_flipped(p, y):
    pc = np.clip(p, 1e-12, 1 - 1e-12)
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    return float(loss), (y - pc) / (pc * (1 - pc)) / p.size


@alternative("np.where on the labels (-log p where y = 1, -log(1 - p) where y = 0), and dp as -y / p + (1 - y) / (1 - p).")
def by_cases(p, y):
    pc = np.minimum(np.maximum(p, 1e-12), 1 - 1e-12)
    losses = np.where(y == 1, -np.log(pc), -np.log(1 - pc))
    dp = (-y / pc + (1 - y) / (1 - pc)) / np.size(p)
    return np.mean(losses), dp


@alternative("np.log1p(-pc) for log(1 - pc), and the mean written as a sum divided by the size.")
def with_log1p(p, y):
    pc = np.clip(p, 1e-12, 1 - 1e-12)
    n = p.size
    loss = -(y * np.log(pc) + (1 - y) * np.log1p(-pc)).sum() / n
    return loss, (pc - y) / (pc * (1 - pc)) / n
