"""Catalogue for rmsprop_step(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8) -> (w, cache):
cache = decay * cache + (1 - decay) * dw ** 2, w = w - lr * dw / (sqrt(cache) + eps)."""
import numpy as np

from helpers.catalogue import alternative, mistake


@mistake("eps was put inside the square root (sqrt(cache + eps)): add it after, sqrt(cache) + eps.")
def eps_inside_sqrt(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    cache = decay * cache + (1 - decay) * dw ** 2
    return w - lr * dw / np.sqrt(cache + eps), cache


@mistake("the new squared gradient was added without the factor (1 - decay): cache = decay * cache + (1 - decay) * dw ** 2 is an average, not a sum.")
def no_one_minus_decay(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    cache = decay * cache + dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


@mistake("decay and 1 - decay were swapped: decay multiplies the old cache and (1 - decay) the new squared gradient.")
def decay_swapped(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    cache = (1 - decay) * cache + decay * dw ** 2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


@mistake("w was divided by the OLD cache: update the cache with this step's gradient first, then use it in the step.")
def old_cache_in_step(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    new_w = w - lr * dw / (np.sqrt(cache) + eps)
    return new_w, decay * cache + (1 - decay) * dw ** 2


@mistake("w and cache were updated in place (*=, +=, -=), which changes the caller's arrays: build new ones.")
def in_place(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    cache *= decay
    cache += (1 - decay) * dw ** 2
    w -= lr * dw / (np.sqrt(cache) + eps)
    return w, cache


@alternative("the average written as a step towards the new value: cache + (1 - decay) * (dw * dw - cache).")
def step_towards(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    cache = cache + (1 - decay) * (dw * dw - cache)
    return w - lr * dw / (cache ** 0.5 + eps), cache
