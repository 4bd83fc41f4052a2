"""Catalogue for leaky_relu(z, alpha=0.01): z where z > 0, alpha * z elsewhere."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the leak is hard-coded as 0.01, so the alpha argument is ignored: use alpha.")
def alpha_ignored(z, alpha=0.01):
    return np.where(z > 0, z, 0.01 * z)


@mistake("the negative side is the constant alpha, not the slope alpha * z: for z <= 0 the output is alpha * z.")
def constant_leak(z, alpha=0.01):
    return np.where(z > 0, z, alpha)


@mistake("alpha was applied on the wrong side: z > 0 keeps z unchanged and z <= 0 is multiplied by alpha.")
def sides_swapped(z, alpha=0.01):
    return np.where(z > 0, alpha * z, z)


@mistake("np.maximum(z, 0) + alpha * z adds alpha * z on the positive side as well; the leak applies only where z <= 0.")
def leak_everywhere(z, alpha=0.01):
    return np.maximum(z, 0) + alpha * z


@mistake("z was modified in place (z[z < 0] *= alpha); a graded function must not change its input: return a new array.")
def in_place(z, alpha=0.01):
    z[z < 0] *= alpha
    return z


@alternative("np.maximum(alpha * z, z): for 0 <= alpha <= 1 the larger of z and alpha * z is z when z > 0 and alpha * z when z <= 0.")
def maximum_trick(z, alpha=0.01):
    return np.maximum(alpha * z, z)


@alternative("np.maximum(z, 0) + alpha * np.minimum(z, 0): the positive part plus alpha times the negative part.")
def positive_plus_negative_part(z, alpha=0.01):
    return np.maximum(z, 0) + alpha * np.minimum(z, 0)


@alternative("z * np.where(z > 0, 1.0, alpha): z times the slope on its side.")
def times_slope(z, alpha=0.01):
    return z * np.where(z > 0, 1.0, alpha)
