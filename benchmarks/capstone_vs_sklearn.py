"""Lesson 09's NumPy network against scikit-learn's MLPClassifier on the digits.

    .venv/bin/python benchmarks/capstone_vs_sklearn.py [--runs 15] [--blas-threads 1]

Trains the course's reference ``train_classifier`` (helpers.reference.capstone) and
``sklearn.neural_network.MLPClassifier`` on the training part of the course's fixed split
(helpers.digits), with the same architecture (one hidden layer of 128 ReLUs, a softmax
output), the same loss (mean cross-entropy, no weight penalty: ``alpha=0``), the same
optimizer (Adam, learning rate 0.01, betas 0.9 and 0.999), the same batch size (32) and
the same number of epochs (20; ``tol=0`` so that scikit-learn does not stop early). The
runs alternate between the two, each with its own seed, after one warm-up run of each
that is not counted. Prints the median training time of each, their ratio and the test
accuracies. Not a test: a figure to read. The course's goal is a NumPy network at least
1.5 times as fast at equal or better accuracy.

Small matrix products gain nothing from several BLAS threads and can lose a lot on a busy
machine; ``--blas-threads`` limits both contestants alike (threadpoolctl, which comes with
scikit-learn). By default the BLAS runs as it is configured.
"""
import argparse
import contextlib
import statistics
import time
import warnings
from pathlib import Path
import sys

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.digits import load_split  # noqa: E402
from helpers.reference.capstone import evaluate, train_classifier  # noqa: E402

SETTINGS = {"hidden": (128,), "epochs": 20, "batch_size": 32, "lr": 0.01}


def numpy_run(split, seed):
    start = time.perf_counter()
    model = train_classifier(split.x_train, split.y_train, np.random.default_rng(seed), **SETTINGS)
    seconds = time.perf_counter() - start
    return seconds, evaluate(model, split.x_test, split.y_test)[1]


def sklearn_run(split, seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    classifier = MLPClassifier(
        hidden_layer_sizes=SETTINGS["hidden"], activation="relu", solver="adam", alpha=0.0,
        batch_size=SETTINGS["batch_size"], learning_rate_init=SETTINGS["lr"],
        max_iter=SETTINGS["epochs"], shuffle=True, tol=0.0, n_iter_no_change=SETTINGS["epochs"],
        random_state=seed)
    with warnings.catch_warnings():  # "maximum iterations reached": exactly what was asked
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        classifier.fit(split.x_train, split.y_train)
        seconds = time.perf_counter() - start
    return seconds, classifier.score(split.x_test, split.y_test)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit the BLAS to this many threads for both (default: as configured)")
    options = parser.parse_args()
    import sklearn
    from threadpoolctl import threadpool_info, threadpool_limits

    split = load_split()
    limit = (threadpool_limits(limits=options.blas_threads, user_api="blas")
             if options.blas_threads else contextlib.nullcontext())
    with limit:
        blas = ", ".join(f"{p['internal_api']} {p['version']} with {p['num_threads']} thread(s)"
                         for p in threadpool_info() if p["user_api"] == "blas")
        print(f"NumPy {np.__version__}, scikit-learn {sklearn.__version__}; BLAS: {blas}")
        print(f"{len(split.y_train)} training digits, {len(split.y_test)} test digits; hidden "
              f"{SETTINGS['hidden']}, {SETTINGS['epochs']} epochs, batches of {SETTINGS['batch_size']}, "
              f"Adam lr {SETTINGS['lr']}; {options.runs} runs each, alternating, after a warm-up\n")
        numpy_run(split, 10_000)
        sklearn_run(split, 10_000)
        results = {"NumPy (helpers.reference)": [], "scikit-learn MLPClassifier": []}
        for seed in range(options.runs):
            results["NumPy (helpers.reference)"].append(numpy_run(split, seed))
            results["scikit-learn MLPClassifier"].append(sklearn_run(split, seed))
    medians = {}
    print(f"{'':<28}{'median time':>12}{'min':>9}{'max':>9}{'test accuracy mean (min-max)':>31}")
    for name, runs in results.items():
        seconds, accuracies = zip(*runs)
        medians[name] = statistics.median(seconds)
        print(f"{name:<28}{medians[name]:>10.3f} s{min(seconds):>7.3f} s{max(seconds):>7.3f} s"
              f"{statistics.mean(accuracies):>18.2%} ({min(accuracies):.2%}-{max(accuracies):.2%})")
    ours, theirs = results.values()
    ratio = medians["scikit-learn MLPClassifier"] / medians["NumPy (helpers.reference)"]
    accuracy = (statistics.mean(a for _, a in ours), statistics.mean(a for _, a in theirs))
    print(f"\nspeed-up (scikit-learn's median time / NumPy's): {ratio:.2f}x")
    print(f"mean test accuracy: NumPy {accuracy[0]:.2%}, scikit-learn {accuracy[1]:.2%}")
    met = ratio >= 1.5 and accuracy[0] >= accuracy[1]
    print(f"goal (at least 1.5x as fast at equal or better accuracy): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
