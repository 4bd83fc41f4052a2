"""Catalogue for xavier_init(fan_in, fan_out, rng): N(0, 2 / (fan_in + fan_out)) of shape
(fan_in, fan_out). The draws are random, so the alternatives draw differently from the
reference and pass only because the check tests the distribution, not the values."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("sqrt(1 / fan_in) is LeCun's scale, which one seed article calls Xavier; "
         "Glorot's (Xavier's) standard deviation is sqrt(2 / (fan_in + fan_out)).")
def lecun_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


@mistake("the variance 2 / (fan_in + fan_out) was passed as rng.normal's scale, which is "
         "the standard deviation: take its square root.")
def variance_as_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / (fan_in + fan_out), size=(fan_in, fan_out))


@mistake("the factor 2 is missing: Glorot's variance is 2 / (fan_in + fan_out), one over "
         "the average of the two fans.")
def factor_two_missing(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@mistake("the shape is transposed: W must have shape (fan_in, fan_out), one row per input, "
         "because the layer computes x @ W.")
def shape_transposed(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))


@mistake("this is Glorot's uniform variant, rng.uniform(-a, a) with a = sqrt(6 / (fan_in + fan_out)): "
         "its standard deviation is right, but the contract asks for a normal distribution (rng.normal).")
def glorot_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@mistake("the standard deviation was passed as rng.normal's first argument, which is the "
         "mean (loc): write rng.normal(0.0, std, size) or rng.normal(scale=std, size=...).")
def scale_as_mean(fan_in, fan_out, rng):
    return rng.normal(np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@mistake("np.random.randn draws from NumPy's global random state; draw from the rng argument "
         "instead (rng.normal or rng.standard_normal), so that its seed reproduces the weights.")
def global_state(fan_in, fan_out, rng):
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / (fan_in + fan_out))


@mistake("the function makes its own generator, np.random.default_rng(0), and ignores the rng "
         "argument: draw from rng, so that the caller's seed decides the weights.")
def own_generator(fan_in, fan_out, rng):
    return np.random.default_rng(0).normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@alternative("a standard normal draw scaled by the standard deviation.")
def scaled_standard_normal(fan_in, fan_out, rng):
    return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))


@alternative("drawn as (fan_out, fan_in) and transposed: other numbers, the same distribution.")
def drawn_transposed(fan_in, fan_out, rng):
    return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_out, fan_in)).T


@alternative("the Box-Muller transform of uniform draws: sqrt(-2 ln u1) cos(2 pi u2) is a standard normal.")
def box_muller(fan_in, fan_out, rng):
    u1 = 1.0 - rng.random((fan_in, fan_out))  # in (0, 1]: the log is finite
    u2 = rng.random((fan_in, fan_out))
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return z * np.sqrt(2.0 / (fan_in + fan_out))
