"""An independent central-difference gradient for the tests of the references (written
apart from helpers.reference.numerical_gradient, so that neither vouches for itself)."""
import numpy as np


def numeric_gradient(f, x, h=1e-6):
    """d f(x) / dx for a scalar f, by central differences on a flat copy of x."""
    flat = np.array(x, dtype=float).ravel()
    grad = np.empty_like(flat)
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = h
        grad[i] = (f((flat + step).reshape(np.shape(x))) - f((flat - step).reshape(np.shape(x)))) / (2 * h)
    return grad.reshape(np.shape(x))


def max_rel_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))) if a.size else 0.0
