"""Catalogue for relu_backward(dout, z): dout * (z > 0); the derivative at exactly 0 is 0."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the mask uses z >= 0, so the derivative at exactly 0 (and -0.0) is 1; the contract says it is 0: use z > 0.")
def derivative_one_at_zero(dout, z):
    return dout * (z >= 0)


@mistake("the mask was taken from the output a = relu(z) with a >= 0, which is true everywhere (a is never negative): the gradient passes through unchanged. Mask with z > 0.")
def output_mask_always_true(dout, z):
    a = np.maximum(z, 0)
    return dout * (a >= 0)


@mistake("this returns relu's derivative, the mask (z > 0), without multiplying by the upstream gradient dout: the chain rule gives dz = dout * relu'(z).")
def mask_without_dout(dout, z):
    return np.where(z > 0, 1.0, 0.0)


@mistake("dout was modified in place (dout[z <= 0] = 0); a graded function must not change its inputs: build a new array, dout * (z > 0).")
def in_place(dout, z):
    dout[z <= 0] = 0
    return dout


@mistake("dout was multiplied by relu(z), the activation itself, instead of by its derivative, the 0/1 mask z > 0.")
def times_relu(dout, z):
    return dout * np.maximum(z, 0)


@alternative("np.where(z > 0, dout, 0.0): pass dout through where the unit is active.")
def with_where(dout, z):
    return np.where(z > 0, dout, 0.0)


@alternative("dout * np.heaviside(z, 0.0): the step function, with the value 0 at 0.")
def step_function(dout, z):
    return dout * np.heaviside(z, 0.0)
