# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 06: Loss functions
#
# A network learns by making one number smaller: its **loss**, which measures how far its
# predictions are from the truth. Which number that is, and how its gradient behaves,
# decides how fast (and whether) the network learns. By the end of this lesson you will
# have written the four losses most networks use, each returning the loss and its
# gradient:
#
# 1. `mse_loss(pred, target)`: mean squared error, for predicting numbers,
# 2. `binary_cross_entropy(p, y)`: for yes/no questions, safe at $p = 0$ and $p = 1$,
# 3. `softmax_cross_entropy(logits, y)`: for choosing one of many classes, exact for
#    huge logits,
# 4. `hinge_loss(scores, y, margin=1.0)`: the multiclass SVM loss.
#
# On the way you will see why a classifier learns much faster with cross-entropy than with
# squared error, and how to keep $\log 0$ out of your code.
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
from helpers.plots.losses import learning_curves, margin_losses, pre_activation_gradients
from helpers.reference import sigmoid, softmax  # lessons 01 and 04, the course's versions
from helpers.widgets.losses import probability_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "what_a_loss_is", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. What a loss measures
#
# A **loss function** $L$ takes the network's predictions for a batch and the true answers
# (the **targets** or **labels**) and returns one number: 0 or close to it when the
# predictions are right, larger the more wrong they are. Training means changing the
# weights to make $L$ smaller. For that we need more than the value of $L$: we need its
# **gradient** with respect to the predictions, $\partial L / \partial \text{pred}$. That
# gradient is where backpropagation starts (in lesson 03 it was the `dout` fed into the
# last layer), so every function in this lesson returns a pair
#
# $$
# (L, \; \partial L / \partial \text{first argument}),
# $$
#
# the gradient having the same shape as the first argument.
#
# Which loss to use depends on what the network predicts:
#
# | task | the network's output | loss |
# |---|---|---|
# | **regression**: a number (a price, a temperature) | any real number (no activation) | mean squared error |
# | **two classes** (ill or healthy) | a probability $p = \sigma(z)$ of the positive class | binary cross-entropy |
# | **$C$ classes** (which digit, 0 to 9) | a probability per class, $\mathrm{softmax}(z)$ | softmax cross-entropy |
# | **$C$ classes**, scores without probabilities | one raw score per class | multiclass hinge loss |
#
# A loss is a design choice, not a law: squared error *can* be used on probabilities, and
# section 4 shows why it should not be.

# %% [markdown] nbgrader={"grade": false, "grade_id": "averaging", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Averaged, not summed
#
# Every loss in this course is the **mean** over the batch of the loss of each sample. A
# cross-entropy often met in tutorials and blog posts is written as
#
# ```python
# def cross_entropy(y_true, y_pred):
#     return -np.sum(y_true * np.log(y_pred))
# ```
#
# For a single sample with a one-hot `y_true` that is exactly right: the sum over the
# classes picks out $-\log$ of the probability of the true class. But hand it a batch of $N$
# one-hot rows and it also **sums over the samples**, so the loss, and its gradient, grow in
# proportion to $N$.
#
# Why does that matter? Gradient descent changes a weight by
# $-\eta \, \partial L / \partial w$, where $\eta$ is the **learning rate**. If $L$ is a sum
# over $N$ samples, each contributing a gradient of similar size, then
# $\partial L / \partial w$ is about $N$ times one sample's gradient, and so is the step:
# a learning rate that works for batches of 10 takes steps 100 times too large with
# batches of 1000. With the mean,
#
# $$
# L = \frac{1}{N} \sum_{n=1}^{N} \ell_n
# \quad\Longrightarrow\quad
# \frac{\partial L}{\partial w} = \frac{1}{N} \sum_{n=1}^{N} \frac{\partial \ell_n}{\partial w},
# $$
#
# the gradient is an *average* of per-sample gradients, whose size does not depend on $N$.
# The learning rate can then be chosen once, whatever the batch size.
#
# The cell below fits $t \approx w x$ to data made with $w = 3$, starting at $w = 0$, and
# takes one step with learning rate $0.1$ on batches of different sizes. With the mean,
# every batch size gives about the same sensible step, up to the noise of a small batch
# (the derivative of the mean squared error at $w = 0$ is $-2\,\overline{x t} \approx -6$);
# with the sum, the step grows with $N$ and the weight flies far past 3.

# %% nbgrader={"grade": false, "grade_id": "averaging_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(6)
w, learning_rate = 0.0, 0.1
print("    N   dL/dw (sum)   dL/dw (mean)   w after a step: sum    mean")
for n in [10, 100, 1000, 10000]:
    x_batch = rng.normal(size=n)
    t_batch = 3 * x_batch + 0.1 * rng.normal(size=n)
    # d/dw of sum_n (w x_n - t_n)^2 is sum_n 2 (w x_n - t_n) x_n
    grad_sum = np.sum(2 * (w * x_batch - t_batch) * x_batch)
    grad_mean = grad_sum / n
    print(f"{n:5d} {grad_sum:13.1f} {grad_mean:14.3f} {w - learning_rate * grad_sum:20.1f}"
          f" {w - learning_rate * grad_mean:7.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "mse", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. Mean squared error
#
# For regression, the error of one prediction is $\hat y - t$ (prediction minus target).
# Squaring it makes every error count positively and large errors count much more than
# small ones. The **mean squared error** averages the squares over all $n$ elements of the
# prediction array (for an array of shape $(N, D)$, $n = N \cdot D$):
#
# $$
# L = \frac{1}{n} \sum_{i=1}^{n} (\hat y_i - t_i)^2 .
# $$
#
# Each $\hat y_i$ appears in exactly one term, so its partial derivative is that term's
# derivative, by the chain rule $\frac{d}{du} u^2 = 2u$ with $u = \hat y_i - t_i$:
#
# $$
# \frac{\partial L}{\partial \hat y_i} = \frac{2}{n} (\hat y_i - t_i).
# $$
#
# The gradient points from the target towards the prediction: positive where the
# prediction is too large, so gradient descent lowers it. And it is **proportional to
# the error**: a prediction that is twice as far off gets pushed twice as hard.
#
# A small example to check by hand:
# $\hat y = \begin{pmatrix} 1 & 2 & 0 \\ 0.5 & -1 & 3 \end{pmatrix}$,
# $t = \begin{pmatrix} 0 & 2 & 1 \\ 0.5 & 1 & 1 \end{pmatrix}$. The errors are
# $\begin{pmatrix} 1 & 0 & -1 \\ 0 & -2 & 2 \end{pmatrix}$, their squares add up to
# $1 + 0 + 1 + 0 + 4 + 4 = 10$ over $n = 6$ elements, so $L = 10/6 = 5/3$, and the
# gradient is $\frac{2}{6} \times$ the errors $=$ the errors divided by 3.
#
# **Exercise 1 (3 points).** Write `mse_loss(pred, target)`, returning `(loss, dpred)`.
# `pred` and `target` have the same shape, any shape; average over all their elements.

# %% nbgrader={"grade": false, "grade_id": "mse_loss", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mse_loss(pred, target):
    """Mean squared error over all elements, and its gradient.

    pred: array of any shape, the predictions
    target: array of the same shape
    returns: (loss, dpred) with loss a float, mean((pred - target) ** 2), and dpred an
        array of the shape of pred, the gradient of the loss with respect to pred
    """
    ### BEGIN SOLUTION
    diff = pred - target
    loss = np.mean(diff ** 2)
    dpred = 2 * diff / diff.size  # d/d pred_i of (1/n) sum (pred - target)^2
    return float(loss), dpred
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mse_loss", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

pred = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0]])
target = np.array([[0.0, 2.0, 1.0], [0.5, 1.0, 1.0]])
check_example("mse_loss", mse_loss, (pred, target),
              expected=(10 / 6, np.array([[1.0, 0.0, -1.0], [0.0, -2.0, 2.0]]) / 3))
print("mse_loss: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_mse_loss_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A batch of ONE sample with three outputs: errors (1, -2, 0), so the loss is 5/3 and the
# gradient 2/3 of the errors. The mean is over all 3 elements, even though N = 1.
check_example("mse_loss", mse_loss,
              (np.array([[1.0, -1.0, 0.5]]), np.array([[0.0, 1.0, 0.5]])),
              expected=(5 / 3, np.array([[2 / 3, -4 / 3, 0.0]])))
# The hidden tests below run when your notebook is graded: random inputs of several shapes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(601)
for shape in [(5, 3), (1, 4), (7,), (2, 3, 4), (1, 1)]:
    check_reference("mse_loss", mse_loss, (rng.normal(size=shape), rng.normal(size=shape)))
check_reference("mse_loss", mse_loss, (rng.normal(scale=1e3, size=(4, 2)), rng.normal(size=(4, 2))))
same = rng.normal(size=(3, 5))
check_reference("mse_loss", mse_loss, (same, same.copy()))  # a perfect prediction
### END HIDDEN TESTS
print("mse_loss: a batch of one passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "bce", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. Binary cross-entropy
#
# For a yes/no question the network outputs a probability $p = \sigma(z)$ that the answer
# is yes (label $y = 1$). A good loss asks: *how much probability did the network give to
# what actually happened?* That is $p$ when $y = 1$ and $1 - p$ when $y = 0$. The
# **cross-entropy** is minus the logarithm of it:
#
# $$
# \ell(p, y) = -\bigl(y \log p + (1 - y) \log(1 - p)\bigr)
# = \begin{cases} -\log p & y = 1, \\ -\log(1 - p) & y = 0. \end{cases}
# $$
#
# (The first form is the second written without cases: for $y = 1$ its second term
# vanishes, for $y = 0$ its first. $\log$ is the natural logarithm.) Some values for a
# positive example, $y = 1$:
#
# | $p$ | 0.9 | 0.5 | 0.1 | 0.01 | 0 |
# |---|---|---|---|---|---|
# | $-\log p$ | 0.105 | 0.693 | 2.303 | 4.605 | $\infty$ |
#
# A right and confident answer costs almost nothing; a wrong and confident one costs a
# lot, without limit. Why the logarithm? The probability the network gives to a whole data
# set is the *product* of the probabilities it gives to each sample, and $-\log$ turns that
# product into a sum, which is easy to average and to differentiate. Minimising
# cross-entropy is making the observed labels as probable as possible.
#
# `binary_cross_entropy(p, y)` averages $\ell$ over all $n$ elements of `p`.

# %% [markdown] nbgrader={"grade": false, "grade_id": "log_zero", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### $\log 0$, and how clipping avoids it
#
# In exact arithmetic $p$ is never exactly 0 or 1, since $\sigma(z)$ only approaches them.
# In float64 it reaches them: lesson 01's `sigmoid` returns exactly $1.0$ for $z$ above
# about 37, and exactly 0 for $z$ below about $-745$. Then the formula breaks in two ways:
#
# - a confident **wrong** answer ($p = 0$, $y = 1$): $-\log 0 = \infty$, an infinite loss;
# - a confident **right** answer ($p = 0$, $y = 0$): the term $y \log p$ is
#   $0 \times (-\infty)$, which float arithmetic defines as `nan` (not a number), although
#   the term should simply vanish. One `nan` in a mean makes the whole loss `nan`, and
#   after one update every weight is `nan`.
#
# The cell below shows both (NumPy would also print a `RuntimeWarning` for each; we
# silence them here).

# %% nbgrader={"grade": false, "grade_id": "log_zero_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
p_extreme = np.array([0.0, 0.0, 1.0, 1.0])
y_extreme = np.array([1.0, 0.0, 1.0, 0.0])
with np.errstate(divide="ignore", invalid="ignore"):
    naive = -(y_extreme * np.log(p_extreme) + (1 - y_extreme) * np.log(1 - p_extreme))
print("p:               ", p_extreme)
print("y:               ", y_extreme)
print("naive losses:    ", naive)

p_clipped = np.clip(p_extreme, 1e-12, 1 - 1e-12)
clipped = -(y_extreme * np.log(p_clipped) + (1 - y_extreme) * np.log(1 - p_clipped))
print("clipped losses:  ", clipped.round(6))

# %% [markdown] nbgrader={"grade": false, "grade_id": "bce_gradient", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The cure is to **clip** $p$ into $[\varepsilon, 1 - \varepsilon]$ with a tiny
# $\varepsilon$ before taking logarithms: `np.clip(p, 1e-12, 1 - 1e-12)`. Now no logarithm
# sees a 0. A right and confident answer costs about $10^{-12}$, and a wrong and
# confident one costs $-\log 10^{-12} \approx 27.6$: large, as it should be, but finite.
# Clipping only changes predictions within $10^{-12}$ of 0 or 1, which are hopelessly
# over-confident anyway; all it does to them is cap their loss at about 27.6.
#
# **The gradient.** Differentiate $\ell$ with respect to $p$, using
# $\frac{d}{dp} \log p = \frac{1}{p}$ and $\frac{d}{dp} \log(1 - p) = -\frac{1}{1 - p}$:
#
# $$
# \frac{\partial \ell}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p}
# = \frac{-y (1 - p) + (1 - y) p}{p (1 - p)} = \frac{p - y}{p\,(1 - p)} .
# $$
#
# For $y = 1$ it is $-1/p$, for $y = 0$ it is $1/(1 - p)$. The mean over $n$ elements
# divides it by $n$. It too divides by zero at $p = 0$ or $p = 1$, so it must use the
# **clipped** $p$ as well. Writing $p_c$ for the clipped $p$, the function returns
#
# $$
# L = \frac{1}{n} \sum_i \ell(p_{c,i}, y_i), \qquad
# \frac{\partial L}{\partial p_i} = \frac{p_{c,i} - y_i}{p_{c,i} (1 - p_{c,i})} \cdot \frac{1}{n}.
# $$
#
# (Strictly, where the clipping is active the clipped function no longer depends on $p$
# and its derivative is 0. We deliberately keep the formula instead: a confidently wrong
# prediction should still be pushed the right way, not ignored.)
#
# A small example to check by hand, with $n = 6$:
# $p = \begin{pmatrix} 0.5 & 0.8 & 0.25 \\ 0.9 & 0.6 & 0.4 \end{pmatrix}$,
# $y = \begin{pmatrix} 1 & 0 & 0 \\ 1 & 1 & 0 \end{pmatrix}$. The probabilities given to
# what happened are $0.5, 0.2, 0.75, 0.9, 0.6, 0.6$; their $-\log$s are
# $0.693, 1.609, 0.288, 0.105, 0.511, 0.511$, with mean $L \approx 0.6195$. The gradient is
# $-1/p$ or $1/(1 - p)$, divided by 6:
# $\frac{1}{6}\begin{pmatrix} -2 & 5 & 4/3 \\ -10/9 & -5/3 & 5/3 \end{pmatrix}$.
#
# **Exercise 2 (4 points).** Write `binary_cross_entropy(p, y)`, returning `(loss, dp)`.
# `p` and `y` have the same shape. It must give finite results, with no warning, for `p`
# exactly 0 or 1.

# %% nbgrader={"grade": false, "grade_id": "binary_cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def binary_cross_entropy(p, y):
    """Mean binary cross-entropy, with p clipped to [1e-12, 1 - 1e-12], and its gradient.

    p: array of any shape, predicted probabilities of the positive class, in [0, 1]
    y: array of the same shape, the labels (0 or 1)
    returns: (loss, dp) with loss a float, the mean of -(y log pc + (1 - y) log(1 - pc)),
        and dp = (pc - y) / (pc (1 - pc)) / p.size, an array of the shape of p,
        where pc is p clipped to [1e-12, 1 - 1e-12]
    """
    ### BEGIN SOLUTION
    pc = np.clip(p, 1e-12, 1 - 1e-12)  # no log(0), no division by 0
    loss = -np.mean(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    dp = (pc - y) / (pc * (1 - pc)) / p.size
    return float(loss), dp
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_binary_cross_entropy", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

p = np.array([[0.5, 0.8, 0.25], [0.9, 0.6, 0.4]])
y = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
# -log of the probability given to what happened, averaged; dp = -1/p (y = 1) or 1/(1 - p) (y = 0), over 6
check_example("binary_cross_entropy", binary_cross_entropy, (p, y),
              expected=(-np.mean(np.log([0.5, 0.2, 0.75, 0.9, 0.6, 0.6])),
                        np.array([[-2.0, 5.0, 4 / 3], [-10 / 9, -5 / 3, 5 / 3]]) / 6))
print("binary_cross_entropy: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_binary_cross_entropy_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# p exactly 0 and 1, each with both labels. Clipped, they become lo = 1e-12 and hi = 1 - 1e-12
# (in float64, 1 - hi is not exactly 1e-12, so we let NumPy compute it).
lo, hi = 1e-12, 1 - 1e-12
pc = np.array([lo, lo, hi, hi])
y = np.array([1.0, 0.0, 1.0, 0.0])
check_example("binary_cross_entropy", binary_cross_entropy, (np.array([0.0, 0.0, 1.0, 1.0]), y),
              expected=((-np.log(lo) - np.log(1 - lo) - np.log(hi) - np.log(1 - hi)) / 4,
                        (pc - y) / (pc * (1 - pc)) / 4))
# The hidden tests below run when your notebook is graded: random inputs and more extremes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(602)
for shape in [(5, 3), (1, 7), (6,), (1, 1)]:
    check_reference("binary_cross_entropy", binary_cross_entropy,
                    (rng.uniform(size=shape), rng.integers(0, 2, size=shape).astype(float)))
edges = np.array([0.0, 1e-300, 1e-13, 1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12, 1 - 1e-13, 1.0])
for label in (0.0, 1.0):
    check_reference("binary_cross_entropy", binary_cross_entropy, (edges.reshape(2, 5), np.full((2, 5), label)))
check_reference("binary_cross_entropy", binary_cross_entropy,
                (rng.integers(0, 2, size=(3, 4)).astype(float), rng.integers(0, 2, size=(3, 4)).astype(float)))
### END HIDDEN TESTS
print("binary_cross_entropy: p of exactly 0 and 1 passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "why_ce", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. Why cross-entropy learns faster than squared error
#
# Nothing stops us from training a sigmoid output with squared error, as lessons 02 and 03
# did. But look at what reaches the pre-activation $z$ of the output neuron, where
# $p = \sigma(z)$ and, from lesson 02, $\frac{dp}{dz} = p\,(1 - p)$.
#
# **Squared error**, $\ell = \frac{1}{2}(p - y)^2$ (with the $\frac12$ of lessons 02 and 03,
# which makes $\frac{\partial \ell}{\partial p} = p - y$):
#
# $$
# \frac{\partial \ell}{\partial z} = \frac{\partial \ell}{\partial p}\,\frac{dp}{dz}
# = (p - y)\,p\,(1 - p).
# $$
#
# **Cross-entropy**, with the gradient from section 3:
#
# $$
# \frac{\partial \ell}{\partial z} = \frac{p - y}{p\,(1 - p)} \cdot p\,(1 - p) = p - y .
# $$
#
# The sigmoid's slope $p(1 - p)$ cancels. Now take a positive example ($y = 1$) that the
# network gets **confidently wrong**, say $z = -4$, so $p = \sigma(-4) \approx 0.018$:
#
# - cross-entropy: $\partial \ell / \partial z = p - 1 \approx -0.982$, nearly the
#   largest push it ever gives;
# - squared error: $\partial \ell / \partial z \approx -0.982 \times 0.018 \times 0.982
#   \approx -0.017$, almost sixty times weaker.
#
# The worse the mistake, the bigger the gap: at $z = -10$ the squared error's gradient is
# about $-4.5 \times 10^{-5}$ while the cross-entropy's is still about $-1$. Squared error
# through a sigmoid **stops learning exactly when it is most wrong**, because the
# saturated sigmoid's slope $p(1-p)$ (lesson 01) multiplies its gradient. Cross-entropy's
# gradient is simply the error $p - y$. (The course's `mse_loss` has no $\frac12$, which
# doubles its gradient; twice a vanishing number still vanishes.)

# %% nbgrader={"grade": false, "grade_id": "why_ce_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
for z_wrong in [-4.0, -10.0]:
    p_wrong = float(sigmoid(np.array(z_wrong)))
    print(f"z = {z_wrong:5.1f}, p = {p_wrong:.6f}:  dL/dz squared error = "
          f"{(p_wrong - 1) * p_wrong * (1 - p_wrong):.3g},  cross-entropy = {p_wrong - 1:.6f}")
show(pre_activation_gradients(z_mark=-4.0))

# %% [markdown] nbgrader={"grade": false, "grade_id": "learning_demo_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# What this does to learning: below, a one-neuron "network" whose only parameter is its
# pre-activation $z$ (think of it as a bias) starts confidently wrong at $z = -4$ on a
# positive example and takes gradient-descent steps $z \leftarrow z - \eta\,
# \partial \ell / \partial z$ with the same learning rate $\eta = 1$ for both losses.
# Cross-entropy passes $p = 0.8$ within ten steps. Squared error crawls for about sixty
# steps before it even gets going: the same sigmoid, the same data, the same learning rate,
# only the loss differs.

# %% nbgrader={"grade": false, "grade_id": "learning_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
show(learning_curves(z0=-4.0, lr=1.0, steps=150))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: one positive example
#
# Slide the probability $p$ that the network gives to a positive example ($y = 1$). The
# three panels show, for squared error and for cross-entropy, the loss, its gradient with
# respect to $p$, and its gradient with respect to the pre-activation $z$ (the one that
# flows back into the network). The legends give the values at your $p$; a triangle marks a
# value beyond the edge of its panel.
#
# - At $p = 0.5$, read off both gradients with respect to $z$. Check them against
#   $(p - 1) p (1 - p)$ and $p - 1$.
# - Slide $p$ towards 0. With respect to $p$, the cross-entropy's gradient $-1/p$ explodes.
#   With respect to $z$ it stays near $-1$: the sigmoid's slope tames it. The squared
#   error's gradient with respect to $z$ goes to 0. Which of the two would you rather
#   learn from?
# - Where is the squared error's gradient with respect to $z$ largest in size? (Hint:
#   maximise $(1 - p)^2 p$; the answer is $p = 1/3$.)
# - Slide $p$ towards 1: both losses and both gradients vanish, as they should when the
#   answer is right.

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
probability_explorer(p=0.1)

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_ce", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Softmax cross-entropy, for many classes
#
# With $C$ classes the last layer produces $C$ numbers per sample, the **logits**
# $z_1, \dots, z_C$, and softmax (lesson 04) turns them into probabilities:
#
# $$
# \mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}} .
# $$
#
# The labels are **integers**: `y[n]` is the class of sample `n`, a number from 0 to
# $C - 1$, so `y` has shape $(N,)$. (The `cross_entropy` of section 1 takes a **one-hot**
# row `y_true` instead, all zeros but a 1 at the true class; `np.eye(C)[y]` turns integer labels into
# one-hot rows of shape $(N, C)$ if you ever need them.) The loss of sample $n$ is again
# minus the log of the probability given to what happened:
#
# $$
# \ell_n = -\log \mathrm{softmax}(z_n)_{y_n}
# = -z_{n, y_n} + \log \sum_{j=1}^{C} e^{z_{n j}},
# \qquad L = \frac{1}{N} \sum_{n=1}^{N} \ell_n .
# $$
#
# **Log-softmax.** Computing `np.log(softmax(z))` fails in two ways for large logits.
# Without the max-subtraction of lesson 04, `np.exp(1e4)` overflows to `inf` and
# `inf / inf` is `nan`. With it, softmax is computed safely, but a probability such as
# $e^{-20000}$ rounds to exactly 0 in float64, and then its log is $-\infty$, although the
# true value, $-20000$, is a perfectly ordinary number. The way out is never to form the
# tiny probability: take the logarithm by hand. Softmax does not change when the same
# number is subtracted from every logit of a row, so with $m = \max_j z_j$,
#
# $$
# \log \mathrm{softmax}(z)_k = (z_k - m) - \log \sum_{j=1}^{C} e^{z_j - m} .
# $$
#
# Every exponent $z_j - m$ is at most 0, so nothing overflows; the sum is between 1 and
# $C$ (the largest term is $e^0 = 1$), so its log is harmless; and $z_k - m$ is exact.
# This is **log-softmax**.

# %% nbgrader={"grade": false, "grade_id": "log_softmax_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
z_big = np.array([[1e4, 0.0, -1e4]])
with np.errstate(divide="ignore"):
    print("log(softmax(z)):", np.log(softmax(z_big)))
shifted_demo = z_big - z_big.max(axis=1, keepdims=True)
print("log-softmax:    ", shifted_demo - np.log(np.exp(shifted_demo).sum(axis=1, keepdims=True)))

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_ce_gradient", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **The gradient.** Differentiate $\ell_n = -z_{n, y_n} + \log \sum_j e^{z_{n j}}$ with
# respect to one logit $z_{n k}$. The first term gives $-1$ if $k = y_n$ and 0 otherwise;
# the second gives $\frac{e^{z_{n k}}}{\sum_j e^{z_{n j}}} = \mathrm{softmax}(z_n)_k$. So
#
# $$
# \frac{\partial \ell_n}{\partial z_{n k}} = \mathrm{softmax}(z_n)_k - [k = y_n],
# \qquad
# \frac{\partial L}{\partial z} = \frac{1}{N}\bigl(\mathrm{softmax}(z) - \text{onehot}(y)\bigr),
# $$
#
# where $[P]$, for a statement $P$, is 1 if $P$ is true and 0 if it is false (the
# *Iverson bracket*): $[k = y_n]$ is entry $k$ of the one-hot row of label $y_n$. The gradient is
# probabilities minus one-hot labels, divided by $N$ for the mean: the same "prediction
# minus truth" as the binary case, with no vanishing factor. In NumPy, row `n`'s entry for
# its label is `a[np.arange(N), y]` (`a[:, y]` would be something else: try it).
#
# A small example to check by hand: take logits whose exponentials are easy,
# $z = \log \begin{pmatrix} 1 & 3 & 1 \\ 2 & 1 & 1 \end{pmatrix}$ (elementwise), with labels
# $y = (1, 0)$. Then $\mathrm{softmax}$ is each row divided by its sum:
# $\begin{pmatrix} 0.2 & 0.6 & 0.2 \\ 0.5 & 0.25 & 0.25 \end{pmatrix}$. The losses are
# $-\log 0.6 \approx 0.511$ and $-\log 0.5 \approx 0.693$, so $L \approx 0.602$, and the
# gradient is
# $\frac{1}{2}\begin{pmatrix} 0.2 & -0.4 & 0.2 \\ -0.5 & 0.25 & 0.25 \end{pmatrix}$.
# The test below adds 1000 to every logit of the first row. That changes nothing, since a
# row's softmax does not change when all its logits move by the same amount, but it
# catches two slips: `np.exp(1000)` overflows to `inf`, and subtracting the maximum of the
# whole array (about 1001.1) instead of each row's sends every exponential of the second
# row to 0, and its log to $-\infty$.
#
# **Exercise 3 (4 points).** Write `softmax_cross_entropy(logits, y)`, returning
# `(loss, dlogits)`. Use log-softmax for the loss; it must be exact, with no warning, for
# logits as large as $\pm 10^4$. The course's `softmax` is imported above if you want it.

# %% nbgrader={"grade": false, "grade_id": "softmax_cross_entropy", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    logits: array of shape (N, C), one row of class scores per sample
    y: integer array of shape (N,), the class of each sample, in 0 .. C - 1
    returns: (loss, dlogits) with loss a float, the mean over samples of
        -log softmax(logits[n])[y[n]], and dlogits an array of shape (N, C),
        (softmax(logits) - onehot(y)) / N
    """
    ### BEGIN SOLUTION
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, C), every entry <= 0
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax
    loss = -np.mean(log_probs[rows, y])
    dlogits = np.exp(log_probs)  # softmax, (N, C)
    dlogits[rows, y] -= 1  # minus the one-hot labels
    return float(loss), dlogits / n
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

logits = np.log(np.array([[1.0, 3.0, 1.0], [2.0, 1.0, 1.0]]))  # softmax rows (0.2, 0.6, 0.2), (0.5, 0.25, 0.25)
logits[0] += 1000.0  # the same softmax; the first row's maximum is far above the second row's
y = np.array([1, 0])
check_example("softmax_cross_entropy", softmax_cross_entropy, (logits, y),
              expected=((-np.log(0.6) - np.log(0.5)) / 2,
                        np.array([[0.2, -0.4, 0.2], [-0.5, 0.25, 0.25]]) / 2))
print("softmax_cross_entropy: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_softmax_cross_entropy_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Logits of +-1e4. Row 0 has label 2: log-softmax is -1e4 - 1e4 = -2e4, a loss of 2e4, and its
# softmax is (1, 0, 0). Row 1 has label 0, tied with class 2: a loss of log 2, softmax (0.5, 0, 0.5).
logits = np.array([[1e4, 0.0, -1e4], [1e4, -1e4, 1e4]])
check_example("softmax_cross_entropy", softmax_cross_entropy, (logits, np.array([2, 0])),
              expected=((2e4 + np.log(2)) / 2, np.array([[0.5, 0.0, -0.5], [-0.25, 0.0, 0.25]])))
# The hidden tests below run when your notebook is graded: random inputs and more extremes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(603)
for n, c in [(5, 3), (1, 4), (7, 10), (4, 2)]:
    check_reference("softmax_cross_entropy", softmax_cross_entropy,
                    (rng.normal(scale=3.0, size=(n, c)), rng.integers(0, c, size=n)))
check_reference("softmax_cross_entropy", softmax_cross_entropy,
                (rng.normal(scale=1e4, size=(4, 6)), rng.integers(0, 6, size=4)))
extreme = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, -1e4, -1e4, -1e4], [-1e4, 1e4, -1e4, 9999.0]])
check_reference("softmax_cross_entropy", softmax_cross_entropy, (extreme, np.array([1, 3, 3])))
check_reference("softmax_cross_entropy", softmax_cross_entropy, (extreme[:1], np.array([0])))
### END HIDDEN TESTS
print("softmax_cross_entropy: logits of +-1e4 pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "hinge", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. The multiclass hinge loss
#
# Cross-entropy wants probabilities. The **hinge loss** (the loss of a multiclass support
# vector machine) works on raw scores $s_1, \dots, s_C$ and asks for less: the correct
# class's score $s_y$ should beat every other class's score by at least a **margin**
# $\Delta$ (1 by default). Each class $j \ne y$ that fails to do so is charged by how much
# it fails:
#
# $$
# \ell_n = \sum_{j \ne y_n} \max\bigl(0,\; s_{n j} - s_{n y_n} + \Delta\bigr),
# \qquad L = \frac{1}{N} \sum_{n=1}^{N} \ell_n .
# $$
#
# The sum leaves out $j = y_n$: the correct class is not compared with itself (that term
# would always be $\max(0, \Delta) = \Delta$, a constant that teaches nothing).
#
# **Hinge or cross-entropy?** Once every margin is met, the hinge loss is exactly 0 and
# stops pushing; cross-entropy is never exactly 0 and keeps asking for more confidence.
# The plot shows both for two classes, against how far the correct class leads. Use
# cross-entropy when you want probabilities out of the network (most of the time); the
# hinge loss when only the ranking of the scores matters.

# %% nbgrader={"grade": false, "grade_id": "hinge_plot", "locked": true, "schema_version": 3, "solution": false, "task": false}
show(margin_losses(margin=1.0))

# %% [markdown] nbgrader={"grade": false, "grade_id": "hinge_gradient", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **The gradient.** Call a term **active** when $s_{n j} - s_{n y_n} + \Delta > 0$. An
# inactive term is 0 near the current scores and contributes nothing. An active term is
# $s_{n j} - s_{n y_n} + \Delta$, whose derivative is $+1$ with respect to $s_{n j}$ and
# $-1$ with respect to $s_{n y_n}$. The correct class's score appears in *every* term of
# its row, so its derivative collects $-1$ from each active one:
#
# $$
# \frac{\partial \ell_n}{\partial s_{n j}} = [\text{term } j \text{ active}] \quad (j \ne y_n),
# \qquad
# \frac{\partial \ell_n}{\partial s_{n y_n}} = -(\text{number of active terms in row } n),
# $$
#
# all divided by $N$ for the mean. (At exactly 0 the hinge has a corner and no derivative;
# we use 0 there, like `relu_backward` in lesson 04. The tests avoid exact corners.)
#
# A small example to check by hand, with $\Delta = 1$:
# $s = \begin{pmatrix} 2 & 3.5 & -1 & 1.5 \\ 0 & 4 & 3.5 & 1 \end{pmatrix}$,
# $y = (0, 1)$.
#
# - Row 0, $s_y = 2$: the terms are $3.5 - 2 + 1 = 2.5$, $-1 - 2 + 1 = -2$ and
#   $1.5 - 2 + 1 = 0.5$. Two are active, so $\ell_0 = 2.5 + 0.5 = 3$.
# - Row 1, $s_y = 4$: the terms are $0 - 4 + 1 = -3$, $3.5 - 4 + 1 = 0.5$ and
#   $1 - 4 + 1 = -2$. One is active, so $\ell_1 = 0.5$.
#
# So $L = (3 + 0.5)/2 = 1.75$, and the gradient is
# $\frac{1}{2}\begin{pmatrix} -2 & 1 & 0 & 1 \\ 0 & -1 & 1 & 0 \end{pmatrix}$.
#
# The same scores with $\Delta = 0$ (each score only has to beat the others): row 0's terms
# become $1.5$, $-3$ and $-0.5$, one active, and row 1's $-4$, $-0.5$ and $-3$, none active,
# so $L = 1.5 / 2 = 0.75$ and the gradient is
# $\frac{1}{2}\begin{pmatrix} -1 & 1 & 0 & 0 \\ 0 & 0 & 0 & 0 \end{pmatrix}$. A loss that
# sums over every $j$, the correct class included, and then subtracts that class's term
# as if it were always $\Delta$ and always active gets the loss right but this gradient
# wrong: with $\Delta = 0$ that term is $\max(0, 0) = 0$, not active.
#
# **Exercise 4 (4 points).** Write `hinge_loss(scores, y, margin=1.0)`, returning
# `(loss, dscores)`. Use the `margin` argument: the tests also call it with other margins.

# %% nbgrader={"grade": false, "grade_id": "hinge_loss", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hinge_loss(scores, y, margin=1.0):
    """Multiclass hinge (SVM) loss, averaged over the samples, and its gradient.

    scores: array of shape (N, C), one row of class scores per sample
    y: integer array of shape (N,), the class of each sample, in 0 .. C - 1
    margin: float, by how much the correct score should beat each other score
    returns: (loss, dscores) with loss a float, the mean over samples of
        sum over j != y of max(0, s_j - s_y + margin), and dscores of shape (N, C)
    """
    ### BEGIN SOLUTION
    n = scores.shape[0]
    rows = np.arange(n)
    margins = scores - scores[rows, y][:, None] + margin  # (N, C) - (N, 1)
    margins[rows, y] = 0  # leave out j = y
    active = margins > 0
    loss = np.sum(margins[active]) / n
    dscores = active.astype(float)  # +1 for each active j
    dscores[rows, y] = -active.sum(axis=1)  # -1 per active term for the correct class
    return float(loss), dscores / n
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_hinge_loss", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

scores = np.array([[2.0, 3.5, -1.0, 1.5], [0.0, 4.0, 3.5, 1.0]])
y = np.array([0, 1])
check_example("hinge_loss", hinge_loss, (scores, y),
              expected=(1.75, np.array([[-2.0, 1.0, 0.0, 1.0], [0.0, -1.0, 1.0, 0.0]]) / 2))
# margin 0: row 0's terms are 1.5, -3, -0.5 (one active), row 1's -4, -0.5, -3 (none)
check_example("hinge_loss", hinge_loss, (scores, y), kwargs={"margin": 0.0},
              expected=(0.75, np.array([[-1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]) / 2))
print("hinge_loss: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_hinge_loss_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One sample, margin 2: the terms are 1 - 2.5 + 2 = 0.5 (active) and 0.25 - 2.5 + 2 = -0.25.
# (With the default margin 1 both would be inactive and the loss 0.)
check_example("hinge_loss", hinge_loss, (np.array([[1.0, 0.25, 2.5]]), np.array([2])),
              kwargs={"margin": 2.0}, expected=(0.5, np.array([[1.0, 0.0, -1.0]])))
# The hidden tests below run when your notebook is graded: random inputs, other margins.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(604)
for n, c in [(5, 3), (1, 4), (8, 10), (3, 2)]:
    check_reference("hinge_loss", hinge_loss, (rng.normal(size=(n, c)), rng.integers(0, c, size=n)))
for delta in [0.5, 3.0, 0.0]:
    check_reference("hinge_loss", hinge_loss, (rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)),
                    kwargs={"margin": delta})
satisfied = np.array([[5.0, 0.0, 1.0], [-2.0, 0.5, 3.0]])  # every margin met: loss 0, gradient 0
check_reference("hinge_loss", hinge_loss, (satisfied, np.array([0, 2])))
check_reference("hinge_loss", hinge_loss, (satisfied, np.array([0, 2])), kwargs={"margin": 2.75})
### END HIDDEN TESTS
print("hinge_loss: a non-default margin passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "gradient_check", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7. Check your gradients numerically
#
# Lesson 02's `numerical_gradient` estimates any gradient by central differences, so you
# can check each of your losses without trusting your algebra. The relative errors below
# should be around $10^{-8}$ or smaller; a wrong gradient gives $10^{-2}$ or more. (For the hinge loss the random scores keep every
# term away from its corner, where the central difference would straddle the kink.)

# %% nbgrader={"grade": false, "grade_id": "gradient_check_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.reference import numerical_gradient, rel_error

rng = np.random.default_rng(0)
pred_check, target_check = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
p_check, y_check = rng.uniform(0.05, 0.95, size=(3, 4)), rng.integers(0, 2, size=(3, 4)).astype(float)
logits_check, labels_check = rng.normal(size=(3, 4)), rng.integers(0, 4, size=3)

checks = {
    "mse_loss": (lambda a: mse_loss(a, target_check), pred_check),
    "binary_cross_entropy": (lambda a: binary_cross_entropy(a, y_check), p_check),
    "softmax_cross_entropy": (lambda a: softmax_cross_entropy(a, labels_check), logits_check),
    "hinge_loss": (lambda a: hinge_loss(a, labels_check, margin=0.5), logits_check),
}
for name, (loss_of, point) in checks.items():
    numeric = numerical_gradient(lambda a: loss_of(a)[0], point)
    print(f"{name:22s} relative error {rel_error(loss_of(point)[1], numeric):.1e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - A loss turns predictions and targets into one number to minimise; what training needs
#   from it is its gradient with respect to the predictions, where backpropagation starts.
# - Regression: mean squared error, gradient $\frac{2}{n}(\hat y - t)$. Two classes:
#   binary cross-entropy on a sigmoid. Many classes: softmax cross-entropy, or the hinge
#   loss when only the ranking of scores matters.
# - Averaging over the batch (not summing, as section 1's `cross_entropy` does) keeps the
#   gradient's size independent of the batch size, so one learning rate fits all batch
#   sizes.
# - With a sigmoid or softmax output, cross-entropy's gradient with respect to the
#   pre-activation is just $p - y$; squared error's carries the factor $p(1 - p)$ and
#   vanishes when the prediction is confidently wrong, which is why it learns slowly.
# - $\log 0 = -\infty$ and $0 \cdot \log 0 = $ `nan`: clip probabilities before taking
#   logs, and for softmax compute log-softmax, $z - \max z - \log \sum e^{z - \max z}$,
#   instead of the log of a probability that may have rounded to 0.
#
# Next, lesson 07: optimizers, which turn these gradients into steps.
