"""Lesson 03's plots show what they claim, the article network's run follows the article's
log, and the training widget steps, resets and redraws."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from gradcheck import max_rel_error, numeric_gradient
from helpers.plots.backprop import (ARTICLE_BIASES, ARTICLE_WEIGHTS, article_network, derivative_mixup,
                                    gradient_check_chart, half_squared_error, gradient_descent_step,
                                    training_curves)
from helpers.reference import mlp_backward, mlp_forward
from helpers.widgets.backprop import training_stepper

#: The blog post's printed predictions at epochs 0, 20, ..., 500.
ARTICLE_LOG = [0.52946706, 0.71272151, 0.77830423, 0.8098765, 0.82816845, 0.83996418,
               0.84810007, 0.85397103, 0.85834477, 0.86167989, 0.86426787, 0.86630316,
               0.86792054, 0.86921641, 0.87026148, 0.87110872, 0.87179847, 0.87236194,
               0.87282352, 0.87320251, 0.87351427, 0.8737711, 0.87398296, 0.8741579,
               0.87430249, 0.87442206]


def run_article(epochs=500, lr=0.5):
    x, y, weights, biases = article_network()
    predictions = []
    for _ in range(epochs):
        _, pred, weights, biases = gradient_descent_step(x, y, weights, biases, lr, backward=mlp_backward)
        predictions.append(pred[0, 0])
    predictions.append(mlp_forward(x, weights, biases)[0][0, 0])
    return np.array(predictions)


def test_the_article_run_follows_the_articles_log():
    predictions = run_article()
    np.testing.assert_allclose(predictions[::20], ARTICLE_LOG, atol=3e-3)
    assert np.all(np.diff(predictions) > 0)  # the prediction climbs towards 0.875 every epoch


def test_article_network_is_a_2_2_2_1_network_and_returns_fresh_copies():
    x, y, weights, biases = article_network()
    assert x.shape == (1, 2) and y.shape == (1, 1)
    assert [W.shape for W in weights] == [(2, 2), (2, 2), (2, 1)]
    assert [b.shape for b in biases] == [(2,), (2,), (1,)]
    weights[0][0, 0] = 99.0
    biases[0][0] = 99.0
    assert ARTICLE_WEIGHTS[0][0, 0] == 0.1 and ARTICLE_BIASES[0][0] == -2.3


def test_half_squared_error_and_its_gradient():
    pred, target = np.array([[0.2, 0.9]]), np.array([[0.5, 0.5]])
    loss, dpred = half_squared_error(pred, target)
    assert loss == pytest.approx(0.5 * (0.09 + 0.16))
    numeric = numeric_gradient(lambda p: half_squared_error(p, target)[0], pred)
    assert max_rel_error(dpred, numeric) < 1e-8


def test_train_step_reports_the_state_before_the_step_and_leaves_its_inputs_alone():
    x, y, weights, biases = article_network()
    copies = [W.copy() for W in weights] + [b.copy() for b in biases]
    loss, pred, new_weights, new_biases = gradient_descent_step(x, y, weights, biases, 0.5, backward=mlp_backward)
    np.testing.assert_array_equal(pred, mlp_forward(x, weights, biases)[0])
    assert loss == pytest.approx(0.5 * float((pred[0, 0] - 0.875) ** 2))
    for before, after in zip(copies, weights + biases):
        np.testing.assert_array_equal(before, after)
    assert half_squared_error(mlp_forward(x, new_weights, new_biases)[0], y)[0] < loss


def test_training_curves_plot_the_run_and_the_target():
    losses, predictions = [0.06, 0.03, 0.01], [0.53, 0.7, 0.8]
    fig = training_curves(losses, predictions, 0.875, lr_changes=[(1, 2.0)])
    assert isinstance(fig, Figure)
    loss_ax, pred_ax = fig.axes
    np.testing.assert_array_equal(loss_ax.lines[0].get_xydata(), [[0, 0.06], [1, 0.03], [2, 0.01]])
    np.testing.assert_array_equal(pred_ax.lines[0].get_ydata(), predictions)
    np.testing.assert_array_equal(pred_ax.lines[1].get_ydata(), [0.875, 0.875])  # the target
    assert [line.get_xdata()[0] for line in loss_ax.lines[1:]] == [1]  # the lr change
    assert any(text.get_text() == "lr 2" for text in loss_ax.texts)
    assert loss_ax.get_ylim()[0] == 0  # the loss falls towards a visible zero
    assert "loss 0.01" in fig._suptitle.get_text() and "0.80000" in fig._suptitle.get_text()


def test_gradient_check_chart_draws_each_error_and_the_threshold():
    runs = {"buggy": {"dW1": 0.6, "dW2": 1e-11}, "fixed": {"dW1": 1e-10, "dW2": 0.0}}
    ax = gradient_check_chart(runs).axes[0]
    heights = [patch.get_height() for patch in ax.patches]
    np.testing.assert_allclose(heights, [0.6, 1e-11, 1e-10, 1e-16])  # 0 drawn at the floor
    assert ax.get_yscale() == "log"
    assert ax.lines[-1].get_ydata()[0] == 1e-7
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dW1", "dW2"]


def test_derivative_mixup_draws_both_slopes_and_the_marks():
    ax = derivative_mixup(marks=(0.3, -0.5)).axes[0]
    right, wrong = ax.lines[0], ax.lines[1]
    a = right.get_xdata()
    assert a[0] == -1 and a[-1] == 1
    np.testing.assert_allclose(right.get_ydata(), 1 - a ** 2)
    np.testing.assert_allclose(wrong.get_ydata(), a * (1 - a))
    np.testing.assert_allclose(ax.lines[3].get_xydata(), [[-0.5, 0.75], [-0.5, -0.75]])
    assert min(wrong.get_ydata()) < 0  # the bug's slope changes sign for negative outputs


def test_widget_steps_resets_and_redraws():
    box = training_stepper(backward=mlp_backward, start_steps=0)
    picture, controls, state = box.children[1], box.controls, box.state
    drawings = [bytes(picture.value)]
    assert drawings[0].startswith(b"\x89PNG") and len(state["losses"]) == 1
    controls["step"].click()
    drawings.append(bytes(picture.value))
    assert len(state["losses"]) == 2 and state["losses"][1] < state["losses"][0]
    controls["step_50"].click()
    drawings.append(bytes(picture.value))
    assert len(state["losses"]) == 52
    np.testing.assert_allclose(state["predictions"], run_article(epochs=51))
    controls["lr"].value = 2.0
    drawings.append(bytes(picture.value))
    assert state["lr_changes"][-1] == (51, 2.0)
    controls["step"].click()
    assert len(state["losses"]) == 53
    controls["reset"].click()
    drawings.append(bytes(picture.value))
    assert len(state["losses"]) == 1 and state["lr_changes"] == [(0, 2.0)]
    assert all(a != b for a, b in zip(drawings, drawings[1:]))


def test_train_step_and_the_widget_use_the_backward_pass_they_are_given():
    calls = []

    def counting_backward(dout, activations, weights):
        calls.append(len(weights))
        return mlp_backward(dout, activations, weights)

    x, y, weights, biases = article_network()
    with pytest.raises(TypeError):  # no default: the lesson passes the student's
        gradient_descent_step(x, y, weights, biases, 0.5)
    gradient_descent_step(x, y, weights, biases, 0.5, backward=counting_backward)
    box = training_stepper(backward=counting_backward)  # opens after 50 steps
    box.controls["step_50"].click()
    assert calls == [3] * 101


def test_widget_opens_on_a_drawn_run_with_the_sliders_learning_rate():
    box = training_stepper(backward=mlp_backward, lr=5.011872336272722)
    picture, state = box.children[1], box.state
    assert len(state["losses"]) == 51 and bytes(picture.value).startswith(b"\x89PNG")
    np.testing.assert_array_equal(np.diff(state["losses"][:3]) < 0, True)
    assert int(picture.width) == 810 and picture.layout.width == "810px"
    assert "50 epochs" in picture.tooltip and "5.01187" not in picture.tooltip
