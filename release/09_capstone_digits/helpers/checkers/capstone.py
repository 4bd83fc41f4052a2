"""The checks for lesson 09's ``train_classifier``.

Training is random, so :func:`helpers.check.check_reference` (which compares values) does
not fit: a correct answer may use another architecture, other settings, another order of
random draws, and reach a different model. These checks look at what every correct answer
shares. :func:`check_classifier` trains it once on the training digits of
:func:`helpers.digits.load_split` with ``np.random.default_rng(seed)`` and checks that

- it returns, within ``TRAINING_SECONDS`` of CPU time, a model of the agreed form: a dict
  ``{"weights": [W1, ..., WL], "biases": [b1, ..., bL]}`` of float arrays whose shapes
  chain from 64 pixels to 10 classes, with finite values, and optionally the input
  standardisation ``"mean"``, ``"std"`` and the batch normalization ``"gamma"``,
  ``"beta"``, ``"running_mean"``, ``"running_var"`` that the course's predict reads
  (``helpers.reference.capstone``);
- that model, read by the course's ``predict`` (a ReLU after every layer but the last,
  then the class with the largest score), classifies at least ``MIN_ACCURACY`` of the
  validation or test digits correctly;
- it left its inputs alone.

The course's ``predict`` is lesson 09's first exercise, so a student's copy of the course
does not hold it (nor ``helpers/reference/capstone.py`` at all). There, the model is read
by the ``predict`` the test passes in, the student's own (which the test cells above it
check), and the messages say so; the loss (which needs the network's scores, not only
its classes) is then not measured. While grading, and in the course's own copy, the
course's reader is installed and used, whatever ``predict`` the test passes, so that a
mistake in the student's ``predict`` costs points in its own tests only.

:func:`check_reproducible` checks that its randomness comes from ``rng`` alone: two runs
with generators of the same seed give the same model, a generator of another seed another.

A failing model is examined for the symptoms of the common ways training goes wrong, each
reported in words: values that are not finite (training blew up), hidden units that are
copies of each other (they started equal), a loss worse than guessing (the updates go up
the gradient), an accuracy at chance on the training digits with the loss of guessing
(nothing learned: images and labels no longer match), an accuracy short of near-perfect on
the training digits as well (too little training, or steps too large), or a low accuracy
only on the others (memorising). Each catalogued mistake of the function is
then run on the same input, and the first one that fails in the same way (the same
exception, the same problem with the model's form, the same symptom; a low accuracy
without another symptom only when its model is the same) is named (where the catalogue
is installed: not in a student's copy).

**Time.** In the notebook the function runs in this process, and its budget counts the CPU
time of this process (``signal.setitimer(ITIMER_PROF)``), which other programs on a busy
machine do not use up: the run is stopped when it has used ``TRAINING_SECONDS`` of CPU, and
the message says so. A wall-clock limit, ``HANG_FACTOR`` times longer, only stops a run
that waits instead of computing. While graded, the sandbox enforces the function's budget
(its contract's ``budget``) in the answer's own process.

While grading, the function may run in a sandbox process (``course.isolation``), which
:func:`helpers.check.run` hides behind the same interface. There, every call of one of the
course's functions from earlier lessons crosses to the grader and back, which costs
milliseconds; a training loop makes thousands of them. So in the notebook, where such
calls are free, the check counts them and fails a run that would be too slow when graded.
"""
from __future__ import annotations

import contextlib
import math
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import FrameType, ModuleType
from typing import Any

import numpy as np

from ..calling import Outcome
from ..check import CheckFailed, describe_error, first_mistake_like, kind_of, references_for, run
from ..contracts import Contract, contract
from ..contracts.capstone import TRAINING_SECONDS
from ..digits import N_CLASSES, load_split
from ..proxy import proxy

#: The accuracy a model must reach on the held-out digits.
MIN_ACCURACY = 0.95
#: A network of the lesson's size fits (nearly) all its training digits: a model short of
#: this on them has not fitted them, so its poor held-out accuracy is not overfitting.
FITTED_ACCURACY = 0.99
#: Accuracy on the training digits at or below this, with a loss near ln 10, is chance:
#: the network learned nothing about which image shows which digit.
CHANCE_ACCURACY = 0.2
#: A run that takes this many times its CPU budget in wall-clock time is stopped as hung.
HANG_FACTOR = 6
#: The cross-entropy of guessing every class with probability 1/10: ln 10 = 2.30.
CHANCE_LOSS = math.log(N_CLASSES)
#: What one call of an earlier lesson's function costs while graded (it crosses between
#: processes and back): 1.3 ms for a training step's arrays (batches of 32, a layer of 128)
#: on a 2-core machine with a load of 4, measured with course.isolation.sandbox.
REFERENCE_CALL_SECONDS = 0.0015
#: np.random.seed (and random.seed) before the first and the second run of a seed: a
#: function that draws from a global state gives two different models.
GLOBAL_SEEDS = (1, 2)
#: Symptoms with one cause, enough to name a catalogued mistake (see _diagnose).
SPECIFIC = ("error:", "form:", "mutated:", "symmetric", "irreproducible", "ignores-rng")
#: The optional parts of a model, read by the course's predict (helpers.reference.capstone).
STANDARDISATION = ("mean", "std")
BATCHNORM = ("gamma", "beta", "running_mean", "running_var")
MODEL_KEYS = ("weights", "biases") + STANDARDISATION + BATCHNORM
#: A trained model: {"weights": [...], "biases": [...], ...} (helpers.reference.capstone's form;
#: not imported from there, which a student's copy of lesson 09 does not hold).
Model = dict[str, Any]
SPLITS = {"validation": ("x_val", "y_val"), "test": ("x_test", "y_test")}
PIXELS = 64


class _Training:
    """One training run: its Outcome, the CPU seconds it used (None when it ran in a
    grading sandbox, which keeps its own budget), and calls of the course's functions."""

    def __init__(self, outcome: Outcome, seconds: float | None, calls: dict[str, int]) -> None:
        self.outcome, self.seconds, self.calls = outcome, seconds, calls


class TrainingStopped(BaseException):
    """Raised inside a training run that used up its time (a BaseException, so that an
    answer's ``except Exception`` cannot swallow it)."""

    def __init__(self, clock: str, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s of {clock} time")
        self.clock, self.seconds = clock, seconds


def check_classifier(name: str, fn: Callable[..., Any], seed: int = 0, split: str = "validation",
                     min_accuracy: float = MIN_ACCURACY, predict: Callable[..., Any] | None = None) -> None:
    """Train ``fn(x_train, y_train, np.random.default_rng(seed))`` on the training digits and
    check the model's form and its accuracy on the ``split`` digits ("validation" or "test").
    The model is read by the course's predict where it is installed, else by ``predict``
    (the student's, in a student's copy of the course). Raises ``AssertionError`` with what
    to fix."""
    __tracebackhide__ = True  # IPython shows the message, not the harness's frames
    if split not in SPLITS:  # a broken test, not a student's mistake
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    reader = _Reader(predict)
    spec = contract(name)
    with _global_random_states_kept():
        training = _train(fn, seed, spec, GLOBAL_SEEDS[0])
        problems, symptom = _problems(training, split, min_accuracy, reader)
        if not problems:
            _note_course_calls(training)
            return

        def behaviour(mistake: Callable[..., Any]) -> tuple[str | None, Any]:
            theirs = _train(mistake, seed, spec, GLOBAL_SEEDS[0], count=False)
            return _problems(theirs, split, min_accuracy, reader)[1], theirs.outcome.value

        known = _diagnose(name, symptom, training.outcome.value, behaviour)
    raise CheckFailed(_message(name, spec, problems, training, seed, known))


def check_reproducible(name: str, fn: Callable[..., Any], seed: int = 1) -> None:
    """Check that ``fn``'s randomness comes from its ``rng`` alone: two runs with
    ``np.random.default_rng(seed)`` give the same model, one with ``seed + 1`` another.
    Raises ``AssertionError`` with what to fix."""
    __tracebackhide__ = True
    spec = contract(name)
    with _global_random_states_kept():
        problems, symptom, first = _reproducibility(fn, seed, spec, count=True)
        if not problems:
            return

        def behaviour(mistake: Callable[..., Any]) -> tuple[str | None, Any]:
            _, theirs, their_first = _reproducibility(
                mistake, seed, spec, count=False,
                first_only=symptom not in ("irreproducible", "ignores-rng"))
            return theirs, their_first.outcome.value

        known = _diagnose(name, symptom, first.outcome.value, behaviour)
    raise CheckFailed(_message(name, spec, problems, first, seed, known))


# --- the runs -----------------------------------------------------------------------------

def _train(fn: Callable[..., Any], seed: int, spec: Contract, global_seed: int, count: bool = True) -> _Training:
    data = load_split()
    args = (data.x_train, data.y_train, np.random.default_rng(seed))
    np.random.seed(global_seed)
    random.seed(global_seed)
    calls: dict[str, int] = {}
    remote = proxy(fn) is not None
    with references_for(fn, spec.uses), (_counting_course_calls(fn, calls, spec.uses) if count
                                          else contextlib.nullcontext()):
        start = time.process_time()
        try:
            with contextlib.nullcontext() if remote else _time_limits(TRAINING_SECONDS):
                outcome = run(fn, args, {}, spec.args)
        except TrainingStopped as stopped:
            outcome = Outcome(error=stopped)
        seconds = time.process_time() - start
    # A sandboxed run's CPU time is the answer process's: the sandbox reports it, if at all.
    return _Training(outcome, getattr(outcome, "cpu_seconds", None) if remote else seconds, calls)


@contextlib.contextmanager
def _time_limits(cpu_seconds: float) -> Iterator[None]:
    """Stop the code run inside after ``cpu_seconds`` of this process's CPU time
    (ITIMER_PROF counts only the time this process computes, so a busy machine does not
    use it up), or after ``HANG_FACTOR`` times as long in wall-clock time (a run that waits
    instead of computing), by raising TrainingStopped in it. Where timers cannot be set
    (not the main thread, no setitimer), the run is timed afterwards instead."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(clock: str, seconds: float) -> Callable[[int, FrameType | None], None]:
        def handler(signum: int, frame: FrameType | None) -> None:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            raise TrainingStopped(clock, seconds)
        return handler

    wall_seconds = HANG_FACTOR * cpu_seconds
    saved = {sig: signal.signal(sig, stop(clock, limit)) for sig, clock, limit in
             ((signal.SIGPROF, "CPU", cpu_seconds), (signal.SIGALRM, "wall-clock", wall_seconds))}
    timers = {signal.ITIMER_PROF: signal.setitimer(signal.ITIMER_PROF, cpu_seconds),
              signal.ITIMER_REAL: signal.setitimer(signal.ITIMER_REAL, wall_seconds)}
    try:
        yield
    finally:
        for which in timers:
            signal.setitimer(which, 0)
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        for which, (delay, interval) in timers.items():  # a timer set before us goes on
            if delay or interval:
                signal.setitimer(which, delay, interval)


def _reproducibility(fn: Callable[..., Any], seed: int, spec: Contract, count: bool,
                     first_only: bool = False) -> tuple[list[str], str | None, _Training]:
    """(problems, symptom, the first run) for three runs: seed, seed again, seed + 1
    (only the first, with ``first_only``)."""
    first = _train(fn, seed, spec, GLOBAL_SEEDS[0], count)
    problems, symptom = _run_problems(first)
    if problems:
        return problems, symptom, first
    nonfinite = _nonfinite_problem(first.outcome.value)
    if nonfinite:  # every such model looks alike: reproducibility cannot be judged
        return [nonfinite], "nonfinite", first
    if first_only:
        return [], None, first
    again = _train(fn, seed, spec, GLOBAL_SEEDS[1], count)
    problems, symptom = _run_problems(again)
    if problems:
        return problems, symptom, first
    if not _same_model(first.outcome.value, again.outcome.value):
        return [f"Two runs with generators of the same seed, np.random.default_rng({seed}), "
                "trained different models. The result must depend on rng alone, so that its "
                "seed reproduces the training: draw the initial weights and every shuffle from "
                "rng (rng.normal, rng.permutation), never from NumPy's global random state "
                "(np.random.randn, np.random.shuffle, ...) or a generator made without a seed."], \
            "irreproducible", first
    other = _train(fn, seed + 1, spec, GLOBAL_SEEDS[0], count)
    problems, symptom = _run_problems(other)
    if problems:
        return problems, symptom, first
    if _same_model(first.outcome.value, other.outcome.value):
        return [f"Generators of different seeds ({seed} and {seed + 1}) trained the same model: "
                "the function does not take its randomness from rng. Use the rng argument "
                "(rng.normal(...), rng.permutation(...)), not a generator of your own such as "
                "np.random.default_rng(0)."], "ignores-rng", first
    return [], None, first


# --- what is wrong, and its symptom ---------------------------------------------------------

def _run_problems(training: _Training) -> tuple[list[str], str | None]:
    """(problems, symptom) about the call itself and the model's form."""
    outcome = training.outcome
    if isinstance(outcome.error, TrainingStopped):
        return [_stopped_message(outcome.error)], "slow"
    if outcome.error is not None:
        return [describe_error(outcome.error) + _error_hint(outcome.error)], \
            f"error:{type(outcome.error).__name__}"
    problems, symptom = [], None
    seconds = training.seconds or 0.0
    graded_seconds = seconds + REFERENCE_CALL_SECONDS * sum(training.calls.values())
    if seconds > TRAINING_SECONDS:  # where no timer could stop it (not the main thread)
        problems.append(f"It used {seconds:.1f} s of CPU time to train; one training run may use "
                        f"at most {TRAINING_SECONDS:g} s (the solution needs well under a second). "
                        "Keep the work vectorised (no loop over samples or pixels) and the "
                        "number of epochs reasonable.")
        symptom = "slow"
    elif graded_seconds > TRAINING_SECONDS:
        counts = ", ".join(f"{n} {c}" for n, c in sorted(training.calls.items(), key=lambda i: -i[1]))
        problems.append(
            f"It called the course's functions from earlier lessons {sum(training.calls.values())} "
            f"times ({counts}). While your notebook is graded, every such call crosses to another "
            f"process and back, about {REFERENCE_CALL_SECONDS * 1000:g} ms, so this training would "
            f"take about {graded_seconds:.0f} s there, more than the {TRAINING_SECONDS:g} s allowed. "
            "Copy the few lines of those functions into your answer cell (as functions of your "
            "own, or inline) instead of calling the course's.")
        symptom = "slow"
    if outcome.mutated:
        problems.append(
            f"It modified its input {', '.join(outcome.mutated)}: shuffle a copy or an index "
            "instead (order = rng.permutation(n); x_train[order]), never the arrays you are given "
            "(rng.shuffle(x_train) changes them in place).")
        symptom = symptom or f"mutated:{','.join(outcome.mutated)}"
    form = _form_problem(outcome.value)
    if form:
        problems.append(form[1])
        symptom = f"form:{form[0]}" if symptom in (None, "slow") else symptom
    return problems, symptom


def _problems(training: _Training, split: str, min_accuracy: float,
              reader: _Reader) -> tuple[list[str], str | None]:
    """(problems, symptom) of one training run checked on the ``split`` digits."""
    problems, symptom = _run_problems(training)
    if training.outcome.error is not None or _form_problem(training.outcome.value):
        return problems, symptom
    quality, found = _quality_problems(training.outcome.value, split, min_accuracy, reader)
    return problems + quality, symptom or found


def _quality_problems(model: Model, split: str, min_accuracy: float,
                      reader: _Reader) -> tuple[list[str], str | None]:
    nonfinite = _nonfinite_problem(model)
    if nonfinite:
        return [nonfinite], "nonfinite"
    weights, biases = model["weights"], model["biases"]
    for i, (W, b) in enumerate(zip(weights[:-1], biases[:-1])):
        if W.shape[1] > 1 and np.all(W == W[:, :1]) and np.all(b == b[0]):
            return [f"All {W.shape[1]} units of hidden layer {i + 1} have the same weights and "
                    "bias: they started equal, so every step gave them equal gradients and they "
                    "stayed copies of one unit (the symmetry of lesson 05). Initialise the weights "
                    "randomly, He's way: rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, "
                    "fan_out))."], "symmetric"
    data = load_split()
    x_name, y_name = SPLITS[split]
    x, y = getattr(data, x_name), getattr(data, y_name)
    loss, accuracy = reader.evaluate(model, x, y)
    if accuracy >= min_accuracy:
        return [], None
    train_loss, train_accuracy = reader.evaluate(model, data.x_train, data.y_train)
    problems = [f"Its model classifies {accuracy:.1%} of the {len(y)} {split} digits correctly "
                f"(read by {reader.name}); at least {min_accuracy:.0%} is needed."]
    if train_loss is not None and train_loss > CHANCE_LOSS:
        problems.append(
            f"Its mean cross-entropy on the training digits is {train_loss:.3g}, worse than the "
            f"ln 10 = {CHANCE_LOSS:.2f} of guessing each class with probability 1/10: training "
            "made the network worse. Check that each step goes against the gradient "
            "(w - lr * step), and the gradient of the loss with respect to the scores: "
            "(softmax - one_hot(y)) / batch size.")
        return problems, "worse-than-chance"
    measured = "" if train_loss is None else f" (mean cross-entropy {train_loss:.3g})"
    if train_accuracy <= CHANCE_ACCURACY and (train_loss is None or train_loss > CHANCE_LOSS - 0.2):
        problems.append(
            f"On its own training digits it reaches {train_accuracy:.1%}{measured}, about the 10% "
            "of guessing: it has learned nothing about which image shows which digit. Check that "
            "every image is trained with its own label: shuffle the images and the labels with "
            "one and the same order (order = rng.permutation(n); x_train[order], y_train[order]), "
            "and check that the steps change the weights at all.")
        return problems, "chance"
    if train_accuracy < FITTED_ACCURACY:
        problems.append(
            f"On its own training digits it reaches only {train_accuracy:.1%}{measured}; a network "
            f"of this kind, well trained, gets at least {FITTED_ACCURACY:.0%} of them right. It has "
            "not fitted the digits it learns from, so this is not overfitting. Too large a "
            "learning rate makes the steps overshoot (the training loss jumps up and down from "
            "epoch to epoch instead of falling); too small a one, or too few epochs, stops short. "
            "Watch the training loss while it trains, check that each step goes against the "
            "gradient, and check the backward pass against a numerical gradient (lesson 02) on a "
            "tiny network.")
        return problems, "underfits"
    problems.append(
        f"On its own training digits it reaches {train_accuracy:.1%}: it has learned those, but "
        "does not generalise to new ones (overfitting). Try fewer epochs or a smaller network, "
        "and watch the validation loss while it trains.")
    return problems, "overfits"


def _nonfinite_problem(model: Model) -> str | None:
    bad = [name for name, a in _arrays(model) if not np.isfinite(a).all()]
    if bad:
        return (f"The model holds NaN or infinite values (in {', '.join(bad)}): training blew up. "
                "Look for a division by zero (Adam's step counter t must start at 1, since "
                "1 - beta ** 0 = 0), a log of 0, or a learning rate far too large.")
    return None


def _form_problem(model: Any) -> tuple[str, str] | None:
    """(code, message) for a model that is not of the agreed form, else None."""
    form = ('a dict {"weights": [W1, ..., WL], "biases": [b1, ..., bL]} of plain ndarrays, '
            "lists and numbers")
    if not isinstance(model, dict):
        return "not-dict", f"model should be {form}, but it is {kind_of(model)}."
    if "weights" not in model or "biases" not in model:
        keys = ", ".join(repr(k) for k in model) or "none"
        return "keys", f'model should have the keys "weights" and "biases" (it has {keys}): {form}.'
    weights, biases = model["weights"], model["biases"]
    for label, value in (("weights", weights), ("biases", biases)):
        if not isinstance(value, (list, tuple)) or not value:
            return "lists", f'model["{label}"] should be a non-empty list of arrays, got {kind_of(value)}.'
    if len(weights) != len(biases):
        return "lengths", (f'model["weights"] has {len(weights)} arrays and model["biases"] '
                           f"{len(biases)}: one of each per layer.")
    for label, arrays, ndim in (("weights", weights, 2), ("biases", biases, 1)):
        for i, a in enumerate(arrays):
            if type(a) is not np.ndarray or a.dtype.kind != "f":
                return "arrays", f'model["{label}"][{i}] should be an ndarray of floats, got {kind_of(a)}' \
                    + (f" of {a.dtype}" if isinstance(a, np.ndarray) else "") + "."
            if a.ndim != ndim:
                hint = " (keep a bias as a vector of shape (M,), not (1, M))" if ndim == 1 else ""
                return "shapes", (f'model["{label}"][{i}] should have {ndim} dimension'
                                  f"{'s' if ndim > 1 else ''}, but it has shape {a.shape}{hint}.")
    if weights[0].shape[0] != PIXELS:
        hint = " (the transposed shape?)" if weights[0].shape[1] == PIXELS else ""
        return "shapes", (f'model["weights"][0] should have {PIXELS} rows, one per pixel, since a '
                          f"layer computes x @ W; it has shape {weights[0].shape}{hint}.")
    for i, (W, b) in enumerate(zip(weights, biases)):
        if i + 1 < len(weights) and weights[i + 1].shape[0] != W.shape[1]:
            return "shapes", (f'model["weights"][{i}] has shape {W.shape} but model["weights"]'
                              f"[{i + 1}] has shape {weights[i + 1].shape}: each layer's rows must "
                              "match the previous layer's columns.")
        if b.shape != (W.shape[1],):
            return "shapes", (f'model["biases"][{i}] should have shape ({W.shape[1]},), one per '
                              f"unit of its layer, but it has shape {b.shape}.")
    if weights[-1].shape[1] != N_CLASSES:
        return "shapes", (f'the last layer, model["weights"][-1], should have {N_CLASSES} columns, '
                          f"one score per class, but it has shape {weights[-1].shape}.")
    return _optional_parts_problem(model)


def _optional_parts_problem(model: Model) -> tuple[str, str] | None:
    """(code, message) for a model whose optional parts (input standardisation, batch
    normalization) the course's predict could not read, else None."""
    unknown = [k for k in model if k not in MODEL_KEYS]
    if unknown:
        return "keys", (f"model has the key{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(k) for k in unknown)}, which the course's predict does "
                        f"not read: it reads {', '.join(repr(k) for k in MODEL_KEYS)} (see section 2). "
                        "Keep only those, or the network it reads is not the one you trained.")
    for group, what in ((STANDARDISATION, "input standardisation"), (BATCHNORM, "batch normalization")):
        present = [k for k in group if k in model]
        if present and len(present) < len(group):
            missing = [k for k in group if k not in model]
            return "keys", (f"model has {', '.join(repr(k) for k in present)} but not "
                            f"{', '.join(repr(k) for k in missing)}: {what} needs "
                            f"{', '.join(repr(k) for k in group)} together.")
    if "mean" in model:
        for key in STANDARDISATION:
            a = model[key]
            if type(a) is not np.ndarray or a.dtype.kind != "f" or a.shape != (PIXELS,):
                return "shapes", (f'model["{key}"] should be an ndarray of {PIXELS} floats, one per '
                                  f"pixel, got {kind_of(a)}" + (f" of shape {a.shape}" if isinstance(
                                      a, np.ndarray) else "") + ".")
        if not np.all(model["std"] > 0):
            return "std", ('model["std"] holds zeros (or negative values): a pixel that is 0 in '
                           "every training digit has standard deviation 0, and (x - mean) / std "
                           "divides by it. Add a small constant (std + 1e-8) or use 1 there.")
    if "gamma" in model:
        hidden = [W.shape[1] for W in model["weights"][:-1]]
        for key in BATCHNORM:
            arrays = model[key]
            if not isinstance(arrays, (list, tuple)) or len(arrays) != len(hidden):
                return "shapes", (f'model["{key}"] should be a list of {len(hidden)} arrays, one per '
                                  f"hidden layer, got {kind_of(arrays)}.")
            for i, (a, size) in enumerate(zip(arrays, hidden)):
                if type(a) is not np.ndarray or a.dtype.kind != "f" or a.shape != (size,):
                    return "shapes", (f'model["{key}"][{i}] should be an ndarray of {size} floats, '
                                      f"one per unit of hidden layer {i + 1}, got {kind_of(a)}"
                                      + (f" of shape {a.shape}" if isinstance(a, np.ndarray) else "")
                                      + ".")
        if any(np.any(v < 0) for v in model["running_var"]):
            return "std", 'model["running_var"] holds negative values: a variance is never negative.'
    return None


def _arrays(model: Model) -> list[tuple[str, np.ndarray]]:
    """(name, array) for every array of a model of the agreed form."""
    return [(f"{key}[{i}]" if isinstance(model[key], (list, tuple)) else key, a)
            for key in MODEL_KEYS if key in model
            for i, a in enumerate(model[key] if isinstance(model[key], (list, tuple)) else [model[key]])]


def _note_course_calls(training: _Training) -> None:
    """A passing run that spent much of its graded time allowance on calls of the course's
    functions gets a printed note (it may fail when graded on a busier machine)."""
    graded_seconds = (training.seconds or 0.0) + REFERENCE_CALL_SECONDS * sum(training.calls.values())
    if graded_seconds > TRAINING_SECONDS / 2:
        print(f"Note: this training called the course's functions from earlier lessons "
              f"{sum(training.calls.values())} times. While graded, each call crosses between "
              f"processes, so the run would take about {graded_seconds:.0f} s of the "
              f"{TRAINING_SECONDS:g} s allowed; write those lines into your answer instead.")


def _stopped_message(stopped: TrainingStopped) -> str:
    if stopped.clock == "CPU":
        return (f"The training run was stopped after {stopped.seconds:g} s of CPU time, the most "
                "one run may use (the solution needs well under a second; other programs running "
                "on the machine do not count). Keep the work vectorised (no loop over samples or "
                "pixels), the network and the number of epochs reasonable, and check that the "
                "loops end.")
    return (f"The training run was stopped after {stopped.seconds:g} s of wall-clock time in "
            "which it used little CPU: it was waiting, not computing (input(), time.sleep, a "
            "lock?). A training run only computes.")


def _error_hint(error: BaseException) -> str:
    text = str(error)
    if "'Unsupported' object has no attribute" in text:
        return (" While your notebook is graded, a generator cannot be passed to the course's "
                "functions (he_init, xavier_init): draw the weights yourself, "
                "rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_in, fan_out)).")
    if type(error).__name__ == "TimeoutError" or "did not finish" in text:
        return (" If your training calls the course's functions from earlier lessons (dense_forward, "
                "relu, adam_step, ...), each call crosses between processes while graded and "
                "costs milliseconds: copy their few lines into your answer cell instead.")
    return ""


# --- diagnosis ------------------------------------------------------------------------------

def _diagnose(name: str, symptom: str | None, model: Any,
              behaviour: Callable[[Callable[..., Any]], tuple[str | None, Any]]) -> str | None:
    """The description of the first catalogued mistake that fails the same way.

    ``behaviour(mistake)`` gives (symptom, model) for a catalogued mistake run on the same
    input. A symptom that points at one cause (an exception, a problem with the model's
    form, a modified input, hidden units that are copies, a result that ignores or escapes
    rng) is enough; one with many possible causes (NaN, a poor accuracy) needs the same
    model as well, so that the mistake named is the one made.
    """
    if symptom is None or symptom == "slow":
        return None
    specific = symptom.startswith(SPECIFIC)

    def alike(mistake: Callable[..., Any]) -> bool:
        theirs, their_model = behaviour(mistake)
        return theirs == symptom and (specific or _same_model(model, their_model))
    return first_mistake_like(name, alike)


def _message(name: str, spec: Contract, problems: list[str], training: _Training, seed: int,
             known: str | None) -> str:
    if training.outcome.float_warnings:
        problems = problems + ["It raised floating-point warnings: "
                               + "; ".join(training.outcome.float_warnings) + "."]
    data = load_split()
    lines = [f"{name}({', '.join(spec.args)}) is not right."] + problems
    lines.append("The input was:\n"
                 f"  x_train = the {len(data.y_train)} training digits of helpers.digits.load_split(), "
                 f"shape {data.x_train.shape}, values in [0, 1]\n"
                 f"  y_train = their labels, shape {data.y_train.shape}, integers 0 to 9\n"
                 f"  rng = np.random.default_rng({seed})")
    if known:
        lines.append(f"This looks like a known mistake: {known}")
    return "\n".join(lines)


# --- helpers --------------------------------------------------------------------------------

class _Reader:
    """How a check reads a model: ``evaluate(model, x, y)`` gives (mean cross-entropy or
    None, accuracy), and ``name`` says by which predict, for the messages.

    The course's reader (helpers/reference/capstone.py, whose evaluate is the forward pass
    of the reference predict) is used wherever it is installed: in the course's own copy
    and so while grading. A student's copy does not hold it, since it is the answer to
    lesson 09's predict; there the ``predict`` the test passes in (the student's) reads the
    model, and the loss is not measured."""

    def __init__(self, predict: Callable[..., Any] | None = None) -> None:
        self._course = _course_capstone()
        self._predict = predict
        if self._course is None and predict is None:  # a broken test, not a student's mistake
            raise TypeError("this copy of the course has no predict of its own to read the model: "
                            "pass predict=predict (yours)")
        self.name = "the course's predict" if self._course is not None else \
            "your predict; when your notebook is graded, the course's predict reads it"

    def evaluate(self, model: Model, x: np.ndarray, y: np.ndarray) -> tuple[float | None, float]:
        if self._course is not None:
            with np.errstate(all="ignore"):
                return self._course.evaluate(model, x, y)
        assert self._predict is not None  # __init__ refuses a reader with neither
        got = run(self._predict, (model, x), {}, contract("predict").args)
        labels = got.value
        if got.error is not None:
            problem = f"it raised {type(got.error).__name__}: {got.error}"
        elif not isinstance(labels, np.ndarray) or labels.shape != y.shape:
            problem = f"it returned {kind_of(labels)}, not one class per digit, shape {y.shape}"
        else:
            return None, float(np.mean(labels == y))
        raise CheckFailed(f"train_classifier's model could not be read by your predict: {problem}. "
                          "This test reads the model with your predict (when your notebook is graded, "
                          "with the course's): make predict pass its tests first.")


def _course_capstone() -> ModuleType | None:
    """The course's lesson-09 reference module where it is installed, else None (a
    student's copy of the course)."""
    from .. import reference
    return getattr(reference, "capstone", None)


def _same_model(a: Any, b: Any) -> bool:
    if _form_problem(a) or _form_problem(b):
        return False
    ours, theirs = _arrays(a), _arrays(b)
    if [(n, x.shape) for n, x in ours] != [(n, x.shape) for n, x in theirs]:
        return False
    return all(np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True)
               for (_, x), (_, y) in zip(ours, theirs))


@contextlib.contextmanager
def _global_random_states_kept() -> Iterator[None]:
    """NumPy's and Python's global random states are as they were afterwards."""
    saved = np.random.get_state(), random.getstate()
    try:
        yield
    finally:
        np.random.set_state(saved[0])
        random.setstate(saved[1])


@contextlib.contextmanager
def _counting_course_calls(fn: Callable[..., Any], calls: dict[str, int], uses: Iterable[str] = ()) -> Iterator[None]:
    """Count, in ``calls``, the calls ``fn`` makes to the course's functions (helpers.reference),
    whether it reaches them by a name in its globals or through the module, and to the
    functions of this lesson it may use (``uses``, such as the student's own train_step: while
    graded, those names are the course's, in the grader). A grading proxy has no globals, and
    its calls are not counted (they are timed for real)."""
    namespace = getattr(fn, "__globals__", None)
    if namespace is None:
        yield
        return
    from .. import reference
    originals = {n: getattr(reference, n) for n in reference.__all__}
    by_identity = {id(f): n for n, f in originals.items()}
    for name in uses:  # with references_for around this, these are the references already
        if callable(namespace.get(name)):
            by_identity.setdefault(id(namespace[name]), name)

    def counted(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)
        return call

    patched = []  # (mapping or module, attribute, old value)
    for key, value in list(namespace.items()):
        if callable(value) and id(value) in by_identity:
            patched.append((namespace, key, value))
            namespace[key] = counted(by_identity[id(value)], value)
    for name, original in originals.items():
        module = sys.modules.get(getattr(original, "__module__", ""))
        for holder in (reference, module):
            if holder is not None and getattr(holder, name, None) is original:
                patched.append((holder, name, original))
                setattr(holder, name, counted(name, originals[name]))
    try:
        yield
    finally:
        for holder, key, old in reversed(patched):
            if isinstance(holder, dict):
                holder[key] = old
            else:
                setattr(holder, key, old)
