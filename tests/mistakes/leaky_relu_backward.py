"""Catalogue for leaky_relu_backward(dout, z, alpha=0.01): dout times 1 where z > 0 and
alpha elsewhere; the derivative at exactly 0 is alpha."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the condition uses z >= 0, so the derivative at exactly 0 (and -0.0) is 1; the contract says it is alpha: use z > 0.")
def derivative_one_at_zero(dout, z, alpha=0.01):
    return dout * np.where(z >= 0, 1.0, alpha)


@mistake("the leak is hard-coded as 0.01, so the alpha argument is ignored: use alpha.")
def alpha_ignored(dout, z, alpha=0.01):
    return dout * np.where(z > 0, 1.0, 0.01)


@mistake("this returns the derivative (1 or alpha) without multiplying by the upstream gradient dout: the chain rule gives dz = dout * f'(z).")
def derivative_without_dout(dout, z, alpha=0.01):
    return np.where(z > 0, 1.0, alpha)


@mistake("where z <= 0 the gradient should be alpha * dout, not the constant alpha.")
def constant_on_the_leak(dout, z, alpha=0.01):
    return np.where(z > 0, dout, alpha)


@mistake("this is relu's gradient: it is 0 where z <= 0, but a leaky unit passes alpha * dout back there.")
def relu_gradient(dout, z, alpha=0.01):
    return dout * (z > 0)


@mistake("dout was modified in place (dout[z <= 0] *= alpha); a graded function must not change its inputs: build a new array.")
def in_place(dout, z, alpha=0.01):
    dout[z <= 0] *= alpha
    return dout


@alternative("np.where(z > 0, dout, alpha * dout).")
def with_where(dout, z, alpha=0.01):
    return np.where(z > 0, dout, alpha * dout)


@alternative("dout * (z > 0) + alpha * dout * (z <= 0): the two sides added, each masked.")
def two_masks(dout, z, alpha=0.01):
    return dout * (z > 0) + alpha * dout * (z <= 0)
