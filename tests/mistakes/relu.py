"""Catalogue for relu(z): max(z, 0) elementwise, any shape."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("z was modified in place (z[z < 0] = 0 or np.maximum(z, 0, out=z)); a graded function must not change its input: return a new array, np.maximum(z, 0).")
def in_place(z):
    z[z < 0] = 0
    return z


@mistake("np.max(z, 0) is a reduction: it takes the largest entry down axis 0. The elementwise maximum of z and 0 is np.maximum(z, 0).")
def max_is_a_reduction(z):
    return np.max(z, 0)


@mistake("Python's built-in max(z, 0) compares the whole array with 0 at once; use NumPy's elementwise np.maximum(z, 0).")
def builtin_max(z):
    return max(z, 0)


@mistake("this returns the 0/1 mask z > 0, which is relu's derivative, not relu: keep the value of z where it is positive.")
def returns_the_mask(z):
    return np.where(z > 0, 1.0, 0.0)


@alternative("z * (z > 0): multiplying by the mask keeps z where it is positive (for finite z).")
def times_mask(z):
    return z * (z > 0)


@alternative("np.where(z > 0, z, 0.0).")
def with_where(z):
    return np.where(z > 0, z, 0.0)


@alternative("np.clip(z, 0, None): clipping from below at 0.")
def with_clip(z):
    return np.clip(z, 0, None)
