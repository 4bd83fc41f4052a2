"""Catalogue for adam_step(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)
-> (w, m, v), t counting from 1, with bias correction."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("no bias correction: m and v start at 0, so divide them by (1 - beta1 ** t) and (1 - beta2 ** t) before the step.")
def no_bias_correction(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - lr * m / (np.sqrt(v) + eps), m, v


@mistake("t was treated as counting from 0 (beta ** (t + 1)): t is this step's number and is already 1 at the first step, so use beta ** t.")
def t_plus_one(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


@mistake("beta ** (t - 1) is 1 at the first step, so the bias correction divides by 1 - 1 = 0: t starts at 1, use beta ** t.")
def t_minus_one(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** (t - 1))
    v_hat = v / (1 - beta2 ** (t - 1))
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


@mistake("the step divides by sqrt(v) where it should divide by sqrt(v_hat): correct both averages, m_hat and v_hat.")
def sqrt_of_raw_v(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)
    return w - lr * m_hat / (np.sqrt(v) + eps), m, v


@mistake("eps was put inside the square root (sqrt(v_hat + eps)): add it after, sqrt(v_hat) + eps; inside, it is never below sqrt(1e-8) = 1e-4 and shrinks the steps of small gradients.")
def eps_inside_sqrt(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - lr * m_hat / np.sqrt(v_hat + eps), m, v


@mistake("it returns the corrected m_hat and v_hat as the new state: return the raw averages m and v, and correct them afresh at every step.")
def returns_corrected_state(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_hat = (beta1 * m + (1 - beta1) * dw) / (1 - beta1 ** t)
    v_hat = (beta2 * v + (1 - beta2) * dw ** 2) / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat


@mistake("the corrections were folded into the learning rate (lr * sqrt(1 - beta2 ** t) / (1 - beta1 ** t)) but eps was still added to sqrt(v): that changes eps's meaning; add eps to sqrt(v_hat).")
def folded_correction_unscaled_eps(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - lr_t * m / (np.sqrt(v) + eps), m, v


@mistake("m and v (and w) were updated in place (*=, +=), which changes the caller's arrays: build new ones.")
def in_place(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * dw
    v *= beta2
    v += (1 - beta2) * dw ** 2
    w -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return w, m, v


@alternative("the corrections folded into the learning rate, with eps scaled to match: lr * sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * m / (sqrt(v) + eps * sqrt(1 - beta2 ** t)).")
def folded_correction(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    c2 = np.sqrt(1 - beta2 ** t)
    lr_t = lr * c2 / (1 - beta1 ** t)
    return w - lr_t * m / (np.sqrt(v) + eps * c2), m, v


@alternative("the averages written as steps towards the new values: m + (1 - beta1) * (dw - m).")
def step_towards(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = m + (1 - beta1) * (dw - m)
    v = v + (1 - beta2) * (dw * dw - v)
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (v_hat ** 0.5 + eps), m, v
