# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 09 (capstone): Handwritten digits
#
# Reading handwritten digits is the classic first task of a neural network: one of the
# first networks trained with backpropagation to do useful work read the handwritten zip
# codes on American mail (Y. LeCun and colleagues, "Backpropagation applied to handwritten
# zip code recognition", *Neural Computation* 1(4), 1989). The image goes in as numbers,
# propagates forward through the layers, and the last layer gives one score per digit. In
# this lesson you build such a network for real, from the pieces of lessons 01 to 08,
# train it on real handwriting and measure how well it reads digits it has never seen.
# You will write:
#
# 1. `predict(model, x)`: the digit a trained network sees in each image,
# 2. `train_step(params, m, v, t, x, y, lr)`: one step of training on a batch: the forward
#    pass, softmax cross-entropy, backpropagation and Adam,
# 3. `train_classifier(x_train, y_train, rng)`: He initialization and mini-batches around
#    that step, assembled into one training run.
#
# Your classifier must read at least 95% of the held-out test digits correctly, and your
# training step must compute exactly the right step: a network trained with a slightly
# wrong gradient can still reach 95% on these easy digits, so accuracy alone cannot show
# that the training is right. Then you will look at what the network gets wrong, and race
# it against the neural network of scikit-learn, a widely used machine-learning library,
# on the same data.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function; if a test fails, its message says what
# went wrong and on which input. When the graders mark your notebook they also run hidden
# tests on other inputs, so make your function correct, not just the example. Click
# **Validate** in the toolbar to run every test at once before you submit.
#
# **Each answer cell is graded on its own**, in a fresh Python with `np` (NumPy)
# available. So everything your function needs (another import, a helper function of your
# own) must be inside its answer cell. Section 3 says which calls of the course's
# functions are fine in this lesson, and which make a training run too slow.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import time

import numpy as np

from helpers.digits import load_split
from helpers.display import show
from helpers.plots.capstone import (confusion_matrix, digit_gallery, learning_curves,
                                    misclassified_gallery)
from helpers.widgets.capstone import TrainingMonitor, digit_browser

# %% [markdown] nbgrader={"grade": false, "grade_id": "data", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. The digits
#
# scikit-learn ships a small data set of handwritten digits inside the package (no
# download): 1797 images of $8 \times 8$ pixels, each labelled with its digit 0 to 9,
# about 180 of each. They were made from scanned forms: each handwritten digit's
# $32 \times 32$ black-and-white bitmap was cut into $4 \times 4$ blocks, and each pixel
# of the small image counts the black dots in its block, an integer from 0 (white) to 16
# (black). All 1797 come from the same 13 writers.
#
# The network reads an image as a row of $8 \times 8 = 64$ numbers, and we divide them by
# 16 so that each lies in $[0, 1]$. That is lesson 01's lesson about the patient: inputs
# of a few units at most keep the first layer's pre-activations in the range where the
# network can learn. The scaling is a fixed rule that looks at no data, so it tells the
# network nothing about the digits it will be tested on.
#
# **Three parts, three jobs.** A network can learn its training examples by heart, so its
# accuracy on them says little about new handwriting. The digits are therefore split once,
# in a fixed way that every student and every test shares (`helpers.digits` documents it:
# a shuffle with a fixed seed, stratified so that each part holds each digit 29 to 31
# times in 300):
#
# | part | digits | used for |
# |---|---|---|
# | training | 1197 | fitting the weights |
# | validation | 300 | choosing the settings: epochs, learning rate, network size |
# | test | 300 | one final measurement, after every choice is made |
#
# Why not choose the settings on the test digits? Every choice made by looking at a set of
# digits fits the model a little to those digits. After many such choices, accuracy on
# that set is optimistic. The test set stays honest only if nothing was ever chosen with
# it. (Honest about *these* writers: the 13 people's handwriting is in every part, so
# the test measures how well the network reads new digits by writers it has seen, which
# is a little easier than reading a stranger's.)

# %% nbgrader={"grade": false, "grade_id": "data_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
split = load_split()
for part in ("train", "val", "test"):
    x_part, y_part = getattr(split, f"x_{part}"), getattr(split, f"y_{part}")
    print(f"{part:>5}: x {x_part.shape}, y {y_part.shape}, digits per class {np.bincount(y_part)}")
print(f"pixel values from {split.x_train.min()} to {split.x_train.max()}")
show(digit_gallery(split.x_train[:20], [str(label) for label in split.y_train[:20]],
                   title="the first 20 training digits and their labels"))

# %% [markdown] nbgrader={"grade": false, "grade_id": "model", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. The network, and how it predicts
#
# The classifier is lesson 01's network with lesson 04's activations. With
# $a^{(0)} = x$, the batch of images (shape $(N, 64)$), layer $l = 1, \dots, L$ computes
#
# $$
# z^{(l)} = a^{(l-1)} W_l + b_l, \qquad
# a^{(l)} = \operatorname{ReLU}\left(z^{(l)}\right) \quad\text{for } l < L,
# $$
#
# and the last layer has no activation: its output $s = z^{(L)}$, of shape $(N, 10)$,
# holds one **score** (logit) per class. The softmax of lesson 04 turns a row of scores
# into probabilities,
#
# $$
# p_{nk} = \frac{e^{s_{nk}}}{\sum_{j=0}^{9} e^{s_{nj}}},
# $$
#
# and the **prediction** for image $n$ is the class with the largest score,
# $\hat y_n = \arg\max_k s_{nk}$. The softmax is not needed for that: $e^s$ grows with
# $s$ and every entry of a row is divided by the same sum, so the largest score always has
# the largest probability.
#
# **The model is plain data.** A trained network is nothing but its weights and biases, so
# in this lesson a model is the dictionary
#
# ```python
# model = {"weights": [W1, W2, ..., WL], "biases": [b1, b2, ..., bL]}
# ```
#
# of NumPy arrays, `W_l` of shape $(D_{l-1}, D_l)$ and `b_l` of shape $(D_l,)$, with
# $D_0 = 64$ pixels and $D_L = 10$ classes. Any number of hidden layers of any size will
# do. Two parts are optional, for the tricks of earlier lessons:
#
# - **input standardisation**: `model["mean"]` and `model["std"]`, arrays of shape
#   $(D_0,)$. The network then reads $(x - \text{mean}) / \text{std}$ instead of $x$ (each
#   pixel shifted and scaled by statistics of the training digits, kept in the model
#   because new digits must be treated the same way);
# - **batch normalization** (lesson 08) after each hidden layer's $z^{(l)} = a^{(l-1)} W_l +
#   b_l$ and before its ReLU: `model["gamma"]`, `model["beta"]`, `model["running_mean"]`
#   and `model["running_var"]`, each a list of one array of shape $(D_l,)$ per hidden layer.
#   A trained network predicts in inference mode, with the running statistics:
#   $\gamma \odot (z - \mu_{\text{run}}) / \sqrt{\sigma^2_{\text{run}} + \epsilon} + \beta$,
#   with lesson 08's $\epsilon = 10^{-5}$.
#
# A model without these keys is the plain network above. Keep it to dictionaries, lists
# and arrays, with no objects of classes of your own:
# while your notebook is graded, your answer runs in a separate process and only plain
# data comes back from it. And because the form is agreed, the course can read your
# model too: when your notebook is graded, the tests of `train_classifier` judge your
# model with the course's `predict`, and the tests of `predict` give it models made by
# hand, so a mistake in one function never costs you points in the other. (Your copy of
# the course does not contain its `predict`, which is exercise 1's answer. In your
# notebook the test of `train_classifier` reads your model with your own `predict`
# instead: make it pass its tests first.)
#
# ### Worked example
#
# A tiny network with $D_0 = 3$ inputs, two hidden units and four classes:
#
# $$
# W_1 = \begin{pmatrix} 1 & -1 \\ 0 & 2 \\ 1 & 0 \end{pmatrix}, \quad b_1 = (0, -1), \qquad
# W_2 = \begin{pmatrix} 1 & 0 & -4 & 2 \\ 0 & 3 & 1 & -1 \end{pmatrix}, \quad
# b_2 = (-3, -2, -1, -4).
# $$
#
# - $x = (1, 0, 2)$: $z^{(1)} = (1 + 0 + 2,\; -1 + 0 + 0) + (0, -1) = (3, -2)$, so
#   $a^{(1)} = (3, 0)$. The scores are $3 \cdot (1, 0, -4, 2) + b_2 = (0, -2, -13, 2)$:
#   class **3**.
# - $x = (0, 1, -1)$: $z^{(1)} = (-1, 2) + (0, -1) = (-1, 1)$, so $a^{(1)} = (0, 1)$, and
#   the scores are $(0, 3, 1, -1) + b_2 = (-3, 1, 0, -5)$: class **1**. Without the ReLU,
#   $a^{(1)} = (-1, 1)$ would give $(-4, 1, 4, -7)$ and class 2: the activation matters.
# - $x = (0, 0, 0)$: $a^{(1)} = \operatorname{ReLU}(b_1) = (0, 0)$, so the scores are $b_2$
#   itself, $(-3, -2, -1, -4)$: class **2**. Every score is negative, which is fine. A
#   ReLU on the scores would turn them all into 0, and the argmax could no longer tell
#   the classes apart: this is why the last layer has none.
#
# **With the optional parts.** One input $x = (3, 2)$, standardised with mean $(1, 2)$
# and std $(2, 4)$: $((3 - 1)/2, (2 - 2)/4) = (1, 0)$. With
# $W_1 = \begin{pmatrix} 1 & -1 & 2 \\ 0 & 1 & 1 \end{pmatrix}$ and $b_1 = (0, 0, -1)$,
# $z^{(1)} = (1, -1, 2) + b_1 = (1, -1, 1)$. Batch normalization with running mean
# $(0, -2, 3)$ and running variance $(1, 1, 4)$ gives (up to the tiny $\epsilon$)
# $((1 - 0)/1, (-1 + 2)/1, (1 - 3)/2) = (1, 1, -1)$; with $\gamma = (2, 1, 1)$ and
# $\beta = (0, -2, 0)$ that is $(2, -1, -1)$, and the ReLU makes it $a^{(1)} = (2, 0, 0)$.
# With $W_2 = \begin{pmatrix} 1 & -1 \\ 0 & 0 \\ -2 & 3 \end{pmatrix}$ and
# $b_2 = (0, 0.5)$ the scores are $(2, -2) + b_2 = (2, -1.5)$: class **0**. (Without the
# batch normalization, $a^{(1)} = (1, 0, 1)$ and the scores $(-1, 2.5)$ give class 1.) The
# test after Exercise 1 checks this one, and the input $(1, 2)$, which the standardisation
# turns into $(0, 0)$: $z^{(1)} = b_1 = (0, 0, -1)$, normalised $(0, 2, -2)$, then
# $\gamma, \beta$ give $(0, 0, -2)$ and the ReLU $(0, 0, 0)$: the scores are $b_2$, class **1**.
#
# **Exercise 1 (3 points).** Write `predict(model, x)`: standardise the inputs if the model
# has `"mean"`, then the forward pass with batch normalization before the ReLU of each
# hidden layer if the model has `"gamma"`, a ReLU after every layer but the last, then the
# class of the largest score in each row. Return an integer array of shape $(N,)$
# (`np.argmax` gives integers). A loop over the layers is expected; no loop over the
# samples.

# %% nbgrader={"grade": false, "grade_id": "predict", "locked": false, "schema_version": 3, "solution": true, "task": false}
def predict(model, x):
    """The class with the largest score for each input.

    model: {"weights": [W1, ..., WL], "biases": [b1, ..., bL]}, W_l of shape
        (D_(l-1), D_l) and b_l of shape (D_l,); a ReLU follows every layer but the last.
        Optional: "mean" and "std" of shape (D_0,), to standardise the inputs; "gamma",
        "beta", "running_mean", "running_var", lists of one array of shape (D_l,) per
        hidden layer, for batch normalization (inference mode, eps = 1e-5) before its ReLU
    x: array of shape (N, D_0), one input per row
    returns: integer array of shape (N,), the index of the largest of each row's D_L scores
    """
    ### BEGIN SOLUTION
    weights, biases = model["weights"], model["biases"]
    a = x
    if "mean" in model:  # the standardisation the training used
        a = (a - model["mean"]) / model["std"]
    for layer, (W, b) in enumerate(zip(weights[:-1], biases[:-1])):
        z = a @ W + b  # hidden layers: (N, D_l-1) @ (D_l-1, D_l)
        if "gamma" in model:  # batch normalization with the running statistics
            z = (model["gamma"][layer] * (z - model["running_mean"][layer])
                 / np.sqrt(model["running_var"][layer] + 1e-5) + model["beta"][layer])
        a = np.maximum(z, 0.0)
    scores = a @ weights[-1] + biases[-1]  # the last layer: scores, no activation
    return np.argmax(scores, axis=1)  # (N,)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_predict", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

model = {"weights": [np.array([[1.0, -1.0], [0.0, 2.0], [1.0, 0.0]]),
                     np.array([[1.0, 0.0, -4.0, 2.0], [0.0, 3.0, 1.0, -1.0]])],
         "biases": [np.array([0.0, -1.0]), np.array([-3.0, -2.0, -1.0, -4.0])]}
x = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [0.0, 0.0, 0.0]])
check_example("predict", predict, (model, x), expected=np.array([3, 1, 2]))
print("predict: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_predict_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One layer and no hidden layer, so no ReLU at all; one input, x = (1, 2):
# scores = (-1 - 2, 0 - 4, 1 - 2) + (0, 0, 0.5) = (-3, -4, -0.5), class 2.
one_layer = {"weights": [np.array([[-1.0, 0.0, 1.0], [-1.0, -2.0, -1.0]])],
             "biases": [np.array([0.0, 0.0, 0.5])]}
check_example("predict", predict, (one_layer, np.array([[1.0, 2.0]])), expected=np.array([2]))
# The worked example with the optional parts: x = (3, 2) gives class 0, x = (1, 2) class 1.
with_parts = {"weights": [np.array([[1.0, -1.0, 2.0], [0.0, 1.0, 1.0]]),
                          np.array([[1.0, -1.0], [0.0, 0.0], [-2.0, 3.0]])],
              "biases": [np.array([0.0, 0.0, -1.0]), np.array([0.0, 0.5])],
              "mean": np.array([1.0, 2.0]), "std": np.array([2.0, 4.0]),
              "gamma": [np.array([2.0, 1.0, 1.0])], "beta": [np.array([0.0, -2.0, 0.0])],
              "running_mean": [np.array([0.0, -2.0, 3.0])], "running_var": [np.array([1.0, 1.0, 4.0])]}
check_example("predict", predict, (with_parts, np.array([[3.0, 2.0], [1.0, 2.0]])),
              expected=np.array([0, 1]))
# The hidden tests below run when your notebook is graded: random networks of several
# depths and widths, with and without the optional parts, and networks trained on the digits.
### BEGIN HIDDEN TESTS
from helpers import reference
from helpers.check import check_reference
from helpers.digits import load_split

rng = np.random.default_rng(909)
for sizes, n in [([64, 128, 10], 7), ([5, 7, 3], 6), ([4, 3], 5), ([6, 8, 8, 8, 2], 9), ([3, 1, 4], 1)]:
    random_model = {"weights": [rng.normal(size=(d_in, d_out)) for d_in, d_out in zip(sizes, sizes[1:])],
                    "biases": [rng.normal(size=d_out) for d_out in sizes[1:]]}
    check_reference("predict", predict, (random_model, rng.normal(size=(n, sizes[0]))))
    # the same network with input standardisation, then with batch normalization as well
    random_model["mean"], random_model["std"] = rng.normal(size=sizes[0]), rng.uniform(0.5, 2, sizes[0])
    check_reference("predict", predict, (random_model, rng.normal(size=(n, sizes[0]))))
    hidden = sizes[1:-1]
    random_model.update(gamma=[rng.uniform(0.5, 2, d) for d in hidden], beta=[rng.normal(size=d) for d in hidden],
                        running_mean=[rng.normal(size=d) for d in hidden],
                        running_var=[rng.uniform(0.1, 3, d) for d in hidden])
    check_reference("predict", predict, (random_model, rng.normal(size=(n, sizes[0]))))
digits = load_split()
trained = reference.train_classifier(digits.x_train, digits.y_train, np.random.default_rng(919))
check_reference("predict", predict, (trained, digits.x_test))
### END HIDDEN TESTS
print("predict: a network without hidden layers, and one with the optional parts, pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "training", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. Training: the pieces, assembled
#
# Training looks for the weights that make the mean cross-entropy of the training digits
# small. Every piece comes from an earlier lesson; here they are in the order a training
# run uses them.
#
# **Initialization (lesson 05).** Each weight matrix is drawn from He's normal
# distribution, $W_l \sim \mathcal N\!\left(0, \tfrac{2}{D_{l-1}}\right)$, made for ReLU
# layers; the biases start at 0. Random, so that the hidden units start different (with
# equal weights they would stay copies of one another forever), and at this scale so that
# the activations keep their size through the layers.
#
# **Mini-batches and epochs (lesson 07).** One **epoch** is one pass over the training
# digits: shuffle them (`order = rng.permutation(N)`), cut the shuffled order into
# batches of $B$ (the last one may be smaller), and take one step per batch. The images
# and labels must be shuffled with the same order, or they no longer match.
#
# **Forward pass (lessons 01 and 04),** as in section 2, keeping every layer's input
# $a^{(l-1)}$, since the backward pass needs them.
#
# **Loss and its gradient (lesson 06).** The mean softmax cross-entropy of a batch is
# $\mathcal L = -\frac{1}{B} \sum_{n} \log p_{n, y_n}$, and its gradient with respect to
# the scores is the probabilities minus the one-hot labels, divided by the batch size:
#
# $$
# \frac{\partial \mathcal L}{\partial s_{nk}} = \frac{1}{B}\left(p_{nk} - [k = y_n]\right),
# $$
#
# where $[k = y_n]$ is 1 for the true class and 0 elsewhere. In NumPy: compute `p`, then
# subtract 1 at each row's true class with `p[np.arange(B), y] -= 1` (this is one entry
# per row; `p[:, y]` would be whole columns), then divide by $B$. Subtract each row's
# maximum score before the exponential (lesson 04), or large scores overflow.
#
# **Backward pass (lesson 03).** Write $\delta^{(l)} = \partial \mathcal L / \partial
# z^{(l)}$, starting with $\delta^{(L)} = \partial \mathcal L / \partial s$. For each
# layer, from the last to the first:
#
# $$
# \frac{\partial \mathcal L}{\partial W_l} = \left(a^{(l-1)}\right)^{\!\top} \delta^{(l)}, \qquad
# \frac{\partial \mathcal L}{\partial b_l} = \sum_{n} \delta^{(l)}_{n}, \qquad
# \delta^{(l-1)} = \left(\delta^{(l)} W_l^\top\right) \odot \left[z^{(l-1)} > 0\right].
# $$
#
# The first two are `dense_backward`'s `dW` and `db`; the last is its `dx` followed by
# `relu_backward` (ReLU's derivative is 1 where its input is positive, 0 elsewhere).
# Shapes: $(D_{l-1}, B) \cdot (B, D_l) \to (D_{l-1}, D_l)$, the shape of $W_l$.
#
# **Update (lesson 07).** Adam, one step per batch for every parameter, with its own $m$
# and $v$ (zeros at the start) and the step counter $t$ starting at **1**:
# $m \leftarrow \beta_1 m + (1 - \beta_1) g$, $v \leftarrow \beta_2 v + (1 - \beta_2) g^2$,
# $\theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)$ with
# $\hat m = m / (1 - \beta_1^t)$, $\hat v = v / (1 - \beta_2^t)$, $\beta_1 = 0.9$,
# $\beta_2 = 0.999$ and $\epsilon = 10^{-8}$, exactly lesson 07's `adam_step`. Adam suits
# this task: one learning rate fits every layer, since each coordinate's step is about
# $\eta$ whatever the size of its gradient.
#
# A first run with $B = 32$, one hidden layer of 128 units, $\eta = 0.01$ and 20 epochs
# takes 760 steps and reaches about 97% on the validation digits.
#
# ### One step, checked exactly
#
# Why grade a step on its own? Because these digits are easy: a network trained with a
# backward pass that forgets ReLU's derivative, or with biases that never move, or with
# Adam's bias correction left out, still reads about 95% of the test digits. The accuracy
# cannot tell such a training from a right one; one step can, since a right step has one
# exact result. So the training step is a function of its own, with everything it needs
# passed in and passed back (no hidden state):
#
# - `params = [W1, b1, W2, b2, ..., WL, bL]`, the network's parameters in one list, layer by
#   layer (the model of section 2 is `{"weights": params[0::2], "biases": params[1::2]}`);
# - `m` and `v`, Adam's two averages, lists of arrays of the same shapes as `params`;
# - `t`, this step's number, counted from 1 by the caller;
# - `x` of shape $(B, 64)$ and `y` of shape $(B,)$, one batch; `lr`, Adam's $\eta$.
#
# It returns new lists `(params, m, v)`: the parameters after the step and the updated
# averages (the raw $m$ and $v$, not $\hat m$ and $\hat v$). It must not change the lists or
# arrays it is given (write `W = W - ...`, not `W -= ...`): the test compares them before
# and after.
#
# **Worked example.** Two inputs, two hidden units, two classes, a batch of two:
# $W_1 = \begin{pmatrix} 1 & -1 \\ -1 & 2 \end{pmatrix}$, $b_1 = (0, 0)$,
# $W_2 = \begin{pmatrix} 0 & 2 \\ 0 & 1 \end{pmatrix}$, $b_2 = (2, 0)$, the inputs
# $x_1 = (1, 0)$ and $x_2 = (0, 1)$ with labels $y = (0, 1)$, the first step ($t = 1$,
# $m = v = 0$) with $\eta = 0.1$.
#
# - Forward: $z^{(1)}$ is $(1, -1)$ for $x_1$ and $(-1, 2)$ for $x_2$, so
#   $a^{(1)} = (1, 0)$ and $(0, 2)$. The scores are $(0, 2) + b_2 = (2, 2)$ and
#   $(0, 2) + b_2 = (2, 2)$: both rows give $p = (\tfrac12, \tfrac12)$.
# - $\delta^{(2)} = (p - \text{one-hot}) / 2$: $(-\tfrac14, \tfrac14)$ and
#   $(\tfrac14, -\tfrac14)$. Then $\partial \mathcal L / \partial W_2 = (a^{(1)})^\top
#   \delta^{(2)} = \begin{pmatrix} -\frac14 & \frac14 \\ \frac12 & -\frac12 \end{pmatrix}$
#   and $\partial \mathcal L / \partial b_2 = (0, 0)$.
# - $\delta^{(2)} W_2^\top$ is $(\tfrac12, \tfrac14)$ and $(-\tfrac12, -\tfrac14)$; ReLU's
#   derivative keeps only the active units, $[z^{(1)} > 0]$ = $(1, 0)$ and $(0, 1)$, so
#   $\delta^{(1)}$ is $(\tfrac12, 0)$ and $(0, -\tfrac14)$:
#   $\partial \mathcal L / \partial W_1 = \begin{pmatrix} \frac12 & 0 \\ 0 & -\frac14
#   \end{pmatrix}$ and $\partial \mathcal L / \partial b_1 = (\tfrac12, -\tfrac14)$.
# - Adam's first step: $m = 0.1 g$, $v = 0.001 g^2$, and the bias correction gives back
#   $\hat m = g$, $\hat v = g^2$, so each parameter moves by
#   $-\eta\, g / (|g| + \epsilon)$: $-0.1$ where $g > 0$, $+0.1$ where $g < 0$, nothing where
#   $g = 0$ (up to $\epsilon$). So $W_1$ becomes $\begin{pmatrix} 0.9 & -1 \\ -1 & 2.1
#   \end{pmatrix}$, $b_1$ becomes $(-0.1, 0.1)$, $W_2$ becomes $\begin{pmatrix} 0.1 & 1.9
#   \\ -0.1 & 1.1 \end{pmatrix}$ and $b_2$ stays $(2, 0)$.
#
# Without ReLU's derivative, $\delta^{(1)}$ would keep the $\tfrac14$ and $-\tfrac12$ of
# the inactive units and $W_1$ would get a different step; with the biases frozen, $b_1$
# would stay $(0, 0)$; without the bias correction every step would be
# $0.1 \cdot 0.1 / \sqrt{0.001} \approx 0.32$ instead of $0.1$. Each is caught.
#
# **Exercise 2 (3 points).** Write `train_step`. A loop over the layers is expected (the
# backward one from the last layer to the first), none over the samples.

# %% nbgrader={"grade": false, "grade_id": "train_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_step(params, m, v, t, x, y, lr=0.01):
    """One Adam step on the mean softmax cross-entropy of the batch x, y.

    params: [W1, b1, ..., WL, bL], a ReLU network (a ReLU after every layer but the last)
    m, v: lists of arrays of the shapes of params, Adam's averages (zeros before step 1)
    t: this step's number, counted from 1
    x: array of shape (B, D_0); y: integer array of shape (B,), the classes
    lr: Adam's learning rate (beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
    returns: (params, m, v), new lists of new arrays; the inputs are left unchanged
    """
    ### BEGIN SOLUTION
    weights, biases = params[0::2], params[1::2]
    activations = [x]  # each layer's input
    for W, b in zip(weights[:-1], biases[:-1]):
        activations.append(np.maximum(activations[-1] @ W + b, 0.0))  # (B, D_l)
    scores = activations[-1] @ weights[-1] + biases[-1]  # (B, D_L), no activation
    p = np.exp(scores - scores.max(axis=1, keepdims=True))  # the max-shift of lesson 04
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0  # one entry per row
    delta = p / len(y)  # dL/dscores = (softmax - one_hot) / B
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        a = activations[layer]
        grads = [a.T @ delta, delta.sum(axis=0)] + grads  # dW_l (D_l-1, D_l), db_l (D_l,)
        if layer > 0:
            # back through W_l, then ReLU's derivative: 1 where the unit was active
            delta = (delta @ weights[layer].T) * (a > 0)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    new_params, new_m, new_v = [], [], []
    for theta, g, m_i, v_i in zip(params, grads, m, v):
        m_i = beta1 * m_i + (1 - beta1) * g
        v_i = beta2 * v_i + (1 - beta2) * g ** 2
        m_hat, v_hat = m_i / (1 - beta1 ** t), v_i / (1 - beta2 ** t)
        new_params.append(theta - lr * m_hat / (np.sqrt(v_hat) + eps))
        new_m.append(m_i)
        new_v.append(v_i)
    return new_params, new_m, new_v
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_train_step", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The worked example: the first step (t = 1, m = v = 0, lr = 0.1) moves each parameter by
# -0.1 * g / |g| where its gradient g is not 0; m = 0.1 g and v = 0.001 g ** 2.
params = [np.array([[1.0, -1.0], [-1.0, 2.0]]), np.array([0.0, 0.0]),
          np.array([[0.0, 2.0], [0.0, 1.0]]), np.array([2.0, 0.0])]
zeros = [np.zeros_like(p) for p in params]
gradient = [np.array([[0.5, 0.0], [0.0, -0.25]]), np.array([0.5, -0.25]),
            np.array([[-0.25, 0.25], [0.5, -0.5]]), np.array([0.0, 0.0])]
check_example("train_step", train_step, (params, zeros, zeros, 1, np.array([[1.0, 0.0], [0.0, 1.0]]),
                                         np.array([0, 1]), 0.1),
              expected=([np.array([[0.9, -1.0], [-1.0, 2.1]]), np.array([-0.1, 0.1]),
                         np.array([[0.1, 1.9], [-0.1, 1.1]]), np.array([2.0, 0.0])],
                        [0.1 * g for g in gradient], [0.001 * g ** 2 for g in gradient]))
print("train_step: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_train_step_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A later step (t = 2) of a network without hidden layers, one input x = (1, 2) of class 1:
# the scores x W + b = (1 - 1, -1 + 1) = (0, 0) give p = (1/2, 1/2), so dscores = p - (0, 1)
# = (1/2, -1/2), dW = x^T dscores = [[0.5, -0.5], [1, -1]] and db = (0.5, -0.5). With m = 0
# and v = g ** 2 given, the new m = 0.1 g and v = 0.999 g ** 2 + 0.001 g ** 2 = g ** 2;
# m_hat = 0.1 g / (1 - 0.9 ** 2) = 0.1 g / 0.19 and v_hat = g ** 2 / (1 - 0.999 ** 2)
# = g ** 2 / 0.001999, so each step is 0.1 * (0.1 / 0.19) * sqrt(0.001999) * sign(g)
# (up to eps), about 0.0023532 * sign(g).
W, b = np.array([[1.0, -1.0], [-0.5, 0.5]]), np.array([0.0, 0.0])
g = [np.array([[0.5, -0.5], [1.0, -1.0]]), np.array([0.5, -0.5])]
step = 0.1 * (0.1 / 0.19) * np.sqrt(0.001999)
check_example("train_step", train_step, ([W, b], [np.zeros_like(W), np.zeros_like(b)], [gi ** 2 for gi in g], 2,
                                         np.array([[1.0, 2.0]]), np.array([1]), 0.1),
              expected=([W - step * np.sign(g[0]), b - step * np.sign(g[1])],
                        [0.1 * gi for gi in g], [gi ** 2 for gi in g]))
# The hidden tests below run when your notebook is graded: networks of several depths and
# widths, batches of several sizes, later steps with averages m and v already filled.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(929)
for sizes, batch, t, lr in [([64, 128, 10], 32, 1, 0.01), ([5, 7, 3], 6, 2, 0.05), ([4, 3], 5, 7, 0.1),
                            ([6, 8, 5, 2], 9, 40, 0.003), ([3, 1, 4], 1, 3, 0.02), ([64, 16, 16, 10], 13, 500, 0.01)]:
    shapes = [shape for d_in, d_out in zip(sizes, sizes[1:]) for shape in ((d_in, d_out), (d_out,))]
    params = [rng.normal(size=shape) for shape in shapes]
    m = [0.0 * p if t == 1 else 0.1 * rng.normal(size=p.shape) for p in params]
    v = [0.0 * p if t == 1 else 0.01 * rng.normal(size=p.shape) ** 2 for p in params]
    x, y = rng.normal(size=(batch, sizes[0])), rng.integers(0, sizes[-1], size=batch)
    check_reference("train_step", train_step, (params, m, v, t, x, y, lr))
### END HIDDEN TESTS
print("train_step: a later step, with m and v given, passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "assembly", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The training run
#
# `train_classifier` draws the initial weights (He's normal distribution, biases at 0),
# sets $m$ and $v$ to zeros, and then, epoch after epoch, shuffles the training digits and
# calls `train_step` once per batch with $t = 1, 2, 3, \dots$ counted over the whole run
# (not restarted each epoch: Adam's averages carry over from epoch to epoch).
#
# **Your answer may call your `train_step`.** While your notebook is graded, each answer
# cell runs on its own, and the name `train_step` in your `train_classifier` then means the
# course's `train_step`, so a mistake in your step costs points in its own tests only.
# That call crosses from your answer's process to the grader and back, about a
# millisecond: 760 steps cost about a second, well within the budget. Calls of the
# course's functions from earlier lessons (`dense_forward`, `relu_backward`, `adam_step`,
# ...) cross the same way, so do not build the loop from them: with every piece a call, a
# training run makes thousands of crossings, several seconds. A call or two is harmless:
# `he_init(fan_in, fan_out, rng)` for each layer's first weights draws from your `rng`
# there exactly as it does here.
#
# **Your own architecture.** The tests of `train_classifier` judge only the model it
# returns, so you may train another network: more layers, standardised inputs, batch
# normalization (section 2 lists the parts a model may carry, which the course's `predict`
# reads). Such a network needs a step of its own, written inside `train_classifier`;
# `train_step` is graded on the plain network either way.
#
# ### What train_classifier must do
#
# - take all its randomness from `rng` (the initial weights and every shuffle), so that
#   the same seed trains the same model; nothing from `np.random.randn` or other global
#   state;
# - leave `x_train` and `y_train` unchanged (`rng.shuffle(x_train)` would change the
#   caller's array: shuffle an index instead), and shuffle the images and the labels with
#   the same order, or they no longer match;
# - return the model in the form of section 2;
# - finish a training run within 10 s of CPU time (the solution needs well under a
#   second), with everything vectorised over the batch. Loops over epochs, batches and
#   layers are expected. The test stops a run that goes on longer and says so. Only the
#   time your training computes counts, not the time other programs on the machine take.
#
# The stub below also takes the settings as keyword arguments, with defaults that work,
# and a `callback`: if it is not `None`, call `callback(epoch, model)` at the end of each
# epoch (epochs counted from 1), with the model in the form of section 2. The tests call
# `train_classifier(x_train, y_train, rng)` only; the settings and the callback are for
# section 4, which trains your network while it shows the progress, and for section 6,
# which gives scikit-learn the same settings. (If your training calls `predict`, say to
# print the accuracy as it goes, it gets the course's `predict` while it is graded.)
#
# **Exercise 3 (4 points).** Write `train_classifier`. The tests train it on the 1197
# training digits and need at least 95% on the validation digits (seed 0), the same model
# from the same seed and another from another seed, and, hidden, at least 95% on the test
# digits for other seeds. Aim for 96% or more on the validation digits, so that a
# different seed cannot push you under the bar.

# %% nbgrader={"grade": false, "grade_id": "train_classifier", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train_classifier(x_train, y_train, rng, hidden=(128,), epochs=20, batch_size=32, lr=0.01,
                     callback=None):
    """Train a ReLU network with softmax cross-entropy, mini-batches and Adam.

    x_train: array of shape (N, 64), one digit per row, values in [0, 1]
    y_train: integer array of shape (N,), the labels 0 to 9
    rng: numpy.random.Generator, the only source of randomness
    hidden: the sizes of the hidden layers; epochs: passes over the data;
    batch_size: samples per step; lr: Adam's learning rate
    callback: None, or a function to call as callback(epoch, model) after each epoch
    returns: model, {"weights": [W1, ..., WL], "biases": [b1, ..., bL]}, W_l of shape
        (D_(l-1), D_l) and b_l of shape (D_l,), D_0 = 64 and D_L = 10
    """
    ### BEGIN SOLUTION
    n, d = x_train.shape
    sizes = [d, *hidden, 10]
    params = []  # [W1, b1, W2, b2, ...]
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        # He initialization, N(0, 2 / fan_in); the biases start at 0
        params += [rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out)), np.zeros(fan_out)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)  # a new shuffle every epoch, the same for x and y
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            t += 1  # Adam counts its steps from 1, over the whole run
            params, m, v = train_step(params, m, v, t, x_train[rows], y_train[rows], lr)
        if callback is not None:
            callback(epoch, {"weights": params[0::2], "biases": params[1::2]})
    return {"weights": params[0::2], "biases": params[1::2]}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_train_classifier", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.capstone import check_classifier

# Train on the 1197 training digits with np.random.default_rng(0); then at least 95% of the
# 300 validation digits must be classified right, read by your predict here (by the
# course's when your notebook is graded).
check_classifier("train_classifier", train_classifier, seed=0, split="validation", predict=predict)
print("train_classifier: at least 95% on the validation digits.")

# %% nbgrader={"grade": true, "grade_id": "test_train_classifier_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.capstone import check_classifier, check_reproducible

# Seed 1 twice gives the same model, seed 2 another: all the randomness comes from rng.
check_reproducible("train_classifier", train_classifier, seed=1)
# The hidden tests below run when your notebook is graded: at least 95% on the test
# digits, for other seeds.
### BEGIN HIDDEN TESTS
for seed in (901, 902):
    check_classifier("train_classifier", train_classifier, seed=seed, split="test")
### END HIDDEN TESTS
print("train_classifier: the same seed trains the same model, another seed another.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "watch", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. Watching it learn
#
# The cell below trains your network with the settings of section 3 and shows its
# progress while it trains: a progress bar with the latest accuracies, and the **learning
# curves**, the accuracy after every epoch on the training digits and on the validation
# digits. The monitor is your `callback`, and it reads the model with your `predict`. It
# redraws the curves at most once a second, so a training as fast as the solution's shows
# only the final picture. To watch them move, run it yourself in a new cell with more
# epochs:
#
# ```python
# with TrainingMonitor(split, epochs=200, predict=predict) as monitor:
#     train_classifier(split.x_train, split.y_train, np.random.default_rng(0), epochs=200,
#                      callback=monitor)
# ```

# %% nbgrader={"grade": false, "grade_id": "watch_demo", "locked": true, "schema_version": 3, "solution": false, "task": false} course={"timeout": 60}
HIDDEN, EPOCHS, BATCH_SIZE, LEARNING_RATE = (128,), 20, 32, 0.01

with TrainingMonitor(split, epochs=EPOCHS, predict=predict) as monitor:
    model = train_classifier(split.x_train, split.y_train, np.random.default_rng(0), hidden=HIDDEN,
                             epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LEARNING_RATE, callback=monitor)
history = monitor.history
best = int(np.argmax(history["val_accuracy"]))
print(f"best validation accuracy {history['val_accuracy'][best]:.1%} after epoch {history['epoch'][best]}; "
      f"after the last epoch {history['val_accuracy'][-1]:.1%}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "watch_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# What the curves show (for the solution; yours will be similar):
#
# - The **training** accuracy climbs to 100% in about a dozen epochs: from then on the
#   network classifies every one of its training digits right.
# - The **validation** accuracy rises quickly too, then stops improving at about 97% and
#   wobbles by a digit or two of the 300 from epoch to epoch (the cell prints where it was
#   best). The gap between the two curves is what the network has learned about its 1197
#   training digits that does not carry over to new handwriting: **overfitting**.
#
# **A misconception: a better score on the training digits means a better model.** It
# does not: the training digits are the ones the network learns from, the only ones it
# cannot be judged on. Decisions (how many epochs, how large a network, which learning
# rate) are made on the validation curves. Here, the epochs after the validation accuracy
# stops improving buy nothing; stopping there is called **early stopping**.
#
# Accuracy only counts right and wrong answers. The loss, the mean cross-entropy, also
# weighs how confident they are, and it shows overfitting more sharply: in the solution's
# run the training loss falls on and on, from 0.22 after the first epoch to 0.002 after
# the last, while the validation loss is lowest, about 0.12, after epoch 11 and then
# creeps up again, to 0.15. The network grows ever surer of its training digits, and more
# confidently wrong about a few new ones. To see your own loss curves, write a function
# `mean_cross_entropy(model, x, y)` in a new cell (the forward pass of your `predict`
# without the argmax, then the loss of lesson 06's `softmax_cross_entropy` from
# `helpers.reference`) and pass it to the monitor as well:
# `TrainingMonitor(split, epochs=EPOCHS, predict=predict, loss=mean_cross_entropy)`.
#
# Two more things the curves tell apart: a validation accuracy that never rises much above
# chance (10%) points to a bug, not to overfitting (check the gradient with lesson 02's
# numerical gradient on a tiny network); a loss that grows, or turns into `nan`, means too
# large a learning rate or an update that goes the wrong way.

# %% [markdown] nbgrader={"grade": false, "grade_id": "evaluate", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. The test digits: what it gets right, and what not
#
# With every choice made, the network meets the 300 test digits, once. The **confusion
# matrix** counts, for every true class (row) and predicted class (column), how many test
# digits landed there: the diagonal holds the correct answers (boxed, in bold), everything
# else is a mistake (shaded, the darker the more). Below it are the misclassified digits themselves,
# each titled "true -> predicted".

# %% nbgrader={"grade": false, "grade_id": "evaluate_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
test_predictions = predict(model, split.x_test)
test_accuracy = np.mean(test_predictions == split.y_test)
print(f"test accuracy: {test_accuracy:.1%} ({np.sum(test_predictions != split.y_test)} of "
      f"{len(split.y_test)} digits wrong)")
show(confusion_matrix(split.y_test, test_predictions))
show(misclassified_gallery(split.x_test, split.y_test, test_predictions))

# %% [markdown] nbgrader={"grade": false, "grade_id": "evaluate_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The mistakes are not random. In the solution's run they are two 3s read as 5s, two 8s
# read as 1s, a 4 read as a 9 and a 6 read as a 0: digits that share strokes at
# $8 \times 8$ pixels, and some of them hard for a person too. A network that only sees
# 64 numbers knows nothing about strokes or shapes; it has learned which pixels tend to
# be dark for which digit, and these digits sit near the border between two classes.
#
# ### Explore: the mistakes, and the digits they resemble
#
# The widget shows one test digit at a time and the class your network reads in it (with
# your `predict` again), and says whether that is right (in green) or wrong (in red).
# Beside it are the five training digits nearest to it, pixel by pixel (the smallest sums
# of squared differences over the 64 pixels), each under its label, marked "true" (in
# black) when that is the digit's true class and "chosen" (in red) when it is the class
# your network chose instead. Choose "misclassified"
# to step through the mistakes only. Try these:
#
# - Would you have read each misclassified digit right?
# - Are a mistake's nearest training digits of its true class, or of the class your
#   network chose? When they are of the chosen class, the digit really does resemble the
#   other class's handwriting, pixel by pixel. When they all carry the true label, a plain
#   comparison with the training digits would have got it right where your network did
#   not.
# - That comparison is itself a classifier, *k nearest neighbours*: give a new digit the
#   most common label among its $k$ nearest training digits. On these small, clean digits
#   it does about as well as the network, but it must keep every training digit and
#   compare each new digit with all of them, where the network keeps only its weights. Is
#   there a digit your network reads right although most of its neighbours carry another
#   label?

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
digit_browser(model, split.x_test, split.y_test, predict=predict, neighbours=(split.x_train, split.y_train))

# %% [markdown] nbgrader={"grade": false, "grade_id": "sklearn", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. Against scikit-learn
#
# scikit-learn's `MLPClassifier` ("multi-layer perceptron") is the same kind of network:
# dense layers, ReLU, softmax cross-entropy, mini-batches, Adam. Given the same settings
# as yours (the hidden layer sizes, the batch size, the learning rate, the number of
# epochs, and no extra penalty on large weights: `alpha=0`), it solves the same problem
# in the same way. It differs in details:
#
# - it draws its initial weights from a uniform distribution of Glorot's scale, biases
#   included;
# - it may stop before its last epoch. Its `early_stopping=False` (the default) only means
#   that it holds no validation digits back; it still stops when the training loss has not
#   improved by at least `tol` for more than `n_iter_no_change` epochs in a row (10 by
#   default). `n_iter_no_change=EPOCHS` switches that off, since within EPOCHS epochs it
#   can never count more than EPOCHS of them, so both networks train for exactly the same
#   number of epochs (`tol=0` alone would not do it: a loss that fails to fall for 11
#   epochs in a row would still stop the training);
# - its Adam is the "efficient" form that Kingma and Ba give in their Adam paper ("Adam: a
#   method for stochastic optimization", 2015, section 2), which Keras uses too: it folds
#   the bias correction into the step size, $\eta_t = \eta \sqrt{1 - \beta_2^t} / (1 -
#   \beta_1^t)$, and steps by $\eta_t\, m / (\sqrt{v} + \hat\epsilon)$. That is lesson
#   07's update with $\epsilon = \hat\epsilon / \sqrt{1 - \beta_2^t}$: the two differ only
#   in where $\epsilon$ sits, which matters only for coordinates whose gradient is about
#   as small as $\epsilon$.
#
# The cell below trains each three times with different seeds, with the settings of
# section 4, and reports the median time and the mean test accuracy. The first row is
# *your* `train_classifier`.

# %% nbgrader={"grade": false, "grade_id": "sklearn_demo", "locked": true, "schema_version": 3, "solution": false, "task": false} course={"timeout": 60}
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

runs = {"your NumPy network": [], "scikit-learn's MLPClassifier": []}
for seed in range(3):
    start = time.perf_counter()
    mine = train_classifier(split.x_train, split.y_train, np.random.default_rng(seed), hidden=HIDDEN,
                            epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LEARNING_RATE)
    seconds = time.perf_counter() - start
    runs["your NumPy network"].append((seconds, np.mean(predict(mine, split.x_test) == split.y_test)))

    theirs = MLPClassifier(hidden_layer_sizes=HIDDEN, activation="relu", solver="adam", alpha=0.0,
                           batch_size=BATCH_SIZE, learning_rate_init=LEARNING_RATE, max_iter=EPOCHS,
                           shuffle=True, tol=0.0, n_iter_no_change=EPOCHS, random_state=seed)
    with warnings.catch_warnings():  # "maximum iterations reached": we asked for exactly that
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        theirs.fit(split.x_train, split.y_train)
        seconds = time.perf_counter() - start
    runs["scikit-learn's MLPClassifier"].append((seconds, theirs.score(split.x_test, split.y_test)))

print(f"{len(split.y_train)} training digits, hidden layers {HIDDEN}, {EPOCHS} epochs, batches of "
      f"{BATCH_SIZE}, Adam with learning rate {LEARNING_RATE}; 3 runs each\n")
print(f"{'':<30}{'training time (median)':>24}{'test accuracy (mean)':>23}")
medians = {}
for name, results in runs.items():
    seconds, accuracies = zip(*results)
    medians[name] = np.median(seconds)
    print(f"{name:<30}{medians[name]:>22.3f} s{np.mean(accuracies):>22.1%}")
ratio = medians["scikit-learn's MLPClassifier"] / medians["your NumPy network"]
print(f"\nscikit-learn's training took {ratio:.2f} times as long as yours" if ratio >= 1 else
      f"\nyour training took {1 / ratio:.2f} times as long as scikit-learn's")

# %% [markdown] nbgrader={"grade": false, "grade_id": "sklearn_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The accuracies agree to within a digit or two of the 300: the same maths reaches the
# same place. The last line above says how the training times compared on this machine,
# in this run; the times of a fraction of a second vary from run to run, so read it as a
# rough comparison. The two do about the same arithmetic per step. With batches of 32 and
# a layer of 128 units, one step's matrix products take microseconds, so the Python
# around them weighs as much as they do: scikit-learn is a general tool that, at every
# step, also computes the value of the loss, handles its regularisation term and updates
# each layer's arrays through a general optimizer, while a lean loop does only what this
# network needs. Whichever came out faster here, use the library in practice: it is
# tested, flexible, and offers early stopping, regularisation and more. But there is no
# magic inside it: it is the network you just wrote.
#
# ## Summary
#
# - The digits are split once into training, validation and test parts: fit on the
#   first, choose on the second, measure once on the third.
# - A classifier's model is its weights and biases; `predict` is the forward pass, with a
#   ReLU after every hidden layer and none on the scores, then the argmax of each row (the
#   softmax does not change which score is largest).
# - Training assembles the whole course: He initialization, shuffled mini-batches, the
#   forward pass, the softmax cross-entropy gradient $(p - \text{one-hot}) / B$,
#   backpropagation through dense layers and ReLU, and Adam with its step counter from 1.
# - Accuracy alone cannot show that a training is right: on easy data a slightly wrong
#   gradient still learns. One step, checked exactly, can.
# - The learning curves tell fitting from generalising: when the network starts to
#   overfit, the training accuracy reaches 100% while the validation accuracy stops
#   improving (and the validation loss turns up while the training loss keeps falling).
# - A confusion matrix and the misclassified digits show *which* mistakes a classifier
#   makes; they are rarely random.
# - A library's network is the same network: given the same settings it reaches the same
#   accuracy, in a time of the same order on a problem this small.
#
# This is the end of the course. From here, the same pieces scale up: more layers,
# convolutions that share weights across an image, and frameworks that compute the
# backward pass for you. You now know what they compute.
