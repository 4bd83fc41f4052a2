"""Catalogue for he_init(fan_in, fan_out, rng): N(0, 2 / fan_in) of shape (fan_in, fan_out).
The draws are random, so the alternatives draw differently from the reference and pass
only because the check tests the distribution, not the values."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the factor 2 is missing: sqrt(1 / fan_in) is LeCun's scale. ReLU zeroes half of its "
         "inputs, halving their second moment, so He doubles the variance to 2 / fan_in.")
def lecun_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


@mistake("the scale uses fan_out; He's variance 2 / fan_in counts the inputs that each output "
         "neuron sums over, the rows of W.")
def fan_out_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))


@mistake("the variance 2 / fan_in was passed as rng.normal's scale, which is the standard "
         "deviation: take its square root.")
def variance_as_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))


@mistake("this is Glorot's (Xavier's) scale sqrt(2 / (fan_in + fan_out)); He's standard "
         "deviation is sqrt(2 / fan_in), made for ReLU.")
def glorot_scale(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@mistake("the shape is transposed: W must have shape (fan_in, fan_out), one row per input, "
         "because the layer computes x @ W.")
def shape_transposed(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


@mistake("this is He's uniform variant, rng.uniform(-a, a) with a = sqrt(6 / fan_in): its "
         "standard deviation is right, but the contract asks for a normal distribution (rng.normal).")
def he_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


@mistake("np.random.randn(*shape) * np.sqrt(2 / shape[0]), as in the seed article, draws from "
         "NumPy's global random state; draw from the rng argument instead (rng.normal or "
         "rng.standard_normal), so that its seed reproduces the weights.")
def global_state(fan_in, fan_out, rng):
    shape = (fan_in, fan_out)
    return np.random.randn(*shape) * np.sqrt(2.0 / shape[0])


@alternative("a standard normal draw scaled by the standard deviation.")
def scaled_standard_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


@alternative("drawn as (fan_out, fan_in) with keyword arguments and transposed: other numbers, "
             "the same distribution.")
def drawn_transposed(fan_in, fan_out, rng):
    return rng.normal(loc=0.0, scale=np.sqrt(2.0 / fan_in), size=(fan_out, fan_in)).T


@alternative("the Box-Muller transform of uniform draws, with the sine: sqrt(-2 ln u1) sin(2 pi u2) "
             "is a standard normal.")
def box_muller(fan_in, fan_out, rng):
    u = rng.random((2, fan_in, fan_out))
    z = np.sqrt(-2.0 * np.log1p(-u[0])) * np.sin(2.0 * np.pi * u[1])  # 1 - u[0] is in (0, 1]
    return np.sqrt(2.0 / fan_in) * z
