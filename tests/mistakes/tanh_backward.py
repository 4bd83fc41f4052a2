"""Catalogue for tanh_backward(dout, a): dout * (1 - a**2), given the output a = tanh(z)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("1 - tanh(a)**2 is the derivative evaluated at the wrong quantity: a is already tanh(z), so the derivative is 1 - a**2.")
def tanh_of_output(dout, a):
    return dout * (1 - np.tanh(a) ** 2)


@mistake("a * (1 - a) is the sigmoid's derivative (the seed article's bug); for tanh it is 1 - a**2.")
def sigmoid_derivative(dout, a):
    return dout * a * (1 - a)


@mistake("this returns tanh's derivative 1 - a**2 without multiplying by the upstream gradient dout.")
def derivative_without_dout(dout, a):
    return 1 - a ** 2


@mistake("(1 - a)**2 squares the wrong thing: the derivative is 1 - a**2, with only a squared.")
def squared_difference(dout, a):
    return dout * (1 - a) ** 2


@mistake("dout was modified in place (dout *= 1 - a**2); a graded function must not change its inputs: return dout * (1 - a**2).")
def in_place(dout, a):
    dout *= 1 - a ** 2
    return dout


@alternative("dout * (1 - a) * (1 + a): the factored form of 1 - a**2.")
def factored(dout, a):
    return dout * (1 - a) * (1 + a)


@alternative("dout - dout * a * a: the product expanded.")
def expanded(dout, a):
    return dout - dout * a * a
