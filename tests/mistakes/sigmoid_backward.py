"""Catalogue for sigmoid_backward(dout, a) -> dz, with a = sigmoid(z) the saved output."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import sigmoid


@mistake("the sigmoid was applied again: sigmoid(a) * (1 - sigmoid(a)) is the slope at z = a, but a is already the output sigmoid(z), so the slope there is a * (1 - a).")
def slope_at_the_output(dout, a):
    return dout * sigmoid(a) * (1 - sigmoid(a))


@mistake("the upstream gradient dout is missing: the chain rule multiplies it by the local slope, dout * a * (1 - a).")
def dout_forgotten(dout, a):
    return a * (1 - a)


@mistake("1 - a ** 2 is the derivative of tanh written with its output; the sigmoid's is a * (1 - a).")
def tanh_slope(dout, a):
    return dout * (1 - a ** 2)


@mistake("a factor is missing: the sigmoid's slope is a * (1 - a), not (1 - a) or a alone.")
def factor_missing(dout, a):
    return dout * (1 - a)


@mistake("dout was changed in place (dout *= ...): a graded function must not change its inputs; write dz = dout * ... instead.")
def in_place(dout, a):
    dout *= a * (1 - a)
    return dout


@alternative("a - a ** 2 for the slope, the same polynomial multiplied out.")
def expanded(dout, a):
    return dout * (a - a * a)


@alternative("np.multiply with the slope computed first.")
def slope_first(dout, a):
    slope = a * (1.0 - a)
    return np.multiply(dout, slope)
