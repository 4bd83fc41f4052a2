"""Lesson 05: weight initialization."""
import numpy as np

__all__ = ["xavier_init", "he_init"]


def xavier_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot (Xavier) normal: N(0, 2 / (fan_in + fan_out)), shape (fan_in, fan_out).

    fan_in, fan_out: the layer's numbers of inputs and outputs; rng: a numpy Generator.
    Var(w) = 2 / (fan_in + fan_out) is the compromise between 1 / fan_in, which keeps the
    variance of the activations through a tanh-like layer, and 1 / fan_out, which keeps
    the variance of the gradients on the way back.
    """
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_init(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He (Kaiming) normal: N(0, 2 / fan_in), shape (fan_in, fan_out).

    fan_in, fan_out: the layer's numbers of inputs and outputs; rng: a numpy Generator.
    ReLU zeroes half of a symmetric pre-activation, halving its second moment; the 2
    makes up for it, so the activations keep their scale through a ReLU network.
    """
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
