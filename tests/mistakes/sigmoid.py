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


@mistake("z was clipped to [-500, 500] before the textbook formula: below -500 every input then gets "
         "sigmoid(-500) = 7.1e-218, but sigmoid(-600) = 2.65e-261 is a float64 too (and sigmoid(-750) "
         "rounds to 0); the textbook formula cannot be clipped safely, since exp(-z) overflows for z "
         "below about -709.78: take exp only of -|z|.")
def clipped_at_500(z):
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


@mistake("0.5 * (1 + tanh(z / 2)) is the sigmoid in exact arithmetic, but for negative z the sum "
         "1 + tanh(z / 2) cancels: tanh(z / 2) rounds to -1 for z below about -38, so sigmoid(-40) = "
         "4.2e-18 comes out as 0 (and from about z = -21 down it has lost digits); take exp only of -|z|.")
def via_tanh(z):
    return 0.5 * (1 + np.tanh(z / 2))


@alternative("0.5 * (1 + tanh(z / 2)) for z >= 0 only, where nothing cancels, and e^z / (1 + e^z) below 0.")
def tanh_for_positive(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 0.5 * (1 + np.tanh(np.abs(z) / 2)), e / (1 + e))


@alternative("exp of z clipped above at 0, over 1 + exp(-|z|): exp(min(z, 0)) / (1 + exp(-|z|)) is "
             "1 / (1 + e^-z) for z >= 0 and e^z / (1 + e^z) for z < 0, and neither exp can overflow.")
def clipped_at_zero(z):
    return np.exp(np.clip(z, None, 0.0)) / (1 + np.exp(-np.abs(z)))


@alternative("exp(-logaddexp(0, -z)), the sigmoid as 1 / (1 + e^-z) taken through logarithms; "
             "np.logaddexp never overflows.")
def through_logaddexp(z):
    return np.exp(-np.logaddexp(0.0, -z))


@mistake("a Python loop applies math.exp to one element at a time: np.exp works on the whole "
         "array at once (and math.exp raises OverflowError where np.exp gives inf).")
def element_loop(z):
    import math
    flat = np.asarray(z, dtype=float).ravel()
    out = np.empty_like(flat)
    for i, v in enumerate(flat):
        out[i] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out.reshape(np.shape(z))
