"""Lesson 09's plots show what they claim (the data in their artists), the training
monitor records and shows every epoch, and the digit browser draws at once and redraws
when each control changes. The monitor and the browser read models with the predict (and
loss) they are given: here the course's, in the lesson the student's."""

import base64
import functools

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from helpers.a11y import GREY
from helpers.digits import load_split
from helpers.plots.capstone import (CORRECT, TRUE, WRONG, confusion_counts, confusion_matrix,
                                    digit_and_neighbours, digit_gallery, digit_probabilities,
                                    empty_history, learning_curves, misclassified_gallery)
from helpers.reference.capstone import class_probabilities, evaluate, predict, train_classifier
from helpers.widgets.capstone import TrainingMonitor, digit_browser


@functools.cache
def split():
    """The digits' split, loaded when a test first needs it (not while tests are collected)."""
    return load_split()


@functools.cache
def model():
    return train_classifier(split().x_train, split().y_train, np.random.default_rng(0), epochs=3)


def course_loss(model, x, y):
    return evaluate(model, x, y)[0]


def images_of(fig):
    return [ax.images[0].get_array() for ax in fig.axes if ax.images]


def test_digit_gallery_shows_each_digit_under_its_title():
    x = split().x_train[:13]
    fig = digit_gallery(x, [f"n{i}" for i in range(12)] + [("last", "tab:red")], columns=5)
    assert isinstance(fig, Figure) and len(fig.axes) == 15  # 3 rows of 5, two left empty
    shown = images_of(fig)
    assert len(shown) == 13
    for picture, row in zip(shown, x):
        np.testing.assert_array_equal(picture, row.reshape(8, 8))
    titled = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in titled] == [f"n{i}" for i in range(12)] + ["last"]
    assert to_rgba(titled[-1].title.get_color()) == to_rgba("tab:red")


def test_misclassified_gallery_shows_exactly_the_wrong_digits():
    y_true = np.array([1, 2, 3, 4, 5, 6])
    y_pred = np.array([1, 7, 3, 9, 5, 0])
    x = np.arange(6 * 64).reshape(6, 64) / 384
    fig = misclassified_gallery(x, y_true, y_pred)
    shown = images_of(fig)
    assert len(shown) == 3
    for picture, row in zip(shown, [1, 3, 5]):
        np.testing.assert_array_equal(picture, x[row].reshape(8, 8))
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["2 -> 7", "4 -> 9", "6 -> 0"]
    assert fig.get_suptitle().startswith("3 of 6 digits misclassified")
    limited = misclassified_gallery(x, y_true, y_pred, limit=2)
    assert len(images_of(limited)) == 2 and "the first 2 shown" in limited.get_suptitle()
    none = misclassified_gallery(x, y_true, y_true)
    assert "no misclassified digits among 6" in none.texts[0].get_text()


def test_learning_curves_plot_the_history():
    history = {"epoch": [1, 2, 3], "train_loss": [1.0, 0.5, 0.2], "val_loss": [1.1, 0.7, 0.6],
               "train_accuracy": [0.8, 0.9, 0.99], "val_accuracy": [0.75, 0.85, 0.9]}
    loss_ax, accuracy_ax = learning_curves(history).axes
    for ax, kind in ((loss_ax, "loss"), (accuracy_ax, "accuracy")):
        train, val = ax.lines
        np.testing.assert_array_equal(train.get_xydata(), np.column_stack([[1, 2, 3], history[f"train_{kind}"]]))
        np.testing.assert_array_equal(val.get_xydata(), np.column_stack([[1, 2, 3], history[f"val_{kind}"]]))
        assert train.get_label() == "training digits" and val.get_label() == "validation digits"
    assert loss_ax.get_yscale() == "log"
    assert learning_curves(empty_history()).axes[0].lines[0].get_xydata().size == 0


def test_learning_curves_without_losses_show_the_accuracy_alone():
    history = {**empty_history(), "epoch": [1, 2], "train_accuracy": [0.9, 1.0], "val_accuracy": [0.8, 0.85]}
    (accuracy_ax,) = learning_curves(history).axes
    train, val = accuracy_ax.lines
    np.testing.assert_array_equal(train.get_xydata(), [[1, 0.9], [2, 1.0]])
    np.testing.assert_array_equal(val.get_xydata(), [[1, 0.8], [2, 0.85]])
    assert accuracy_ax.get_title() == "accuracy"


def test_confusion_counts_against_a_loop():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 200), rng.integers(0, 10, 200)
    expected = np.zeros((10, 10), dtype=int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(confusion_counts(y_true, y_pred), expected)


def test_confusion_matrix_writes_every_count_and_colours_only_mistakes():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 2, 1, 1, 0, 2])
    fig = confusion_matrix(y_true, y_pred, classes=3)
    ax = fig.axes[0]
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
    assert written == {(0, 0): 1, (0, 2): 1, (1, 1): 2, (1, 0): 1, (2, 2): 1}
    np.testing.assert_array_equal(ax.images[0].get_array(), [[0, 0, 1], [1, 0, 0], [0, 0, 0]])
    assert ax.get_title().startswith("6 digits, 66.7% correct\n")
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


@pytest.mark.parametrize("label, colour", [(2, CORRECT), (5, WRONG), (None, CORRECT)])
def test_digit_probabilities_draws_the_bars_and_marks_the_classes(label, colour):
    p = np.array([0.01, 0.04, 0.6, 0.05, 0.1, 0.1, 0.02, 0.03, 0.03, 0.02])
    image_ax, bar_ax = digit_probabilities(split().x_test[0], p, label=label).axes
    np.testing.assert_array_equal(image_ax.images[0].get_array(), split().x_test[0].reshape(8, 8))
    bars = bar_ax.patches
    np.testing.assert_allclose([bar.get_height() for bar in bars], p)
    assert to_rgba(bars[2].get_facecolor()) == to_rgba(colour)
    assert to_rgba(bars[4].get_facecolor()) == to_rgba(GREY)
    if label is not None:
        assert bars[label].get_linewidth() == 2
    assert bar_ax.get_title().startswith("predicted 2 with probability 0.600")


@pytest.mark.parametrize("label, colour", [(3, CORRECT), (5, WRONG), (None, CORRECT)])
def test_digit_and_neighbours_shows_the_verdict_and_each_neighbour_under_its_label(label, colour):
    near = split().x_train[:4]
    fig = digit_and_neighbours(split().x_test[0], 3, label=label, neighbours=near, neighbour_labels=[3, 5, 1, 3])
    digit_ax, *near_axes = [ax for ax in fig.axes if ax.images]
    np.testing.assert_array_equal(digit_ax.images[0].get_array(), split().x_test[0].reshape(8, 8))
    assert digit_ax.get_title().endswith({3: "read as 3 (right)", 5: "read as 3 (wrong: it is 5)",
                                          None: "read as 3"}[label])
    assert to_rgba(digit_ax.title.get_color()) == to_rgba(colour)
    assert len(near_axes) == 4
    texts = {3: ["3, true", "5", "1", "3, true"], 5: ["3, chosen", "5, true", "1", "3, chosen"],
             None: ["3, true", "5", "1", "3, true"]}[label]
    for ax, image, text in zip(near_axes, near, texts):
        np.testing.assert_array_equal(ax.images[0].get_array(), image.reshape(8, 8))
        assert ax.get_title() == text
    expected = {3: [TRUE, GREY, GREY, TRUE], 5: [WRONG, TRUE, GREY, WRONG],
                None: [TRUE, GREY, GREY, TRUE]}[label]
    assert [to_rgba(ax.title.get_color()) for ax in near_axes] == [to_rgba(c) for c in expected]
    alone = digit_and_neighbours(split().x_test[0], 3, label=3)
    assert len([ax for ax in alone.axes if ax.images]) == 1


def png(bundle):
    """The PNG bytes of a display bundle (base64 text, as Jupyter sends them)."""
    return base64.b64decode(bundle["image/png"])


class FakeHandle:
    def __init__(self):
        self.bundles = []

    def update(self, bundle, raw=False, metadata=None):
        self.bundles.append(bundle)


def test_training_monitor_records_every_epoch_and_shows_progress():
    monitor = TrainingMonitor(split(), epochs=4, redraw_seconds=0.0, display=False, predict=predict,
                              loss=course_loss)
    monitor._status, monitor._plot = FakeHandle(), FakeHandle()
    with monitor:
        model = train_classifier(split().x_train, split().y_train, np.random.default_rng(1), epochs=4,
                                 callback=monitor)
    history = monitor.history
    assert history["epoch"] == [1, 2, 3, 4]
    assert (history["val_loss"][-1], history["val_accuracy"][-1]) == evaluate(model, split().x_val, split().y_val)
    assert (history["train_loss"][-1], history["train_accuracy"][-1]) == evaluate(model, split().x_train, split().y_train)
    texts = [bundle["text/plain"] for bundle in monitor._status.bundles]
    assert len(texts) == 5  # one line per epoch, then the final one
    assert texts[1].startswith("[############............] epoch 2/4")
    assert "validation accuracy" in texts[-1] and texts[-1].endswith("done)")
    assert monitor.frames == 5 and all(png(b).startswith(b"\x89PNG") for b in monitor._plot.bundles)
    assert all('alt="Learning curves over' in b["text/html"] for b in monitor._plot.bundles)


def test_training_monitor_redraws_at_most_as_often_as_asked():
    monitor = TrainingMonitor(split(), redraw_seconds=60.0, display=False, predict=predict, loss=course_loss)
    with monitor:
        for epoch in range(1, 4):
            monitor(epoch, model())
    assert monitor.frames == 1  # only the final picture
    assert monitor.status().startswith("epoch 3  loss: training")


def test_training_monitor_without_a_loss_records_and_shows_the_accuracies():
    seen = []

    def counting_predict(model, x):
        seen.append(len(x))
        return predict(model, x)

    monitor = TrainingMonitor(split(), epochs=2, redraw_seconds=0.0, display=False, predict=counting_predict)
    monitor._status, monitor._plot = FakeHandle(), FakeHandle()
    with monitor:
        for epoch in (1, 2):
            monitor(epoch, model())
    history = monitor.history
    assert seen == [len(split().y_train), len(split().y_val)] * 2  # the predict it was given
    assert history["train_loss"] == history["val_loss"] == []
    assert history["val_accuracy"] == [evaluate(model(), split().x_val, split().y_val)[1]] * 2
    assert history["train_accuracy"] == [evaluate(model(), split().x_train, split().y_train)[1]] * 2
    assert monitor._status.bundles[-1]["text/plain"].startswith(
        f"[{'#' * 24}] epoch 2/2  accuracy: training {history['train_accuracy'][-1]:.1%}, validation")
    assert png(monitor._plot.bundles[-1]).startswith(b"\x89PNG")


def test_digit_browser_draws_at_once_and_redraws_for_each_control():
    box = digit_browser(model(), split().x_test, split().y_test, predict=predict,
                        neighbours=(split().x_train, split().y_train))
    picture = box.children[-1]
    first = bytes(picture.value)
    assert first.startswith(b"\x89PNG")
    box.controls["index"].value = 5
    assert box.chosen() == 5 and bytes(picture.value) != first
    wrong = np.flatnonzero(predict(model(), split().x_test) != split().y_test)
    assert box.controls["only_mistakes"].options == (("all 300 digits", False),
                                                     (f"the {len(wrong)} misclassified", True))
    before = bytes(picture.value)
    box.controls["only_mistakes"].value = True
    assert box.controls["index"].max == len(wrong) - 1
    assert box.chosen() in wrong and bytes(picture.value) != before
    probabilities = class_probabilities(model(), split().x_test)
    assert probabilities.shape == (300, 10)


def test_digit_browser_reads_with_the_predict_it_is_given_and_finds_the_nearest_digits():
    calls = []

    def counting_predict(model, x):
        calls.append(len(x))
        return predict(model, x)

    box = digit_browser(model(), split().x_test, split().y_test, predict=counting_predict,
                        neighbours=(split().x_train, split().y_train))
    box.controls["index"].value = 7
    assert calls == [300]  # once, for every digit
    near_x, near_y = box.nearest(split().x_test[7])
    distances = ((split().x_train - split().x_test[7]) ** 2).sum(axis=1)
    np.testing.assert_array_equal(near_x, split().x_train[np.argsort(distances, kind="stable")[:5]])
    assert sorted(distances)[:5] == sorted(((near_x - split().x_test[7]) ** 2).sum(axis=1))
    np.testing.assert_array_equal(near_y, split().y_train[np.argsort(distances, kind="stable")[:5]])
    plain = digit_browser(model(), split().x_test, split().y_test, predict=predict)  # no neighbours: the digit alone
    assert bytes(plain.children[-1].value).startswith(b"\x89PNG") and plain.nearest is None
