"""Catalogue for sigmoid(z): 1 / (1 + exp(-z)) elementwise, exact and warning-free."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the textbook formula 1 / (1 + np.exp(-z)) overflows in exp for z below about -709; take exp only of -|z|.")
def naive_formula(z):
    return 1 / (1 + np.exp(-z))


@mistake("the sign of z is flipped: 1 / (1 + exp(z)) is sigmoid(-z) = 1 - sigmoid(z).")
def sign_flipped(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))


@mistake("exp(z) / (1 + exp(z)) gives inf / inf = nan for large z; that form is only safe for z < 0.")
def ratio_of_exponentials(z):
    return np.exp(z) / (1 + np.exp(z))


@mistake("z was clipped to a small range such as [-10, 10], which changes the value of the sigmoid near the ends.")
def clipped_too_hard(z):
    return 1 / (1 + np.exp(-np.clip(z, -10, 10)))


@mistake("the input z was overwritten in place (z *= -1, np.exp(z, out=z)); a graded function must not change its inputs.")
def in_place(z):
    z *= -1
    np.exp(z, out=z)
    z += 1
    return 1 / z


@alternative("0.5 * (1 + tanh(z / 2)), an identity that never overflows.")
def via_tanh(z):
    return 0.5 * (1 + np.tanh(z / 2))


@alternative("the textbook formula on z clipped to [-500, 500], where exp cannot overflow and the sigmoid is already 0 or 1 to double precision.")
def safely_clipped(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))
