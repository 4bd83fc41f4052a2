"""Catalogue for momentum_step(w, dw, velocity, lr=1e-2, momentum=0.9) -> (w, velocity):
velocity = momentum * velocity - lr * dw, then w = w + velocity."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("the gradient term has the wrong sign (velocity = momentum * velocity + lr * dw), so w climbs the loss: subtract lr * dw.")
def gradient_sign_flipped(w, dw, velocity, lr=1e-2, momentum=0.9):
    velocity = momentum * velocity + lr * dw
    return w + velocity, velocity


@mistake("w was moved with the old velocity and the velocity updated afterwards: update the velocity first, then w = w + (new) velocity.")
def velocity_updated_after_w(w, dw, velocity, lr=1e-2, momentum=0.9):
    new_w = w + velocity
    return new_w, momentum * velocity - lr * dw


@mistake("the velocity accumulates the raw gradient (velocity = momentum * velocity + dw, w = w - lr * velocity), another library's convention; here the velocity is the step itself: momentum * velocity - lr * dw.")
def gradient_accumulator(w, dw, velocity, lr=1e-2, momentum=0.9):
    velocity = momentum * velocity + dw
    return w - lr * velocity, velocity


@mistake("the velocity is an exponential average of gradients (momentum * velocity + (1 - momentum) * dw), a different convention: here velocity = momentum * velocity - lr * dw and w = w + velocity.")
def averaged_gradient(w, dw, velocity, lr=1e-2, momentum=0.9):
    velocity = momentum * velocity + (1 - momentum) * dw
    return w - lr * velocity, velocity


@mistake("w and velocity were updated in place (*=, -=, +=), which changes the caller's arrays: build new ones.")
def in_place(w, dw, velocity, lr=1e-2, momentum=0.9):
    velocity *= momentum
    velocity -= lr * dw
    w += velocity
    return w, velocity


@alternative("the velocity built from a product (a new array) and then updated in place: the inputs are untouched.")
def in_place_on_new_arrays(w, dw, velocity, lr=1e-2, momentum=0.9):
    new_velocity = momentum * velocity
    new_velocity -= lr * dw
    return w + new_velocity, new_velocity


@alternative("w written as w + momentum * velocity - lr * dw, the same sum without naming the new velocity first.")
def expanded(w, dw, velocity, lr=1e-2, momentum=0.9):
    return w + momentum * velocity - lr * dw, np.subtract(momentum * velocity, lr * dw)
