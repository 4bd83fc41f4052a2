"""Contracts of lesson 09's graded functions.

``predict`` is deterministic and is checked as usual, against the reference. Training is
random, so ``train_classifier`` is checked by :mod:`helpers.checkers.capstone` instead: the
form of the model it returns, the accuracy that model reaches on held-out digits, the time
it takes, and that its randomness comes from ``rng`` alone. Its contract gives the names
the messages use and the grading time budget. ``train_step`` grades the training itself
exactly: one Adam step of the plain ReLU network on a batch, against the reference's, so
that a wrong gradient or update loses points even when the trained model reaches the
accuracy bar.
"""
from . import Contract

#: Seconds of CPU time one training run may take (checked by helpers.checkers.capstone, which
#: stops the run there). The solution takes about 0.2 s here.
TRAINING_SECONDS = 10.0
#: Training runs in lesson 09's tests of train_classifier: 1 + 3 visible, 2 hidden.
TRAINING_RUNS = 6

CONTRACTS = {
    # While graded, all of train_classifier's tests together may take one full training
    # allowance per run, 60 s; the solution needs about 1 s. An answer that calls predict
    # (to follow its accuracy while it trains) or train_step (its own step) gets the
    # course's.
    "train_classifier": Contract(args=("x_train", "y_train", "rng"), returns=("model",),
                                 budget=TRAINING_SECONDS * TRAINING_RUNS,
                                 uses=("predict", "train_step")),
    # a loop over the layers is expected; over the samples, not (helpers.check's loop check)
    "predict": Contract(args=("model", "x"), returns=("labels",), batch_axes={"x": (0,)}),
    # One step, compared exactly with the reference's: float64 sums in another order
    # differ by a few ulps, and Adam's first step, about lr * g / |g|, is insensitive to them.
    "train_step": Contract(args=("params", "m", "v", "t", "x", "y", "lr"),
                           returns=("params", "m", "v"),
                           # the batch repeated, labels alike: the same mean loss and step
                           batch_axes={"x": (0,), "y": (0,)}),
}
