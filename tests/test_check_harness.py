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


# A Python loop over samples: found by counting the lines of the student's code that run on
# the input and on the input repeated along its batch axes (deterministic, not timed).

def test_a_loop_over_samples_fails_and_says_so():
    def row_by_row(x, W, b):
        out = np.empty((x.shape[0], W.shape[1]))
        for n in range(x.shape[0]):
            out[n] = x[n] @ W + b
        return out
    message = failure("dense_forward", row_by_row, (X, W, B), OUT)
    assert "It runs a Python loop over the samples or elements" in message
    assert "repeated 3 times (x along axis 0)" in message


def test_an_element_loop_with_math_exp_fails():
    import math

    def element_by_element(z):
        return np.array([[1 / (1 + math.exp(-v)) for v in row] for row in z])
    message = failure("sigmoid", element_by_element, (np.array([[0.0, 1.0], [-1.0, 2.0]]),))
    assert "It runs a Python loop over the samples or elements" in message


def test_vectorised_answers_and_a_loop_over_layers_pass():
    from helpers.reference import dense_backward, dense_forward, mlp_backward

    def layer_by_layer(x, weights, biases):
        activations = [x]
        for W_l, b_l in zip(weights, biases):  # a loop over layers is expected
            activations.append(1 / (1 + np.exp(-(activations[-1] @ W_l + b_l))))
        return activations[-1], activations
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(3, 4)), rng.normal(size=(4, 2))]
    biases = [rng.normal(size=4), rng.normal(size=2)]
    x = rng.normal(size=(5, 3))
    check_reference("mlp_forward", layer_by_layer, (x, weights, biases))
    check_reference("dense_forward", lambda x, W, b: dense_forward(x, W, b), (X, W, B))
    out, activations = layer_by_layer(x, weights, biases)
    check_reference("mlp_backward", lambda d, a, w: mlp_backward(d, a, w),
                    (np.ones_like(out), activations, weights))
    check_reference("dense_backward", dense_backward, (np.ones((2, 2)), X, W))


def test_switching_off_the_line_count_fails():
    def untraced(x, W, b):
        sys.settrace(None)
        return x @ W + b
    message = failure("dense_forward", untraced, (X, W, B), OUT)
    assert "switched off Python's tracing" in message


def test_an_answer_that_fails_on_a_larger_batch_fails():
    def two_rows_only(x, W, b):
        if len(x) > 2:
            raise ValueError("too many rows")
        return x @ W + b
    message = failure("dense_forward", two_rows_only, (X, W, B), OUT)
    assert "On the same input repeated 3 times (x along axis 0) it failed" in message
    assert "too many rows" in message


# A diagnosis is named only when the submission behaves like the mistake on more inputs
# than the failing one.

def test_a_coincidence_on_one_input_names_no_mistake():
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])  # positive everywhere:
    z = np.array([[-1.0, 2.0], [3.0, -4.0]])
    # dout * (dout > 0) returns dout unchanged here, as a mask that is always true does
    message = failure("relu_backward", lambda dout, z: dout * (dout > 0), (dout, z))
    assert "known mistake" not in message
    message = failure("relu_backward", lambda dout, z: dout * (np.maximum(z, 0) >= 0), (dout, z))
    assert "This looks like a known mistake: the mask was taken from the output" in message


def test_a_property_is_part_of_a_mistake_s_behaviour():
    from helpers.reference import mlp_forward
    x, weights, biases = np.ones((2, 3)), [np.ones((3, 1))], [np.zeros(1)]

    def copied_out(x, w, b):  # right values, but out is not activations[-1]
        out, activations = mlp_forward(x, w, b)
        return out.copy(), activations
    message = failure("mlp_forward", copied_out, (x, weights, biases))
    assert "every layer was fed" not in message  # one layer: that mistake has right values here


def test_error_statistics_are_over_the_wrong_entries():
    expected = np.array([[0.0, 1.0]])
    message = failure("dense_forward", lambda x, W, b: np.array([[2.0, 1.0]]),
                      (np.zeros((1, 2)), np.zeros((2, 2)), np.array([0.0, 1.0])), expected)
    assert "expected 0, got 2. Max abs error 2." in message and "max rel error" not in message
    message = failure("dense_forward", lambda x, W, b: np.array([[np.inf, 1.0]]),
                      (np.zeros((1, 2)), np.zeros((2, 2)), np.array([1e308, 1.0])),
                      np.array([[1e308, 1.0]]))
    assert "expected 1e+308, got inf. Max abs error inf, max rel error inf." in message


def test_a_failure_renders_as_its_message_in_lines_validate_shows_whole():
    from helpers.check import CheckFailed
    rng = np.random.default_rng(0)
    args = (rng.normal(size=(7, 5)), rng.normal(size=(5, 3)), rng.normal(size=3))
    with pytest.raises(CheckFailed) as raised:
        check_reference("dense_forward", lambda x, W, b: x @ W - b, args)
    rendered = raised.value._render_traceback_()
    assert rendered[0] == "dense_forward(x, W, b) is not right."
    assert max(map(len, rendered)) <= CheckFailed.WIDTH
    assert " ".join(w for line in rendered for w in line.split()) == " ".join(str(raised.value).split())


@pytest.mark.nbgrader
def test_nbgrader_validate_shows_the_message_first_and_whole(tmp_path):
    """Real `nbgrader validate` (what JupyterLab's Validate button runs): the failure is the
    check's message, from its first line, no line cut short, no frame of the course's code."""
    import subprocess

    import nbformat
    answer = nbformat.v4.new_code_cell(
        "import numpy as np\n\ndef dense_forward(x, W, b):\n    return x @ W - b\n")
    test = nbformat.v4.new_code_cell(
        "from helpers.check import check_reference\n"
        "rng = np.random.default_rng(0)\n"
        "check_reference('dense_forward', dense_forward,\n"
        "                (rng.normal(size=(7, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)))\n")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "test_dense_forward", "points": 1,
                                 "locked": True, "solution": False, "schema_version": 3}
    nbformat.write(nbformat.v4.new_notebook(cells=[answer, test]), tmp_path / "lesson.ipynb")
    shown = subprocess.run([sys.executable, "-m", "nbgrader", "validate", "lesson.ipynb"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300).stdout
    error = shown.split("The error was:", 1)[1]
    lines = [line.strip() for line in error.strip().splitlines()]
    assert lines[0] == "dense_forward(x, W, b) is not right.", shown
    assert "out has wrong values: 21 of 21 differ." in lines[1], shown
    # nbgrader cuts a line longer than its width (90) to 87 characters and "..."
    assert not any(len(line) == 90 and line.endswith("...") for line in error.splitlines()), shown
    assert "helpers/" not in error and "Traceback" not in error and "File " not in error, shown
