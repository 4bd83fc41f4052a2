"""Every figure the lessons, widgets and report draw is legible and described: its
smallest text is at least 10 px at the figure's dpi, no legend covers a plotted point,
it fits the notebook's width without being scaled, and it carries a text alternative
with its own numbers.

FIGURES registers one call per plot function (on data like the lesson's), so a plot
added to the registry is checked by every test here."""
import functools
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.text import Text

from helpers import reference
from helpers.a11y import MIN_FONT_PX, alt_text, described
from helpers.display import DPI, pixel_size
from helpers.plots import activations, backprop, batchnorm, capstone, chain_rule, forward, initialization
from helpers.plots import losses, optimizers

#: The widest picture the notebook shows unscaled (JupyterLab's output area at a 1400 px
#: window, the end-to-end tests' viewport, is 964 px wide).
MAX_WIDTH_PX = 960

ACTIVATIONS = {name: getattr(reference, name) for name in
               ("tanh_backward", "relu", "relu_backward", "leaky_relu", "leaky_relu_backward")}
STEPS = {"sgd": reference.sgd_step, "momentum": reference.momentum_step,
         "rmsprop": reference.rmsprop_step, "adam": reference.adam_step}
BATCHNORM = {key: getattr(reference, name) for key, name in batchnorm.BATCHNORM_FUNCTIONS.items()}


@functools.cache
def split():
    from helpers.digits import load_split
    return load_split()


@functools.cache
def digits_model():
    return reference.train_classifier(split().x_train, split().y_train, np.random.default_rng(0), epochs=15)


def predictions():
    return np.asarray(reference.predict(digits_model(), split().x_test))


def history():
    h = capstone.empty_history()
    for epoch, (loss, accuracy) in enumerate(zip(np.geomspace(2.0, 0.05, 15), np.linspace(0.5, 0.99, 15)), 1):
        h["epoch"].append(epoch)
        h["train_loss"].append(float(loss))
        h["val_loss"].append(float(loss) * 1.3)
        h["train_accuracy"].append(float(accuracy))
        h["val_accuracy"].append(float(accuracy) - 0.02)
    return h


def valley_runs(angle=0.0):
    return [(f"{name}: lr {VALLEY_SETTINGS[name]['lr']}",
             optimizers.optimizer_path(name, lambda w: optimizers.valley_gradient(w, angle), optimizers.START, 60,
                                       **VALLEY_SETTINGS[name], functions=STEPS))
            for name in optimizers.OPTIMIZERS]


VALLEY_SETTINGS = optimizers.VALLEY_SETTINGS


def sgd_runs():
    runs = []
    for lr in (0.07, 0.085):
        path = optimizers.optimizer_path("sgd", optimizers.valley_gradient, optimizers.START, 60, lr,
                                         functions=STEPS)
        runs.append((f"gradient descent: lr {lr}", path))
    return runs


def minibatch():
    sizes = np.array([1, 4, 16, 64, 256])
    spreads = 2.0 / np.sqrt(sizes) * (1 + 0.05 * np.arange(5))
    curves = {f"B = {b}": (np.arange(0, 2049, b), np.geomspace(1.0, 1e-3 * b ** 0.5, 2048 // b + 1))
              for b in (1, 16, 512)}
    return optimizers.minibatch_noise(sizes, spreads, curves)


def moons():
    rng = np.random.default_rng(0)
    x, y = optimizers.two_moons(200, rng)
    grid = np.linspace(-2.5, 2.5, 60)
    g1, g2 = np.meshgrid(grid, grid)
    region = 1 / (1 + np.exp(-3 * (g2 - 0.5 * np.sin(2 * g1))))
    names = optimizers.OPTIMIZERS
    return optimizers.network_comparison({n: np.geomspace(0.7, 0.05 * (i + 1), 300) for i, n in enumerate(names)},
                                         {n: region for n in names}, x, y, extent=(-2.5, 2.5))


def symmetry():
    steps = np.arange(301)
    same = np.tile(0.5 - 0.001 * steps[:, None], (1, 3))
    spread = np.column_stack([0.3 + 0.002 * steps, -0.2 - 0.001 * steps, 0.1 + 0.0005 * steps])
    loss = np.geomspace(0.25, 0.01, 300)
    return initialization.symmetry_training({"all weights 0.5": (same, loss + 0.2), "all weights 0": (same * 0, loss + 0.25),
                                             "random, std 0.6": (spread, loss)})


def depth_runs():
    return {f"std {scale}, {act}": initialization.propagate(f"std {scale}", act, depth=10)
            for act in ("tanh", "relu") for scale in ("0.01", "1")}


def batchnorm_runs(depth=8, scale=0.02):
    x, y = batchnorm.spiral(np.random.default_rng(0))
    settings = dict(depth=depth, scale=scale, steps=100, seed=0)
    return {"without batch norm": batchnorm.train_network(x, y, batchnorm=False, **settings),
            "with batch norm": batchnorm.train_network(x, y, batchnorm=True, functions=BATCHNORM, **settings)}


def patients():
    rng = np.random.default_rng(0)
    data = np.array([50.0, 190.0]) + np.array([15.0, 35.0]) * rng.normal(size=(200, 2))
    data[:, 1] += data[:, 0] - 50.0
    out, _ = reference.batchnorm_forward(data, np.ones(2), np.zeros(2))
    return batchnorm.before_and_after(data, out, labels=("patients", "after batchnorm_forward"),
                                      units=("age (years)", "cholesterol (mg/dL)"))


def running():
    rng = np.random.default_rng(0)
    means = 3.0 + rng.normal(size=100)
    traces = {}
    for momentum in (0.9, 0.99):
        value, trace = 0.0, []
        for m in means:
            value = momentum * value + (1 - momentum) * m
            trace.append(value)
        traces[f"running mean, momentum {momentum}"] = trace
    return batchnorm.running_averages(means, traces, true_mean=3.0)


def worked_out_errors():
    return {"your mlp_backward": {f"W{i}": 10.0 ** -(9 + i) for i in range(1, 4)}
            | {f"b{i}": 10.0 ** -(10 + i) for i in range(1, 4)}}


def mixup_errors():
    return {"the article's snippet": {"W1": 0.3, "W2": 1e-10}, "your fix": {"W1": 1e-10, "W2": 2e-11}}


def training_run(steps=50, lr=0.5):
    x, y, weights, biases = backprop.article_network()
    losses_, preds = [], []
    for _ in range(steps + 1):
        loss, pred, weights, biases = backprop.gradient_descent_step(x, y, weights, biases, lr,
                                                                     backward=reference.mlp_backward)
        losses_.append(loss)
        preds.append(float(pred[0, 0]))
    changes = [(0, lr)] + ([(30, 5.011872336272722)] if steps > 30 else [])
    return backprop.training_curves(losses_, preds, 0.875, lr_changes=changes)


def neighbours():
    s = split()
    return capstone.digit_and_neighbours(s.x_test[3], 5, label=int(s.y_test[3]), neighbours=s.x_train[:5],
                                         neighbour_labels=[int(v) for v in s.y_train[:5]],
                                         title="digit 3: label 5")


def a_class():
    from course.report import ClassReport, Student
    mistakes = [("dense_forward", "the bias b was never added: the output is x @ W alone, without the bias "
                 "that every one of the layer's outputs needs"),
                ("sigmoid", "the sign of z flipped: 1 / (1 + exp(z)) instead of 1 / (1 + exp(-z))"),
                ("mlp_forward", "the activation applied to the last layer's output too")]
    students = {f"s{i}": Student(f"s{i}", graded=True, total=float(i % 7),
                                 by_function={"dense_forward": float(i % 4), "sigmoid": float(i % 3)},
                                 mistakes=set(mistakes[:1 + i % 3])) for i in range(12)}
    return ClassReport("01_forward_propagation", ["dense_forward", "sigmoid"],
                       {"dense_forward": 3.0, "sigmoid": 3.0}, 6.0, students)


def report_chart():
    from course.report import mistakes_figure
    return mistakes_figure(a_class())


def report_scores():
    from course.report import scores_figure
    return scores_figure(a_class())


FIGURES = {
    # lesson 01
    "forward.sigmoid_saturation": lambda: forward.sigmoid_saturation(
        {"patient, raw": 49.0, "patient, standardised": 0.47}, reference.sigmoid),
    "forward.neuron_plane": lambda: forward.neuron_plane(1.0, -1.0, 0.0, "sigmoid"),
    "forward.layer_histograms": lambda: forward.layer_histograms(
        {"raw inputs": [np.clip(np.random.default_rng(0).normal(0.9, 0.2, (200, 8)), 0, 1)] * 3,
         "standardised inputs": [np.random.default_rng(1).uniform(size=(200, 8))] * 3}),
    # lesson 02
    "chain_rule.chain_graph": lambda: chain_rule.chain_graph(1.0),
    "chain_rule.worked_graph": lambda: chain_rule.worked_graph(2.0, 3.0),
    "chain_rule.step_size_errors": lambda: chain_rule.step_size_errors("sin(x) at x = 1"),
    "chain_rule.step_size_view": lambda: chain_rule.step_size_view("sin(x) at x = 1", 0.5),
    # lesson 03
    "backprop.training_curves": training_run,
    "backprop.training_curves, the widget's start": lambda: training_run(steps=0),
    "backprop.gradient_check_chart": lambda: backprop.gradient_check_chart(worked_out_errors()),
    "backprop.gradient_check_chart, two runs": lambda: backprop.gradient_check_chart(mixup_errors()),
    "backprop.derivative_mixup": lambda: backprop.derivative_mixup(marks=(0.2913, 0.3275)),
    # lesson 04
    "activations.gradient_through_depth": lambda: activations.gradient_through_depth(ACTIVATIONS, depth=20),
    "activations.dying_relu": lambda: activations.dying_relu(ACTIVATIONS),
    "activations.activation_gallery": lambda: activations.activation_gallery(ACTIVATIONS),
    "activations.activation_and_depth": lambda: activations.activation_and_depth(ACTIVATIONS, "sigmoid", 10),
    # lesson 05
    "initialization.symmetry_training": symmetry,
    "initialization.std_through_depth": lambda: initialization.std_through_depth(depth_runs()),
    "initialization.layer_histograms": lambda: initialization.layer_histograms(
        depth_runs()["std 1, tanh"][0][:5], title="std 1, tanh: activations of layers 1 to 5"),
    "initialization.layer_histograms, relu": lambda: initialization.layer_histograms(
        initialization.propagate("std 0.01", "relu", 6)[0], title="activations of each layer"),
    # lesson 06
    "losses.pre_activation_gradients": lambda: losses.pre_activation_gradients(z_mark=-4.0),
    "losses.learning_curves": lambda: losses.learning_curves(z0=-4.0, lr=1.0, steps=150),
    "losses.margin_losses": lambda: losses.margin_losses(margin=1.0),
    "losses.positive_example": lambda: losses.positive_example(0.1),
    # lesson 07
    "optimizers.learning_rates": lambda: optimizers.learning_rates(4.0, [0.05, 0.2, 0.45, 0.55]),
    "optimizers.valley_paths": lambda: optimizers.valley_paths(sgd_runs()),
    "optimizers.valley_paths, the widget": lambda: optimizers.valley_paths(valley_runs(30.0), 30.0, "sgd:"),
    "optimizers.minibatch_noise": minibatch,
    "optimizers.bias_correction": lambda: optimizers.bias_correction(
        1.0 + 0.5 * np.random.default_rng(0).normal(size=100)),
    "optimizers.network_comparison": moons,
    # lesson 08
    "batchnorm.before_and_after": patients,
    "batchnorm.running_averages": running,
    "batchnorm.training_comparison": lambda: batchnorm.training_comparison(batchnorm_runs()),
    "batchnorm.training_comparison, diverging": lambda: batchnorm.training_comparison(batchnorm_runs(10, 1.0)),
    # lesson 09
    "capstone.digit_gallery": lambda: capstone.digit_gallery(
        split().x_train[:20], [str(v) for v in split().y_train[:20]], title="the first 20 training digits"),
    "capstone.learning_curves": lambda: capstone.learning_curves(history()),
    "capstone.confusion_matrix": lambda: capstone.confusion_matrix(split().y_test, predictions()),
    "capstone.misclassified_gallery": lambda: capstone.misclassified_gallery(
        split().x_test, split().y_test, predictions()),
    "capstone.digit_probabilities": lambda: capstone.digit_probabilities(
        split().x_test[0], np.linspace(0.01, 0.2, 10) / np.linspace(0.01, 0.2, 10).sum(), label=3),
    "capstone.digit_and_neighbours": neighbours,
    # the instructor's report
    "report.mistakes_figure": report_chart,
    "report.scores_figure": report_scores,
}


@functools.cache
def drawn(name):
    """The figure, laid out and drawn once by Agg at the course's dpi, and its renderer."""
    fig = FIGURES[name]()
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(DPI)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # in a lesson a warning is an error output
        canvas.draw()
    return fig, canvas.get_renderer()


def visible_texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
            and all(a.get_visible() for a in _ancestors(t))]


def _ancestors(artist):
    axes = getattr(artist, "axes", None)
    return [axes] if axes is not None else []


@pytest.mark.parametrize("name", FIGURES)
def test_every_text_is_at_least_10_px(name):
    fig, _ = drawn(name)
    small = [(t.get_text()[:40], round(t.get_fontsize() * DPI / 72, 1)) for t in visible_texts(fig)
             if t.get_fontsize() * DPI / 72 < MIN_FONT_PX]
    assert not small, f"{name}: text under {MIN_FONT_PX} px at {DPI} dpi: {small}"


def plotted_points(ax):
    """Display coordinates of every point drawn in ``ax``: line vertices and markers, and
    scatter offsets."""
    points = []
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if xy.size:
            points.append(line.get_transform().transform(xy))
    for collection in ax.collections:
        if isinstance(collection, Collection) and collection.get_visible() and len(collection.get_offsets()):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            points.append(collection.get_offset_transform().transform(offsets))
    return np.concatenate(points) if points else np.empty((0, 2))


@pytest.mark.parametrize("name", FIGURES)
def test_no_legend_covers_a_plotted_point(name):
    fig, renderer = drawn(name)
    legends = [(ax, ax.get_legend()) for ax in fig.get_axes() if ax.get_legend() is not None]
    legends += [(ax, legend) for legend in fig.legends for ax in fig.get_axes()]
    for legend_ax, legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.get_axes():
            points = plotted_points(ax)
            clip = ax.get_window_extent(renderer)  # points outside their axes are not drawn
            shown = points[(points[:, 0] >= clip.x0) & (points[:, 0] <= clip.x1)
                           & (points[:, 1] >= clip.y0) & (points[:, 1] <= clip.y1)]
            inside = shown[(shown[:, 0] > box.x0) & (shown[:, 0] < box.x1)
                           & (shown[:, 1] > box.y0) & (shown[:, 1] < box.y1)]
            assert not len(inside), (f"{name}: the legend of {legend_ax.get_title()!r} covers {len(inside)} "
                                     f"point(s) of {ax.get_title()!r}")


@pytest.mark.parametrize("name", FIGURES)
def test_fits_the_notebook_unscaled(name):
    fig, _ = drawn(name)
    width, _ = pixel_size(fig)
    assert width <= MAX_WIDTH_PX, f"{name}: {width} px wide, shrunk (and its text with it) in a notebook"


@pytest.mark.parametrize("name", FIGURES)
def test_has_a_text_alternative_with_its_numbers(name):
    fig, _ = drawn(name)
    lead, text = described(fig), alt_text(fig)
    assert len(lead) > 40, f"{name}: no description of its own ({lead!r})"
    assert any(ch.isdigit() for ch in lead), f"{name}: its description says no number: {lead!r}"
    assert text.startswith(lead)


def test_show_gives_the_figure_its_alt_text_and_natural_width():
    import html
    from helpers.display import figure_bundle
    fig = FIGURES["forward.sigmoid_saturation"]()
    data, metadata = figure_bundle(fig)
    width, height = pixel_size(fig)
    assert f'width="{width}"' in data["text/html"] and "max-width: 100%" in data["text/html"]
    assert f'alt="{html.escape(alt_text(fig))}"' in data["text/html"]
    assert data["text/plain"] == alt_text(fig) and "sigmoid 0.6154" in data["text/plain"]
    assert metadata == {"image/png": {"width": width, "height": height}}


def widgets_of_the_course():
    from helpers.widgets import activations as w_activations, backprop as w_backprop, batchnorm as w_batchnorm
    from helpers.widgets import capstone as w_capstone, chain_rule as w_chain_rule, forward as w_forward
    from helpers.widgets import initialization as w_initialization, losses as w_losses, optimizers as w_optimizers
    s = split()
    return {
        "01": lambda: w_forward.neuron_explorer(),
        "02": lambda: w_chain_rule.step_size_explorer(),
        "03": lambda: w_backprop.training_stepper(backward=reference.mlp_backward),
        "04": lambda: w_activations.depth_explorer(ACTIVATIONS),
        "05": lambda: w_initialization.depth_explorer({"xavier_init": reference.xavier_init,
                                                        "he_init": reference.he_init}),
        "06": lambda: w_losses.probability_explorer(),
        "07": lambda: w_optimizers.optimizer_race(STEPS),
        "08": lambda: w_batchnorm.batchnorm_explorer(BATCHNORM, steps=20),
        "09": lambda: w_capstone.digit_browser(digits_model(), s.x_test, s.y_test, predict=reference.predict,
                                               neighbours=(s.x_train, s.y_train)),
    }


@pytest.mark.parametrize("lesson", ["01", "02", "03", "04", "05", "06", "07", "08", "09"])
def test_every_widget_picture_is_drawn_at_once_unstretched_and_named_and_every_control_named(lesson):
    import ipywidgets as widgets
    from helpers.widgets import Picture
    box = widgets_of_the_course()[lesson]()
    found, stack = [], [box]
    while stack:
        w = stack.pop()
        found.append(w)
        stack.extend(getattr(w, "children", ()))
    pictures = [w for w in found if isinstance(w, widgets.Image)]
    assert pictures and all(isinstance(p, Picture) for p in pictures)
    for picture in pictures:  # drawn before any interaction, at its natural width, never wider
        png = bytes(picture.value)
        assert png.startswith(b"\x89PNG")
        natural = int.from_bytes(png[16:20], "big")  # the IHDR chunk's width
        assert picture.width == str(natural) and picture.layout.width == f"{natural}px"
        assert natural <= MAX_WIDTH_PX and picture.layout.max_width == "100%"
        assert len(picture.tooltip) > 40 and any(ch.isdigit() for ch in picture.tooltip)
    for control in box.controls.values():  # the accessible name: the label, or a button's text
        assert control.description.strip(), f"lesson {lesson}: a control without a name: {control!r}"


@pytest.mark.parametrize("lesson", ["03", "07"])
def test_no_control_label_is_cut(lesson):
    box = widgets_of_the_course()[lesson]()
    lr = box.controls["lr"]
    assert lr.description == "learning rate" and lr.style.description_width == "initial"


def test_the_reports_mistake_chart_has_whole_labels_a_legend_and_alt_text_in_the_page():
    import html
    from course.report import page
    fig, _ = drawn("report.mistakes_figure")
    ax = fig.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert all("…" not in label for label in labels)
    assert labels[0].endswith("without the bias that every one of the layer's outputs needs")  # whole
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dense_forward", "sigmoid", "mlp_forward"]
    assert len({p.get_facecolor() for p in ax.patches}) == 3 and len({p.get_hatch() for p in ax.patches}) == 3
    alt = alt_text(fig)
    assert "12 in dense_forward: the bias b was never added" in alt
    assert f'alt="{html.escape(alt)}"' in page(a_class(), {"scores.png": "", "mistakes.png": alt})


def test_the_issues_unlabelled_axes_have_labels_and_units():
    hist, _ = drawn("forward.layer_histograms")  # lesson 01: the histograms' y axis
    rows = hist.axes
    assert all(ax.get_ylabel() == "outputs per bin" for ax in rows[::3]) and rows[-1].get_xlabel()
    patients, _ = drawn("batchnorm.before_and_after")  # lesson 08's first plot
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in patients.axes] == [
        ("age (years)", "cholesterol (mg/dL)"),
        ("age, normalised (no unit)", "cholesterol, normalised (no unit)")]
    comparison, _ = drawn("batchnorm.training_comparison")  # lesson 08's histograms: no offset text
    for ax in comparison.axes[1:]:
        assert ax.get_xlabel() == "input to the ReLU" and not ax.xaxis.get_offset_text().get_text()
    assert comparison.axes[1].get_ylabel()
    maps, _ = drawn("optimizers.network_comparison")  # lesson 07's decision maps
    for ax in maps.axes[1:]:
        assert ax.get_xlabel() == "x1" and len(ax.get_xticks()) == 3
        shapes = {c.get_label(): c.get_paths()[0].vertices.shape for c in ax.collections
                  if str(c.get_label()).startswith("class")}
        assert shapes["class 0"] != shapes["class 1"]  # circles and triangles, not two colours
    assert maps.axes[1].get_ylabel() == "x2"
