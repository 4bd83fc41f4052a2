"""Lesson 05: weight initialization."""
import numpy as np

__all__ = ["xavier_init", "he_init"]


def xavier_init(fan_in, fan_out, rng):
    """Glorot (Xavier) normal: N(0, 2 / (fan_in + fan_out)), shape (fan_in, fan_out).

    Keeps the variance of activations (forward) and of gradients (backward) roughly
    constant through tanh-like layers, by averaging the two fans.
    """
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_init(fan_in, fan_out, rng):
    """He normal: N(0, 2 / fan_in), shape (fan_in, fan_out); the 2 makes up for ReLU
    zeroing half of its inputs."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
