"""Lesson 07: optimizer steps.

Each step takes a parameter ``w``, its gradient ``dw`` (same shape) and the optimizer's
state, and returns NEW arrays: the inputs are never modified, so the caller decides
what to keep. State arrays start at zeros of ``w``'s shape.
"""
import numpy as np

__all__ = ["sgd_step", "momentum_step", "rmsprop_step", "adam_step"]


def sgd_step(w: np.ndarray, dw: np.ndarray, lr: float = 1e-2) -> np.ndarray:
    """One step of gradient descent: ``w - lr * dw``.

    Parameters
    ----------
    w, dw : ndarray, same shape
        The parameter and the gradient of the loss with respect to it.
    lr : float
        Learning rate.

    Returns
    -------
    w : ndarray of w's shape, the updated parameter.
    """
    return w - lr * dw


def momentum_step(w: np.ndarray, dw: np.ndarray, velocity: np.ndarray, lr: float = 1e-2, momentum: float = 0.9
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent with momentum (the "heavy ball").

    ``velocity = momentum * velocity - lr * dw`` then ``w = w + velocity``: the velocity
    is the step itself, a decaying sum of past gradient steps.

    Returns
    -------
    (w, velocity) : new ndarrays of w's shape.
    """
    velocity = momentum * velocity - lr * dw
    return w + velocity, velocity


def rmsprop_step(w: np.ndarray, dw: np.ndarray, cache: np.ndarray, lr: float = 1e-2, decay: float = 0.99,
                 eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """RMSprop: divide each coordinate's step by a running root mean square of its gradient.

    ``cache = decay * cache + (1 - decay) * dw ** 2`` (an exponential moving average of
    the squared gradient), then ``w = w - lr * dw / (sqrt(cache) + eps)``; eps is added
    after the square root and only guards against dividing by zero.

    Returns
    -------
    (w, cache) : new ndarrays of w's shape.
    """
    cache = decay * cache + (1 - decay) * dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def adam_step(w: np.ndarray, dw: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, lr: float = 1e-3,
              beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam with bias correction; ``t`` is this step's number, starting at 1.

    ``m`` and ``v`` are moving averages of the gradient and of its square, started at 0,
    so after t steps they are too small by the factor ``1 - beta ** t`` (exactly so for a
    constant gradient: m_t = (1 - beta1^t) g). Dividing by that factor undoes the bias:
    ``w - lr * m_hat / (sqrt(v_hat) + eps)``. At t = 1 from zero state, m_hat = dw and
    v_hat = dw ** 2, so every coordinate moves by about lr whatever its gradient's size.

    Returns
    -------
    (w, m, v) : new ndarrays of w's shape; m and v are the raw averages (not m_hat, v_hat).
    """
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
