"""Lesson 05: the references xavier_init and he_init, and the check for random
initializers (helpers.checkers.initialization) that grades them.

The references are checked against Python's math for the scale and against the
generator's own standard normal draws; the check is shown to pass every correct way of
drawing, to fail each kind of wrong answer with a message that says what to fix, and to
have tolerances whose false-failure probability is provably negligible."""
import contextlib
import io
import math
import random
import re
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.checkers import initialization as ci
from helpers.checkers.initialization import BANDS, MIN_SAMPLE, SIGMAS, check_initializer
from helpers.reference import he_init, xavier_init

fans = st.integers(min_value=1, max_value=40)
seeds = st.integers(min_value=0, max_value=2 ** 32 - 1)

SCALES = {
    "xavier_init": lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
    "he_init": lambda fan_in, fan_out: math.sqrt(2 / fan_in),
}
REFERENCES = {"xavier_init": xavier_init, "he_init": he_init}

# The shapes on which lesson 05's test cells check the statistics (visible and hidden).
LESSON_SHAPES = {
    "xavier_init": [(500, 300), (2000, 50), (400, 250), (250, 400), (1000, 30), (64, 700)],
    "he_init": [(200, 300), (50, 800), (400, 250), (250, 400), (784, 100), (30, 1000)],
}


@pytest.fixture(autouse=True)
def global_random_states_restored():
    """These tests seed and draw from the global random states: leave them as found."""
    saved = np.random.get_state(), random.getstate()
    yield
    np.random.set_state(saved[0])
    random.setstate(saved[1])


def failure(name, fn, fan_in, fan_out, std=None, seed=0):
    with pytest.raises(AssertionError) as raised:
        check_initializer(name, fn, fan_in, fan_out, std=std, seed=seed)
    return str(raised.value)


# --- the references -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["xavier_init", "he_init"])
@given(fan_in=fans, fan_out=fans, seed=seeds)
def test_reference_is_its_scale_times_the_generators_standard_normals(name, fan_in, fan_out, seed):
    """rng.normal(0, s, size) is s times rng.standard_normal(size) from the same state,
    so this pins the scale to the formula computed with Python's math, element by element."""
    got = REFERENCES[name](fan_in, fan_out, np.random.default_rng(seed))
    z = np.random.default_rng(seed).standard_normal((fan_in, fan_out))
    assert type(got) is np.ndarray and got.dtype == np.float64 and got.shape == (fan_in, fan_out)
    np.testing.assert_allclose(got, SCALES[name](fan_in, fan_out) * z, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", ["xavier_init", "he_init"])
@given(fan_in=fans, fan_out=fans, seed=seeds)
def test_reference_uses_rng_and_only_rng(name, fan_in, fan_out, seed):
    np.random.seed(seed % 1000)
    global_before = np.random.get_state(legacy=False)["state"]["key"].copy()
    rng = np.random.default_rng(seed)
    state_before = rng.bit_generator.state
    first = REFERENCES[name](fan_in, fan_out, rng)
    assert rng.bit_generator.state != state_before  # it drew from rng
    np.testing.assert_array_equal(np.random.get_state(legacy=False)["state"]["key"], global_before)
    np.random.seed(seed % 1000 + 1)
    np.testing.assert_array_equal(first, REFERENCES[name](fan_in, fan_out, np.random.default_rng(seed)))


@pytest.mark.parametrize("name", ["xavier_init", "he_init"])
def test_reference_passes_the_check_on_the_lessons_shapes_and_many_seeds(name):
    for fan_in, fan_out in LESSON_SHAPES[name]:
        for seed in range(8):
            check_initializer(name, REFERENCES[name], fan_in, fan_out,
                              std=SCALES[name](fan_in, fan_out), seed=seed)


def test_reference_scales_at_hand_checked_values():
    # sqrt(2 / (300 + 500)) = 0.05 and sqrt(2 / 200) = 0.1; with 150 000 and 1 000 000
    # draws the sample std is within 1% (5.5 standard errors) and 0.5% (7) of them
    assert abs(np.std(xavier_init(300, 500, np.random.default_rng(3))) / 0.05 - 1) < 0.01
    assert abs(np.std(he_init(200, 5000, np.random.default_rng(4))) / 0.1 - 1) < 0.005


# --- the check passes every correct way of drawing ------------------------------------

def _flat_reshaped(fan_in, fan_out, rng):
    return rng.normal(0.0, math.sqrt(2 / (fan_in + fan_out)), size=fan_in * fan_out).reshape(fan_in, fan_out)


def _fortran_order(fan_in, fan_out, rng):
    return np.asfortranarray(rng.standard_normal((fan_in, fan_out))) * math.sqrt(2 / (fan_in + fan_out))


def _column_by_column(fan_in, fan_out, rng):
    scale = math.sqrt(2 / (fan_in + fan_out))
    return np.stack([rng.normal(0.0, scale, size=fan_in) for _ in range(fan_out)], axis=1)


def _keyword_arguments(fan_in, fan_out, rng):
    return rng.normal(size=(fan_in, fan_out), scale=np.sqrt(2 / (fan_in + fan_out)), loc=0)


def _child_generator(fan_in, fan_out, rng):
    child = np.random.default_rng(rng.integers(2 ** 63))  # seeded from rng: still reproducible
    return child.normal(0.0, math.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))


def _sum_of_two_normals(fan_in, fan_out, rng):
    # the sum of two independent N(0, v / 2) is N(0, v)
    half = math.sqrt(1 / (fan_in + fan_out))
    return rng.normal(0, half, (fan_in, fan_out)) + rng.normal(0, half, (fan_in, fan_out))


def _box_muller(fan_in, fan_out, rng):
    u1, u2 = 1.0 - rng.random((2, fan_in, fan_out))
    return math.sqrt(2 / (fan_in + fan_out)) * np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)


CORRECT = [xavier_init, _flat_reshaped, _fortran_order, _column_by_column, _keyword_arguments,
           _child_generator, _sum_of_two_normals, _box_muller]


@pytest.mark.parametrize("fn", CORRECT, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("fan_in, fan_out", [(400, 250), (250, 400), (1000, 30), (3, 2), (1, 1)])
def test_correct_but_different_draws_pass(fn, fan_in, fan_out):
    std = SCALES["xavier_init"](fan_in, fan_out) if fan_in * fan_out >= MIN_SAMPLE else None
    for seed in (0, 7, 123):
        check_initializer("xavier_init", fn, fan_in, fan_out, std=std, seed=seed)


def test_correct_draws_differ_from_each_other():
    """The point of the check: these answers are all right, and most of their numbers differ
    (rng.normal and a scaled rng.standard_normal in the same order give the same ones)."""
    draws = [fn(400, 250, np.random.default_rng(0)) for fn in CORRECT]
    distinct = [d for i, d in enumerate(draws) if not any(np.array_equal(d, e) for e in draws[:i])]
    assert len(distinct) >= 5


def test_a_right_answer_passes_silently_and_leaves_the_global_states_alone():
    np.random.seed(77)
    random.seed(77)
    numpy_state, python_state = np.random.get_state(legacy=False), random.getstate()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("error")
        check_initializer("he_init", he_init, 400, 250, std=math.sqrt(2 / 400))
        check_initializer("he_init", he_init, 2, 3)
    assert out.getvalue() == err.getvalue() == ""
    assert ci._same_state(np.random.get_state(legacy=False), numpy_state)
    assert random.getstate() == python_state


def test_failing_check_also_restores_the_global_states():
    np.random.seed(5)
    numpy_state = np.random.get_state(legacy=False)
    failure("xavier_init", lambda fan_in, fan_out, rng: np.random.randn(fan_in, fan_out), 3, 2)
    assert ci._same_state(np.random.get_state(legacy=False), numpy_state)


def test_statistics_need_enough_values():
    with pytest.raises(ValueError, match="at least 10000 values"):
        check_initializer("xavier_init", xavier_init, 30, 20, std=math.sqrt(2 / 50))


# --- the tolerances: negligible false failures, large power ---------------------------

def chi2_outside_probability(k, low, high):
    """An upper bound on P(X < low) + P(X > high) for X chi-squared with k degrees of
    freedom, from Laurent and Massart (2000): P(X >= k + 2 sqrt(k x) + 2 x) <= exp(-x) and
    P(X <= k - 2 sqrt(k x)) <= exp(-x)."""
    # upper tail: solve 2 u^2 + 2 sqrt(k) u + k - high = 0 for u = sqrt(x) >= 0
    u = (-2 * math.sqrt(k) + math.sqrt(4 * k - 8 * (k - high))) / 4
    x_high = u * u
    x_low = ((k - low) / (2 * math.sqrt(k))) ** 2
    return math.exp(-x_high) + math.exp(-x_low)


def binomial_outside_probability(n, p, delta):
    """Chernoff's bound on P(|X / n - p| >= delta) for X binomial(n, p):
    exp(-n KL(p + delta || p)) + exp(-n KL(p - delta || p))."""
    def kl(a):
        return a * math.log(a / p) + (1 - a) * math.log((1 - a) / (1 - p))
    return math.exp(-n * kl(p + delta)) + math.exp(-n * kl(p - delta))


@pytest.mark.parametrize("n", [MIN_SAMPLE, 30_000, 100_000, 150_000, 1_000_000])
def test_a_correct_answer_fails_with_negligible_probability(n):
    # mean: exactly normal with standard deviation std / sqrt(n)
    p_mean = math.erfc(SIGMAS / math.sqrt(2))
    # std: n s^2 / std^2 is chi-squared with n - 1 degrees of freedom; the check fails when
    # s / std is outside 1 +- SIGMAS / sqrt(2 n)
    t = SIGMAS / math.sqrt(2 * n)
    p_std = chi2_outside_probability(n - 1, n * (1 - t) ** 2, n * (1 + t) ** 2)
    # bands: the count within k std is binomial(n, BANDS[k])
    p_bands = sum(binomial_outside_probability(n, p, SIGMAS * math.sqrt(p * (1 - p) / n))
                  for p in BANDS.values())
    assert p_mean < 1e-8
    assert p_std < 1e-6
    assert p_bands < 1e-6
    # All the statistical checks of the lesson's tests together (12 shapes, each passed by
    # the solution and by 6 catalogued alternatives) fail a correct answer with
    # probability below 1e-4.
    assert 12 * 7 * (p_mean + p_std + p_bands) < 1e-4


def test_the_bounds_are_bounds():
    """The two inequalities above, against a simulation they must not undercut."""
    rng = np.random.default_rng(0)
    k, n = 999, 1000
    x = rng.chisquare(k, size=200_000)
    t = 2.5 / math.sqrt(2 * n)  # a loose band, so that failures are frequent enough to count
    low, high = n * (1 - t) ** 2, n * (1 + t) ** 2
    assert np.mean((x < low) | (x > high)) <= chi2_outside_probability(k, low, high)
    counts = rng.binomial(n, BANDS[1], size=200_000)
    delta = 2.5 * math.sqrt(BANDS[1] * (1 - BANDS[1]) / n)
    assert np.mean(np.abs(counts / n - BANDS[1]) >= delta) <= binomial_outside_probability(n, BANDS[1], delta)


WRONG_SCALES = {
    "xavier_init": {
        "LeCun's sqrt(1 / fan_in)": lambda fan_in, fan_out: math.sqrt(1 / fan_in),
        "without the 2": lambda fan_in, fan_out: math.sqrt(1 / (fan_in + fan_out)),
        "He's sqrt(2 / fan_in)": lambda fan_in, fan_out: math.sqrt(2 / fan_in),
    },
    "he_init": {
        "LeCun's sqrt(1 / fan_in)": lambda fan_in, fan_out: math.sqrt(1 / fan_in),
        "sqrt(2 / fan_out)": lambda fan_in, fan_out: math.sqrt(2 / fan_out),
        "Glorot's": lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
    },
}


@pytest.mark.parametrize("name", ["xavier_init", "he_init"])
def test_the_lessons_shapes_put_common_wrong_scales_far_outside(name):
    """A wrong scale s' fails when its sample std, within a few standard errors of s', is
    outside s +- tolerance: it suffices that |s' / s - 1| is three tolerances. Every lesson
    shape has such a wrong scale caught far away; each wrong scale on most shapes (on the
    rest another shape catches it: the tests fail if any statistic fails)."""
    for label, wrong in WRONG_SCALES[name].items():
        caught = 0
        for fan_in, fan_out in LESSON_SHAPES[name]:
            n = fan_in * fan_out
            assert n >= MIN_SAMPLE and fan_in != fan_out
            ratio = wrong(fan_in, fan_out) / SCALES[name](fan_in, fan_out)
            caught += abs(ratio - 1) >= 3 * SIGMAS / math.sqrt(2 * n)
        assert caught >= len(LESSON_SHAPES[name]) - 2, label
    # the variance passed as the scale gives std ** 2, std times the right scale: far off
    for fan_in, fan_out in LESSON_SHAPES[name]:
        assert SCALES[name](fan_in, fan_out) < 0.3


def test_a_uniform_distribution_is_far_outside_the_normal_bands():
    n = MIN_SAMPLE
    tolerance = SIGMAS * math.sqrt(BANDS[1] * (1 - BANDS[1]) / n)
    assert BANDS[1] - 1 / math.sqrt(3) > 3 * tolerance  # 68.3% against 57.7%
    assert abs(BANDS[1] - math.erf(1 / math.sqrt(2))) < 1e-15
    assert abs(BANDS[2] - 0.9544997361036416) < 1e-15


# --- each kind of wrong answer fails with a message that says what to fix --------------

def test_the_stub_fails_with_its_exception():
    def stub(fan_in, fan_out, rng):
        raise NotImplementedError()
    message = failure("xavier_init", stub, 3, 2)
    assert "xavier_init(fan_in, fan_out, rng) is not right." in message
    assert "It raised NotImplementedError" in message
    assert "fan_in = 3\n  fan_out = 2\n  rng = np.random.default_rng(0)" in message


def test_wrong_type_dtype_and_shape():
    assert "W should be an ndarray of shape (3, 2), got a list of length 3" in failure(
        "xavier_init", lambda fan_in, fan_out, rng: rng.normal(size=(fan_in, fan_out)).tolist(), 3, 2)
    assert "W should hold float64 values, but it holds float32" in failure(
        "he_init", lambda fan_in, fan_out, rng: rng.standard_normal((fan_in, fan_out), dtype=np.float32), 3, 2)
    message = failure("he_init", lambda fan_in, fan_out, rng: rng.normal(size=(fan_out, fan_in)), 3, 2)
    assert "W should have shape (fan_in, fan_out) = (3, 2), but it has shape (2, 3) (the transposed shape)" in message
    assert "(the transposed" not in failure(
        "he_init", lambda fan_in, fan_out, rng: rng.normal(size=(fan_in,)), 3, 2)


def test_drawing_from_numpys_global_state_is_named():
    message = failure("xavier_init", lambda fan_in, fan_out, rng: 0.1 * np.random.randn(fan_in, fan_out), 4, 3)
    assert "It used a global random state (NumPy's np.random)" in message
    assert "Two calls with generators of the same seed, np.random.default_rng(0), gave different arrays" in message
    assert "Generators of different seeds (0 and 1) gave the same array" in message


def test_reseeding_the_global_state_is_caught_even_when_reproducible():
    def reseeds(fan_in, fan_out, rng):
        np.random.seed(0)
        return rng.normal(size=(fan_in, fan_out))
    message = failure("xavier_init", reseeds, 4, 3)
    assert "It used a global random state (NumPy's np.random)" in message
    assert "Two calls" not in message and "different seeds" not in message


def test_drawing_from_pythons_random_module_is_named():
    def python_random(fan_in, fan_out, rng):
        return np.array([[random.gauss(0, 1) for _ in range(fan_out)] for _ in range(fan_in)])
    assert "It used a global random state (Python's random module)" in failure("he_init", python_random, 4, 3)


def test_an_unseeded_generator_of_its_own_is_not_reproducible():
    message = failure("he_init", lambda fan_in, fan_out, rng: np.random.default_rng().normal(size=(fan_in, fan_out)), 4, 3)
    assert "gave different arrays" in message and "It used a global random state" not in message


def test_a_seeded_generator_of_its_own_ignores_rng():
    message = failure("he_init", lambda fan_in, fan_out, rng: np.random.default_rng(42).normal(size=(fan_in, fan_out)), 4, 3, seed=9)
    assert "Generators of different seeds (9 and 10) gave the same array: the function does not draw from rng" in message
    assert "Two calls" not in message


def test_a_mean_away_from_zero_is_reported():
    message = failure("xavier_init", lambda fan_in, fan_out, rng: rng.normal(0.01, 0.0555, (fan_in, fan_out)),
                      400, 250, std=math.sqrt(2 / 650))
    found = re.search(r"The mean of its 100000 values is (\S+), but it should be 0 \(within \+-0\.0011,", message)
    assert found and abs(float(found[1]) - 0.01) < 0.001


def test_a_wrong_standard_deviation_is_reported_with_its_ratio():
    message = failure("xavier_init", lambda fan_in, fan_out, rng: rng.normal(0, math.sqrt(1 / fan_in), (fan_in, fan_out)),
                      400, 250, std=math.sqrt(2 / 650))
    assert "The standard deviation of its 100000 values is 0.05" in message
    assert "but it should be 0.05547 (within +-0.00074, 6 standard errors for 100000 values)" in message
    ratio = re.search(r"it is (\S+) times the right one", message)
    assert ratio and abs(float(ratio[1]) - math.sqrt(650 / 800)) < 0.005  # LeCun's / Glorot's
    assert "mean" not in message and "normally distributed" not in message
    assert "This looks like a known mistake: sqrt(1 / fan_in) is LeCun's scale" in message


def test_a_uniform_distribution_is_not_normal():
    def uniform(fan_in, fan_out, rng):
        limit = math.sqrt(3) * 0.1  # standard deviation 0.1
        return rng.uniform(-limit, limit, (fan_in, fan_out))
    message = failure("he_init", uniform, 200, 300, std=0.1)
    assert "Its values are not normally distributed: 57." in message
    assert "within 1 standard deviation of 0, where a normal distribution has 68.27%" in message
    assert "standard deviation of its" not in message


def test_the_two_standard_deviation_band():
    """Right mean, right std, 68.27% within one std, but nothing beyond two: a normal
    distribution has 4.55% there."""
    def no_tails(fan_in, fan_out, rng):
        n = fan_in * fan_out
        inner = round(n * BANDS[1])
        b = 1.5  # the outer values, in units of the std; the inner ones make the variance 1
        a = math.sqrt((1 - (n - inner) / n * b * b) / (inner / n))
        magnitudes = np.r_[np.full(inner, 0.99 * a), np.full(n - inner, b)]
        magnitudes *= 1 / math.sqrt(np.mean(magnitudes ** 2))
        signs = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        return 0.1 * rng.permutation(magnitudes * signs).reshape(fan_in, fan_out)
    w = no_tails(200, 300, np.random.default_rng(0))
    assert abs(np.std(w) - 0.1) < 1e-3 and abs(np.mean(np.abs(w) <= 0.1) - BANDS[1]) < 1e-3
    message = failure("he_init", no_tails, 200, 300, std=0.1)
    assert "100.00% of them lie within 2 standard deviations of 0, where a normal distribution has 95.45%" in message


def test_nan_values_fail_the_statistics():
    def nans(fan_in, fan_out, rng):
        w = rng.normal(0, 0.1, (fan_in, fan_out))
        w[0, 0] = np.nan
        return w
    message = failure("he_init", nans, 200, 300, std=0.1)
    assert "The mean of its 60000 values is nan" in message


def test_no_diagnosis_for_an_uncatalogued_mistake():
    message = failure("he_init", lambda fan_in, fan_out, rng: rng.normal(0, 0.3, (fan_in, fan_out)), 200, 300, std=0.1)
    assert "known mistake" not in message


def test_a_catalogued_mistake_that_draws_from_the_global_state_is_named():
    """The diagnosis reseeds the global state for each catalogued mistake as for the
    student's call, so np.random.randn is recognised by its values."""
    def seed_article(fan_in, fan_out, rng):
        shape = (fan_in, fan_out)
        return np.random.randn(*shape) * np.sqrt(2.0 / shape[0])
    message = failure("he_init", seed_article, 200, 300, std=0.1)
    assert "This looks like a known mistake: np.random.randn(*shape) * np.sqrt(2 / shape[0]), as in the seed article" in message


def test_floating_point_warnings_are_reported_with_a_failure():
    def warns(fan_in, fan_out, rng):
        return np.log(rng.random((fan_in, fan_out)) - 2)  # invalid value: all nan
    message = failure("he_init", warns, 200, 300, std=0.1)
    assert "It raised floating-point warnings: invalid value encountered in log." in message
