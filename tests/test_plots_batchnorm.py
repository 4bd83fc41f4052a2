"""Lesson 08's network trains as the lesson says, its plots show what they claim, and the
widget redraws."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import max_rel_error, numeric_gradient
from helpers.display import to_png
from helpers import reference
from helpers.plots.batchnorm import (BATCHNORM_FUNCTIONS, before_and_after, classify, init_network,
                                     moving_average, network_backward, network_forward, running_averages,
                                     spiral, train_network, training_comparison)
from helpers.reference import batchnorm_inference, softmax_cross_entropy
from helpers.widgets.batchnorm import batchnorm_explorer

#: The course's batch-norm functions, as the lesson passes the student's.
COURSE_FUNCTIONS = {key: getattr(reference, name) for key, name in BATCHNORM_FUNCTIONS.items()}


@pytest.fixture(scope="module")
def data():
    return spiral(np.random.default_rng(1))


@pytest.fixture(scope="module")
def runs(data):
    x, y = data
    return {"without batch norm": train_network(x, y, scale=0.02, batchnorm=False),
            "with batch norm": train_network(x, y, scale=0.02, batchnorm=True, functions=COURSE_FUNCTIONS)}


def test_spiral_is_standardised_with_balanced_classes():
    x, y = spiral(np.random.default_rng(0), per_class=40, classes=3)
    assert x.shape == (120, 2) and y.shape == (120,)
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(x.std(axis=0), 1.0, rtol=1e-12)
    assert np.bincount(y).tolist() == [40, 40, 40]


@pytest.mark.parametrize("batchnorm", [False, True])
def test_network_backward_matches_central_differences(batchnorm):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(7, 2)), rng.integers(0, 3, size=7)
    net = init_network(depth=2, width=4, scale=0.7, rng=rng, batchnorm=batchnorm)
    if batchnorm:  # away from the defaults, so that every gradient is exercised
        net.gammas = [rng.normal(size=4) for _ in net.gammas]
        net.betas = [rng.normal(size=4) for _ in net.betas]
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    logits, caches, _ = network_forward(net, x, COURSE_FUNCTIONS)
    grads = network_backward(net, softmax_cross_entropy(logits, y)[1], caches, COURSE_FUNCTIONS)
    for name in ("weights", "gammas", "betas") + (() if batchnorm else ("biases",)):
        for i, param in enumerate(getattr(net, name)):
            def loss(value):
                saved = getattr(net, name)[i]
                getattr(net, name)[i] = value
                try:
                    return softmax_cross_entropy(network_forward(net, x, COURSE_FUNCTIONS)[0], y)[0]
                finally:
                    getattr(net, name)[i] = saved
            assert max_rel_error(getattr(grads, name)[i], numeric_gradient(loss, param)) < 1e-5, (name, i)


def test_batchnorm_layers_ignore_the_dense_bias():
    rng = np.random.default_rng(4)
    net = init_network(depth=3, width=5, scale=0.5, rng=rng, batchnorm=True)
    x = rng.normal(size=(6, 2))
    before = network_forward(net, x, COURSE_FUNCTIONS)[0]
    net.biases[:3] = [b + 10.0 for b in net.biases[:3]]  # the hidden layers' biases are not used
    np.testing.assert_array_equal(network_forward(net, x, COURSE_FUNCTIONS)[0], before)


def test_training_does_what_the_lesson_says(runs, data):
    plain, normalised = runs["without batch norm"], runs["with batch norm"]
    # without batch norm the signal dies: about a uniform guess, ln 3, for the whole run (only
    # the output layer's bias learns, the classes' frequencies in each mini-batch)
    assert np.std(plain.hidden_at_start[-1]) < 1e-8
    np.testing.assert_allclose(plain.losses, math.log(3), atol=0.01)
    # with it every hidden unit starts at standard deviation sqrt(var / (var + eps)): about 1
    # from layer 2 on; in layer 1, fed two inputs through weights of size 0.02, var can be
    # as small as eps
    first, *deeper = normalised.hidden_at_start
    assert 0.5 < first.std(axis=0).min() and first.std(axis=0).max() < 1
    for u in deeper:
        np.testing.assert_allclose(u.std(axis=0), 1.0, rtol=0.02)  # var >= ~4e-4 there
    assert normalised.losses[-10:].mean() < 0.3
    x_test, y_test = spiral(np.random.default_rng(2))
    assert np.mean(classify(normalised.net, x_test, COURSE_FUNCTIONS) == y_test) > 0.8


def test_running_statistics_are_kept_and_used_by_classify(runs, data):
    x, _ = data
    net = runs["with batch norm"].net
    # the running means differ from their start and from 0
    assert all(np.abs(m).max() > 0 for m in net.running_means)
    a = x
    for l in range(net.depth):  # inference by hand with the running statistics
        z = a @ net.weights[l]
        a = np.maximum(batchnorm_inference(z, net.gammas[l], net.betas[l], net.running_means[l],
                                           net.running_vars[l]), 0)
    logits = a @ net.weights[-1] + net.biases[-1]
    np.testing.assert_array_equal(classify(net, x, COURSE_FUNCTIONS), logits.argmax(axis=1))
    # in training mode a batch of one gives the same logits whatever the input
    alone = [network_forward(net, x[i:i + 1], COURSE_FUNCTIONS)[0] for i in (0, 70, 150)]
    np.testing.assert_allclose(alone[0], alone[1])
    np.testing.assert_allclose(alone[0], alone[2])


def test_train_network_uses_the_functions_it_is_given(data):
    x, y = data
    calls = {"forward": 0, "backward": 0, "update": 0}

    def counting(name):
        def call(*args, **kwargs):
            calls[name] += 1
            return COURSE_FUNCTIONS[name](*args, **kwargs)
        return call

    run = train_network(x, y, depth=3, steps=5, functions={k: counting(k) for k in calls})
    course = train_network(x, y, depth=3, steps=5, functions=COURSE_FUNCTIONS)
    np.testing.assert_array_equal(run.losses, course.losses)
    assert calls == {"forward": 3 + 5 * 3, "backward": 5 * 3, "update": 5 * 3}


def test_batchnorm_needs_the_functions_it_uses_and_says_which(data):
    x, y = data
    with pytest.raises(ValueError, match="needs its batchnorm_forward: pass functions="):
        train_network(x, y, depth=3, steps=5)
    training_only = {k: COURSE_FUNCTIONS[k] for k in ("forward", "backward", "update")}
    run = train_network(x, y, depth=3, steps=5, functions=training_only)
    with pytest.raises(ValueError, match="needs its batchnorm_inference"):
        classify(run.net, x, training_only)
    with pytest.raises(ValueError, match="needs its update_running_stats"):
        batchnorm_explorer({k: COURSE_FUNCTIONS[k] for k in ("forward", "backward")})
    plain = train_network(x, y, depth=3, steps=5, batchnorm=False)  # no batch norm: no functions
    assert classify(plain.net, x).shape == y.shape


def test_a_diverging_run_stops_with_inf_losses(data):
    x, y = data
    run = train_network(x, y, depth=8, scale=3.0, batchnorm=False, steps=30)
    assert not np.isfinite(run.losses).all()
    first = int(np.argmin(np.isfinite(run.losses)))
    assert np.isinf(run.losses[first:]).all()


def test_moving_average_matches_a_loop():
    values = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0])
    expected = [np.mean(values[max(0, i - 2):i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(moving_average(values, 3), expected)


def test_training_comparison_draws_the_losses_and_the_chosen_layer(runs):
    fig = training_comparison(runs, layer=3)
    assert isinstance(fig, Figure)
    loss_ax, *hist_axes = fig.axes
    assert len(hist_axes) == 2
    for (label, run), raw, smooth in zip(runs.items(), loss_ax.lines[0::2], loss_ax.lines[1::2]):
        np.testing.assert_allclose(raw.get_ydata(), run.losses)
        np.testing.assert_allclose(smooth.get_ydata(), moving_average(run.losses, 10))
        assert smooth.get_label() == label
    for ax, run in zip(hist_axes, runs.values()):
        stairs = ax.patches[0].get_data()
        counts, edges = stairs.values, stairs.edges
        values = run.hidden_at_start[2]
        assert counts.sum() == values.size  # every value of layer 3, in one histogram
        assert edges[0] == values.min() and edges[-1] == values.max()
        assert f"layer 3 at the start: std {np.std(values):.2g}" in ax.get_title().replace("\n", " ")


def test_training_comparison_reports_a_diverged_run(data, runs):
    x, y = data
    diverged = train_network(x, y, depth=8, scale=3.0, batchnorm=False, steps=30)
    fig = training_comparison({"plain": diverged, "with batch norm": runs["with batch norm"]})
    loss_ax = fig.axes[0]
    label = loss_ax.lines[1].get_label()
    assert label.startswith("plain (") and "overflow at step" in label
    finite = diverged.losses[np.isfinite(diverged.losses)]
    np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), finite)
    assert loss_ax.get_ylim()[1] <= 30.0  # huge losses leave the panel instead of squashing it


def test_running_averages_draws_the_batches_and_each_average():
    batch_means = [1.0, 3.0, 2.0]
    fig = running_averages(batch_means, {"a": [0.1, 0.4, 0.5], "b": [0.0, 0.1, 0.2]}, true_mean=2.5)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), batch_means)
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0.1, 0.4, 0.5])
    assert [line.get_label() for line in ax.lines[1:3]] == ["a", "b"]
    assert ax.lines[3].get_ydata()[0] == 2.5


def test_before_and_after_scatters_both_batches_with_their_statistics():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2)) * [10.0, 1.0] + [50.0, 3.0]
    out = (x - x.mean(axis=0)) / x.std(axis=0)
    fig = before_and_after(x, out)
    for ax, data in zip(fig.axes, (x, out)):
        np.testing.assert_allclose(ax.collections[0].get_offsets(), data)
        mean = data.mean(axis=0)
        assert f"means ({mean[0]:.3g}, {mean[1]:.3g})" in ax.get_title()


def test_widget_draws_at_once():
    # its speed is a benchmark's figure (benchmarks/notebook_cells.py), not an assertion
    box = batchnorm_explorer(COURSE_FUNCTIONS)  # two networks of depth 8 trained for 100 steps, one figure
    assert bytes(box.children[1].value).startswith(b"\x89PNG")


def test_widget_redraws_when_each_control_changes():
    box = batchnorm_explorer(COURSE_FUNCTIONS, steps=10)
    picture = box.children[1]
    first = bytes(picture.value)
    assert first.startswith(b"\x89PNG")
    box.controls["scale"].value = 0.25
    second = bytes(picture.value)
    box.controls["depth"].value = 3
    assert first != second != bytes(picture.value)


def test_png_is_a_png(runs):
    assert to_png(training_comparison(runs)).startswith(b"\x89PNG")


# --- helpers.contracts.batchnorm.your_forward_and_cache, with and without the course's forward ---

def forward_with_wrong_out(x, gamma, beta, eps=1e-5):
    out, cache = reference.batchnorm_forward(x, gamma, beta, eps=eps)
    return out + 1.0, cache


def stub(x, gamma, beta, eps=1e-5):
    raise NotImplementedError()


def test_a_right_forward_supplies_its_own_cache_in_either_copy(monkeypatch, capsys):
    from helpers.contracts import batchnorm as contract
    x, gamma, beta = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0]]), np.array([3.0, -2.0]), np.zeros(2)
    mine = lambda x, gamma, beta, eps=1e-5: (reference.batchnorm_forward(x, gamma, beta, eps)[0], "mine")  # noqa: E731
    assert contract.your_forward_and_cache(mine, x, gamma, beta) == (mine, "mine")
    monkeypatch.setattr(contract, "_course_forward", lambda: None)  # a student's copy
    assert contract.your_forward_and_cache(mine, x, gamma, beta) == (mine, "mine")
    assert capsys.readouterr().out == ""


def test_with_the_course_forward_a_wrong_forward_is_replaced_with_a_note(capsys):
    from helpers.contracts.batchnorm import your_forward_and_cache
    x, gamma, beta = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0]]), np.array([3.0, -2.0]), np.zeros(2)
    for wrong in (forward_with_wrong_out, stub):
        forward, cache = your_forward_and_cache(wrong, x, gamma, beta)
        assert forward is reference.batchnorm_forward
        assert all(np.array_equal(a, b) for a, b in zip(cache, reference.batchnorm_forward(x, gamma, beta)[1]))
        assert "uses the course's forward pass" in capsys.readouterr().out


def test_without_the_course_forward_a_failing_forward_stops_the_backward_test(monkeypatch):
    """A student's copy has no reference of lesson 08: an out that is merely wrong cannot be
    told (the cache is used as it is), one that fails outright says to fix it first."""
    from helpers.contracts import batchnorm as contract
    monkeypatch.setattr(contract, "_course_forward", lambda: None)
    x, gamma, beta = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0]]), np.array([3.0, -2.0]), np.zeros(2)
    assert contract.your_forward_and_cache(forward_with_wrong_out, x, gamma, beta)[0] is forward_with_wrong_out
    with pytest.raises(AssertionError, match="raised NotImplementedError on this 3x2 input.*fix batchnorm_forward first"):
        contract.your_forward_and_cache(stub, x, gamma, beta)
    with pytest.raises(AssertionError, match="not a tuple"):
        contract.your_forward_and_cache(lambda x, gamma, beta, eps=1e-5: x * gamma + beta, x, gamma, beta)


# --- issue 13: a backward pass that reads its own cache layout, after a wrong forward pass ---
#
# The contract leaves the cache's contents to the student. A student whose forward pass puts
# eps outside the square root (wrong out: exercise 1 loses its points) but keeps only the
# inputs (x, gamma, eps) in the cache, and whose backward pass recomputes everything from
# them correctly, has a right backward pass: its gradients on its own cache are the true
# ones. The fair design (see the report of issue 13): when the forward's out is wrong on a
# test's input, the backward is checked on the student's own cache first and on the course's
# cache (x_hat, gamma, inv_std) second, and earns the points if either gives the right
# gradients. Today the course's cache alone is used, which this backward cannot read.

def own_layout_forward_eps_outside(x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / (np.sqrt(x.var(axis=0)) + eps)  # the slip: eps outside the root
    return gamma * x_hat + beta, (x, gamma, eps)  # the cache: the inputs only


def own_layout_backward(dout, cache):
    x, gamma, eps = cache
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) * inv_std
    g = dout * gamma
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def batchnorm_backward_failures(forward, backward):
    """{grade_id: message} of lesson 08's batchnorm_backward test cells that fail (hidden
    tests included), run in-process with the course's forward pass installed, as when graded."""
    from course import cells, lesson_files
    lesson = next(l for l in lesson_files.all_lessons() if l.name == "08_batch_normalization")
    nb = lesson_files.read(lesson)
    namespace = {"np": np, "batchnorm_forward": forward, "batchnorm_backward": backward,
                 "batchnorm_inference": reference.batchnorm_inference,
                 "update_running_stats": reference.update_running_stats}
    failures = {}
    for cell in cells.tests_of(nb, "batchnorm_backward"):
        grade_id = cells.grade_id(cell)
        try:
            exec(compile(cell.source, grade_id, "exec"), namespace)
        except AssertionError as error:
            failures[grade_id] = str(error)
    return failures


def test_the_own_layout_pair_is_what_the_test_says(capsys):
    x = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0], [9.0, 2.0]])
    gamma, beta, dout = np.array([3.0, -2.0]), np.array([0.5, 0.5]), np.array([[1.0, 2], [0, -1], [3, 1], [-2, 0]])
    right_out, cache = reference.batchnorm_forward(x, gamma, beta)
    assert not np.allclose(own_layout_forward_eps_outside(x, gamma, beta)[0], right_out, rtol=1e-7, atol=0)
    for got, expected in zip(own_layout_backward(dout, own_layout_forward_eps_outside(x, gamma, beta)[1]),
                             reference.batchnorm_backward(dout, cache)):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    # with a right forward pass of the same layout, the pair passes every backward test today
    def own_layout_forward(x, gamma, beta, eps=1e-5):
        return reference.batchnorm_forward(x, gamma, beta, eps=eps)[0], (x, gamma, eps)
    assert batchnorm_backward_failures(own_layout_forward, own_layout_backward) == {}


def test_a_wrong_forward_costs_no_backward_points_to_a_backward_right_on_its_own_cache(capsys):
    assert batchnorm_backward_failures(own_layout_forward_eps_outside, own_layout_backward) == {}
