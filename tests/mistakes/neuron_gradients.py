"""Catalogue for neuron_gradients(x, w, b, y): loss 0.5 (sigmoid(x @ w + b) - y)^2 -> (loss, dw, db)."""
import numpy as np

from helpers.catalogue import alternative, mistake
from helpers.reference import sigmoid


@mistake("the sigmoid's local derivative da/dz = a (1 - a) is missing: dL/dz = (a - y) * a * (1 - a), "
         "not a - y.")
def sigmoid_derivative_forgotten(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = a - y
    return 0.5 * (a - y) ** 2, dz * x, dz


@mistake("the sigmoid's derivative was evaluated at z instead of a: sigma'(z) = a (1 - a) with "
         "a = sigmoid(z), so z (1 - z) is wrong (the seed article's sigmoid_derivative expects "
         "the output a).")
def derivative_at_z(x, w, b, y):
    z = x @ w + b
    a = sigmoid(z)
    dz = (a - y) * z * (1 - z)
    return 0.5 * (a - y) ** 2, dz * x, dz


@mistake("the sigmoid was applied twice: a is already sigmoid(z), so sigmoid(a) * (1 - sigmoid(a)) is the "
         "slope at the point a, not at z; the local derivative da/dz is a * (1 - a).")
def sigmoid_applied_twice(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = (a - y) * sigmoid(a) * (1 - sigmoid(a))
    return 0.5 * (a - y) ** 2, dz * x, dz


@mistake("the sign is flipped: dL/da = a - y (prediction minus target), not y - a.")
def sign_flipped(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = (y - a) * a * (1 - a)
    return 0.5 * (a - y) ** 2, dz * x, dz


@mistake("db was taken as dw.sum(); but dz/db = 1, so db = dL/dz itself.")
def db_is_sum_of_dw(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = (a - y) * a * (1 - a)
    dw = dz * x
    return 0.5 * (a - y) ** 2, dw, dw.sum()


@mistake("the loss lost its factor 0.5: L = 0.5 (a - y)², whose derivative a - y has no factor 2.")
def half_forgotten(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = (a - y) * a * (1 - a)
    return (a - y) ** 2, dz * x, dz


@mistake("dw was multiplied by w instead of x: dz/dw_d = x_d, the input that w_d multiplies.")
def times_w(x, w, b, y):
    a = sigmoid(x @ w + b)
    dz = (a - y) * a * (1 - a)
    return 0.5 * (a - y) ** 2, dz * w, dz


@alternative("the sigmoid's derivative as sigmoid(z) * sigmoid(-z), which equals a (1 - a).")
def symmetric_derivative(x, w, b, y):
    z = np.dot(x, w) + b
    a = sigmoid(z)
    dz = (a - y) * sigmoid(z) * sigmoid(-z)
    return 0.5 * (a - y) ** 2, dz * x, dz


@alternative("the chain written out one local derivative at a time.")
def step_by_step(x, w, b, y):
    z = np.sum(x * w) + b
    a = 1 / (1 + np.exp(-z))
    loss = 0.5 * (a - y) ** 2
    dL_da = a - y
    da_dz = a * (1 - a)
    dL_dz = dL_da * da_dz
    dw = dL_dz * x  # dz/dw = x
    db = dL_dz * 1.0  # dz/db = 1
    return loss, dw, db
