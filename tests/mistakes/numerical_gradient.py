"""Catalogue for numerical_gradient(f, x, h=1e-5): central differences, x unchanged."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("this is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h; "
         "use the central difference (f(x + h) - f(x - h)) / (2 h), whose error shrinks like h².")
def forward_difference(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old
        grad[i] = (f_plus - f0) / h
    return grad


@mistake("the difference was divided by h: the two points x + h and x - h are 2h apart, so divide by 2h.")
def divided_by_h(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad


@mistake("x_plus = x does not copy the array: changing x_plus[i] changed x, and x was never put back. "
         "Work on x.copy(), or save x[i] and assign it back after the two evaluations.")
def aliased_and_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus = x
        x_plus[i] += h
        f_plus = f(x_plus)
        x_minus = x
        x_minus[i] -= 2 * h
        f_minus = f(x_minus)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@mistake("each element was left at x[i] - h after its two evaluations, so every later element was "
         "evaluated at a shifted point: after f(x - h e_i), set x[i] back to its original value.")
def not_restored(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@mistake("x was restored by adding and subtracting h (x[i] += h, x[i] -= 2h, x[i] += h), which "
         "leaves rounding errors in x; save the original value and assign it back.")
def restored_by_arithmetic(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        x[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@mistake("all elements were moved at once (f(x + h) - f(x - h)): that is the slope along the "
         "direction (1, 1, ..., 1), not the partial derivative; move one element at a time.")
def all_at_once(f, x, h=1e-5):
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


@mistake("the loop runs over the first axis only (for i in range(len(x))), so x[i] moved a whole "
         "row at once; visit every element, e.g. with np.ndindex(x.shape) or np.nditer.")
def first_axis_only(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@mistake("the step was fixed at 1e-5 instead of using the argument h.")
def step_ignored(f, x, h=1e-5):
    step = 1e-5
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + step
        f_plus = f(x)
        x[i] = old - step
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * step)
    return grad


@alternative("np.nditer with multi_index, perturbing x in place and assigning the saved value back "
             "(the CS231n way).")
def nditer_in_place(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        f_plus = f(x)
        x[ix] = old - h
        f_minus = f(x)
        x[ix] = old
        grad[ix] = (f_plus - f_minus) / (2 * h)
        it.iternext()
    return grad


@alternative("a step array e with h in one place, on a flat copy: f(x + e) - f(x - e).")
def step_array(f, x, h=1e-5):
    flat = x.ravel()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        e = np.zeros(flat.size)
        e[i] = h
        grad[i] = (f((flat + e).reshape(x.shape)) - f((flat - e).reshape(x.shape))) / (2 * h)
    return grad.reshape(x.shape)


@alternative("the average of the forward and the backward difference, which is the central "
             "difference written another way.")
def average_of_one_sided(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        forward = (f(x) - f0) / h
        x[i] = old - h
        backward = (f0 - f(x)) / h
        x[i] = old
        grad[i] = (forward + backward) / 2
    return grad


@alternative("divides by the step actually taken, (x + h) - (x - h) in floating point, which is "
             "not exactly 2h.")
def exact_step(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        up, down = old + h, old - h
        x[i] = up
        f_plus = f(x)
        x[i] = down
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (up - down)
    return grad
