# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 07: Optimizers
#
# Backpropagation (lesson 03) tells you the gradient of the loss with respect to every
# weight. An **optimizer** decides what to do with it: how far to move each weight, and in
# which direction. This lesson starts from plain gradient descent, finds out why its
# learning rate is so hard to choose, and builds the three improvements that almost every
# network is trained with today. You will write four step functions:
#
# 1. `sgd_step(w, dw, lr)`: plain gradient descent,
# 2. `momentum_step(w, dw, velocity, lr, momentum)`: gradient descent with momentum,
# 3. `rmsprop_step(w, dw, cache, lr, decay, eps)`: a step size for each weight,
# 4. `adam_step(w, dw, m, v, t, lr, beta1, beta2, eps)`: both ideas together, with a
#    correction for the first steps.
#
# Each takes a parameter array `w`, its gradient `dw` (same shape) and the optimizer's
# memory (its **state**), and returns the new parameter and the new state as new arrays.
# None of them may change its inputs; section 1 shows why that matters.
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
from helpers.plots.optimizers import (bias_correction, learning_rates, minibatch_noise,
                                      network_comparison, two_moons, valley_gradient,
                                      valley_paths)
from helpers.widgets.optimizers import optimizer_race

# %% [markdown] nbgrader={"grade": false, "grade_id": "descent", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. Gradient descent and the learning rate
#
# Training looks for weights $w$ that make a loss $f(w)$ small. The gradient
# $\nabla f(w)$ points in the direction in which $f$ grows fastest, so a small step
# against it makes $f$ smaller. **Gradient descent** takes that step again and again:
#
# $$
# w_{k+1} = w_k - \eta \, \nabla f(w_k).
# $$
#
# The step size $\eta$ (the Greek letter eta; `lr` in code) is the **learning rate**. How
# large may it be? The simplest loss of all answers that exactly. Take the parabola
# $f(w) = \frac{\lambda}{2} w^2$, whose minimum is at $w = 0$ and whose curvature (second
# derivative) is $f''(w) = \lambda$. Its gradient is $\lambda w$, so one step gives
#
# $$
# w_{k+1} = w_k - \eta \lambda w_k = (1 - \eta \lambda)\, w_k,
# \qquad\text{hence}\qquad w_k = (1 - \eta \lambda)^k \, w_0 .
# $$
#
# Every step multiplies the distance to the minimum by the same factor $1 - \eta \lambda$. The
# distance shrinks to 0 when $|1 - \eta \lambda| < 1$, that is when
#
# $$
# 0 < \eta < \frac{2}{\lambda}.
# $$
#
# With $\lambda = 4$ (so $2/\lambda = 0.5$) and $w_0 = 1$, four learning rates show the four things
# that can happen:
#
# | $\eta$ | factor $1 - 4\eta$ | $w_0, w_1, w_2, w_3$ | |
# |---|---|---|---|
# | 0.05 | 0.8 | 1, 0.8, 0.64, 0.512 | converges, slowly: it crawls |
# | 0.25 | 0 | 1, 0, 0, 0 | lands on the minimum in one step ($\eta = 1/\lambda$) |
# | 0.45 | −0.8 | 1, −0.8, 0.64, −0.512 | jumps over the minimum each time, but converges |
# | 0.55 | −1.2 | 1, −1.2, 1.44, −1.728 | overshoots further each time: **diverges** |
#
# A loss with many weights curves differently in different directions (the curvatures
# are the eigenvalues of its Hessian, the matrix of second derivatives). Near a minimum,
# gradient descent is stable only if $\eta < 2/\lambda$ for the **largest** curvature $\lambda$.
#
# The plot shows the runs for $\eta = 0.05, 0.2, 0.45, 0.55$ (0.2 rather than 0.25, so
# that there is something to see): on the left the first steps on the parabola, on the
# right the distance $|w_k|$ on a log scale, where a constant factor per step is a
# straight line.

# %% nbgrader={"grade": false, "grade_id": "descent_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
show(learning_rates(curvature=4.0, lrs=[0.05, 0.2, 0.45, 0.55], w0=1.0, steps=20))

# %% [markdown] nbgrader={"grade": false, "grade_id": "misconception", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### A misconception: "a larger learning rate learns faster"
#
# Only up to a point. Raising $\eta$ speeds gradient descent up until $\eta = 1/\lambda$; beyond
# it the steps overshoot, and beyond $2/\lambda$ every step makes things worse: the loss grows
# without bound, and in a real network soon turns into `inf` and `nan`. When a training
# loss shoots up, the first suspect is a learning rate above the stability limit.
#
# ### Why step functions must not change their inputs
#
# In NumPy, `w -= lr * dw` does not make a new array: it overwrites the numbers inside the
# array `w` refers to. Any other name for that array sees the change too. The cell below
# shows it: `b = a` does not copy, so `b -= 1` changes `a`.

# %% nbgrader={"grade": false, "grade_id": "aliasing_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
a = np.array([1.0, 2.0, 3.0])
b = a  # a second name for the same array, not a copy
b -= 1.0  # in place: changes the array both names refer to
print("a after b -= 1:", a)

a = np.array([1.0, 2.0, 3.0])
b = a
b = b - 1.0  # a new array; a is untouched
print("a after b = b - 1:", a)

# %% [markdown] nbgrader={"grade": false, "grade_id": "sgd_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# An optimizer that overwrites its inputs is a source of quiet bugs: a caller who kept the
# old weights (to compare, to roll back, to check a gradient) finds them changed. So in this
# course every step function returns **new** arrays and leaves its inputs alone.
#
# **Exercise 1 (3 points).** Write `sgd_step(w, dw, lr=1e-2)`: one step of gradient
# descent, `w - lr * dw`, as a new array. Use the argument `lr`, not a number of your own.
#
# A case to check by hand, with the default $\eta = 0.01$: with
# $w = \begin{pmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \end{pmatrix}$ and
# $\nabla w = \begin{pmatrix} 50 & -200 & 0 \\ 50 & 10 & -1 \end{pmatrix}$, the new
# weights are $\begin{pmatrix} 0.5 & 4 & 3 \\ 3.5 & 4.9 & 6.01 \end{pmatrix}$.

# %% nbgrader={"grade": false, "grade_id": "sgd_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sgd_step(w, dw, lr=1e-2):
    """One step of gradient descent.

    w: array of any shape, the parameter
    dw: array of w's shape, the gradient of the loss with respect to w
    lr: float, the learning rate
    returns: a new array of w's shape, w - lr * dw (w itself is unchanged)
    """
    ### BEGIN SOLUTION
    return w - lr * dw  # a new array: w is not modified
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sgd_step", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

w = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
dw = np.array([[50.0, -200.0, 0.0], [50.0, 10.0, -1.0]])
check_example("sgd_step", sgd_step, (w, dw),
              expected=np.array([[0.5, 4.0, 3.0], [3.5, 4.9, 6.01]]))
print("sgd_step: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_sgd_step_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A learning rate of 0.5 on a vector: w - 0.5 * dw.
check_example("sgd_step", sgd_step, (np.array([1.0, -1.0, 0.5, 2.0]), np.array([1.0, 2.0, -1.0, 0.0])),
              expected=np.array([0.5, -2.0, 1.0, 2.0]), kwargs={"lr": 0.5})
# The hidden tests below run when your notebook is graded: other shapes and learning rates.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(701)
for shape, lr in [((3, 5), 0.1), ((4, 2), 1e-3), ((7,), 2.5), ((2, 3, 4), 0.0), ((1, 6), 1e-2)]:
    check_reference("sgd_step", sgd_step,
                    (rng.normal(size=shape), rng.normal(scale=10.0, size=shape)), kwargs={"lr": lr})
check_reference("sgd_step", sgd_step, (rng.normal(size=(5, 3)), rng.normal(size=(5, 3))))
### END HIDDEN TESTS
print("sgd_step: a non-default learning rate passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "valley", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. An ill-conditioned valley
#
# Now two weights and a loss that curves differently in the two directions:
#
# $$
# f(w) = \tfrac12 \left( w_1^2 + 25\, w_2^2 \right),
# \qquad
# \nabla f(w) = \begin{pmatrix} w_1 \\ 25\, w_2 \end{pmatrix}.
# $$
#
# Its contour lines are long thin ellipses: a valley, steep across ($w_2$, curvature 25)
# and nearly flat along its floor ($w_1$, curvature 1). Gradient descent acts on each
# coordinate separately here:
#
# $$
# w_1 \leftarrow (1 - \eta)\, w_1, \qquad w_2 \leftarrow (1 - 25\eta)\, w_2 .
# $$
#
# Stability is decided by the steep direction: $\eta < 2/25 = 0.08$. But then the factor
# along the floor is at least $1 - 0.08 = 0.92$ per step, so progress along the floor is
# slow. With $\eta = 0.07$ the $w_2$ factor is $1 - 1.75 = -0.75$ (a zigzag across the
# valley) and the $w_1$ factor is $0.93$: after 60 steps $w_1$ has only shrunk by
# $0.93^{60} \approx 0.013$, from $-8$ to about $-0.10$. One notch higher, $\eta = 0.085$,
# gives the factor $1 - 2.125 = -1.125$ across the valley, and the run diverges.
#
# The ratio of the largest to the smallest curvature, here $\kappa = 25$, is the
# **condition number**. The number of steps gradient descent needs grows in proportion to
# it, and the losses of real networks are far worse conditioned than this. The cell below
# runs your `sgd_step` on the valley with both learning rates.

# %% nbgrader={"grade": false, "grade_id": "valley_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
start = np.array([-8.0, 1.6])
runs = []
for lr in [0.07, 0.085]:
    w = start
    path = [w]
    for step in range(60):
        w = sgd_step(w, valley_gradient(w), lr=lr)  # the gradient is (w1, 25 w2)
        path.append(w)
    runs.append((f"gradient descent: lr {lr}", np.array(path)))
    print(f"lr = {lr}: w after 60 steps = {w}")
show(valley_paths(runs))

# %% [markdown] nbgrader={"grade": false, "grade_id": "minibatch", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. Stochastic and mini-batch gradients
#
# The loss of a network is an average over its $N$ training samples,
# $L(w) = \frac1N \sum_{n=1}^{N} \ell_n(w)$, and so is its gradient. With a million
# samples, one exact gradient costs a pass over all million. Instead, take a
# **mini-batch** of $B$ samples at random and average only their gradients:
#
# $$
# g_B = \frac{1}{B} \sum_{n \in \text{batch}} \nabla \ell_n(w).
# $$
#
# $g_B$ is a random estimate of the true gradient. It is right on average,
# $\mathbb{E}[g_B] = \nabla L(w)$, because every sample is equally likely to be in the
# batch. Its spread shrinks as the batch grows: if one sample's gradient has standard
# deviation $\sigma$ around the true gradient, the average of $B$ independent ones has
# standard deviation $\sigma / \sqrt{B}$. The cost grows like $B$ but the noise only falls
# like $1/\sqrt{B}$: four times the work halves the noise.
#
# Strictly, **stochastic gradient descent** (SGD) uses $B = 1$, but the name is used for
# any batch size. Note what is random: the *gradient*. The update is still
# `sgd_step(w, g_B, lr)`; your function does not care where its gradient came from. One
# pass over the data is an **epoch**: shuffle the samples, cut them into batches of $B$,
# take one step per batch.
#
# The demonstration fits a line $y \approx x w$ with two weights to 512 noisy samples,
# with the mean squared error of lesson 06 (`mse_loss` from `helpers.reference`). The left
# plot measures the spread of $g_B$ over 300 random batches of each size; the right one
# gives three batch sizes the same total work, 2048 per-sample gradients (4 epochs), and
# plots the loss on all the data minus its smallest possible value.

# %% nbgrader={"grade": false, "grade_id": "minibatch_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.reference import mse_loss

rng = np.random.default_rng(7)
n = 512
x_line = rng.normal(size=(n, 2))
y_line = x_line @ np.array([[2.0], [-1.0]]) + 0.5 * rng.normal(size=(n, 1))
w_best = np.linalg.lstsq(x_line, y_line, rcond=None)[0]  # the exact minimum, for reference
best_loss = mse_loss(x_line @ w_best, y_line)[0]


def batch_gradient(w, rows):
    """Gradient of the mean squared error over the samples `rows`, at w of shape (2, 1)."""
    _, dpred = mse_loss(x_line[rows] @ w, y_line[rows])  # dpred: (B, 1)
    return x_line[rows].T @ dpred  # (2, B) @ (B, 1) -> (2, 1)


def excess_loss(w):
    return mse_loss(x_line @ w, y_line)[0] - best_loss


batch_sizes = [1, 2, 4, 8, 16, 32, 64, 128]
spreads = []
for size in batch_sizes:
    estimates = [batch_gradient(np.zeros((2, 1)), rng.choice(n, size=size, replace=False))[0, 0]
                 for _ in range(300)]
    spreads.append(np.std(estimates))


def train_line(batch_size, work=2048, lr=0.1):
    """SGD on the line with mini-batches of batch_size: (samples processed, excess loss)."""
    shuffler = np.random.default_rng(8)
    w = np.zeros((2, 1))
    samples, losses = [0], [excess_loss(w)]
    while samples[-1] < work:
        order = shuffler.permutation(n)  # a new epoch: shuffle, then cut into batches
        for first in range(0, n, batch_size):
            if samples[-1] >= work:
                break
            w = sgd_step(w, batch_gradient(w, order[first:first + batch_size]), lr=lr)
            samples.append(samples[-1] + batch_size)
            losses.append(excess_loss(w))
    return np.array(samples), np.array(losses)


curves = {f"B = {size}": train_line(size) for size in [1, 16, 512]}
for label, (samples, losses) in curves.items():
    print(f"{label:>8}: {len(samples) - 1:4d} steps, final excess loss {losses[-1]:.1e}")
show(minibatch_noise(batch_sizes, spreads, curves))

# %% [markdown] nbgrader={"grade": false, "grade_id": "minibatch_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# On the left the measured spread follows the $1/\sqrt{B}$ law (for large batches it falls
# a little faster, because the batches are drawn without repeats: a batch of all 512
# samples would have no noise at all). On the right, for the same work:
#
# - the full batch ($B = 512$) has a perfect gradient but has taken only 4 steps;
# - $B = 1$ has taken 2048 steps and got close quickly, but then it jitters: each step
#   follows one sample's gradient, which points somewhere else than the true one;
# - $B = 16$ takes 128 steps, each much less noisy, and settles at a lower level.
#
# The best batch size also depends on the hardware: a vectorised batch of 32 samples costs
# hardly more time than a batch of 1, so batches of 32 to 256 are the usual compromise.
# To get below the jitter, lower the learning rate as training goes on.

# %% [markdown] nbgrader={"grade": false, "grade_id": "momentum", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. Momentum
#
# Back on the valley, gradient descent wastes its steps: across the valley the gradient
# changes sign at every step, along the floor it points the same way every time but is
# small. **Momentum** keeps a running **velocity** $v$ (starting at $v_0 = 0$) and moves by
# it:
#
# $$
# v_{k+1} = \mu\, v_k - \eta\, \nabla f(w_k), \qquad w_{k+1} = w_k + v_{k+1},
# $$
#
# with $0 \le \mu < 1$ (`momentum`, usually 0.9). Note the order: first the new velocity,
# then the step with it. Unrolling the first equation shows that the velocity is a sum of
# all past gradient steps, the older ones weighted less:
#
# $$
# v_k = -\eta \sum_{j=0}^{k-1} \mu^{\,k-1-j}\, \nabla f(w_j).
# $$
#
# Where the gradient keeps its direction, the terms add up. For a constant gradient $g$,
# the geometric series gives
# $v_k = -\eta g \,(1 + \mu + \dots + \mu^{k-1}) = -\eta g \,\frac{1 - \mu^k}{1 - \mu}$,
# which tends to $-\eta g / (1 - \mu)$: with $\mu = 0.9$, ten times the plain step. Where
# the gradient alternates in sign, the terms cancel. Think of a heavy ball rolling down the
# valley: it gathers speed along the floor, and its swinging across the valley is damped.
#
# With $\eta = 0.1$, $\mu = 0.9$ and a constant gradient $g = 1$: $v_1 = -0.1$,
# $v_2 = 0.9 \cdot (-0.1) - 0.1 = -0.19$, $v_3 = -0.271$, $v_4 = -0.3439$, on the way to
# $-1$.
#
# (Some libraries write momentum as $v \leftarrow \mu v + g$, $w \leftarrow w - \eta v$.
# For a fixed $\eta$ the weights follow the same path, but their $v$ is $-1/\eta$ times
# ours. This course's `velocity` is the step itself, as in the equations above.)
#
# **Exercise 2 (3 points).** Write `momentum_step(w, dw, velocity, lr=1e-2, momentum=0.9)`
# returning `(w, velocity)`, the new weights and the new velocity, as new arrays.
#
# A case to check by hand, with the defaults $\eta = 0.01$, $\mu = 0.9$:
# $w = \begin{pmatrix} 1 & 2 & 3 \\ -1 & 0 & 0.5 \end{pmatrix}$,
# $\nabla w = \begin{pmatrix} 10 & 0 & -10 \\ 0 & 5 & 20 \end{pmatrix}$,
# $v = \begin{pmatrix} 0.1 & -0.1 & 0 \\ 1 & 0 & -0.2 \end{pmatrix}$. The new velocity is
# $0.9 v - 0.01 \nabla w = \begin{pmatrix} -0.01 & -0.09 & 0.1 \\ 0.9 & -0.05 & -0.38 \end{pmatrix}$
# and the new weights are
# $w + v_{\text{new}} = \begin{pmatrix} 0.99 & 1.91 & 3.1 \\ -0.1 & -0.05 & 0.12 \end{pmatrix}$.

# %% nbgrader={"grade": false, "grade_id": "momentum_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def momentum_step(w, dw, velocity, lr=1e-2, momentum=0.9):
    """One step of gradient descent with momentum.

    w: array of any shape, the parameter
    dw: array of w's shape, its gradient
    velocity: array of w's shape, the velocity after the previous step (zeros at first)
    lr: float, the learning rate; momentum: float in [0, 1)
    returns: (w, velocity), new arrays of w's shape:
        velocity = momentum * velocity - lr * dw, then w = w + velocity
    """
    ### BEGIN SOLUTION
    velocity = momentum * velocity - lr * dw  # first the new velocity ...
    return w + velocity, velocity  # ... then the step with it
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_momentum_step", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

w = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 0.5]])
dw = np.array([[10.0, 0.0, -10.0], [0.0, 5.0, 20.0]])
velocity = np.array([[0.1, -0.1, 0.0], [1.0, 0.0, -0.2]])
check_example("momentum_step", momentum_step, (w, dw, velocity),
              expected=(np.array([[0.99, 1.91, 3.1], [-0.1, -0.05, 0.12]]),
                        np.array([[-0.01, -0.09, 0.1], [0.9, -0.05, -0.38]])))
print("momentum_step: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_momentum_step_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# momentum = 0 forgets the old velocity: velocity = -lr * dw and the step is plain gradient descent.
check_example("momentum_step", momentum_step,
              (np.array([1.0, 2.0, 3.0]), np.array([1.0, -2.0, 0.5]), np.array([5.0, 5.0, 5.0])),
              expected=(np.array([0.9, 2.2, 2.95]), np.array([-0.1, 0.2, -0.05])),
              kwargs={"lr": 0.1, "momentum": 0.0})
# The hidden tests below run when your notebook is graded: several steps of a run under way.
### BEGIN HIDDEN TESTS
from helpers import reference
from helpers.check import check_reference

rng = np.random.default_rng(702)
w, velocity = rng.normal(size=(3, 5)), rng.normal(scale=0.1, size=(3, 5))
for _ in range(5):  # each step from the state the reference reached
    dw = rng.normal(size=(3, 5))
    check_reference("momentum_step", momentum_step, (w, dw, velocity), kwargs={"lr": 0.05, "momentum": 0.7})
    w, velocity = reference.momentum_step(w, dw, velocity, lr=0.05, momentum=0.7)
for shape, kwargs in [((4, 2), {}), ((6,), {"momentum": 0.99}), ((2, 3, 4), {"lr": 0.3, "momentum": 0.0}),
                      ((1, 7), {"lr": 2.0, "momentum": 0.5})]:
    check_reference("momentum_step", momentum_step,
                    (rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)), kwargs=kwargs)
### END HIDDEN TESTS
print("momentum_step: momentum = 0 passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "rmsprop", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. RMSprop: a step size for each weight
#
# Momentum still uses one learning rate for every weight, and the steepest direction
# decides how large it may be. **RMSprop** gives each coordinate its own scale. It keeps,
# coordinate by coordinate, a moving average $c$ of the squared gradient (the `cache`,
# starting at 0) and divides each step by its square root, the *root mean square* of the
# recent gradients:
#
# $$
# c_{k+1} = \rho\, c_k + (1 - \rho)\, g_k^2,
# \qquad
# w_{k+1} = w_k - \eta\, \frac{g_k}{\sqrt{c_{k+1}} + \epsilon},
# $$
#
# all elementwise, with $g_k = \nabla f(w_k)$ and $\rho$ the `decay` (usually 0.99). This
# kind of average is an **exponential moving average**: each step keeps the fraction
# $\rho$ of the old value and mixes in $1 - \rho$ of the new one, so it mostly reflects the
# last $1/(1 - \rho) = 100$ squared gradients. The weights $\rho$ and $1 - \rho$ add up
# to 1; without the factor $1 - \rho$ it would be a growing sum, not an average.
#
# In a coordinate whose gradient stays near $g$, $c \approx g^2$ and the step is about
# $\eta\, g / |g| = \pm\eta$: every coordinate moves by about $\eta$ per step, whether its
# gradient is 0.001 or 1000. On the valley, the steep $w_2$ and the flat $w_1$ move at
# the same pace, and the condition number stops mattering.
#
# $\epsilon$ (`eps`, $10^{-8}$) only prevents $0/0$ in a coordinate whose gradients have
# all been 0. It belongs **outside** the square root, `np.sqrt(cache) + eps`. Inside,
# $\sqrt{c + \epsilon}$ is never below $\sqrt{10^{-8}} = 10^{-4}$, no longer a tiny guard:
# coordinates with small gradients would get much smaller steps.
#
# **The first steps are too large.** The cache starts at 0, so after one step
# $c_1 = (1 - \rho)\, g^2 = 0.01\, g^2$ and $\sqrt{c_1} = 0.1\,|g|$: the first step is
# $\eta\, g / (0.1 |g|) = \pm 10\,\eta$, ten times the steady size, because the average has
# not caught up yet. You will see that jump on the valley in section 7; Adam corrects it.
#
# **Exercise 3 (3 points).** Write `rmsprop_step(w, dw, cache, lr=1e-2, decay=0.99,
# eps=1e-8)` returning `(w, cache)`, both new arrays. Update the cache first, then use the
# new cache in the step.
#
# A case to check by hand, with the defaults: choose the old cache equal to $g^2$, so that
# it stays the same and each step is $\pm\eta = \pm 0.01$. With
# $w = \begin{pmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \end{pmatrix}$,
# $\nabla w = \begin{pmatrix} 1 & -2 & 0 \\ 10 & 3 \cdot 10^{-8} & -1 \end{pmatrix}$,
# $c = \begin{pmatrix} 1 & 4 & 0 \\ 0 & 9 \cdot 10^{-16} & 1 \end{pmatrix}$, the new cache is
# $\begin{pmatrix} 1 & 4 & 0 \\ 1 & 9 \cdot 10^{-16} & 1 \end{pmatrix}$ and the new weights are
# $\begin{pmatrix} 0.99 & 2.01 & 3 \\ 3.9 & 4.9925 & 6.01 \end{pmatrix}$. Three entries are
# special: the third of the first row has never had a gradient (here $\epsilon$ saves
# you from $0/0$); the first of the second row starts from an empty cache and takes
# the ten-fold first step, $0.1$; and the second of the second row has a gradient so
# small, $3 \cdot 10^{-8}$, that $\epsilon = 10^{-8}$ is no longer negligible beside
# $\sqrt{c} = 3 \cdot 10^{-8}$: its step is $0.01 \cdot \frac{3 \cdot 10^{-8}}{3 \cdot
# 10^{-8} + 10^{-8}} = 0.0075$. (With $\epsilon$ inside the square root it would be
# $0.01 \cdot 3 \cdot 10^{-8} / \sqrt{9 \cdot 10^{-16} + 10^{-8}} \approx 3 \cdot 10^{-6}$.)

# %% nbgrader={"grade": false, "grade_id": "rmsprop_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rmsprop_step(w, dw, cache, lr=1e-2, decay=0.99, eps=1e-8):
    """One step of RMSprop.

    w: array of any shape, the parameter
    dw: array of w's shape, its gradient
    cache: array of w's shape, the moving average of dw ** 2 so far (zeros at first)
    lr: float, the learning rate; decay: float in [0, 1); eps: float, a small guard
    returns: (w, cache), new arrays of w's shape:
        cache = decay * cache + (1 - decay) * dw ** 2, then
        w = w - lr * dw / (sqrt(cache) + eps)
    """
    ### BEGIN SOLUTION
    cache = decay * cache + (1 - decay) * dw ** 2  # moving average of the squared gradient
    return w - lr * dw / (np.sqrt(cache) + eps), cache  # eps outside the square root
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_rmsprop_step", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The worked example: the old cache is dw ** 2 except at [1, 0] (empty: a first step of
# 0.01 * 10 / sqrt(0.01 * 100) = 0.1), so each step is lr = 0.01 against the gradient's
# sign, except where eps matters: at [1, 1], 0.01 * 3e-8 / (sqrt(9e-16) + 1e-8) = 0.0075.
w = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
dw = np.array([[1.0, -2.0, 0.0], [10.0, 3e-8, -1.0]])
cache = np.array([[1.0, 4.0, 0.0], [0.0, 9e-16, 1.0]])
check_example("rmsprop_step", rmsprop_step, (w, dw, cache),
              expected=(np.array([[0.99, 2.01, 3.0], [3.9, 4.9925, 6.01]]),
                        np.array([[1.0, 4.0, 0.0], [1.0, 9e-16, 1.0]])))
print("rmsprop_step: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_rmsprop_step_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# decay 0.5 and a large eps = 1: cache = 0.5 * [9, 8, 1] + 0.5 * [9, 0, 1] = [9, 4, 1],
# sqrt(cache) + eps = [4, 3, 2], step = 0.1 * [3/4, 0/3, -1/2].
check_example("rmsprop_step", rmsprop_step,
              (np.array([1.0, 1.0, 1.0]), np.array([3.0, 0.0, -1.0]), np.array([9.0, 8.0, 1.0])),
              expected=(np.array([0.925, 1.0, 1.05]), np.array([9.0, 4.0, 1.0])),
              kwargs={"lr": 0.1, "decay": 0.5, "eps": 1.0})
# The hidden tests below run when your notebook is graded: several steps of a run under way,
# tiny gradients, decay = 0.
### BEGIN HIDDEN TESTS
from helpers import reference
from helpers.check import check_reference

rng = np.random.default_rng(703)
hyper = {"lr": 0.05, "decay": 0.9, "eps": 1e-3}
w, cache = rng.normal(size=(3, 5)), rng.uniform(0.0, 2.0, size=(3, 5))
for _ in range(5):  # each step from the state the reference reached
    dw = rng.normal(size=(3, 5))
    check_reference("rmsprop_step", rmsprop_step, (w, dw, cache), kwargs=hyper)
    w, cache = reference.rmsprop_step(w, dw, cache, **hyper)
# tiny gradients from an empty cache, default settings: where eps goes matters
check_reference("rmsprop_step", rmsprop_step,
                (rng.normal(size=(4, 2)), 1e-6 * rng.normal(size=(4, 2)), np.zeros((4, 2))))
check_reference("rmsprop_step", rmsprop_step,
                (rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4)), rng.uniform(size=(2, 3, 4))),
                kwargs={"decay": 0.0, "lr": 0.3})
check_reference("rmsprop_step", rmsprop_step,
                (rng.normal(size=(3, 2)), np.array([[0.0, 1.0], [0.0, -3.0], [2.0, 0.0]]), np.zeros((3, 2))))
### END HIDDEN TESTS
print("rmsprop_step: a non-default decay and eps pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "adam", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. Adam, and why it corrects its averages
#
# **Adam** (*adaptive moment estimation*) combines the two ideas: a moving average $m$ of
# the gradient (momentum) and a moving average $v$ of its square (RMSprop's cache), both
# starting at 0. At step $t = 1, 2, 3, \dots$ with gradient $g_t$:
#
# $$
# m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
# v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,
# $$
#
# $$
# \hat m_t = \frac{m_t}{1 - \beta_1^{\,t}}, \qquad
# \hat v_t = \frac{v_t}{1 - \beta_2^{\,t}}, \qquad
# w_t = w_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},
# $$
#
# usually with $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$, $\eta = 0.001$.
# Here $\beta^{\,t}$ is $\beta$ to the power $t$, the step number.
#
# ### Why divide by $1 - \beta^t$?
#
# Unroll $m$ from $m_0 = 0$: $m_1 = (1 - \beta_1) g_1$,
# $m_2 = \beta_1 (1 - \beta_1) g_1 + (1 - \beta_1) g_2$, and in general
#
# $$
# m_t = (1 - \beta_1) \sum_{k=1}^{t} \beta_1^{\,t-k}\, g_k .
# $$
#
# A proper average's weights add up to 1. These add up, by the geometric series, to
#
# $$
# (1 - \beta_1)\left(1 + \beta_1 + \dots + \beta_1^{\,t-1}\right)
# = (1 - \beta_1)\, \frac{1 - \beta_1^{\,t}}{1 - \beta_1} = 1 - \beta_1^{\,t} ,
# $$
#
# and the missing weight $\beta_1^{\,t}$ sits on the starting value $m_0 = 0$. So for a
# constant gradient $g$, $m_t = (1 - \beta_1^{\,t})\, g$: too small, only $0.1\,g$ at
# $t = 1$. Dividing by $1 - \beta_1^{\,t}$ gives back exactly $g$. The same holds on
# average for random gradients: if every $g_k$ has the same mean $\mathbb{E}[g]$, then
# $\mathbb{E}[m_t] = (1 - \beta_1^{\,t})\, \mathbb{E}[g]$, so $\hat m_t$ is an **unbiased**
# estimate of the mean gradient while $m_t$ is biased towards 0. The same argument applies
# to $v$ with $\beta_2$, where the bias lasts much longer: $1 - 0.999^{\,t}$ is $0.001$ at
# $t = 1$, $0.095$ at $t = 100$ and still only $0.63$ at $t = 1000$.
#
# **The first step.** At $t = 1$, $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so the step is
# $\eta\, g_1 / (|g_1| + \epsilon) \approx \pm \eta$: each coordinate moves by about
# $\eta$, whatever the size of its gradient. Without the correction it would be
# $\eta \cdot 0.1\, g_1 / (\sqrt{0.001}\, |g_1|) \approx \pm 3.16\,\eta$. This is also why
# $t$ must count from 1: at $t = 0$ the correction would divide by $1 - \beta^0 = 0$.
#
# The plot shows a noisy gradient stream around 1 and its averages: the raw $m_t$ creeps up
# from 0 for about ten steps, and the raw $v_t$ is still far too small after a hundred;
# the corrected ones are right from the first step.

# %% nbgrader={"grade": false, "grade_id": "bias_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
gradients = 1.0 + 0.5 * np.random.default_rng(0).normal(size=100)  # mean 1, noisy
show(bias_correction(gradients, beta1=0.9, beta2=0.999))

# %% [markdown] nbgrader={"grade": false, "grade_id": "adam_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Exercise 4 (4 points).** Write `adam_step(w, dw, m, v, t, lr=1e-3, beta1=0.9,
# beta2=0.999, eps=1e-8)` returning `(w, m, v)`, all new arrays. `t` is this step's number:
# 1 at the first step. Return the raw averages $m_t$ and $v_t$, not $\hat m_t$ and
# $\hat v_t$: the correction depends on $t$ and is worked out afresh at every step.
#
# A case to check by hand: the first step ($t = 1$, $m = v = 0$) with the defaults moves
# each coordinate by $\eta\, |g| / (|g| + \epsilon)$ against the sign of its gradient $g$:
# $0.001$ for any gradient much larger than $\epsilon = 10^{-8}$, nothing where the
# gradient is 0, and less for a gradient as small as $\epsilon$. With
# $w = \begin{pmatrix} 1 & 2 & 3 \\ -1 & 0.5 & 0.25 \end{pmatrix}$ and
# $\nabla w = \begin{pmatrix} 2 & -0.5 & 1000 \\ 0 & 3 \cdot 10^{-8} & -1 \end{pmatrix}$: new
# $w = \begin{pmatrix} 0.999 & 2.001 & 2.999 \\ -1 & 0.49925 & 0.251 \end{pmatrix}$
# (the tiny gradient moves by $0.001 \cdot \frac{3 \cdot 10^{-8}}{3 \cdot 10^{-8} + 10^{-8}}
# = 0.00075$), $m = 0.1\,\nabla w$ and $v = 0.001\,\nabla w^2$ (elementwise).

# %% nbgrader={"grade": false, "grade_id": "adam_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def adam_step(w, dw, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of Adam with bias correction.

    w: array of any shape, the parameter
    dw: array of w's shape, its gradient
    m, v: arrays of w's shape, the moving averages of dw and dw ** 2 so far (zeros at first)
    t: int, this step's number, 1 at the first step
    lr: float, the learning rate; beta1, beta2: floats in [0, 1); eps: float, a small guard
    returns: (w, m, v), new arrays of w's shape, with m and v the raw (uncorrected) averages
    """
    ### BEGIN SOLUTION
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat = m / (1 - beta1 ** t)  # undo the pull towards the zero start
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_adam_step", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The first step: m_hat = dw and v_hat = dw ** 2, so each coordinate moves by
# lr * |g| / (|g| + eps): lr = 0.001 (to 8 digits) for the ordinary gradients, 0 for g = 0,
# and 0.001 * 3e-8 / (3e-8 + 1e-8) = 0.00075 for g = 3e-8. m = 0.1 dw, v = 0.001 dw ** 2.
w = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.25]])
dw = np.array([[2.0, -0.5, 1000.0], [0.0, 3e-8, -1.0]])
zeros = np.zeros((2, 3))
check_example("adam_step", adam_step, (w, dw, zeros, zeros, 1),
              expected=(np.array([[0.999, 2.001, 2.999], [-1.0, 0.49925, 0.251]]),
                        np.array([[0.2, -0.05, 100.0], [0.0, 3e-9, -0.1]]),
                        np.array([[0.004, 0.00025, 1000.0], [0.0, 9e-19, 0.001]])))
print("adam_step: the first step moves every coordinate by about lr (or 0), and less where eps matters.")

# %% nbgrader={"grade": true, "grade_id": "test_adam_step_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Step t = 2 of a constant gradient g = [3, -1, 0, 4], beta1 = 0.5, beta2 = 0.75:
# m = 0.75 g, v = 0.4375 g^2, so m_hat = g, v_hat = g^2, and with eps = 1 the
# step is 0.1 * g / (|g| + 1) = [0.075, -0.05, 0, 0.08].
g = np.array([3.0, -1.0, 0.0, 4.0])
check_example("adam_step", adam_step, (np.ones(4), g, 0.5 * g, 0.25 * g ** 2, 2),
              expected=(np.array([0.925, 1.05, 1.0, 0.92]), 0.75 * g, 0.4375 * g ** 2),
              kwargs={"lr": 0.1, "beta1": 0.5, "beta2": 0.75, "eps": 1.0})
# The hidden tests below run when your notebook is graded: several steps of a run under way,
# first steps on gradients of every size, late steps.
### BEGIN HIDDEN TESTS
from helpers import reference
from helpers.check import check_reference

rng = np.random.default_rng(704)
hyper = {"lr": 0.05, "beta1": 0.8, "beta2": 0.95, "eps": 1e-3}
w, m, v = rng.normal(size=(3, 5)), rng.normal(scale=0.1, size=(3, 5)), rng.uniform(0.01, 1.0, size=(3, 5))
for t in range(4, 9):  # a run under way: steps 4 to 8, each from the state the reference reached
    dw = rng.normal(size=(3, 5))
    check_reference("adam_step", adam_step, (w, dw, m, v, t), kwargs=hyper)
    w, m, v = reference.adam_step(w, dw, m, v, t, **hyper)
w, m, v = rng.normal(size=(2, 7)), np.zeros((2, 7)), np.zeros((2, 7))
for t in range(1, 6):  # a run from the start with the default settings
    dw = rng.normal(size=(2, 7))
    check_reference("adam_step", adam_step, (w, dw, m, v, t))
    w, m, v = reference.adam_step(w, dw, m, v, t)
scaled = rng.normal(size=(4, 2)) * 10.0 ** rng.integers(-4, 5, size=(4, 2))
check_reference("adam_step", adam_step, (rng.normal(size=(4, 2)), scaled, np.zeros((4, 2)), np.zeros((4, 2)), 1),
                kwargs={"lr": 0.02})
check_reference("adam_step", adam_step,
                (rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4)),
                 rng.uniform(size=(2, 3, 4)), 5000))
check_reference("adam_step", adam_step,
                (rng.normal(size=(1, 6)), rng.normal(size=(1, 6)), rng.normal(size=(1, 6)), rng.uniform(size=(1, 6)), 3),
                kwargs={"beta1": 0.0, "lr": 0.01, "eps": 0.1})
### END HIDDEN TESTS
print("adam_step: a later step with non-default settings passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "compare", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7. The four optimizers on the valley
#
# To run any of your four functions in the same loop, `optimizer_step` below gives them one
# interface: it takes a parameter, its gradient, a pair of state arrays (zeros at the start)
# and the step number, calls your function and returns the new parameter and the new pair.
# Momentum keeps its velocity in the first array, RMSprop its cache in the second, Adam
# uses both. Each optimizer gets a learning rate that suits it on this valley (found by
# trying a few): learning rates are not comparable between optimizers, since for RMSprop
# and Adam $\eta$ is roughly the step length per coordinate, for the other two it
# multiplies the gradient.

# %% nbgrader={"grade": false, "grade_id": "compare_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
def optimizer_step(name, w, dw, state, t, hyper):
    """One step of the optimizer `name` (your functions) on one parameter.

    state: a pair of arrays of w's shape, zeros at the start; t: the step number, from 1.
    Returns the new parameter and the new pair.
    """
    first, second = state
    if name == "sgd":
        return sgd_step(w, dw, **hyper), state
    if name == "momentum":
        w, first = momentum_step(w, dw, first, **hyper)
    elif name == "rmsprop":
        w, second = rmsprop_step(w, dw, second, **hyper)
    else:
        w, first, second = adam_step(w, dw, first, second, t, **hyper)
    return w, (first, second)


valley_settings = {
    "sgd": {"lr": 0.07},
    "momentum": {"lr": 0.02, "momentum": 0.8},
    "rmsprop": {"lr": 0.3},
    "adam": {"lr": 0.2},
}
runs = []
for name, hyper in valley_settings.items():
    w, state = start, (np.zeros(2), np.zeros(2))
    path = [w]
    for t in range(1, 61):
        w, state = optimizer_step(name, w, valley_gradient(w), state, t, hyper)
        path.append(w)
    settings = ", ".join(f"{key} {value}" for key, value in hyper.items())
    runs.append((f"{name}: {settings}", np.array(path)))
show(valley_paths(runs))

# %% [markdown] nbgrader={"grade": false, "grade_id": "compare_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# What the paths show:
#
# - **Gradient descent** zigzags across the valley and crawls along it: its learning rate
#   is capped by the steep direction.
# - **Momentum** overshoots like a rolling ball, but the velocity it builds up along the
#   floor gets it to the minimum far sooner, with a smaller learning rate.
# - **RMSprop** moves both coordinates at the same pace, so the valley's bad conditioning
#   no longer matters. Its first step is the ten-fold jump of section 5: $0.3 \times 10 = 3$
#   in each coordinate.
# - **Adam**'s first step is $\eta = 0.2$ in each coordinate (a diagonal move);
#   after that, its momentum carries it round in a curve.
#
# No optimizer wins everywhere, and each needs its learning rate tuned. RMSprop and Adam
# scale each *coordinate*, which works best when the valley lies along the coordinate axes,
# as this one does. The widget lets you turn the valley.

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: the race over the valley
#
# The widget runs all four optimizers for 60 steps from the same start and shows their
# paths in a grid of four panels. It takes your four step functions in a dictionary, one per
# optimizer, and calls them as `optimizer_step` above does.
# Choose an optimizer: the sliders then set *its* learning rate and momentum (for Adam,
# the momentum slider is $\beta_1$; gradient descent and RMSprop have no momentum), and
# its panel is framed and titled "(chosen)". Try these:
#
# - Gradient descent with a learning rate just above $2/25 = 0.08$. What happens?
# - Momentum: keep $\eta = 0.02$ and raise the momentum from 0 to 0.99. When does it
#   become a crawl again, and when does it swing round and round?
# - Adam with $\eta = 0.01$: how far does it get in 60 steps? Why is its path nearly a
#   straight diagonal line at first? (Hint: the first step.)
# - Turn the valley by 30 degrees. Gradient descent and momentum do about as well as
#   before, since they only feel the curvatures; RMSprop and Adam lose part of their
#   advantage, because the steep and flat directions no longer line up with $w_1$ and
#   $w_2$.

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
optimizer_race(functions={"sgd": sgd_step, "momentum": momentum_step, "rmsprop": rmsprop_step,
                          "adam": adam_step})

# %% [markdown] nbgrader={"grade": false, "grade_id": "network", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8. Training a real network
#
# Finally a small network: 2 inputs, a hidden layer of 16 tanh neurons and one sigmoid
# output, trained to tell apart two interleaved half-moons of 200 points. The loss is the
# binary cross-entropy of lesson 06, and the forward and backward passes are lessons 01 to
# 04's functions, taken from `helpers.reference`. Every step computes the gradients of all
# four parameter arrays ($W_1$, $b_1$, $W_2$, $b_2$) on the whole data set and gives each
# array to your optimizer with its own state.
#
# Each optimizer gets 300 steps and a learning rate tuned for it by a few trials (again
# they are not comparable across optimizers). Under the loss curves, each trained
# network's output is drawn over the plane as a pale background, with its decision line
# (output 0.5) in black and the data on top: circles for one moon, triangles for the other.

# %% nbgrader={"grade": false, "grade_id": "network_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.reference import (binary_cross_entropy, dense_backward, dense_forward, sigmoid,
                               sigmoid_backward, tanh_backward, xavier_init)

x_moons, y_moons = two_moons(200, np.random.default_rng(3))  # (200, 2), (200, 1)


def network_output(params, x):
    W1, b1, W2, b2 = params
    hidden = np.tanh(dense_forward(x, W1, b1))  # (N, 2) @ (2, 16) -> (N, 16)
    return hidden, sigmoid(dense_forward(hidden, W2, b2))  # (N, 16) @ (16, 1) -> (N, 1)


def loss_and_gradients(params, x, y):
    """Binary cross-entropy of the network and its gradients [dW1, db1, dW2, db2]."""
    W1, b1, W2, b2 = params
    hidden, p = network_output(params, x)
    loss, dp = binary_cross_entropy(p, y)
    dhidden, dW2, db2 = dense_backward(sigmoid_backward(dp, p), hidden, W2)
    _, dW1, db1 = dense_backward(tanh_backward(dhidden, hidden), x, W1)
    return loss, [dW1, db1, dW2, db2]


def train_network(name, hyper, steps=300):
    rng = np.random.default_rng(1)  # the same starting weights for every optimizer
    params = [xavier_init(2, 16, rng), np.zeros(16), xavier_init(16, 1, rng), np.zeros(1)]
    states = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    losses = []
    for t in range(1, steps + 1):
        loss, grads = loss_and_gradients(params, x_moons, y_moons)
        losses.append(loss)
        for i in range(len(params)):
            params[i], states[i] = optimizer_step(name, params[i], grads[i], states[i], t, hyper)
    return params, np.array(losses)


network_settings = {
    "sgd": {"lr": 0.5},
    "momentum": {"lr": 0.1, "momentum": 0.9},
    "rmsprop": {"lr": 0.01},
    "adam": {"lr": 0.02},
}
grid = np.linspace(-2.5, 2.5, 60)
g1, g2 = np.meshgrid(grid, grid)
points = np.column_stack([g1.ravel(), g2.ravel()])
losses, regions = {}, {}
for name, hyper in network_settings.items():
    params, losses[name] = train_network(name, hyper)
    _, p = network_output(params, x_moons)
    accuracy = np.mean((p > 0.5) == y_moons)
    print(f"{name:>8}: loss {losses[name][-1]:.3f}, training accuracy {accuracy:.1%}")
    regions[name] = network_output(params, points)[1].reshape(grid.size, grid.size)
show(network_comparison(losses, regions, x_moons, y_moons, extent=(-2.5, 2.5)))

# %% [markdown] nbgrader={"grade": false, "grade_id": "network_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# All four first learn the easy part (a straight boundary, the plateau near a loss of
# 0.2), then bend it around the moons. Plain gradient descent is still on the plateau
# after 300 steps; momentum, RMSprop and Adam get off it, and Adam ends lowest. This is one
# small problem with hand-picked learning rates, not a ranking: on other problems the order
# changes. Adam is the common default because it is forgiving: the scale of each
# parameter's gradient does not change its step size, so one learning rate suits all the
# layers. Lesson 09 trains a digit classifier with it.

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - Gradient descent, $w \leftarrow w - \eta \nabla f(w)$, is stable only for
#   $\eta < 2/\lambda$, $\lambda$ the largest curvature; too small crawls, too large diverges. When
#   curvatures differ a lot (a large condition number), the flat directions crawl.
# - Mini-batch gradients are unbiased but noisy estimates: the noise falls like
#   $1/\sqrt{B}$ while the cost grows like $B$. The update rule stays the same.
# - Momentum sums past steps into a velocity: it speeds up along consistent directions
#   and damps oscillations.
# - RMSprop divides each coordinate's step by the root mean square of its recent
#   gradients, so every coordinate moves at a similar pace; $\epsilon$ goes outside the
#   square root.
# - Adam combines both, and divides its averages by $1 - \beta^t$ ($t$ counting from 1),
#   which makes them unbiased: exactly right for a constant gradient, and a first step of
#   about $\eta$ per coordinate.
# - An optimizer step returns new arrays; it never modifies the parameter or state it is
#   given.
#
# Next, lesson 08: batch normalization.
