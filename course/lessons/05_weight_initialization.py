# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 05: Weight initialization
#
# Before a network can learn, its weights need starting values. That choice looks like a
# detail, but it decides whether training works at all: start everything at zero and the
# hidden units can never become different from each other; start too small or too large
# and the signal dies out or blows up on its way through a deep network. This lesson finds
# out why, works out the right scale from a short variance calculation, and then asks you
# to write the two initializers used in practice:
#
# 1. `xavier_init(fan_in, fan_out, rng)`: Glorot (also called Xavier) initialization,
#    for tanh-like activations,
# 2. `he_init(fan_in, fan_out, rng)`: He initialization, for ReLU.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function; if a test fails, its message says what
# went wrong and on which input. When the graders mark your notebook they also run hidden
# tests on other inputs, so make your function correct, not just the example. Click
# **Validate** in the toolbar to run every test at once before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from helpers.display import show
from helpers.plots.initialization import layer_histograms, propagate, std_through_depth, symmetry_training
from helpers.reference import dense_backward, dense_forward, relu, tanh_backward
from helpers.widgets.initialization import depth_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "zeros", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. Why not start from zeros?
#
# Zeros are the obvious first guess: no unit is favoured, nothing is random. Take a small
# network with one hidden layer of $H$ tanh units and a linear output,
#
# $$
# h = \tanh(x W_1 + b_1), \qquad \hat y = h W_2 + b_2,
# $$
#
# and suppose that all the weights start equal: every column of $W_1$ is the same, every
# entry of $b_1$ is the same, and every entry of $W_2$ is the same (zeros are one such
# start). Follow one training step.
#
# - **Forward.** Hidden unit $j$ computes $h_j = \tanh\big(\sum_i x_i (W_1)_{ij} + (b_1)_j\big)$
#   from its own column of $W_1$. The columns are equal, so **every hidden unit outputs
#   the same number**.
# - **Backward.** The loss reaches $h_j$ through the single weight $(W_2)_j$, so
#   $\partial L / \partial h_j = \frac{\partial L}{\partial \hat y} (W_2)_j$, the same for
#   every $j$. Then $\partial L / \partial z_j = \partial L / \partial h_j \cdot (1 - h_j^2)$
#   and the gradient of column $j$ of $W_1$, $x^\top \partial L / \partial z_j$, are the
#   same for every $j$ too; so is the gradient of $(W_2)_j$, which is
#   $h_j \, \partial L / \partial \hat y$.
# - **Update.** Equal weights minus equal gradients: the weights are still equal.
#
# By the same argument at every later step, **the hidden units stay identical forever**.
# However large $H$ is, the network behaves as if it had one hidden unit: the units never
# become different feature detectors. This is the **symmetry problem**, and the cure is to
# break the symmetry with *random* initial weights.
#
# Zeros are even worse than another constant. With $W_2 = 0$, $\partial L / \partial h = 0$,
# so $W_1$ gets no gradient at all; and $h = \tanh(0) = 0$, so $W_2$'s gradient
# $h^\top \partial L / \partial \hat y$ is zero too. Only the output bias $b_2$ ever moves.
# (Biases, on the other hand, may start at zero: once the weights are random, the units
# already differ.)
#
# ### Worked example: one gradient from a constant start
#
# Take $x = (1, 2)$, $H = 3$ hidden units, every weight $0.5$, biases $0$, target $y = 0$
# and the squared error $L = (\hat y - y)^2$ (for a batch, its mean over the samples).
# Every hidden unit gets $z_j = 0.5 \cdot 1 + 0.5 \cdot 2 = 1.5$ and outputs $h_j = \tanh(1.5) \approx 0.9051$; the output is
# $\hat y = 3 \cdot 0.5 \cdot 0.9051 \approx 1.3577$. Backwards,
# $\partial L / \partial \hat y = 2 \hat y \approx 2.7154$,
# $\partial L / \partial h_j = 2.7154 \cdot 0.5 \approx 1.3577$ and
# $\partial L / \partial z_j = 1.3577 \cdot (1 - 0.9051^2) \approx 0.2453$, so every column
# of $\partial L / \partial W_1$ is $(1, 2) \cdot 0.2453 = (0.2453, 0.4907)$, and every
# entry of $\partial L / \partial W_2$ is $0.9051 \cdot 2.7154 \approx 2.4579$. The cell
# below computes it with the course's `dense_forward`, `dense_backward` and `tanh_backward`.

# %% nbgrader={"grade": false, "grade_id": "zeros_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = np.array([[1.0, 2.0]])  # one input, shape (1, 2)
y = np.array([[0.0]])
W1, b1 = np.full((2, 3), 0.5), np.zeros(3)  # every hidden unit starts the same
W2, b2 = np.full((3, 1), 0.5), np.zeros(1)

h = np.tanh(dense_forward(x, W1, b1))  # (1, 2) @ (2, 3) -> (1, 3)
prediction = dense_forward(h, W2, b2)  # (1, 3) @ (3, 1) -> (1, 1)
dprediction = 2 * (prediction - y) / y.size  # the gradient of the mean squared error
dh, dW2, db2 = dense_backward(dprediction, h, W2)
_, dW1, db1 = dense_backward(tanh_backward(dh, h), x, W1)
print("hidden outputs:", h.round(4))
print("dW1, one column per hidden unit:\n", dW1.round(4))
print("dW2:", dW2.ravel().round(4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "symmetry_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Training from a constant start
#
# Now train the same shape of network, 2 inputs, 3 tanh hidden units and a linear output,
# on the four points of XOR: the target is $-1$ when $x_1 = x_2$ and $+1$ otherwise, with
# $x_1, x_2 \in \{-1, 1\}$. XOR needs at least two different hidden units, because one
# unit's decision line cannot separate the two classes. We train three times with plain
# gradient descent: from every weight equal to $0.5$, from all zeros, and from small
# random weights. The left panels follow the weight from input 1 to each hidden unit.

# %% nbgrader={"grade": false, "grade_id": "symmetry_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_xor = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])  # (4, 2)
y_xor = np.array([[-1.0], [1.0], [1.0], [-1.0]])  # (4, 1)


def train_xor(W1, W2, lr=0.2, steps=200):
    """Gradient descent on the 2-3-1 tanh network; returns the weight from input 1 to
    each hidden unit after every step, shape (steps + 1, 3), and the losses."""
    b1, b2 = np.zeros(W1.shape[1]), np.zeros(W2.shape[1])
    hidden_weights, losses = [W1[0].copy()], []
    for _ in range(steps):
        h = np.tanh(dense_forward(x_xor, W1, b1))  # (4, 2) @ (2, 3) -> (4, 3)
        prediction = dense_forward(h, W2, b2)  # (4, 3) @ (3, 1) -> (4, 1)
        loss = np.mean((prediction - y_xor) ** 2)
        dprediction = 2 * (prediction - y_xor) / y_xor.size
        dh, dW2, db2 = dense_backward(dprediction, h, W2)
        _, dW1, db1 = dense_backward(tanh_backward(dh, h), x_xor, W1)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
        hidden_weights.append(W1[0].copy())
        losses.append(loss)
    return np.array(hidden_weights), np.array(losses)


rng = np.random.default_rng(0)
runs = {
    "all weights 0.5": train_xor(np.full((2, 3), 0.5), np.full((3, 1), 0.5)),
    "all weights 0": train_xor(np.zeros((2, 3)), np.zeros((3, 1))),
    "random, std 0.6": train_xor(0.6 * rng.standard_normal((2, 3)), 0.6 * rng.standard_normal((3, 1))),
}
for label, (_, losses) in runs.items():
    print(f"{label:>16}: loss {losses[0]:.3f} at the start, {losses[-1]:.2g} after {len(losses)} steps")
show(symmetry_training(runs))

# %% [markdown] nbgrader={"grade": false, "grade_id": "scale", "locked": true, "schema_version": 3, "solution": false, "task": false}
# From the constant start the three lines lie exactly on top of each other and the loss
# stalls: three identical units are one unit, and one unit cannot solve XOR. From zeros
# nothing moves at all. From random weights the units go their own ways and the loss falls
# to almost nothing.
#
# ## 2. Random, but how large?
#
# Random weights break the symmetry. Their **scale**, the standard deviation we draw them
# with, matters as soon as the network is deep. Below, an input of 100 standard normal
# vectors of 64 features goes through 10 layers of 64 units (no biases), with weights
# drawn from a normal distribution of standard deviation $0.01$ or $1$, once with tanh and
# once with ReLU. The right panel sends a standard normal gradient back from the output
# and shows what reaches each layer's pre-activations $z_l$; since
# $\partial L / \partial W_l = a_{l-1}^\top \, \partial L / \partial z_l$, a layer whose
# inputs $a_{l-1}$ or gradients $\partial L / \partial z_l$ are tiny barely learns.
#
# Each unit adds up 64 products, so a rough rule (made exact in section 3) is that one
# layer multiplies the spread of the signal by about $\sigma_w \sqrt{64} = 8\,\sigma_w$:
#
# - $\sigma_w = 0.01$: a factor of $0.08$ per layer, so after 10 layers the activations are
#   about $0.08^{10} \approx 10^{-11}$ of the input. The signal **vanishes**, and so do the
#   gradients on the way back.
# - $\sigma_w = 1$: a factor of $8$. With ReLU the activations **explode**, roughly
#   $(8 / \sqrt 2)^{10} \approx 3 \times 10^{7}$ times the input after 10 layers (ReLU loses a
#   factor $\sqrt 2$ per layer, see section 3). With tanh they cannot grow past $\pm 1$:
#   the neurons **saturate**, and the standard deviation near 1 hides it. The histograms under the plot show every value
#   pinned at $-1$ or $+1$, where tanh's slope is almost zero: the units have become step
#   functions. The gradients on the way back are still multiplied by the large weights and
#   grow towards the input.

# %% nbgrader={"grade": false, "grade_id": "scale_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
runs = {f"std {scale}, {activation}": propagate(f"std {scale}", activation, depth=10)
        for activation in ("tanh", "relu") for scale in ("0.01", "1")}
for label, (activations, gradients) in runs.items():
    print(f"{label:>15}: std of the activations {np.std(activations[0]):.2g} in layer 1, "
          f"{np.std(activations[-1]):.2g} in layer 10")
show(std_through_depth(runs))
show(layer_histograms(runs["std 1, tanh"][0][:5], title="std 1, tanh: activations of layers 1 to 5"))

# %% [markdown] nbgrader={"grade": false, "grade_id": "variance", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. The right scale: a variance argument
#
# We want every layer to pass on a signal of the same size: no shrinking, no growing.
# "Size" here is the variance, a notion from probability; three of its tools are all the
# argument needs.
#
# - A weight drawn at random is a **random variable** $X$. Its **expectation** (or mean)
#   $E[X]$ is the average of its values over many draws. Expectation is linear:
#   $E[aX + bY] = a\,E[X] + b\,E[Y]$ for any random variables $X, Y$ and numbers $a, b$.
# - Its **variance** $\operatorname{Var}(X) = E\big[(X - E[X])^2\big] = E[X^2] - E[X]^2$
#   is the mean squared distance from its mean, a measure of spread; its square root is
#   the standard deviation $\sigma_X$. When $E[X] = 0$, $\operatorname{Var}(X) = E[X^2]$.
# - $X$ and $Y$ are **independent** when the value of one tells nothing about the value
#   of the other (like two separate draws of a random generator). Then $E[XY] = E[X]\,E[Y]$,
#   and the same holds for any functions of them, e.g. $E[X^2 Y^2] = E[X^2]\,E[Y^2]$.
#   Random variables with $E[XY] = E[X]\,E[Y]$ are called **uncorrelated**, and the
#   variance of a sum of pairwise uncorrelated terms is the sum of their variances:
#   $\operatorname{Var}(X_1 + \dots + X_n) = \operatorname{Var}(X_1) + \dots +
#   \operatorname{Var}(X_n)$.
#
# Now take one unit of a dense layer with $n_\text{in}$ inputs
# (its **fan-in**) and no bias:
#
# $$
# z = \sum_{i=1}^{n_\text{in}} x_i w_i .
# $$
#
# Suppose the weights $w_i$ are drawn independently with mean 0 and variance
# $\operatorname{Var}(w)$, independently of the inputs. Each product has mean
# $E[x_i]\,E[w_i] = 0$ and variance $E[x_i^2 w_i^2] = E[x_i^2]\, \operatorname{Var}(w)$,
# and the products are uncorrelated (their weights are independent with mean 0), so the
# variances add up:
#
# $$
# \operatorname{Var}(z) = n_\text{in} \operatorname{Var}(w)\, E[x^2].
# $$
#
# When the inputs have mean 0, $E[x^2] = \operatorname{Var}(x)$ and this is
# $\operatorname{Var}(z) = n_\text{in} \operatorname{Var}(w) \operatorname{Var}(x)$: the
# layer multiplies the variance by $n_\text{in} \operatorname{Var}(w)$, the standard
# deviation by $\sqrt{n_\text{in}}\, \sigma_w$ (the "$8\,\sigma_w$" of section 2).
#
# **Forward (LeCun).** tanh is close to the identity near 0 and keeps the mean at 0, so, to
# a first approximation, the variance survives a layer when
# $n_\text{in} \operatorname{Var}(w) = 1$:
#
# $$
# \operatorname{Var}(w) = \frac{1}{n_\text{in}}, \qquad \sigma_w = \sqrt{1 / n_\text{in}} .
# $$
#
# This is **LeCun** initialization (LeCun et al., 1998).
#
# **Backward.** The gradient flows back through the same weights, transposed: with the
# layer's $n_\text{out}$ outputs (its **fan-out**), $\partial L / \partial x_i =
# \sum_{j=1}^{n_\text{out}} w_{ij}\, \partial L / \partial z_j$, and the same calculation
# (with gradients of mean 0, independent of the weights) gives
# $\operatorname{Var}(\partial L / \partial x) = n_\text{out} \operatorname{Var}(w)
# \operatorname{Var}(\partial L / \partial z)$. The gradients keep their size when
# $\operatorname{Var}(w) = 1 / n_\text{out}$.
#
# **Glorot (Xavier).** Both conditions hold only when $n_\text{in} = n_\text{out}$. Glorot
# and Bengio (2010) take the compromise of one over the average fan:
#
# $$
# \operatorname{Var}(w) = \frac{2}{n_\text{in} + n_\text{out}}, \qquad
# \sigma_w = \sqrt{\frac{2}{n_\text{in} + n_\text{out}}} .
# $$
#
# **He.** ReLU breaks the forward condition: it sets every negative $z$ to 0. If $z$ is
# symmetric around 0, then $a = \max(z, 0)$ keeps $z^2$ on the positive half and 0 on the
# other, so $E[a^2] = \frac12 E[z^2] = \frac12 \operatorname{Var}(z)$: **ReLU halves the
# second moment**. The next layer receives $\operatorname{Var}(z') = n_\text{in}
# \operatorname{Var}(w) \cdot \frac12 \operatorname{Var}(z)$ (here $E[a^2]$ matters, not
# $\operatorname{Var}(a)$: ReLU outputs do not have mean 0), and keeping it equal to
# $\operatorname{Var}(z)$ needs twice LeCun's variance. He et al. (2015):
#
# $$
# \operatorname{Var}(w) = \frac{2}{n_\text{in}}, \qquad \sigma_w = \sqrt{2 / n_\text{in}} .
# $$
#
# For a layer with 400 inputs and 250 outputs: LeCun $\sigma_w = \sqrt{1/400} = 0.05$,
# Glorot $\sigma_w = \sqrt{2/650} \approx 0.0555$, He $\sigma_w = \sqrt{2/400} \approx 0.0707$.
#
# **A name mix-up to avoid.** An initialization snippet that circulates in tutorials calls
# `np.random.randn(*shape) * np.sqrt(1. / shape[0])` "Xavier initialization". With
# `shape[0]` the fan-in, that is **LeCun's** scale $\sqrt{1 / n_\text{in}}$; Glorot's is
# $\sqrt{2 / (n_\text{in} + n_\text{out})}$. The two agree only for square layers. (Its He
# version has the right scale.) Both of its functions also draw from NumPy's global random
# state; in this course randomness is passed in as a generator `rng`, so that a seed
# reproduces every result.
#
# The cell below checks the formulas on a 400 → 250 layer, forwards with standard normal
# inputs and backwards with standard normal gradients, and checks that ReLU halves the
# second moment.

# %% nbgrader={"grade": false, "grade_id": "variance_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(1)
fan_in, fan_out = 400, 250
x = rng.standard_normal((1000, fan_in))  # 1000 inputs with mean 0 and variance 1
dz = rng.standard_normal((1000, fan_out))  # gradients with variance 1 arriving at z
for label, std in [("LeCun", np.sqrt(1 / fan_in)), ("Glorot", np.sqrt(2 / (fan_in + fan_out))),
                   ("He", np.sqrt(2 / fan_in))]:
    W = std * rng.standard_normal((fan_in, fan_out))
    z = x @ W  # (1000, 400) @ (400, 250) -> (1000, 250)
    dx = dz @ W.T  # (1000, 250) @ (250, 400) -> (1000, 400)
    print(f"{label:>6}: std {std:.4f}; Var(z) {z.var():.3f} (formula {fan_in * std ** 2:.3f}), "
          f"Var(dx) {dx.var():.3f} (formula {fan_out * std ** 2:.3f})")
z = rng.standard_normal(100_000)
print(f"E[relu(z)^2] for standard normal z: {np.mean(relu(z) ** 2):.3f} (half of Var(z) = 1)")

# %% [markdown] nbgrader={"grade": false, "grade_id": "xavier_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# LeCun keeps the forward variance at exactly 1 and lets the backward one drop to $0.625$;
# Glorot splits the difference ($1.23$ and $0.77$); He doubles the forward variance,
# which is what a following ReLU halves again.
#
# ## 4. Your initializers
#
# A weight matrix of a layer with `fan_in` inputs and `fan_out` outputs has shape
# `(fan_in, fan_out)`, one row per input, because the layer computes `x @ W`. Draw it from
# the generator `rng` you are given, never from `np.random.randn` or `np.random.normal`
# (those use NumPy's hidden global state):
#
# - `rng.normal(loc, scale, size)`: normal draws with mean `loc` and **standard deviation**
#   `scale` (not the variance), in an array of shape `size`;
# - `rng.standard_normal(size)`: mean 0 and standard deviation 1; multiply by $\sigma$ to
#   get standard deviation $\sigma$.
#
# **How your function is tested.** Its result is random, so the tests cannot compare it
# with fixed numbers: any correct way of drawing gives other numbers. They check instead
# that the result is a float64 array of shape `(fan_in, fan_out)`, that two generators of
# the same seed give the same array and different seeds different arrays (all randomness
# comes from `rng`), that NumPy's global random state is left alone, and that a large draw
# looks like the right normal distribution: its mean, its standard deviation and the
# fractions of values within one and two standard deviations (68.3% and 95.4% for a normal
# distribution). The tolerances are six standard errors for the number of values, so a
# correct function fails with a probability far below one in a million.
#
# **Exercise 1 (4 points).** Write `xavier_init(fan_in, fan_out, rng)`: a `(fan_in,
# fan_out)` array drawn from a normal distribution with mean 0 and standard deviation
# $\sqrt{2 / (n_\text{in} + n_\text{out})}$, with $n_\text{in}$ = `fan_in` and
# $n_\text{out}$ = `fan_out`. For 500 inputs and 300 outputs that is $\sqrt{2 / 800} = 0.05$.

# %% nbgrader={"grade": false, "grade_id": "xavier_init", "locked": false, "schema_version": 3, "solution": true, "task": false}
def xavier_init(fan_in, fan_out, rng):
    """Glorot (Xavier) normal initialization.

    fan_in: int, the layer's number of inputs
    fan_out: int, the layer's number of outputs
    rng: numpy.random.Generator, the only source of randomness
    returns: array of shape (fan_in, fan_out) drawn from N(0, 2 / (fan_in + fan_out))
    """
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / (fan_in + fan_out))  # the standard deviation, not the variance
    return rng.normal(0.0, std, size=(fan_in, fan_out))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_xavier_init", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.initialization import check_initializer

# 500 inputs, 300 outputs: std = sqrt(2 / (500 + 300)) = sqrt(1 / 400) = 0.05.
check_initializer("xavier_init", xavier_init, 500, 300, std=0.05)
print("xavier_init: the 150 000 weights of a 500 -> 300 layer look like N(0, 0.05^2).")

# %% nbgrader={"grade": true, "grade_id": "test_xavier_init_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.initialization import check_initializer

# A tiny layer, 3 -> 2: too few values for statistics; the shape, dtype and rng are checked.
check_initializer("xavier_init", xavier_init, 3, 2)
# A lopsided layer, 2000 -> 50: sqrt(2 / 2050) = 0.0312, far from LeCun's sqrt(1 / 2000) = 0.0224.
check_initializer("xavier_init", xavier_init, 2000, 50, std=np.sqrt(2 / 2050), seed=1)
# The hidden tests below run when your notebook is graded: more shapes and seeds.
### BEGIN HIDDEN TESTS
for fan_in, fan_out, seed in [(400, 250, 105), (250, 400, 205), (1000, 30, 305), (64, 700, 405)]:
    check_initializer("xavier_init", xavier_init, fan_in, fan_out,
                      std=np.sqrt(2 / (fan_in + fan_out)), seed=seed)
for fan_in, fan_out in [(1, 1), (1, 9), (8, 1), (2, 5)]:
    check_initializer("xavier_init", xavier_init, fan_in, fan_out, seed=500 + 10 * fan_in + fan_out)
### END HIDDEN TESTS
print("xavier_init: a tiny and a lopsided layer pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "he_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Exercise 2 (4 points).** Write `he_init(fan_in, fan_out, rng)`: the same, with standard
# deviation $\sqrt{2 / n_\text{in}}$. For 200 inputs that is $\sqrt{2 / 200} = 0.1$,
# whatever the number of outputs.

# %% nbgrader={"grade": false, "grade_id": "he_init", "locked": false, "schema_version": 3, "solution": true, "task": false}
def he_init(fan_in, fan_out, rng):
    """He (Kaiming) normal initialization, for layers followed by ReLU.

    fan_in: int, the layer's number of inputs
    fan_out: int, the layer's number of outputs
    rng: numpy.random.Generator, the only source of randomness
    returns: array of shape (fan_in, fan_out) drawn from N(0, 2 / fan_in)
    """
    ### BEGIN SOLUTION
    std = np.sqrt(2.0 / fan_in)  # twice LeCun's variance: ReLU halves the second moment
    return rng.normal(0.0, std, size=(fan_in, fan_out))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_he_init", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.initialization import check_initializer

# 200 inputs, 300 outputs: std = sqrt(2 / 200) = 0.1.
check_initializer("he_init", he_init, 200, 300, std=0.1)
print("he_init: the 60 000 weights of a 200 -> 300 layer look like N(0, 0.1^2).")

# %% nbgrader={"grade": true, "grade_id": "test_he_init_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.checkers.initialization import check_initializer

# A tiny layer, 4 -> 3: too few values for statistics; the shape, dtype and rng are checked.
check_initializer("he_init", he_init, 4, 3)
# Few inputs, many outputs, 50 -> 800: std = sqrt(2 / 50) = 0.2 (from fan_out it would be 0.05).
check_initializer("he_init", he_init, 50, 800, std=0.2, seed=1)
# The hidden tests below run when your notebook is graded: more shapes and seeds.
### BEGIN HIDDEN TESTS
for fan_in, fan_out, seed in [(400, 250, 106), (250, 400, 206), (784, 100, 306), (30, 1000, 406)]:
    check_initializer("he_init", he_init, fan_in, fan_out, std=np.sqrt(2 / fan_in), seed=seed)
for fan_in, fan_out in [(1, 1), (1, 7), (6, 1), (3, 5)]:
    check_initializer("he_init", he_init, fan_in, fan_out, seed=600 + 10 * fan_in + fan_out)
### END HIDDEN TESTS
print("he_init: a tiny layer and a 50 -> 800 layer pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "compare", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Your initializers in a deep network
#
# Back to the 10-layer network of section 2, now initialized with your functions. Its
# layers are square (64 → 64), where Glorot's scale equals LeCun's, $\sqrt{1/64} = 0.125$,
# and He's is $\sqrt 2$ times larger. What to look for:
#
# - **ReLU with He**: flat, forwards and backwards, up to the wobble of random 64-unit
#   layers: the factor 2 is exactly what ReLU takes away.
# - **ReLU with Glorot**: each layer halves the second moment, so the standard deviation
#   falls by a factor $\sqrt 2$ per layer, $(\sqrt 2)^9 \approx 23$ from layer 1 to layer 10,
#   and the gradients shrink the same way on their way back.
# - **tanh with Glorot**: the activations shrink slowly, and the gradients reaching layer 1
#   are a few times smaller than those at layer 10: nothing like the factors of $10^{10}$ of
#   section 2, so every layer learns.
# - **tanh with He**: steadier than Glorot! The variance argument treated tanh as the
#   identity near 0, but $|\tanh z| < |z|$: tanh shrinks its input a little at every layer,
#   and He's larger weights happen to make up for it. (For this reason some libraries
#   multiply Glorot's scale by a "gain" of $5/3$ for tanh.) The derivation gets the order of
#   magnitude right, $\sigma_w \propto 1 / \sqrt{n}$, and that is what matters most.

# %% nbgrader={"grade": false, "grade_id": "compare_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
runs = {f"{label}, {activation}": propagate(init, activation, depth=10)
        for activation in ("tanh", "relu")
        for label, init in (("your xavier_init", xavier_init), ("your he_init", he_init))}
show(std_through_depth(runs))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: a scheme, a depth and an activation
#
# The widget runs the deep network of section 2 (64 units per layer), initialized with one
# of the two fixed scales of section 2 or with one of your initializers, and shows a
# histogram of each layer's activations, all on one horizontal scale, and the standard
# deviations of the activations and gradients through depth. Try these:
#
# - `std 0.01` with tanh: watch the histograms collapse into a spike at 0. How many layers
#   until the standard deviation is below $10^{-6}$? Predict it from the factor
#   $0.01 \sqrt{64}$ per layer first.
# - `std 1` with tanh: the values pile up at $\pm 1$. Why does the standard deviation stay
#   near 1 although the network is broken?
# - `Xavier (Glorot)` and then `He`, both with ReLU, at depth 10: compare the last
#   histogram's scale.
# - With tanh at depth 10, compare `Xavier (Glorot)` and `He`. Look at the histograms of the
#   last layer: how far are the values from saturating at $\pm 1$?

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
depth_explorer({"xavier_init": xavier_init, "he_init": he_init})

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - Equal initial weights make every hidden unit compute the same thing and receive the
#   same gradient, so they stay identical forever (the symmetry problem); zeros also stop
#   the gradients outright. Random weights break the symmetry; biases may start at 0.
# - Through depth, each layer multiplies the signal's spread by about
#   $\sqrt{n_\text{in}}\,\sigma_w$: too small and activations and gradients vanish, too
#   large and they explode (ReLU) or saturate (tanh). Look at histograms, not only at
#   standard deviations: a saturated tanh layer has a healthy-looking one.
# - $\operatorname{Var}(z) = n_\text{in} \operatorname{Var}(w)\, E[x^2]$ gives the scales:
#   LeCun $1/n_\text{in}$ keeps the forward variance, Glorot (Xavier)
#   $2/(n_\text{in} + n_\text{out})$ balances forward and backward, and He $2/n_\text{in}$
#   makes up for ReLU halving the second moment. $\sqrt{1/n_\text{in}}$ is LeCun's, not
#   Xavier's.
# - Randomness comes in as a generator `rng`; `rng.normal` takes the standard deviation.
#
# Next, lesson 06: loss functions, what they measure and how their gradients behave.
