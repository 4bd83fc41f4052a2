"""Catalogue for sgd_step(w, dw, lr=1e-2) -> w - lr * dw, a new array."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("w was updated in place (w -= lr * dw), which changes the caller's array: write w - lr * dw, a new array.")
def in_place(w, dw, lr=1e-2):
    w -= lr * dw
    return w


@mistake("the learning rate is hard-coded as 0.01: use the argument lr, whatever value the caller passes.")
def hard_coded_lr(w, dw, lr=1e-2):
    return w - 0.01 * dw


@mistake("the step goes up the gradient (w + lr * dw), which increases the loss: descend with w - lr * dw.")
def ascent(w, dw, lr=1e-2):
    return w + lr * dw


@mistake("it returns the step -lr * dw instead of the new parameter w - lr * dw.")
def step_only(w, dw, lr=1e-2):
    return -lr * dw


@alternative("a copy of w updated in place: the copy is a new array, so the input is untouched.")
def copy_then_in_place(w, dw, lr=1e-2):
    new_w = w.copy()
    new_w -= lr * dw
    return new_w


@alternative("np.subtract(w, lr * dw), the same subtraction spelt as a function.")
def with_subtract(w, dw, lr=1e-2):
    return np.subtract(w, np.multiply(lr, dw))
