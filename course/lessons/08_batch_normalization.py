# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 08: Batch normalization
#
# In lesson 01 you standardised a network's **inputs** so that a sigmoid was not
# saturated, and in lesson 05 you chose the scale of the initial weights so that signals
# neither vanish nor explode on their way through many layers. **Batch normalization**
# does the first of these inside the network, at every layer and at every training step:
# it standardises each feature of a layer's input using the statistics of the current
# batch, then lets the network choose its own scale and shift. A deep network with it
# trains even from a bad initial scale. By the end of this lesson you will have written:
#
# 1. `batchnorm_forward(x, gamma, beta, eps=1e-5)`: the forward pass in training mode,
# 2. `batchnorm_backward(dout, cache)`: its backward pass, through the batch mean and variance,
# 3. `batchnorm_inference(x, gamma, beta, running_mean, running_var, eps=1e-5)`: the
#    forward pass at inference time, with stored statistics,
# 4. `update_running_stats(running_mean, running_var, x, momentum=0.9)`: how those
#    statistics are stored during training.
#
# Then you will train an 8-layer network with your functions, with and without batch
# normalization, from the same bad start.
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
from helpers.plots.batchnorm import before_and_after, running_averages, training_comparison
from helpers.widgets.batchnorm import batchnorm_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "problem", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. The problem: every layer's input keeps moving
#
# A layer learns well when its inputs are a few units around 0, the range where its
# activation function bends (lesson 04) and where its weights' gradients are neither tiny
# nor huge (lesson 05). For the first layer you can arrange that once, by standardising
# the data. For layer 5 you cannot: its input is whatever layers 1 to 4 produce, and that
# depends on all of their weights. Start them too small and each layer shrinks the signal
# further, so layer 5 receives numbers around $10^{-5}$; start them too large and it
# receives $10^{5}$. Worse, training changes those weights at every step, so the
# distribution of layer 5's input keeps moving while layer 5 is trying to learn from it.
#
# Batch normalization's answer is blunt: **standardise every layer's input, at every
# step**, with statistics measured on the batch being processed. Then whatever the
# earlier layers do, each feature arrives with mean 0 and standard deviation 1 over the
# batch. (The moving input distribution was the original paper's motivation, Ioffe and
# Szegedy, 2015. Why batch normalization helps as much as it does is still debated;
# later work points to a better-behaved loss surface, whose gradients change less
# abruptly. What is not in doubt is the effect you will see: training becomes far less
# sensitive to the scale of the weights.) Section 6 trains the same deep network with
# and without it.

# %% [markdown] nbgrader={"grade": false, "grade_id": "forward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. The forward pass
#
# Take a batch $x$ of shape $(N, D)$: $N$ examples (rows), each with $D$ features
# (columns), as in every lesson of this course. Batch normalization treats each feature
# $d$ on its own. Over the batch it computes the feature's **mean** and **variance**
#
# $$
# \mu_d = \frac{1}{N} \sum_{n=1}^{N} x_{nd}, \qquad
# \sigma_d^2 = \frac{1}{N} \sum_{n=1}^{N} \left(x_{nd} - \mu_d\right)^2,
# $$
#
# standardises the feature, and then **scales and shifts** it with two learned vectors
# $\gamma$ (gamma) and $\beta$ (beta) of shape $(D,)$:
#
# $$
# \hat{x}_{nd} = \frac{x_{nd} - \mu_d}{\sqrt{\sigma_d^2 + \varepsilon}}, \qquad
# y_{nd} = \gamma_d \, \hat{x}_{nd} + \beta_d .
# $$
#
# Four details matter, and each is a common mistake:
#
# - **Over the batch, axis 0.** The statistics of feature $d$ are taken down column $d$,
#   over the $N$ examples: `x.mean(axis=0)` has shape $(D,)$. Taking them along each row
#   (`axis=1`, over one example's features) is a different method, *layer
#   normalization*; it mixes quantities that have nothing to do with each other, such as
#   a patient's age and cholesterol.
# - **The biased variance, divided by $N$.** Statistics books often divide by $N - 1$ to
#   estimate a population's variance from a sample. Here we do not estimate anything: we
#   standardise *this* batch, and dividing by $N$ is what makes each column of $\hat{x}$
#   have mean square $\sigma_d^2 / (\sigma_d^2 + \varepsilon) \approx 1$ over the batch.
#   NumPy's `x.var(axis=0)` divides by $N$ (its default `ddof=0`). Compute the variance as
#   the mean of the squared deviations, not as $\overline{x^2} - \mu^2$: the two are equal
#   in exact arithmetic, but the second subtracts two nearly equal large numbers when a
#   feature's mean is large compared with its spread, and loses its digits.
# - **$\varepsilon$ inside the square root.** $\varepsilon$ (`eps`, $10^{-5}$ by default)
#   keeps the division safe when a feature is the same in every row: then
#   $\sigma_d^2 = 0$ and $\hat{x} = 0 / \sqrt{\varepsilon} = 0$. Written as
#   $\sqrt{\sigma_d^2} + \varepsilon$ it is a different function.
# - **Then $\gamma$ and $\beta$.** Forcing every feature to mean 0 and variance 1 would
#   restrict what the network can compute: a ReLU after it would always cut at the
#   feature's mean, switching off about half of the batch. With $\gamma$ and $\beta$ the network
#   can give each feature any mean and spread, even undo the normalization
#   ($\gamma_d = \sqrt{\sigma_d^2 + \varepsilon}$, $\beta_d = \mu_d$). What changes is who
#   sets them: two parameters that gradient descent adjusts directly, instead of a side
#   effect of every weight in every earlier layer. ($\beta$ also makes a bias in the layer
#   before pointless: whatever constant it adds, the mean subtraction removes it again.)
#
# ### Worked example
#
# A batch of $N = 4$ examples with $D = 3$ features, the third one around a million with
# a small spread (a price in cents, say):
#
# $$
# x = \begin{pmatrix} 1 & 4 & 999999.8 \\ 7 & 0 & 1000000.2 \\ 7 & 4 & 1000000.2 \\ 9 & 0 & 999999.8 \end{pmatrix},
# \qquad \mu = (6,\; 2,\; 10^6).
# $$
#
# The deviations from the mean in column 1 are $(-5, 1, 1, 3)$, so
# $\sigma_1^2 = \frac{25 + 1 + 1 + 9}{4} = 9$; column 2 gives $(2, -2, 2, -2)$ and
# $\sigma_2^2 = 4$; column 3 gives $(-0.2, 0.2, 0.2, -0.2)$ and $\sigma_3^2 = 0.04$.
# (Computed as $\overline{x^2} - \mu^2$, column 3's variance comes out as $0.0400390625$
# in float64: $x^2 \approx 10^{12}$ is stored to about $10^{-4}$, and the subtraction
# keeps only that error's worth of digits.)
# Ignoring $\varepsilon$ for a moment, the standard deviations are $(3, 2, 0.2)$ and
#
# $$
# \hat{x} \approx \begin{pmatrix} -5/3 & 1 & -1 \\ 1/3 & -1 & 1 \\ 1/3 & 1 & 1 \\ 1 & -1 & -1 \end{pmatrix}.
# $$
#
# Each column now has mean 0 and mean square 1: check column 1,
# $\frac{25/9 + 1/9 + 1/9 + 1}{4} = 1$. With $\gamma = (3, 2, 0.5)$ and
# $\beta = (1, 0, -1)$, the first row of the output is
# $(3 \cdot (-5/3) + 1,\; 2 \cdot 1 + 0,\; 0.5 \cdot (-1) - 1) = (-4, 2, -1.5)$. With
# $\varepsilon = 10^{-5}$ every $\hat{x}$ is a little smaller, by the factor
# $\sqrt{\sigma_d^2 / (\sigma_d^2 + \varepsilon)}$: for column 3 that is about
# $1 - 1.25 \times 10^{-4}$. Small, but the tests compare to about 7 significant digits, so
# they notice it, and they notice whether $\varepsilon$ went inside the square root.
#
# **Exercise 1 (4 points).** Write `batchnorm_forward(x, gamma, beta, eps=1e-5)`. Return
# the pair `(out, cache)`: `cache` holds whatever your `batchnorm_backward` (exercise 2)
# will need from the forward pass; what it holds is your choice, and the tests compare
# only `out`. Keep it plain data, arrays and numbers in a tuple, list or dict: the
# graders pass it between your two functions. A good choice is `(x_hat, gamma, inv_std)`
# with `inv_std = 1 / np.sqrt(var + eps)` of shape $(D,)$, which is what the course's
# version stores. No loops: NumPy's broadcasting subtracts a $(D,)$ vector from every row of an
# $(N, D)$ array.

# %% nbgrader={"grade": false, "grade_id": "batchnorm_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalization in training mode, over the batch (axis 0).

    x: array of shape (N, D), one example per row
    gamma, beta: arrays of shape (D,), the learned scale and shift of each feature
    eps: float added to the variance inside the square root
    returns: (out, cache) where out has shape (N, D) and cache holds what
        batchnorm_backward needs
    """
    ### BEGIN SOLUTION
    mean = x.mean(axis=0)  # (N, D) -> (D,)
    var = x.var(axis=0)  # biased: the mean of the squared deviations, divided by N
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,)
    x_hat = (x - mean) * inv_std  # (N, D) - (D,): broadcast over the rows
    return gamma * x_hat + beta, (x_hat, gamma, inv_std)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example
from helpers.contracts.batchnorm import out_only

# Only out is compared (the cache is yours): out_only(batchnorm_forward) calls your
# function and returns its out, which the messages call batchnorm_forward_out.
# Column 3 is a feature around a million: a variance computed as mean(x**2) - mean(x)**2
# loses its digits there (0.0400390625 instead of 0.04).
x = np.array([[1.0, 4.0, 999999.8], [7.0, 0.0, 1000000.2], [7.0, 4.0, 1000000.2], [9.0, 0.0, 999999.8]])
gamma = np.array([3.0, 2.0, 0.5])
beta = np.array([1.0, 0.0, -1.0])
var = np.array([9.0, 4.0, 0.04])  # the column variances worked out above
# x_hat as worked out above, shrunk by sqrt(var / (var + eps)) for eps = 1e-5:
x_hat = np.array([[-5 / 3, 1, -1], [1 / 3, -1, 1], [1 / 3, 1, 1], [1, -1, -1]]) * np.sqrt(var / (var + 1e-5))
check_example("batchnorm_forward_out", out_only(batchnorm_forward), (x, gamma, beta),
              expected=gamma * x_hat + beta)
print("batchnorm_forward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_forward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example
from helpers.contracts.batchnorm import out_only

# A large eps shows where it goes: column 1 has variance 9, so sqrt(var + eps) = sqrt(9 + 16)
# = 5, and out = 5 * (x - 6) / 5. Column 2 is constant: variance 0, x_hat = 0, out = beta.
check_example("batchnorm_forward_out", out_only(batchnorm_forward),
              (np.array([[1.0, 5.0], [7.0, 5.0], [7.0, 5.0], [9.0, 5.0]]), np.array([5.0, 3.0]), np.array([0.0, 2.0])),
              kwargs={"eps": 16.0}, expected=np.array([[-5.0, 2.0], [1.0, 2.0], [1.0, 2.0], [3.0, 2.0]]))
# The hidden tests below run when your notebook is graded: random batches, a batch of
# one, features with a large mean, other values of eps.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(801)
forward_out = out_only(batchnorm_forward)
for n, d, eps in [(5, 3, 1e-5), (8, 2, 1e-5), (3, 7, 1e-3), (1, 4, 1e-5), (6, 5, 0.5)]:
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.normal(size=d)
    check_reference("batchnorm_forward_out", forward_out, (x, rng.normal(size=d), rng.normal(size=d)),
                    kwargs={"eps": eps})
# features around a million: a variance computed as mean(x**2) - mean(x)**2 loses its digits
check_reference("batchnorm_forward_out", forward_out,
                (1e6 + rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3)))
# a spread so small that eps matters, and a constant feature
x = np.column_stack([1e-3 * rng.normal(size=7), np.full(7, 2.5), rng.normal(size=7)])
check_reference("batchnorm_forward_out", forward_out, (x, rng.normal(size=3), rng.normal(size=3)))
### END HIDDEN TESTS
print("batchnorm_forward: a large eps and a constant feature pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "patients", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### What it does to a batch
#
# Lesson 01's patients again: 200 made-up patients with their age (around $50 \pm 15$
# years) and cholesterol (around $190 \pm 35$), two features on very different scales.
# After your `batchnorm_forward` with $\gamma = 1$ and $\beta = 0$, both features have
# mean 0 and standard deviation 1 over the batch (to within $\varepsilon$): the cloud of
# points is moved to the origin and rescaled along each axis separately. That is all
# batch normalization does to the numbers; note that it does not rotate the cloud or
# remove the correlation between the two features.

# %% nbgrader={"grade": false, "grade_id": "patients_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(0)
patients = np.array([50.0, 190.0]) + np.array([15.0, 35.0]) * rng.normal(size=(200, 2))
patients[:, 1] += 1.0 * (patients[:, 0] - 50.0)  # cholesterol rises a little with age
normalised, _ = batchnorm_forward(patients, np.ones(2), np.zeros(2))
print("means after:", normalised.mean(axis=0).round(12), " standard deviations after:", normalised.std(axis=0).round(6))
show(before_and_after(patients, normalised, labels=("200 patients, as measured", "after batchnorm_forward, gamma = 1, beta = 0"),
                      units=("age (years)", "cholesterol (mg/dL)")))

# %% [markdown] nbgrader={"grade": false, "grade_id": "backward", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. The backward pass
#
# The backward pass receives `dout`, the gradient $\frac{\partial L}{\partial y}$ of the
# loss with respect to the output, shape $(N, D)$, and returns the gradients with respect
# to the inputs, in the order of the forward pass's inputs: $\frac{\partial L}{\partial
# x}$, $\frac{\partial L}{\partial \gamma}$ and $\frac{\partial L}{\partial \beta}$. As
# in the forward pass, each feature is independent of the others, so we work with one
# column and drop the index $d$.
#
# **$\gamma$ and $\beta$.** $y_n = \gamma \hat{x}_n + \beta$ for every row $n$, so
# $\gamma$ and $\beta$ reach the loss through all $N$ rows and their gradients collect
# all $N$ contributions (lesson 03's bias gradient was the same sum):
#
# $$
# \frac{\partial L}{\partial \beta} = \sum_{n=1}^{N} \frac{\partial L}{\partial y_n}, \qquad
# \frac{\partial L}{\partial \gamma} = \sum_{n=1}^{N} \frac{\partial L}{\partial y_n} \, \hat{x}_n .
# $$
#
# **$x$: the tempting mistake.** The gradient reaching $\hat{x}_n$ is
# $g_n = \frac{\partial L}{\partial \hat{x}_n} = \gamma \frac{\partial L}{\partial y_n}$.
# Since $\hat{x}_n = (x_n - \mu) / s$ with $s = \sqrt{\sigma^2 + \varepsilon}$, it is
# tempting to write $\frac{\partial L}{\partial x_n} = g_n / s$. That treats $\mu$ and
# $s$ as constants, and they are not: both are computed from $x$, from *every* row of
# it. Nudge $x_1$ and the mean moves, which moves every $\hat{x}_n$; the variance
# changes, which rescales every $\hat{x}_n$.
#
# ### The computational graph
#
# Lesson 02's rule for a variable that reaches the output along several paths is to add
# the paths. For one feature the graph is
#
# $$
# x \;\longrightarrow\; \mu \;\longrightarrow\; \sigma^2 \;\longrightarrow\; \hat{x} \;\longrightarrow\; y,
# \qquad \text{with also } x \to \sigma^2 \text{ and } x \to \hat{x} \text{ and } \mu \to \hat{x},
# $$
#
# where $\mu = \frac{1}{N} \sum_n x_n$, $\sigma^2 = \frac{1}{N} \sum_n (x_n - \mu)^2$ and
# $\hat{x}_n = (x_n - \mu)(\sigma^2 + \varepsilon)^{-1/2}$. Go backwards through it, one
# node at a time.
#
# 1. **Into $\sigma^2$**, which every $\hat{x}_j$ uses:
#    $\frac{\partial \hat{x}_j}{\partial \sigma^2} = -\frac{1}{2}(x_j - \mu)(\sigma^2 + \varepsilon)^{-3/2}
#    = -\frac{\hat{x}_j}{2 s^2}$, so
#    $$\frac{\partial L}{\partial \sigma^2} = -\frac{1}{2 s^2} \sum_{j} g_j \hat{x}_j .$$
# 2. **Into $\mu$**, which every $\hat{x}_j$ uses directly ($\frac{\partial \hat{x}_j}{\partial \mu}
#    = -\frac{1}{s}$), and $\sigma^2$ too. But $\frac{\partial \sigma^2}{\partial \mu} =
#    -\frac{2}{N} \sum_j (x_j - \mu) = 0$, because deviations from the mean add up to 0; so
#    $$\frac{\partial L}{\partial \mu} = -\frac{1}{s} \sum_{j} g_j .$$
# 3. **Into $x_n$**, along three paths: directly into $\hat{x}_n$ (slope $\frac{1}{s}$),
#    into $\mu$ (slope $\frac{\partial \mu}{\partial x_n} = \frac{1}{N}$), and into
#    $\sigma^2$ (slope $\frac{\partial \sigma^2}{\partial x_n} = \frac{2 (x_n - \mu)}{N}$):
#    $$
#    \frac{\partial L}{\partial x_n}
#    = \frac{g_n}{s} + \frac{1}{N} \frac{\partial L}{\partial \mu}
#      + \frac{2 (x_n - \mu)}{N} \frac{\partial L}{\partial \sigma^2}
#    = \frac{g_n}{s} - \frac{1}{N s} \sum_j g_j - \frac{x_n - \mu}{N s^2} \sum_j g_j \hat{x}_j .
#    $$
#
# ### The compact formula
#
# Write $\frac{x_n - \mu}{s} = \hat{x}_n$ in the last term and take $\frac{1}{Ns}$ out:
#
# $$
# \boxed{\;\frac{\partial L}{\partial x_n} = \frac{1}{N s}\left(N g_n - \sum_{j=1}^{N} g_j
# - \hat{x}_n \sum_{j=1}^{N} g_j \hat{x}_j\right), \qquad g = \gamma \, \frac{\partial L}{\partial y}.\;}
# $$
#
# In NumPy, for all features at once, the sums are `.sum(axis=0)`, of shape $(D,)$, and
# $\frac{1}{s}$ is the `inv_std` your forward pass can keep in its cache. Dividing the
# bracket by $N$ shows what it means: $g_n - \operatorname{mean}(g) - \hat{x}_n
# \operatorname{mean}(g \hat{x})$ is $g$ with two parts removed, the part that is the
# same for every row and the part proportional to $\hat{x}$. Those are the changes
# normalization undoes: adding the same number to every $x_n$ (the mean absorbs it) or,
# when $\varepsilon = 0$, stretching the deviations (the standard deviation absorbs it)
# leaves $\hat{x}$ unchanged, so no gradient can push $x$ in those directions. The first
# holds for any $\varepsilon$: $\sum_n \frac{\partial L}{\partial x_n} = 0$. The
# second is exact only for $\varepsilon = 0$. With $\varepsilon > 0$, stretching the
# deviations does change $\hat{x} = (x - \mu)/\sqrt{\sigma^2 + \varepsilon}$ a little,
# since $\varepsilon$ does not stretch with them, and the formula removes slightly less than
# $g$'s whole part along $\hat{x}$ (whose mean square is $\sigma^2 / (\sigma^2 +
# \varepsilon)$, just below 1): $\sum_n \frac{\partial L}{\partial x_n} (x_n - \mu) =
# \frac{\varepsilon}{\sigma^2 + \varepsilon} \sum_n g_n \hat{x}_n$, small but not 0.
#
# ### Worked example
#
# Take $x = (1, 7, 7, 9)$ (one feature), $\varepsilon = 0$ to keep the numbers exact, so
# $\mu = 6$, $s = 3$ and $\hat{x} = (-\frac{5}{3}, \frac{1}{3}, \frac{1}{3}, 1)$, and
# $\gamma = 3$. Let the upstream gradient be
#
# $$
# \frac{\partial L}{\partial y} = (-4, 3, 1, 4) = 1 \cdot (1, 1, 1, 1) + 3 \hat{x} + (0, 1, -1, 0).
# $$
#
# Then $\frac{\partial L}{\partial \beta} = -4 + 3 + 1 + 4 = 4$ and
# $\frac{\partial L}{\partial \gamma} = \frac{20}{3} + 1 + \frac{1}{3} + 4 = 12$. For
# $x$, $g = 3 \frac{\partial L}{\partial y}$ loses its constant part and its part along
# $\hat{x}$ (with $\varepsilon = 0$, $\hat{x}$ has mean 0 and mean square exactly 1, and
# $(0, 1, -1, 0)$ has zero sum and is perpendicular to $\hat{x}$), which leaves
# $3 \cdot (0, 1, -1, 0)$, and
# $\frac{\partial L}{\partial x} = \frac{1}{s} \cdot 3 \cdot (0, 1, -1, 0) = (0, 1, -1, 0)$.
# The tempting $g / s$ would have given $(-4, 3, 1, 4)$.
#
# **Exercise 2 (4 points).** Write `batchnorm_backward(dout, cache)` with the compact
# formula; no loops. `cache` is whatever your `batchnorm_forward` returns, so the two
# must agree on what it holds.
#
# **How it is tested.** The tests call your `batchnorm_forward` to make the cache and
# compare the gradients your `batchnorm_backward` computes from it with the right ones:
# worked out by hand, by the course's own forward and backward passes, and (the second
# test) by central differences of your forward pass, as in lesson 02. So the backward
# tests can only pass once `batchnorm_forward` passes its own: if it raises an error,
# the test says so and stops. When your notebook is graded, a forward pass whose `out` is
# wrong on a test's input is replaced, for that test, by the course's forward pass, with
# a printed note, and your `batchnorm_backward` is tried on two caches: the one your
# `batchnorm_forward` returned, and the course's `(x_hat, gamma, inv_std)`. Right on
# either is right, so that a mistake in exercise 1 costs you points only once, whatever
# your cache holds, as long as what it holds is right. (Your copy of the course does not
# contain that forward pass: it is exercise 1's answer. And if the wrong value is in your
# cache itself, say an `x_hat` computed wrongly, your backward pass is given wrong
# numbers and loses its points too: fix the forward pass first.)

# %% nbgrader={"grade": false, "grade_id": "batchnorm_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_backward(dout, cache):
    """Gradients of batch normalization's training-mode forward pass.

    dout: array of shape (N, D), the gradient of the loss with respect to out
    cache: what your batchnorm_forward returned with out
    returns: (dx, dgamma, dbeta) where dx has shape (N, D) and dgamma, dbeta have
        shape (D,)
    """
    ### BEGIN SOLUTION
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)  # (N, D) -> (D,): beta acts on every row
    dgamma = (dout * x_hat).sum(axis=0)
    g = dout * gamma  # dL/d(x_hat)
    # the direct path, minus the paths through the mean and through the variance
    dx = inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.contracts.batchnorm import check_backward, your_forward_and_caches

# Column 1 is the worked example: x_hat = (-5/3, 1/3, 1/3, 1), gamma = 3. Column 2 has
# mean 2 and standard deviation 2, x_hat = (1, -1, 1, -1), gamma = -2, and its dout is
# -1 + 2 x_hat + (1, 0, -1, 0). eps = 0 keeps the numbers exact.
x = np.array([[1.0, 4.0], [7.0, 0.0], [7.0, 4.0], [9.0, 0.0]])
gamma, beta = np.array([3.0, -2.0]), np.array([0.5, 0.5])
caches = your_forward_and_caches(batchnorm_forward, x, gamma, beta, eps=0.0)  # your cache
dout = np.array([[-4.0, 2.0], [3.0, -3.0], [1.0, 0.0], [4.0, -3.0]])
dx = np.array([[0.0, -1.0], [1.0, 0.0], [-1.0, 1.0], [0.0, 0.0]])  # (gamma / s) (0, 1, -1, 0) and (1, 0, -1, 0)
check_backward("batchnorm_backward", batchnorm_backward, dout, caches,
               expected=(dx, np.array([12.0, 8.0]), np.array([4.0, -4.0])))
print("batchnorm_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.contracts.batchnorm import check_backward, your_forward_and_caches
from helpers.reference import numerical_gradient

# A batch of one: x_hat = 0 whatever x is, so out = beta: nothing reaches x or gamma.
x, gamma, beta = np.array([[2.0, -1.0, 5.0]]), np.array([1.5, 2.0, -1.0]), np.zeros(3)
caches = your_forward_and_caches(batchnorm_forward, x, gamma, beta)
dout = np.array([[1.0, -2.0, 3.0]])
check_backward("batchnorm_backward", batchnorm_backward, dout, caches,
               expected=(np.zeros((1, 3)), np.zeros(3), np.array([1.0, -2.0, 3.0])))

# Central differences (lesson 02) of the scalar sum(dout * out) through the forward pass:
# its gradients with respect to x, gamma and beta are what batchnorm_backward returns.
rng = np.random.default_rng(802)
x = rng.normal(size=(5, 3)) * np.array([1.0, 3.0, 0.5]) + np.array([0.0, 2.0, -1.0])
gamma, beta, dout = rng.normal(size=3), rng.normal(size=3), rng.normal(size=(5, 3))
caches = your_forward_and_caches(batchnorm_forward, x, gamma, beta)
forward = caches[0]


def loss(x, gamma, beta):
    return np.sum(dout * forward(x, gamma, beta)[0])


numerical = (numerical_gradient(lambda v: loss(v, gamma, beta), x),
             numerical_gradient(lambda v: loss(x, v, beta), gamma),
             numerical_gradient(lambda v: loss(x, gamma, v), beta))
check_backward("batchnorm_backward_numerical", batchnorm_backward, dout, caches, expected=numerical)
# The hidden tests below run when your notebook is graded: random batches of several
# shapes and values of eps, with a constant feature and a batch of two, each against the
# course's forward and backward passes.
### BEGIN HIDDEN TESTS
from helpers import reference as course

rng = np.random.default_rng(803)
for n, d, eps in [(6, 4, 1e-5), (3, 7, 1e-3), (9, 2, 1e-5), (2, 5, 1e-5), (4, 3, 0.5)]:
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.normal(size=d)
    if d == 3:
        x[:, 1] = 7.0  # a constant feature
    gamma, beta, dout = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))
    caches = your_forward_and_caches(batchnorm_forward, x, gamma, beta, eps=eps)
    expected = course.batchnorm_backward(dout, course.batchnorm_forward(x, gamma, beta, eps=eps)[1])
    check_backward("batchnorm_backward", batchnorm_backward, dout, caches, expected=expected)
### END HIDDEN TESTS
print("batchnorm_backward: a batch of one and the numerical gradient pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "inference", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. Inference: the batch statistics cannot be used
#
# In training mode an example's output depends on the other examples in its batch,
# through $\mu$ and $\sigma^2$. During training that is harmless, even mildly useful (the
# randomness of the batches acts like noise that discourages over-fitting). Once the
# network is trained and used, it is a problem:
#
# - **A batch of one.** One example alone has $\mu = x$ and $\sigma^2 = 0$, so
#   $\hat{x} = 0$ and every batch-normalized feature outputs $\beta$, *whatever the input
#   was*. A network used on one patient at a time would give every patient the same
#   answer.
# - **Answers that depend on the company.** In a batch of several, a patient's diagnosis
#   would change with whoever else happened to be in the queue.
#
# The cell below shows both with your `batchnorm_forward`.

# %% nbgrader={"grade": false, "grade_id": "inference_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
patient = np.array([[45.0, 200.0]])  # age, cholesterol
queue_a = np.array([[30.0, 180.0], [66.0, 240.0]])
queue_b = np.array([[50.0, 190.0], [70.0, 260.0]])
gamma, beta = np.ones(2), np.array([0.1, -0.2])

alone, _ = batchnorm_forward(patient, gamma, beta)
with_a, _ = batchnorm_forward(np.vstack([patient, queue_a]), gamma, beta)
with_b, _ = batchnorm_forward(np.vstack([patient, queue_b]), gamma, beta)
print("the patient alone:        ", alone[0].round(4), "= beta")
print("the patient with queue A: ", with_a[0].round(4))
print("the patient with queue B: ", with_b[0].round(4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "inference_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The fix is to normalise with **fixed** statistics at inference time: for each feature,
# a mean $m_d$ and a variance $v_d$ that describe the data the network was trained on,
# not the batch in front of it. They are collected during training (next section) and
# stored with the network, as `running_mean` and `running_var`, beside $\gamma$ and
# $\beta$. Inference mode computes
#
# $$
# y_{nd} = \gamma_d \, \frac{x_{nd} - m_d}{\sqrt{v_d + \varepsilon}} + \beta_d ,
# $$
#
# the training formula with $\mu, \sigma^2$ replaced by $m, v$. Each row is now
# transformed on its own, so a batch of one is fine, and for each feature it is just a
# fixed straight-line map $y = a_d x + b_d$ (so fixed, in fact, that it can be merged
# into the weights of the dense layer before it once training is over).
#
# A case to check by hand: with $m = (1, 0.5, 2)$, $v + \varepsilon = (4, 0.25, 1)$,
# $\gamma = (2, 1, -1)$ and $\beta = (0, 1, 0.5)$, the row $x = (3, 1, 0)$ becomes
# $(2 \cdot \frac{3 - 1}{2} + 0,\; \frac{1 - 0.5}{0.5} + 1,\; -\frac{0 - 2}{1} + 0.5) =
# (2, 2, 2.5)$.
#
# **Exercise 3 (3 points).** Write `batchnorm_inference(x, gamma, beta, running_mean,
# running_var, eps=1e-5)`. One line is enough.

# %% nbgrader={"grade": false, "grade_id": "batchnorm_inference", "locked": false, "schema_version": 3, "solution": true, "task": false}
def batchnorm_inference(x, gamma, beta, running_mean, running_var, eps=1e-5):
    """Batch normalization at inference time, with stored statistics.

    x: array of shape (N, D)
    gamma, beta, running_mean, running_var: arrays of shape (D,)
    eps: float added to running_var inside the square root
    returns: array of shape (N, D), each row normalised with running_mean and running_var
    """
    ### BEGIN SOLUTION
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_inference", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

running_mean = np.array([1.0, 0.5, 2.0])
running_var = np.array([4.0, 0.25, 1.0]) - 1e-5  # so that running_var + eps = (4, 0.25, 1)
x = np.array([[3.0, 1.0, 0.0], [5.0, 0.5, 2.0]])
check_example("batchnorm_inference", batchnorm_inference,
              (x, np.array([2.0, 1.0, -1.0]), np.array([0.0, 1.0, 0.5]), running_mean, running_var),
              expected=np.array([[2.0, 2.0, 2.5], [4.0, 1.0, 0.5]]))
print("batchnorm_inference: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_batchnorm_inference_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One example on its own, and a large eps: 5 * (13 - 3) / sqrt(9 + 16) + 1 = 11, and
# (-2 - 0) / sqrt(0 + 16) = -0.5. (In training mode a batch of one would give beta.)
check_example("batchnorm_inference", batchnorm_inference,
              (np.array([[13.0, -2.0]]), np.array([5.0, 1.0]), np.array([1.0, 0.0]),
               np.array([3.0, 0.0]), np.array([9.0, 0.0])),
              kwargs={"eps": 16.0}, expected=np.array([[11.0, -0.5]]))
# The hidden tests below run when your notebook is graded: random batches and statistics.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(804)
for n, d, eps in [(5, 3, 1e-5), (1, 6, 1e-5), (7, 2, 1e-3), (4, 9, 0.25)]:
    check_reference("batchnorm_inference", batchnorm_inference,
                    (rng.normal(size=(n, d)) * 3 + 1, rng.normal(size=d), rng.normal(size=d),
                     rng.normal(size=d), rng.uniform(0.0, 4.0, size=d)), kwargs={"eps": eps})
# features around a million, and a running variance of exactly 0
check_reference("batchnorm_inference", batchnorm_inference,
                (1e6 + rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=4),
                 1e6 + rng.normal(size=4), np.array([1.0, 0.0, 2.0, 0.5])))
### END HIDDEN TESTS
print("batchnorm_inference: a batch of one and a large eps pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "running", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Running statistics
#
# Where do $m$ and $v$ come from? The honest answer would be: run the finished network
# over the whole training set and measure each layer's mean and variance. The usual,
# cheaper answer is to keep **running averages** during training. After each step's
# forward pass, with that batch's mean $\mu$ and (biased) variance $\sigma^2$ of the
# input of batch normalization,
#
# $$
# m \leftarrow \text{momentum} \cdot m + (1 - \text{momentum}) \cdot \mu, \qquad
# v \leftarrow \text{momentum} \cdot v + (1 - \text{momentum}) \cdot \sigma^2 .
# $$
#
# This is an *exponential moving average*. Unrolled over $t$ steps from a start $m_0$,
#
# $$
# m_t = \text{momentum}^t \, m_0 + (1 - \text{momentum}) \sum_{k=1}^{t} \text{momentum}^{t-k} \mu_k ,
# $$
#
# a weighted average of all the batches seen so far whose weights shrink by the factor
# momentum per step into the past: with momentum $0.9$ it mostly remembers the last ten
# or so batches, with $0.99$ the last hundred or so. Two consequences:
#
# - Larger momentum averages more batches, so the estimate is smoother, but it also
#   forgets its starting value more slowly: after $t$ steps, a fraction
#   $\text{momentum}^t$ of the start is left ($0.99^{100} \approx 0.37$). The plot after
#   the exercise shows both effects.
# - **Momentum weights the old value.** Swap the two weights and the "average" is mostly
#   the latest batch. Libraries disagree on the name: Keras's `momentum=0.99` means what
#   it means here, but PyTorch's `momentum=0.1` is the weight of the *new* batch, i.e.
#   $1 - \text{momentum}$ in this notation. (PyTorch also stores the unbiased variance, divided
#   by $N - 1$, in `running_var`; this course keeps the biased one the forward pass uses.)
#
# A case to check by hand: from $m = (0, 10)$ and $v = (1, 1)$, a batch with mean
# $(10, 0)$ and variance $(2, 5)$ gives, with momentum $0.9$,
# $m = (0.9 \cdot 0 + 0.1 \cdot 10,\; 0.9 \cdot 10 + 0.1 \cdot 0) = (1, 9)$ and
# $v = (0.9 + 0.2,\; 0.9 + 0.5) = (1.1, 1.4)$.
#
# **Exercise 4 (3 points).** Write `update_running_stats(running_mean, running_var, x,
# momentum=0.9)`. Return new arrays; do not modify the ones you are given.

# %% nbgrader={"grade": false, "grade_id": "update_running_stats", "locked": false, "schema_version": 3, "solution": true, "task": false}
def update_running_stats(running_mean, running_var, x, momentum=0.9):
    """One update of the running mean and variance from a training batch.

    running_mean, running_var: arrays of shape (D,)
    x: array of shape (N, D), this step's input of batch normalization
    momentum: float in [0, 1], the weight the old values keep
    returns: (running_mean, running_var), new arrays of shape (D,)
    """
    ### BEGIN SOLUTION
    new_mean = momentum * running_mean + (1 - momentum) * x.mean(axis=0)
    new_var = momentum * running_var + (1 - momentum) * x.var(axis=0)  # biased, as in training
    return new_mean, new_var
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_update_running_stats", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The batch has mean (10, 0) and variance ((4 + 4 + 0 + 0) / 4, (1 + 1 + 9 + 9) / 4) = (2, 5).
x = np.array([[8.0, -1.0], [12.0, 1.0], [10.0, -3.0], [10.0, 3.0]])
check_example("update_running_stats", update_running_stats,
              (np.array([0.0, 10.0]), np.array([1.0, 1.0]), x),
              expected=(np.array([1.0, 9.0]), np.array([1.1, 1.4])))
print("update_running_stats: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_update_running_stats_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# momentum = 0.75 keeps three quarters of the old values; a batch of one has mean x and
# variance 0: mean 0.75 * 4 + 0.25 * 8 = 5, variance 0.75 * 2 + 0.25 * 0 = 1.5, ...
check_example("update_running_stats", update_running_stats,
              (np.array([4.0, -2.0, 0.0]), np.array([2.0, 8.0, 4.0]), np.array([[8.0, 2.0, 1.0]])),
              kwargs={"momentum": 0.75},
              expected=(np.array([5.0, -1.0, 0.25]), np.array([1.5, 6.0, 3.0])))
# The hidden tests below run when your notebook is graded: random batches, the extreme
# momenta 0 (keep only the batch) and 1 (keep only the old values), and features with a
# large mean.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(805)
for n, d, momentum in [(6, 3, 0.9), (2, 5, 0.99), (9, 1, 0.5), (4, 7, 0.0), (3, 2, 1.0)]:
    check_reference("update_running_stats", update_running_stats,
                    (rng.normal(size=d), rng.uniform(0.1, 3.0, size=d), rng.normal(size=(n, d)) * 2 + 1),
                    kwargs={"momentum": momentum})
check_reference("update_running_stats", update_running_stats,
                (rng.normal(size=4), rng.uniform(0.1, 3.0, size=4), rng.normal(size=(5, 4))))
# features around a million, as in batchnorm_forward's tests: a variance computed as
# mean(x**2) - mean(x)**2 loses its digits
check_reference("update_running_stats", update_running_stats,
                (1e6 + rng.normal(size=3), rng.uniform(0.1, 3.0, size=3), 1e6 + rng.normal(size=(6, 3))))
### END HIDDEN TESTS
print("update_running_stats: momentum 0.75 and a batch of one pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "running_plot", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Watching the running mean
#
# Below, 100 training steps each bring a batch of 32 values of one feature, drawn from a
# population with mean 3 and standard deviation 2. The grey dots are the batches' means:
# each is a noisy estimate of 3. Your `update_running_stats` averages them, from a start
# of $m = 0$. With momentum 0.9 the running mean reaches 3 within a few dozen steps and
# then wobbles a little; with 0.99 it is smooth but still far below 3 after 100 steps.
# So a network trained for only a few steps with a large momentum carries poor
# statistics into inference, even though its training loss looked fine.

# %% nbgrader={"grade": false, "grade_id": "running_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(5)
batches = [3.0 + 2.0 * rng.normal(size=(32, 1)) for _ in range(100)]
traces = {}
for momentum in (0.9, 0.99):
    mean, var = np.zeros(1), np.ones(1)
    trace = []
    for batch in batches:
        mean, var = update_running_stats(mean, var, batch, momentum=momentum)
        trace.append(mean[0])
    traces[f"running mean, momentum {momentum}"] = trace
show(running_averages([batch.mean() for batch in batches], traces, true_mean=3.0))

# %% [markdown] nbgrader={"grade": false, "grade_id": "training", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. A deep network, with and without batch normalization
#
# Now the four functions at work. The task: 180 points in the plane on three interleaved
# spiral arms, one class per arm. The network: 8 hidden layers of 32 ReLU units and a
# linear output layer of 3 logits, trained with softmax cross-entropy (lesson 06) and SGD
# with momentum (lesson 07, learning rate 0.05) on mini-batches of 60 points, for 120
# steps. The dense layers, ReLU, loss and optimizer are the course's versions from
# earlier lessons; the batch normalization is yours. With it, each hidden layer computes
# $\operatorname{relu}(\mathrm{BN}(a W))$: batch normalization goes between the dense
# layer and the ReLU, and takes the place of the dense layer's bias ($\beta$ does that
# job). After each step the running statistics are updated with your
# `update_running_stats`, and the trained network is then tested on new points with your
# `batchnorm_inference`.
#
# The start is deliberately bad: every weight is drawn from a normal distribution with
# standard deviation 0.02, where He's initialization (lesson 05) would use
# $\sqrt{2 / 32} = 0.25$. Without batch normalization each layer then multiplies the
# size of its input by roughly $0.02 \sqrt{32 / 2} = 0.08$, so after 8 layers the signal
# is about $10^{-9}$ of its original size: the output layer sees nothing, the logits are
# all about 0, and the loss sits at $\ln 3 \approx 1.0986$, the loss of a uniform guess.
# The gradients flowing back are crushed by the same factors, and nothing learns. With
# batch normalization every layer's input is rescaled to standard deviation 1 whatever
# the weights' scale, and the same network trains.

# %% nbgrader={"grade": false, "grade_id": "training_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.plots.batchnorm import classify, network_forward, spiral, train_network

x_train, y_train = spiral(np.random.default_rng(1))
x_test, y_test = spiral(np.random.default_rng(2))
yours = {"forward": batchnorm_forward, "backward": batchnorm_backward,
         "inference": batchnorm_inference, "update": update_running_stats}
runs = {
    "without batch norm": train_network(x_train, y_train, depth=8, scale=0.02, batchnorm=False),
    "with batch norm": train_network(x_train, y_train, depth=8, scale=0.02, batchnorm=True, functions=yours),
}
show(training_comparison(runs))
for label, run in runs.items():
    accuracy = np.mean(classify(run.net, x_test, yours) == y_test)
    print(f"{label}: final loss {run.losses[-10:].mean():.3f}, accuracy on new points {accuracy:.0%}")

# the batch-norm network used in training mode on one test point at a time
net = runs["with batch norm"].net
one_at_a_time = [int(network_forward(net, x_test[i:i + 1], yours)[0].argmax()) for i in range(0, 180, 30)]
print("training mode, one point at a time: points of classes", y_test[::30].tolist(), "get", one_at_a_time)

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The right-hand panels show why: the inputs to the last hidden layer's ReLU at the start
# of training, on the whole training set. Without batch normalization their standard
# deviation is around $10^{-10}$; with it, 1. The last line shows the batch-of-one
# problem of section 4 in a trained network: used in training mode on one point at a
# time, it gives every point the same class.
#
# ### Explore: weight scale and depth
#
# The widget trains the same two networks, with your batch normalization again, for 100
# steps from the weight scale and depth you choose. Both runs start from the same weights
# and see the same batches. Try these:
#
# - Set the weight standard deviation to about 0.25, He's value: both networks train.
#   Batch normalization is not needed when the initialization is right, though it often
#   still helps.
# - Go up to 1 or more: without batch normalization the activations grow by a factor of
#   about 4 per layer and the loss overflows; with it, the network trains.
# - Set the scale to 0.1 and compare depth 2 with depth 8: the shallow plain network
#   learns, the deep one does not. The damage of a bad scale compounds with depth.
# - Watch the standard deviations in the panels' titles as you move the sliders: with
#   batch normalization it stays 1.

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
batchnorm_explorer(functions=yours)

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - Batch normalization standardises each feature over the batch (axis 0), with the
#   batch's mean and biased variance and $\varepsilon$ inside the square root, then
#   scales and shifts it with the learned $\gamma$ and $\beta$.
# - Its backward pass must follow $x$ through the mean and the variance as well as
#   directly: $\frac{\partial L}{\partial x} = \frac{1}{Ns}\left(N g - \sum g - \hat{x}
#   \sum g \hat{x}\right)$ with $g = \gamma \frac{\partial L}{\partial y}$; $\gamma$'s and
#   $\beta$'s gradients are sums over the batch.
# - At inference time the batch's statistics would make an example's output depend on
#   its batch (and a batch of one output $\beta$), so stored running averages are used,
#   kept during training with momentum weighting the old value.
# - With it, a deep network trains from initial scales where it otherwise cannot.
#
# Next, lesson 09: the capstone, where these pieces classify handwritten digits.
