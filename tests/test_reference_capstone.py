"""Lesson 09 references against independent computations (explicit loops with Python's
math, a central-difference gradient, lesson 07's adam_step), the fixed split of the
digits, and the checks of train_classifier (helpers.checkers.capstone)."""
import functools
import math
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import max_rel_error, numeric_gradient
from helpers import digits
from helpers.checkers import capstone as check_capstone
from helpers import reference
from helpers.checkers.capstone import check_classifier, check_reproducible
from helpers.reference.capstone import (_adam_update, _gradients, _views, class_probabilities,
                                        class_scores, evaluate, predict, train_classifier,
                                        train_step)



class _LazySplit:
    """The digits split, loaded on first use: loading imports scikit-learn, which takes
    seconds that collecting the tests should not pay."""

    def __getattr__(self, name):
        return getattr(_split(), name)


@functools.cache
def _split():
    return digits.load_split()


SPLIT = _LazySplit()


# --- strategies -----------------------------------------------------------------------------

@st.composite
def models(draw, max_layers=4):
    """(model, x) of a ReLU network with 1 to max_layers layers. The values are small
    integers, so every sum is exact in float64 and ties break the same way everywhere."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=max_layers + 1))
    n = draw(st.integers(1, 6))
    small = st.integers(-3, 3).map(float)
    x = draw(hnp.arrays(np.float64, (n, sizes[0]), elements=small))
    weights = [draw(hnp.arrays(np.float64, (a, b), elements=small)) for a, b in zip(sizes, sizes[1:])]
    biases = [draw(hnp.arrays(np.float64, (b,), elements=small)) for b in sizes[1:]]
    return {"weights": weights, "biases": biases}, x


def loop_scores(model, row):
    """One input's scores, one unit at a time with Python floats."""
    a = [float(v) for v in row]
    layers = list(zip(model["weights"], model["biases"]))
    for index, (W, b) in enumerate(layers):
        z = [math.fsum(a[i] * float(W[i, j]) for i in range(len(a))) + float(b[j])
             for j in range(W.shape[1])]
        a = [max(0.0, v) for v in z] if index < len(layers) - 1 else z
    return a


def copy_model(model):
    return {key: [a.copy() for a in arrays] for key, arrays in model.items()}


# --- predict and the forward pass ---------------------------------------------------------

@given(models())
def test_predict_is_the_argmax_of_the_loop_scores(case):
    model, x = case
    expected = []
    for row in x:
        scores = loop_scores(model, row)
        expected.append(scores.index(max(scores)))  # the first of equal maxima, like np.argmax
    got = predict(model, x)
    assert got.shape == (len(x),) and got.dtype.kind == "i"
    np.testing.assert_array_equal(got, expected)


@given(models())
def test_scores_and_probabilities_against_loops_and_softmax(case):
    model, x = case
    before = copy_model(model)
    scores = class_scores(model, x)
    np.testing.assert_allclose(scores, [loop_scores(model, row) for row in x], rtol=0, atol=1e-12)
    p = class_probabilities(model, x)
    np.testing.assert_allclose(p, reference.softmax(scores), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    for key in model:  # the model is unchanged
        for a, b in zip(model[key], before[key]):
            np.testing.assert_array_equal(a, b)


def loop_scores_with_parts(model, row):
    """One input's scores with standardisation and batch normalization, with Python floats."""
    a = [(float(v) - float(mu)) / float(sd) for v, mu, sd in zip(row, model["mean"], model["std"])]
    layers = list(zip(model["weights"], model["biases"]))
    for index, (W, b) in enumerate(layers):
        z = [math.fsum(a[i] * float(W[i, j]) for i in range(len(a))) + float(b[j])
             for j in range(W.shape[1])]
        if index < len(layers) - 1:
            z = [float(model["gamma"][index][j]) * (z[j] - float(model["running_mean"][index][j]))
                 / math.sqrt(float(model["running_var"][index][j]) + 1e-5) + float(model["beta"][index][j])
                 for j in range(len(z))]
            z = [max(0.0, v) for v in z]
        a = z
    return a


@pytest.mark.parametrize("seed", range(4))
def test_scores_with_standardisation_and_batchnorm_against_loops(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(k) for k in rng.integers(1, 6, size=rng.integers(2, 5))]
    hidden = sizes[1:-1]
    model = {"weights": [rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:])],
             "biases": [rng.normal(size=b) for b in sizes[1:]],
             "mean": rng.normal(size=sizes[0]), "std": rng.uniform(0.5, 2.0, size=sizes[0]),
             "gamma": [rng.uniform(0.5, 2.0, size=d) for d in hidden],
             "beta": [rng.normal(size=d) for d in hidden],
             "running_mean": [rng.normal(size=d) for d in hidden],
             "running_var": [rng.uniform(0.0, 3.0, size=d) for d in hidden]}
    x = rng.normal(size=(5, sizes[0]))
    expected = np.array([loop_scores_with_parts(model, row) for row in x])
    np.testing.assert_allclose(class_scores(model, x), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(predict(model, x), np.argmax(class_scores(model, x), axis=1))


def test_no_relu_on_the_scores():
    """All-negative scores keep their order: the last layer has no activation."""
    model = {"weights": [np.zeros((2, 3))], "biases": [np.array([-3.0, -1.0, -2.0])]}
    np.testing.assert_array_equal(predict(model, np.ones((4, 2))), [1, 1, 1, 1])


@given(models(), st.data())
def test_evaluate_against_loops(case, data):
    model, x = case
    classes = model["weights"][-1].shape[1]
    y = data.draw(hnp.arrays(np.int64, (len(x),), elements=st.integers(0, classes - 1)))
    losses, right = [], 0
    for row, label in zip(x, y):
        scores = loop_scores(model, row)
        top = max(scores)
        log_sum = top + math.log(math.fsum(math.exp(s - top) for s in scores))
        losses.append(log_sum - scores[label])
        right += scores.index(top) == label
    loss, accuracy = evaluate(model, x, y)
    assert loss == pytest.approx(math.fsum(losses) / len(losses), rel=1e-10, abs=1e-12)
    assert accuracy == right / len(y)


# --- the training pieces --------------------------------------------------------------------

def tiny_network(rng, sizes=(4, 5, 3, 3)):
    shapes = [s for a, b in zip(sizes, sizes[1:]) for s in ((a, b), (b,))]
    theta = rng.normal(size=sum(int(np.prod(s)) for s in shapes))
    return theta, shapes


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    theta, shapes = tiny_network(rng)
    x, y = rng.normal(size=(6, 4)), rng.integers(0, 3, size=6)

    def loss(flat):
        weights, biases = _views(flat, shapes)
        return evaluate({"weights": weights, "biases": biases}, x, y)[0]

    grad = np.zeros_like(theta)
    weights, biases = _views(theta.copy(), shapes)
    x_before = x.copy()
    _gradients(weights, biases, x, y, *_views(grad, shapes))
    assert max_rel_error(grad, numeric_gradient(loss, theta)) < 1e-6
    np.testing.assert_array_equal(x, x_before)


@pytest.mark.parametrize("sizes, batch, t, seed", [
    ((4, 5, 3, 3), 6, 1, 0), ((3, 2), 4, 2, 1), ((5, 7, 4), 1, 9, 2), ((6, 3, 3, 2, 4), 5, 300, 3)])
def test_train_step_is_adam_on_the_central_difference_gradient(sizes, batch, t, seed):
    """train_step's m and v reveal the gradient it used: m_new = 0.9 m + 0.1 g. That g must be
    the central-difference gradient of the batch's mean cross-entropy (the loss computed from
    the model by evaluate), and the parameters must move by lesson 07's adam_step with it."""
    rng = np.random.default_rng(seed)
    shapes = [s for a, b in zip(sizes, sizes[1:]) for s in ((a, b), (b,))]
    params = [rng.normal(size=s) for s in shapes]
    m = [np.zeros(s) if t == 1 else 0.1 * rng.normal(size=s) for s in shapes]
    v = [np.zeros(s) if t == 1 else 0.01 * rng.normal(size=s) ** 2 for s in shapes]
    x, y = rng.normal(size=(batch, sizes[0])), rng.integers(0, sizes[-1], size=batch)
    inputs = [[a.copy() for a in group] for group in (params, m, v)] + [x.copy(), y.copy()]

    new_params, new_m, new_v = train_step(params, m, v, t, x, y, lr=0.03)
    for i, shape in enumerate(shapes):
        def loss(value, i=i):
            trial = [value if j == i else p for j, p in enumerate(params)]
            return evaluate({"weights": trial[0::2], "biases": trial[1::2]}, x, y)[0]
        g = numeric_gradient(loss, params[i])
        used = (new_m[i] - 0.9 * m[i]) / 0.1
        assert max_rel_error(used, g) < 1e-6, f"the gradient of parameter {i}"
        expected = reference.adam_step(params[i], g, m[i], v[i], t, lr=0.03)
        np.testing.assert_allclose(new_params[i], expected[0], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(new_v[i], expected[2], rtol=1e-6, atol=1e-12)
    for before, after in zip(inputs, [params, m, v, x, y]):  # the inputs are left unchanged
        for a, b in zip(before if isinstance(before, list) else [before],
                        after if isinstance(after, list) else [after]):
            np.testing.assert_array_equal(a, b)


def test_adam_update_is_lesson_07s_adam_step_on_every_parameter():
    rng = np.random.default_rng(3)
    theta, m, v = rng.normal(size=11), np.zeros(11), np.zeros(11)
    expected = [theta.copy(), m.copy(), v.copy()]
    scratch = np.empty(11)
    for t in range(1, 8):
        grad = rng.normal(scale=10.0 ** rng.integers(-3, 3), size=11)
        _adam_update(theta, grad, m, v, t, 0.05, scratch)
        expected = reference.adam_step(*expected[:1], grad, *expected[1:], t, lr=0.05)
        np.testing.assert_allclose(theta, expected[0], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(m, expected[1], rtol=1e-12)
        np.testing.assert_allclose(v, expected[2], rtol=1e-12)


# --- train_classifier -----------------------------------------------------------------------

def test_training_reaches_95_percent_on_the_test_digits_for_every_seed():
    for seed in range(5):
        model = train_classifier(SPLIT.x_train, SPLIT.y_train, np.random.default_rng(seed))
        assert evaluate(model, SPLIT.x_test, SPLIT.y_test)[1] >= 0.95


def test_training_is_reproducible_and_leaves_its_inputs_alone():
    x, y = SPLIT.x_train.copy(), SPLIT.y_train.copy()
    a = train_classifier(x, y, np.random.default_rng(7), epochs=2)
    b = train_classifier(x, y, np.random.default_rng(7), epochs=2)
    c = train_classifier(x, y, np.random.default_rng(8), epochs=2)
    for key in ("weights", "biases"):
        for p, q, r in zip(a[key], b[key], c[key]):
            np.testing.assert_array_equal(p, q)
            assert not np.array_equal(p, r)
    np.testing.assert_array_equal(x, SPLIT.x_train)
    np.testing.assert_array_equal(y, SPLIT.y_train)


@pytest.mark.parametrize("hidden", [(), (16,), (12, 8)])
def test_model_form_for_any_hidden_layers(hidden):
    model = train_classifier(SPLIT.x_train, SPLIT.y_train, np.random.default_rng(0), hidden=hidden, epochs=1)
    sizes = [64, *hidden, 10]
    assert [W.shape for W in model["weights"]] == list(zip(sizes, sizes[1:]))
    assert [b.shape for b in model["biases"]] == [(s,) for s in sizes[1:]]
    assert all(type(a) is np.ndarray and a.dtype == np.float64
               for a in model["weights"] + model["biases"])
    assert check_capstone._form_problem(model) is None


def test_callback_sees_every_epoch_and_the_model_then():
    seen = []

    def callback(epoch, model):
        seen.append((epoch, evaluate(model, SPLIT.x_val, SPLIT.y_val)))

    final = train_classifier(SPLIT.x_train, SPLIT.y_train, np.random.default_rng(0), epochs=4,
                             callback=callback)
    assert [epoch for epoch, _ in seen] == [1, 2, 3, 4]
    assert seen[-1][1] == evaluate(final, SPLIT.x_val, SPLIT.y_val)
    assert seen[-1][1][0] < seen[0][1][0]  # the validation loss fell


# --- the split ------------------------------------------------------------------------------

def test_split_sizes_cover_the_data_once():
    indices = digits.split_indices()
    assert {k: len(v) for k, v in indices.items()} == {"train": 1197, "val": 300, "test": 300}
    together = np.concatenate(list(indices.values()))
    np.testing.assert_array_equal(np.sort(together), np.arange(1797))


def test_split_is_the_scaled_sklearn_digits():
    from sklearn.datasets import load_digits
    raw = load_digits()
    indices = digits.split_indices()
    for part in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(SPLIT, f"x_{part}"), raw.data[indices[part]] / 16.0)
        np.testing.assert_array_equal(getattr(SPLIT, f"y_{part}"), raw.target[indices[part]])
    assert SPLIT.x_train.min() == 0.0 and SPLIT.x_train.max() == 1.0
    assert SPLIT.x_train.dtype == np.float64 and SPLIT.y_train.dtype == np.int64


def test_split_is_stratified_fixed_and_a_fresh_copy_each_time():
    for y in (SPLIT.y_val, SPLIT.y_test):
        assert np.bincount(y, minlength=10).min() >= 29 and np.bincount(y).max() <= 31
    again = digits.load_split()
    again.x_train[0, 0] = 99.0
    np.testing.assert_array_equal(digits.load_split().x_train, SPLIT.x_train)
    np.testing.assert_array_equal(digits.images(SPLIT.x_test[:2])[1], SPLIT.x_test[1].reshape(8, 8))


@given(st.lists(st.integers(0, 4), min_size=1, max_size=200), st.integers(0, 2 ** 32 - 1))
def test_stratified_order_spreads_every_class_evenly(labels, seed):
    y = np.array(labels)
    order = digits.stratified_order(y, np.random.default_rng(seed))
    np.testing.assert_array_equal(np.sort(order), np.arange(len(y)))
    shares = np.bincount(y, minlength=5) / len(y)
    for k in range(1, len(y) + 1):  # every prefix holds each class in about its share
        counts = np.bincount(y[order[:k]], minlength=5)
        assert np.all(np.abs(counts - k * shares) <= 2)


# --- the checks of train_classifier ---------------------------------------------------------

def failure(fn, check=check_classifier, **kwargs):
    with pytest.raises(AssertionError) as raised:
        check("train_classifier", fn, **kwargs)
    return str(raised.value)


def test_the_reference_passes_every_check():
    check_classifier("train_classifier", train_classifier, seed=0)
    check_classifier("train_classifier", train_classifier, seed=901, split="test")
    check_reproducible("train_classifier", train_classifier, seed=1)


def test_an_untrained_network_fails_and_is_told_it_has_not_learned():
    def untrained(x_train, y_train, rng):
        return {"weights": [rng.normal(0, 0.1, size=(64, 32)), rng.normal(0, 0.1, size=(32, 10))],
                "biases": [np.zeros(32), np.zeros(10)]}
    message = failure(untrained, split="test")
    assert "of the 300 test digits correctly" in message and "at least 95% is needed" in message
    assert "it has learned nothing about which image shows which digit" in message
    assert "rng = np.random.default_rng(0)" in message


def test_a_constant_predictor_fails():
    def constant(x_train, y_train, rng):
        return {"weights": [np.zeros((64, 10))], "biases": [np.eye(10)[3]]}
    assert "at least 95% is needed" in failure(constant)


@pytest.mark.parametrize("model, words", [
    ((np.zeros((64, 10)), np.zeros(10)), "should be a dict"),
    ({"W": [np.zeros((64, 10))]}, 'should have the keys "weights" and "biases"'),
    ({"weights": [], "biases": []}, "non-empty list"),
    ({"weights": [np.zeros((64, 10))], "biases": [np.zeros(10), np.zeros(3)]}, "one of each per layer"),
    ({"weights": [np.zeros((64, 10), dtype=int)], "biases": [np.zeros(10)]}, "ndarray of floats"),
    ({"weights": [np.zeros((64, 10))], "biases": [np.zeros((1, 10))]}, "not (1, M)"),
    ({"weights": [np.zeros((10, 64))], "biases": [np.zeros(10)]}, "transposed"),
    ({"weights": [np.zeros((64, 8)), np.zeros((5, 10))], "biases": [np.zeros(8), np.zeros(10)]},
     "must match the previous layer's columns"),
    ({"weights": [np.zeros((64, 8))], "biases": [np.zeros(8)]}, "should have 10 columns"),
    ({"weights": [np.zeros((64, 10))], "biases": [np.zeros(9)]}, "should have shape (10,)"),
])
def test_models_of_the_wrong_form_are_refused_with_the_fix(model, words):
    assert words in failure(lambda x_train, y_train, rng: model)


def test_nan_and_copied_hidden_units_are_named():
    def nan(x_train, y_train, rng):
        return {"weights": [np.full((64, 10), np.nan)], "biases": [np.zeros(10)]}

    def copies(x_train, y_train, rng):
        return {"weights": [np.ones((64, 5)), np.ones((5, 10))], "biases": [np.zeros(5), np.zeros(10)]}
    assert "NaN or infinite values (in weights[0])" in failure(nan)
    assert "All 5 units of hidden layer 1 have the same weights" in failure(copies)


def test_modified_inputs_errors_and_their_hints():
    def shuffles(x_train, y_train, rng):
        rng.shuffle(x_train)
        return train_classifier(x_train, y_train, rng, epochs=1)

    def unsupported(x_train, y_train, rng):
        raise AttributeError("'Unsupported' object has no attribute 'normal'")
    assert "It modified its input x_train" in failure(shuffles)
    message = failure(unsupported)
    assert "It raised AttributeError" in message and "draw the weights yourself" in message


def test_irreproducible_and_rng_ignoring_functions_fail_reproducibility():
    def global_state(x_train, y_train, rng):
        return train_classifier(x_train, y_train, np.random.default_rng(np.random.randint(1000)), epochs=1)

    def own_seed(x_train, y_train, rng):
        return train_classifier(x_train, y_train, np.random.default_rng(5), epochs=1)
    assert "trained different models" in failure(global_state, check_reproducible)
    assert "trained the same model" in failure(own_seed, check_reproducible)


def test_checks_leave_the_global_random_states_as_they_were():
    np.random.seed(123)
    random.seed(123)
    expected = np.random.random(), random.random()
    np.random.seed(123)
    random.seed(123)
    with pytest.raises(AssertionError):
        check_reproducible("train_classifier", lambda x_train, y_train, rng: train_classifier(
            x_train, y_train, np.random.default_rng(np.random.randint(10 ** 6)), epochs=1))
    assert (np.random.random(), random.random()) == expected


def test_a_slow_training_run_is_stopped_at_its_cpu_budget(monkeypatch):
    # the wall-clock limit far away (100 s), so that on a busy machine, where 0.01 s of CPU
    # can take much longer than HANG_FACTOR x 0.01 s, the CPU limit still stops it first
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 1e-2)
    monkeypatch.setattr(check_capstone, "HANG_FACTOR", 1e4)
    assert "The training run was stopped after 0.01 s of CPU time" in failure(train_classifier)


def test_too_large_a_learning_rate_is_not_called_overfitting():
    """At lr 0.1 the reference reaches 98% of its training digits and 93% of the validation
    ones: not fitted, so not overfitting."""
    message = failure(lambda x_train, y_train, rng: train_classifier(x_train, y_train, rng, lr=0.1))
    assert "so this is not overfitting" in message and "Too large a learning rate" in message
    assert "(overfitting)" not in message


def test_overfitting_is_named_when_the_training_digits_are_fitted(monkeypatch):
    """The reference fits all its training digits; held to 99% on the validation ones, it is
    told that it overfits."""
    message = failure(train_classifier, min_accuracy=0.99)
    assert "does not generalise to new ones (overfitting)" in message


def test_models_with_standardisation_and_batchnorm_are_read():
    def standardised(x_train, y_train, rng):
        mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 0.1
        model = train_classifier((x_train - mean) / std, y_train, rng, lr=0.003)
        return {**model, "mean": mean, "std": std}
    check_classifier("train_classifier", standardised)

    def unnormalised(x_train, y_train, rng):  # the statistics left out: another network
        mean, std = x_train.mean(axis=0), x_train.std(axis=0) + 0.1
        return train_classifier((x_train - mean) / std, y_train, rng, lr=0.003)
    assert "at least 95% is needed" in failure(unnormalised)


def plain(*extra):
    model = {"weights": [np.zeros((64, 3)), np.zeros((3, 10))], "biases": [np.zeros(3), np.zeros(10)]}
    for key, value in extra:
        model[key] = value
    return model


@pytest.mark.parametrize("model, words", [
    (plain(("mu", np.zeros(64))), "the key 'mu', which the course's predict does not read"),
    (plain(("mean", np.zeros(64))), "input standardisation needs 'mean', 'std' together"),
    (plain(("mean", np.zeros(64)), ("std", np.zeros(64))), 'model["std"] holds zeros'),
    (plain(("mean", np.zeros(8)), ("std", np.ones(8))), 'model["mean"] should be an ndarray of 64 floats'),
    (plain(("gamma", [np.ones(3)]), ("beta", [np.zeros(3)])), "batch normalization needs"),
    (plain(("gamma", [np.ones(4)]), ("beta", [np.zeros(3)]), ("running_mean", [np.zeros(3)]),
           ("running_var", [np.ones(3)])), 'model["gamma"][0] should be an ndarray of 3 floats'),
    (plain(("gamma", np.ones(3)), ("beta", [np.zeros(3)]), ("running_mean", [np.zeros(3)]),
           ("running_var", [np.ones(3)])), 'model["gamma"] should be a list of 1 arrays'),
    (plain(("gamma", [np.ones(3)]), ("beta", [np.zeros(3)]), ("running_mean", [np.zeros(3)]),
           ("running_var", [-np.ones(3)])), "a variance is never negative"),
])
def test_optional_parts_of_the_wrong_form_are_refused_with_the_fix(model, words):
    assert words in failure(lambda x_train, y_train, rng: model)


def course_calling(x_train, y_train, rng):
    """The reference training, but every batch's scores through the course's dense_forward."""
    for _ in range(30):
        dense_forward(x_train[:4], np.zeros((64, 10)), np.zeros(10))  # noqa: F821 (set below)
    from helpers.reference import relu as course_relu  # reached through the module
    course_relu(np.zeros(3))
    return train_classifier(x_train, y_train, rng)


def test_calls_of_the_course_functions_are_counted_and_the_names_restored(monkeypatch):
    monkeypatch.setitem(course_calling.__globals__, "dense_forward", reference.dense_forward)
    monkeypatch.setattr(check_capstone, "REFERENCE_CALL_SECONDS", 1.0)
    message = failure(course_calling)
    # train_classifier here is the course's too, and counts as a call
    assert ("It called the course's functions from earlier lessons 32 times (dense_forward 30, relu 1, "
            "train_classifier 1)") in message
    assert "would take about" in message
    assert course_calling.__globals__["dense_forward"] is reference.dense_forward
    from helpers.reference import activations
    assert reference.relu is activations.relu and reference.relu.__name__ == "relu"


def test_a_passing_run_that_calls_the_course_often_gets_a_note(monkeypatch, capsys):
    monkeypatch.setitem(course_calling.__globals__, "dense_forward", reference.dense_forward)
    monkeypatch.setattr(check_capstone, "REFERENCE_CALL_SECONDS", 0.2)  # 32 calls: about 6.4 s
    check_classifier("train_classifier", course_calling)
    assert "Note: this training called the course's functions from earlier lessons 32 times" \
        in capsys.readouterr().out


# --- reading the model in a student's copy of the course, which has no helpers/reference/capstone.py

def untrained(x_train, y_train, rng):
    return {"weights": [rng.normal(0, 0.1, size=(64, 32)), rng.normal(0, 0.1, size=(32, 10))],
            "biases": [np.zeros(32), np.zeros(10)]}


def test_with_the_course_installed_its_predict_reads_the_model_whatever_predict_is_passed():
    def broken_predict(model, x):
        raise NotImplementedError()
    check_classifier("train_classifier", train_classifier, seed=0, predict=broken_predict)
    assert "(read by the course's predict)" in failure(untrained, predict=broken_predict)


def test_without_the_course_the_predict_passed_in_reads_the_model(monkeypatch):
    monkeypatch.setattr(check_capstone, "_course_capstone", lambda: None)
    with pytest.raises(TypeError, match="pass predict=predict"):
        check_classifier("train_classifier", train_classifier, seed=0)
    calls = []

    def counting_predict(model, x):
        calls.append(len(x))
        return predict(model, x)
    check_classifier("train_classifier", train_classifier, seed=0, predict=counting_predict)
    assert calls == [len(SPLIT.y_val)]
    message = failure(untrained, split="test", predict=predict)
    assert "of the 300 test digits correctly (read by your predict; when your notebook is graded, " \
           "the course's predict reads it); at least 95% is needed" in message
    assert "it has learned nothing about which image shows which digit" in message
    assert "mean cross-entropy" not in message


def test_without_the_course_a_failing_predict_is_named_as_the_thing_to_fix(monkeypatch):
    monkeypatch.setattr(check_capstone, "_course_capstone", lambda: None)

    def stub(model, x):
        raise NotImplementedError()
    message = failure(train_classifier, predict=stub)
    assert "could not be read by your predict: it raised NotImplementedError" in message
    assert "make predict pass its tests first" in message
    message = failure(train_classifier, predict=lambda model, x: predict(model, x)[:, None])
    assert "it returned an ndarray of shape (300, 1), not one class per digit, shape (300,)" in message
