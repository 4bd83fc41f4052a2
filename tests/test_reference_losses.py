"""Lesson 06 references against independent computations: explicit loops with Python's
math, exact-enough decimal arithmetic for the softmax cross-entropy (no max-subtraction
trick needed), and tests/gradcheck.py's central difference for every gradient."""
import math
import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import numeric_gradient
from helpers.reference import binary_cross_entropy, hinge_loss, mse_loss, softmax_cross_entropy
from strategies import dims, finite

EPS = 1e-12
shapes = hnp.array_shapes(min_dims=1, max_dims=3, max_side=5)
small = st.floats(min_value=-5, max_value=5, allow_nan=False, width=64)
labels01 = st.sampled_from([0.0, 1.0])
# probabilities with the edges the contract names: exactly 0 and 1, and inside the clipping
probabilities = st.one_of(
    st.floats(min_value=0.0, max_value=1.0, width=64),
    st.sampled_from([0.0, 1.0, 5e-324, 1e-300, 1e-13, EPS, 1 - EPS, 1 - 1e-13, 1 - 2 ** -53]),
)
huge = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, width=64)


def no_warnings(fn, *args, **kwargs):
    """Call fn, failing on any floating-point warning (overflow, divide, invalid)."""
    with warnings.catch_warnings(), np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def assert_gradient(fn, x):
    """fn(x) = (loss, gradient): the gradient matches the central difference of the loss.
    The difference's round-off is about 1e-16 |loss| / h = 1e-10 |loss|, hence atol."""
    loss, analytic = fn(x)
    numeric = numeric_gradient(lambda a: fn(a)[0], x)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8 * max(1.0, abs(loss)))


@st.composite
def pairs(draw, elements=finite):
    shape = draw(shapes)
    return (draw(hnp.arrays(np.float64, shape, elements=elements)),
            draw(hnp.arrays(np.float64, shape, elements=elements)))


@st.composite
def classified(draw, elements=small):
    """(scores of shape (N, C), integer labels of shape (N,)) with C >= 2."""
    n, c = draw(dims), draw(st.integers(min_value=2, max_value=6))
    scores = draw(hnp.arrays(np.float64, (n, c), elements=elements))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return scores, labels


# --- mse_loss ---------------------------------------------------------------------------

@given(pairs())
def test_mse_loss_is_the_mean_of_squares(inputs):
    pred, target = inputs
    loss, dpred = mse_loss(pred, target)
    flat = list(zip(pred.ravel().tolist(), target.ravel().tolist()))
    assert loss == pytest.approx(math.fsum((a - b) ** 2 for a, b in flat) / len(flat), rel=1e-12, abs=1e-300)
    expected = np.array([2 * (a - b) / len(flat) for a, b in flat]).reshape(pred.shape)
    np.testing.assert_allclose(dpred, expected, rtol=1e-15, atol=0)
    assert isinstance(loss, float) and dpred.shape == pred.shape


@given(pairs(small))
def test_mse_loss_gradient_is_the_numeric_one(inputs):
    pred, target = inputs
    assert_gradient(lambda a: mse_loss(a, target), pred)


# --- binary_cross_entropy ---------------------------------------------------------------

def bce_by_math(p, y):
    """Element by element: clip with min/max, then math.log of what the label says."""
    losses, grads = [], []
    n = len(p)
    for pi, yi in zip(p, y):
        pc = min(max(pi, EPS), 1 - EPS)
        losses.append(-(yi * math.log(pc) + (1 - yi) * math.log(1 - pc)))
        grads.append((-yi / pc + (1 - yi) / (1 - pc)) / n)  # the unsimplified derivative
    return math.fsum(losses) / n, grads


@st.composite
def bce_inputs(draw, elements=probabilities):
    shape = draw(shapes)
    return (draw(hnp.arrays(np.float64, shape, elements=elements)),
            draw(hnp.arrays(np.float64, shape, elements=labels01)))


@given(bce_inputs())
def test_bce_matches_math_without_warnings_even_at_0_and_1(inputs):
    p, y = inputs
    loss, dp = no_warnings(binary_cross_entropy, p, y)
    expected_loss, expected_dp = bce_by_math(p.ravel().tolist(), y.ravel().tolist())
    assert math.isfinite(loss) and np.isfinite(dp).all()
    assert loss == pytest.approx(expected_loss, rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(dp.ravel(), expected_dp, rtol=1e-9, atol=0)
    assert isinstance(loss, float) and dp.shape == p.shape


def test_bce_at_the_contract_extremes():
    p = np.array([[0.0, 1.0], [0.0, 1.0]])
    y = np.array([[1.0, 1.0], [0.0, 0.0]])
    loss, dp = no_warnings(binary_cross_entropy, p, y)
    # wrong and confident: -log(1e-12) each (27.63); right and confident: about 1e-12 each
    assert loss == pytest.approx((-math.log(EPS) - math.log(1 - (1 - EPS))) / 4, rel=1e-12)
    np.testing.assert_allclose(dp, [[-1 / EPS / 4, -1 / (1 - EPS) / 4],
                                    [1 / (1 - EPS) / 4, 1 / (1 - (1 - EPS)) / 4]], rtol=1e-9)


@given(bce_inputs(st.floats(min_value=0.02, max_value=0.98, width=64)))
def test_bce_gradient_is_the_numeric_one_inside_the_clipping(inputs):
    p, y = inputs
    assert_gradient(lambda a: binary_cross_entropy(a, y), p)


# --- softmax_cross_entropy --------------------------------------------------------------

def softmax_ce_by_decimal(logits, labels):
    """-log(e^{z_y} / sum_j e^{z_j}) in 50-digit decimal arithmetic, whose exponent range
    holds e^{10000} as it is: no max-subtraction, no log-softmax."""
    with localcontext() as ctx:
        ctx.prec = 50
        losses, grads = [], []
        n = len(labels)
        for row, label in zip(logits.tolist(), labels.tolist()):
            e = [Decimal(v).exp() for v in row]
            total = sum(e)
            losses.append(total.ln() - Decimal(row[label]))
            grads.append([float((ek / total - (1 if k == label else 0)) / n) for k, ek in enumerate(e)])
        return float(sum(losses) / n), np.array(grads)


@given(classified(st.one_of(small, huge)))
def test_softmax_ce_matches_exact_arithmetic_for_logits_up_to_1e4(inputs):
    logits, labels = inputs
    loss, dlogits = no_warnings(softmax_cross_entropy, logits, labels)
    expected_loss, expected_grad = softmax_ce_by_decimal(logits, labels)
    assert loss == pytest.approx(expected_loss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dlogits, expected_grad, rtol=1e-9, atol=1e-15)
    assert isinstance(loss, float) and dlogits.shape == logits.shape


def test_softmax_ce_at_plus_minus_1e4():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    loss, dlogits = no_warnings(softmax_cross_entropy, logits, np.array([1, 0]))
    assert loss == pytest.approx((2e4 + (2e4 + math.log(2))) / 2, rel=1e-15)
    np.testing.assert_allclose(dlogits, [[0.5, -0.5, 0.0], [-0.5, 0.25, 0.25]], rtol=1e-15, atol=0)


@given(classified())
def test_softmax_ce_gradient_is_the_numeric_one(inputs):
    logits, labels = inputs
    assert_gradient(lambda a: softmax_cross_entropy(a, labels), logits)


@given(classified(), small)
def test_softmax_ce_ignores_a_constant_added_to_a_row(inputs, shift):
    logits, labels = inputs
    np.testing.assert_allclose(softmax_cross_entropy(logits + shift, labels)[0],
                               softmax_cross_entropy(logits, labels)[0], rtol=1e-9, atol=1e-12)


# --- hinge_loss -------------------------------------------------------------------------

def hinge_by_loops(scores, labels, margin):
    n, c = scores.shape
    loss, grad = 0.0, np.zeros((n, c))
    for i in range(n):
        for j in range(c):
            if j == labels[i]:
                continue
            term = scores[i, j] - scores[i, labels[i]] + margin
            if term > 0:
                loss += term
                grad[i, j] += 1 / n
                grad[i, labels[i]] -= 1 / n
    return loss / n, grad


margins = st.sampled_from([1.0, 0.0, 0.5, 2.5])


@given(classified(), margins)
def test_hinge_matches_explicit_loops(inputs, margin):
    scores, labels = inputs
    loss, dscores = hinge_loss(scores, labels, margin=margin)
    expected_loss, expected_grad = hinge_by_loops(scores, labels, margin)
    assert loss == pytest.approx(expected_loss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dscores, expected_grad, rtol=1e-12, atol=1e-15)
    assert isinstance(loss, float) and dscores.shape == scores.shape


@given(st.integers(min_value=0, max_value=2 ** 32 - 1), dims, st.integers(2, 6), margins)
def test_hinge_gradient_is_the_numeric_one_away_from_corners(seed, n, c, margin):
    rng = np.random.default_rng(seed)  # continuous scores: corners are rare, not the rule
    scores, labels = rng.normal(scale=2.0, size=(n, c)), rng.integers(0, c, size=n)
    rows = np.arange(len(labels))
    terms = scores - scores[rows, labels][:, None] + margin
    terms[rows, labels] = 1.0  # not a term of the loss
    assume(np.abs(terms).min() > 1e-3)  # a central difference across a corner is meaningless
    assert_gradient(lambda a: hinge_loss(a, labels, margin=margin), scores)


def test_hinge_hand_checked_example():
    scores = np.array([[2.0, 3.5, -1.0, 1.5], [0.0, 4.0, 3.5, 1.0]])
    loss, dscores = hinge_loss(scores, np.array([0, 1]))
    assert loss == 1.75
    np.testing.assert_array_equal(dscores, [[-1.0, 0.5, 0.0, 0.5], [0.0, -0.5, 0.5, 0.0]])
    # margin 0.25: row 0 keeps one active term, 3.5 - 2 + 0.25 = 1.75; row 1 has none
    assert hinge_loss(scores, np.array([0, 1]), margin=0.25)[0] == pytest.approx(1.75 / 2, rel=1e-15)


# --- all four ---------------------------------------------------------------------------

def examples(rng):
    """(name, function, args, kwargs) for each loss on a random non-square input."""
    labels = rng.integers(0, 5, size=3)
    return [
        ("mse_loss", mse_loss, (rng.normal(size=(3, 5)), rng.normal(size=(3, 5))), {}),
        ("binary_cross_entropy", binary_cross_entropy,
         (rng.uniform(size=(3, 5)), rng.integers(0, 2, size=(3, 5)).astype(float)), {}),
        ("softmax_cross_entropy", softmax_cross_entropy, (rng.normal(size=(3, 5)), labels), {}),
        ("hinge_loss", hinge_loss, (rng.normal(size=(3, 5)), labels), {"margin": 0.7}),
    ]


@pytest.mark.parametrize("index", range(4))
def test_losses_are_averaged_over_the_batch(index):
    """A batch repeated twice has the same loss, and each copy half the gradient: the
    loss is a mean over the batch, so its size does not grow with the batch."""
    name, fn, args, kwargs = examples(np.random.default_rng(index))[index]
    doubled = tuple(np.concatenate([a, a]) for a in args)
    loss, grad = fn(*args, **kwargs)
    loss2, grad2 = fn(*doubled, **kwargs)
    assert loss2 == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(grad2, np.concatenate([grad, grad]) / 2, rtol=1e-12)


@pytest.mark.parametrize("index", range(4))
def test_batch_of_one_is_that_sample_s_loss(index):
    name, fn, args, kwargs = examples(np.random.default_rng(10 + index))[index]
    rows = [fn(*(a[i:i + 1] for a in args), **kwargs)[0] for i in range(3)]
    assert fn(*args, **kwargs)[0] == pytest.approx(sum(rows) / 3, rel=1e-12)


@given(st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_references_leave_inputs_unchanged(seed):
    for name, fn, args, kwargs in examples(np.random.default_rng(seed)):
        copies = [a.copy() for a in args]
        fn(*args, **kwargs)
        for before, after in zip(copies, args):
            np.testing.assert_array_equal(before, after, err_msg=name)
