"""The check harness: right answers pass silently, wrong ones fail with useful messages."""
import contextlib
import io
import sys
import warnings

import numpy as np
import pytest

from helpers.check import check_example, check_reference
from helpers.reference import dense_forward, sigmoid

X = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
B = np.array([0.5, -1.0])
OUT = np.array([[4.5, -2.0], [2.5, -4.0]])


def failure(name, fn, args, expected=None):
    with pytest.raises(AssertionError) as raised:
        if expected is None:
            check_reference(name, fn, args)
        else:
            check_example(name, fn, args, expected)
    return str(raised.value)


def test_right_answer_passes_without_output_or_warnings():
    err = io.StringIO()
    with contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("error")
        check_example("dense_forward", dense_forward, (X, W, B), OUT)
        check_reference("sigmoid", sigmoid, (np.array([-1000.0, 0.0, 1000.0]),))
    assert err.getvalue() == ""


def test_exception_is_reported_with_type_message_and_line():
    def broken(x, W, b):
        return x @ W.T + b
    message = failure("dense_forward", broken, (X, W, B), OUT)
    assert "It raised ValueError" in message
    assert "return x @ W.T + b" in message
    assert "x = [[ 1.  2.  3.]" in message


def test_wrong_shape_says_expected_and_got():
    rng = np.random.default_rng(0)
    args = (rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=4))
    message = failure("dense_forward", lambda x, W, b: (x @ W + b).T, args)
    assert "out should have shape (2, 4), but it has shape (4, 2) (the transposed shape)" in message
    message = failure("dense_forward", lambda x, W, b: (x @ W + b)[:1], (X, W, B), OUT)
    assert "out should have shape (2, 2), but it has shape (1, 2)" in message


def test_wrong_type_is_named():
    message = failure("dense_forward", lambda x, W, b: (x @ W + b).tolist(), (X, W, B), OUT)
    assert "out should be an ndarray of shape (2, 2), got a list of length 2" in message


def test_first_wrong_value_with_index_and_errors():
    def off(x, W, b):
        out = x @ W + b
        out[1, 0] += 1.0
        return out
    message = failure("dense_forward", off, (X, W, B), OUT)
    assert "1 of 4 differ" in message
    assert "First at out[1, 0]: expected 2.5, got 3.5" in message
    assert "Max abs error 1, max rel error 0.4" in message


def test_modified_input_is_reported():
    def in_place(x, W, b):
        x *= 1.0
        x[0, 0] = 7.0
        return x @ W + b
    message = failure("dense_forward", in_place, (X, W, B), OUT)
    assert "It modified its input x" in message
    assert X[0, 0] == 1.0  # the test's own array is untouched


def test_warning_free_contract_fails_on_overflow_warning_even_with_right_values():
    message = failure("sigmoid", lambda z: 1 / (1 + np.exp(-z)), (np.array([-1000.0, 1000.0]),),
                      np.array([0.0, 1.0]))
    assert "overflow encountered in exp" in message
    assert "This looks like a known mistake: the textbook formula" in message


def test_warnings_do_not_fail_a_right_answer_where_the_contract_allows_them():
    def noisy(x, W, b):
        np.exp(np.array([1000.0]))  # an overflow that does not affect the result
        return x @ W + b
    check_example("dense_forward", noisy, (X, W, B), OUT)


def test_diagnosis_names_the_catalogued_mistake():
    message = failure("dense_forward", lambda x, W, b: x @ W, (X, W, B), OUT)
    assert "This looks like a known mistake: the bias b was never added" in message


def test_unrecognised_mistake_gets_no_diagnosis():
    message = failure("dense_forward", lambda x, W, b: x @ W + 2 * b, (X, W, B), OUT)
    assert "known mistake" not in message


def test_nan_in_result_is_explained():
    message = failure("sigmoid", lambda z: np.exp(z) / (1 + np.exp(z)), (np.array([1000.0]),))
    assert "1 of your values are NaN" in message


def test_float32_result_is_rejected_with_reason():
    message = failure("sigmoid", lambda z: sigmoid(z).astype(np.float32), (np.array([0.5]),))
    assert "should hold float64 values, but it holds float32" in message


def test_tuple_returns_are_checked_by_name():
    from helpers.reference import mlp_forward
    x, weights, biases = np.ones((2, 3)), [np.ones((3, 1))], [np.zeros(1)]
    message = failure("mlp_forward", lambda x, w, b: mlp_forward(x, w, b)[0], (x, weights, biases))
    assert "should return 2 values (out, activations) as a tuple" in message

    def copied_out(x, w, b):
        out, activations = mlp_forward(x, w, b)
        return out.copy(), activations
    message = failure("mlp_forward", copied_out, (x, weights, biases))
    assert "activations[-1] is out" in message


def test_student_stderr_is_captured(capfd):
    def chatty(x, W, b):
        print("debugging", file=sys.stderr)
        return x @ W + b
    check_example("dense_forward", chatty, (X, W, B), OUT)
    assert capfd.readouterr().err == ""


def test_relative_error_is_only_reported_where_the_expected_value_is_not_zero():
    message = failure("dense_forward", lambda x, W, b: x @ W + b + 1.0,
                      (np.zeros((1, 2)), np.ones((2, 2)), np.zeros(2)), np.zeros((1, 2)))
    assert "Max abs error 1." in message and "max rel error" not in message


def test_a_modified_dict_input_is_reported():
    from helpers.calling import run

    def forgets(model, x):
        model["weights"][0] += 1.0
        return x
    outcome = run(forgets, ({"weights": [np.zeros(2)]}, np.ones(2)), {}, ("model", "x"))
    assert outcome.mutated == ("model",)
