# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 03: Backpropagation
#
# In lesson 01 a network computed an output; in lesson 02 you met the chain rule and a way
# to check any derivative numerically. This lesson puts the two together. To learn, a
# network needs the gradient of its loss with respect to every weight and bias, and
# **backpropagation** computes all of them in one sweep from the output back to the input,
# reusing what the forward pass saved. You will write:
#
# 1. `dense_backward(dout, x, W)`: the gradients of one dense layer,
# 2. `sigmoid_backward(dout, a)`: the gradient through a sigmoid,
# 3. `mlp_backward(dout, activations, weights)`: the whole network, layer by layer,
# 4. `tanh_sigmoid_backward(...)`: the fix for a bug in a published backpropagation snippet.
#
# Then you will train a small network with your own gradients, reproducing a published
# training run, and check every gradient against numerical differentiation.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function; if a test fails, its message says what
# went wrong and on which input. When the graders mark your notebook they also run hidden
# tests on other inputs, so make your function correct, not just the example. Click
# **Validate** in the toolbar to run every test at once before you submit.
#
# The forward pass and the gradient checker come from the course's reference code
# (`helpers.reference`), so this lesson works even if an exercise of lesson 01 or 02 did not.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from helpers.display import show
from helpers.plots.backprop import derivative_mixup, gradient_check_chart, training_curves
from helpers.reference import mlp_forward, numerical_gradient, rel_error, sigmoid
from helpers.widgets.backprop import training_stepper

# %% [markdown] nbgrader={"grade": false, "grade_id": "backward_idea", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. The idea: the chain rule, one layer at a time
#
# A sigmoid network computes, layer after layer,
#
# $$
# z^{(l)} = a^{(l-1)} W_l + b_l, \qquad a^{(l)} = \sigma\!\left(z^{(l)}\right),
# \qquad l = 1, \dots, L,
# $$
#
# from $a^{(0)} = x$ to the output $a^{(L)}$, and a **loss** $\mathcal{L}$, one number,
# measures how far the output is from the target. Training needs
# $\partial \mathcal{L} / \partial W_l$ and $\partial \mathcal{L} / \partial b_l$ for every
# layer. Each is a chain-rule product, and the products for different layers share most of
# their factors. In a network of two layers, both $\partial \mathcal{L} / \partial W_2$ and
# $\partial \mathcal{L} / \partial W_1$ start from $\partial \mathcal{L} / \partial z^{(2)}$,
# the gradient at the output layer's pre-activation; the product for $W_2$ then ends with
# layer 2's input $a^{(1)}$, while the product for $W_1$ carries on through $W_2$ and the
# first layer's sigmoid down to $x$ (section 4 writes both out). Backpropagation computes
# each shared part once, starting at the loss and walking down.
#
# Every layer does the same job on the way down. It receives the gradient of the loss
# with respect to its **output**, called the **upstream gradient** and written `dout` in
# code. It returns the gradient with respect to its **input** (which is the upstream
# gradient of the layer below) and, on the way, the gradients of its own parameters. In
# lesson 02's words: *downstream gradient = upstream gradient × local derivative*. Two
# facts make this cheap:
#
# - the local derivatives need only what the layer saw in the forward pass: its input
#   and its output. That is why lesson 01's `mlp_forward` returns the list
#   `activations = [x, a1, ..., aL]`.
# - each gradient has the shape of the thing it is the gradient of: `dx` has `x`'s shape,
#   `dW` has `W`'s. Keep that in mind; it is the best debugging tool of this lesson.
#
# **Cost.** The backward pass costs about twice as much arithmetic as the forward pass. A
# dense layer's forward pass is one matrix product, `x @ W`, about $N D M$ multiply-adds;
# its backward pass is two of the same size, `dout @ W.T` for `dx` and `x.T @ dout` for
# `dW` (the sums for `db` and the elementwise sigmoid slopes are small next to them). So
# one forward and one backward pass together cost about three forward passes, however many
# parameters there are. The numerical gradient of lesson 02 needs two forward passes *per
# parameter*: for the 15 parameters of the network you train below that is 30 forward
# passes against about 3, and for a network with a million weights, two million.

# %% [markdown] nbgrader={"grade": false, "grade_id": "dense_math", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. Backward through a dense layer
#
# A dense layer computes $z = x W + b$ for a batch: $x$ has shape $(N, D)$, $W$ has shape
# $(D, M)$, $b$ has shape $(M,)$ and $z$ has shape $(N, M)$. Element by element,
#
# $$
# z_{nm} = \sum_{d=1}^{D} x_{nd} W_{dm} + b_m .
# $$
#
# The upstream gradient is $G = \partial \mathcal{L} / \partial z$, an $(N, M)$ array
# (`dout`), with $G_{nm} = \partial \mathcal{L} / \partial z_{nm}$. The multivariate chain
# rule of lesson 02 sums over every path from a parameter to the loss, and here the paths
# go through the $z_{nm}$:
#
# **The weights.** $W_{dm}$ appears in $z_{nm}$ for every sample $n$ (and in no other
# column), with $\partial z_{nm} / \partial W_{dm} = x_{nd}$. So
#
# $$
# \frac{\partial \mathcal{L}}{\partial W_{dm}} = \sum_{n=1}^{N} x_{nd}\, G_{nm}
# = \left(x^\top G\right)_{dm},
# \qquad \texttt{dW = x.T @ dout}: \ (D, N) \cdot (N, M) \to (D, M).
# $$
#
# **The input.** $x_{nd}$ appears in $z_{nm}$ for every neuron $m$ (of the same sample
# $n$), with $\partial z_{nm} / \partial x_{nd} = W_{dm}$. So
#
# $$
# \frac{\partial \mathcal{L}}{\partial x_{nd}} = \sum_{m=1}^{M} G_{nm}\, W_{dm}
# = \left(G W^\top\right)_{nd},
# \qquad \texttt{dx = dout @ W.T}: \ (N, M) \cdot (M, D) \to (N, D).
# $$
#
# **The bias.** $b_m$ appears in $z_{nm}$ for every sample $n$, with
# $\partial z_{nm} / \partial b_m = 1$. So
#
# $$
# \frac{\partial \mathcal{L}}{\partial b_m} = \sum_{n=1}^{N} G_{nm},
# \qquad \texttt{db = dout.sum(axis=0)}: \ (N, M) \to (M,).
# $$
#
# Check the shapes: `dW` has $W$'s shape $(D, M)$, `dx` has $x$'s shape $(N, D)$, `db` has
# $b$'s shape $(M,)$. When the sizes differ, the shapes leave exactly one way to multiply
# the arrays into a result of the right shape, which is a good way to remember the formulas
# (the index sums above are the reason they are right).
#
# ### Why `db` is a sum, not an average
#
# The bias is **broadcast**: the same $b$ is added to all $N$ rows. One parameter used $N$
# times has $N$ paths to the loss, and the chain rule adds the contributions of all paths.
# `dW` sums over the batch for the same reason (the sum over $n$ inside `x.T @ dout`).
# A common mistake is to average `db` over the batch "because the loss is an average".
# If the loss averages over the batch, $\mathcal{L} = \frac{1}{N} \sum_n \ell_n$, that
# $\frac{1}{N}$ is already inside every row of `dout`: it is the loss's business, not the
# layer's. A layer that divided again would make its bias gradient $N$ times too small,
# and out of step with its own `dW`.
#
# ### Worked example
#
# Take lesson 01's example layer: $N = 2$ samples of $D = 3$ features and a layer of
# $M = 4$ neurons (three different sizes, so that a product the wrong way round shows up as
# a wrong shape), with an upstream gradient of the output's shape $(2, 4)$:
#
# $$
# x = \begin{pmatrix} 1 & 2 & 3 \\ 0 & -1 & 2 \end{pmatrix}, \quad
# W = \begin{pmatrix} 1 & 0 & 2 & 0 \\ 0 & 1 & 0 & -1 \\ 1 & -1 & 0 & 1 \end{pmatrix}, \quad
# \texttt{dout} = \begin{pmatrix} 1 & 0 & 2 & 1 \\ -1 & 1 & 0 & 3 \end{pmatrix}.
# $$
#
# - `dx = dout @ W.T`: entry $(n, d)$ is row $n$ of `dout` against row $d$ of $W$. Row 1
#   is $(1 + 0 + 4 + 0,\; 0 + 0 + 0 - 1,\; 1 + 0 + 0 + 1) = (5, -1, 2)$, row 2 is
#   $(-1 + 0 + 0 + 0,\; 0 + 1 + 0 - 3,\; -1 - 1 + 0 + 3) = (-1, -2, 1)$. Shape $(2, 3)$,
#   like $x$.
# - `dW = x.T @ dout`: row $d$ of `dW` adds up $x_{nd}$ times row $n$ of `dout`:
#   row 1 is $1 \cdot (1, 0, 2, 1) + 0 \cdot (-1, 1, 0, 3) = (1, 0, 2, 1)$, row 2 is
#   $2 \cdot (1, 0, 2, 1) - 1 \cdot (-1, 1, 0, 3) = (3, -1, 4, -1)$, row 3 is
#   $3 \cdot (1, 0, 2, 1) + 2 \cdot (-1, 1, 0, 3) = (1, 2, 6, 9)$. Shape $(3, 4)$, like $W$.
# - `db`: the column sums of `dout`, $(0, 1, 2, 4)$. Shape $(4,)$, like $b$.
#
# **Exercise 1 (3 points).** Write `dense_backward(dout, x, W)` returning `(dx, dW, db)`.
# Three lines of NumPy, no loops. It does not need `b`: the gradients do not depend on it.

# %% nbgrader={"grade": false, "grade_id": "dense_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dense_backward(dout, x, W):
    """Gradients of a dense layer out = x @ W + b for a batch.

    dout: array of shape (N, M), the upstream gradient dloss/d(out)
    x: array of shape (N, D), the layer's input saved by the forward pass
    W: array of shape (D, M)
    returns: (dx, dW, db) of shapes (N, D), (D, M) and (M,)
    """
    ### BEGIN SOLUTION
    dx = dout @ W.T  # (N, M) @ (M, D) -> (N, D)
    dW = x.T @ dout  # (D, N) @ (N, M) -> (D, M)
    db = dout.sum(axis=0)  # b is added to every row: sum the N rows' gradients
    return dx, dW, db
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# N = 2, D = 3, M = 4; the sums are worked out in the text above.
dout = np.array([[1.0, 0.0, 2.0, 1.0], [-1.0, 1.0, 0.0, 3.0]])
x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
W = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 0.0, -1.0], [1.0, -1.0, 0.0, 1.0]])
check_example("dense_backward", dense_backward, (dout, x, W),
              expected=(np.array([[5.0, -1.0, 2.0], [-1.0, -2.0, 1.0]]),
                        np.array([[1.0, 0.0, 2.0, 1.0], [3.0, -1.0, 4.0, -1.0], [1.0, 2.0, 6.0, 9.0]]),
                        np.array([0.0, 1.0, 2.0, 4.0])))
print("dense_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_dense_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A batch of three with dout all ones: db counts the rows, dW holds the column sums of x
# and every row of dx holds the row sums of W.
x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
W = np.array([[1.0, 2.0], [3.0, 4.0]])
check_example("dense_backward", dense_backward, (np.ones((3, 2)), x, W),
              expected=(np.array([[3.0, 7.0], [3.0, 7.0], [3.0, 7.0]]),
                        np.array([[9.0, 9.0], [12.0, 12.0]]),
                        np.array([3.0, 3.0])))
# The hidden tests below run when your notebook is graded: random inputs of many shapes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(301)
for n, d, m in [(4, 3, 5), (1, 6, 2), (7, 1, 3), (5, 8, 1), (3, 3, 2), (2, 4, 4), (6, 2, 1)]:
    check_reference("dense_backward", dense_backward,
                    (rng.normal(size=(n, m)), rng.normal(size=(n, d)), rng.normal(size=(d, m))))
### END HIDDEN TESTS
print("dense_backward: the batch of three passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "sigmoid_math", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. Backward through a sigmoid
#
# The sigmoid acts on each element separately: $a_{nm} = \sigma(z_{nm})$. Each $z_{nm}$
# influences only its own $a_{nm}$, so the chain rule has a single path per element and
# the backward pass is an **elementwise** product (no matrix product here):
#
# $$
# \frac{\partial \mathcal{L}}{\partial z_{nm}}
# = \frac{\partial \mathcal{L}}{\partial a_{nm}} \, \sigma'(z_{nm}).
# $$
#
# The sigmoid's derivative has a famous form. With $\sigma(z) = \frac{1}{1 + e^{-z}}$,
#
# $$
# \sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2}
# = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}
# = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) = a\,(1 - a).
# $$
#
# So the slope at $z$ can be computed from the **output** $a = \sigma(z)$ alone, which the
# forward pass saved: `dz = dout * a * (1 - a)`. Its largest value is $0.25$, at $a = 0.5$
# ($z = 0$), and it tends to 0 as $a$ approaches 0 or 1. That is lesson 01's saturation seen
# from the other side: a saturated neuron passes almost no gradient back, so its weights
# barely learn.
#
# Two warnings:
#
# - The formula takes the sigmoid's **output**. `a * (1 - a)` is $\sigma'(z)$; writing
#   `sigmoid(a) * (1 - sigmoid(a))` computes $\sigma'(a)$, the slope at the wrong point
#   (the helper `sigmoid_derivative(x) = x * (1 - x)` found in many tutorials invites
#   this confusion: it is not $\sigma'(x)$, it is $\sigma'$ written in terms of the output).
# - It is the **sigmoid's** formula. Another activation has another derivative; section 7
#   is about an article that forgot this.
#
# A worked example: with $a = 0.75$ the slope is $0.75 \cdot 0.25 = 0.1875$, so an upstream
# gradient of $4$ becomes $0.75$; with $a = 0.9$ it is $0.09$; at $a = 0$ or $a = 1$ it is 0.
#
# **Exercise 2 (3 points).** Write `sigmoid_backward(dout, a)` for arrays of any (equal)
# shape.

# %% nbgrader={"grade": false, "grade_id": "sigmoid_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid_backward(dout, a):
    """Gradient through a = sigmoid(z), given the saved output a.

    dout: array of any shape, the upstream gradient dloss/da
    a: array of the same shape, the sigmoid's output
    returns: dloss/dz, an array of the same shape
    """
    ### BEGIN SOLUTION
    return dout * a * (1 - a)  # sigmoid'(z) = a (1 - a), elementwise
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

dout = np.array([[2.0, 4.0, -4.0], [10.0, 3.0, 5.0]])
a = np.array([[0.5, 0.75, 0.25], [0.9, 1.0, 0.0]])
check_example("sigmoid_backward", sigmoid_backward, (dout, a),
              expected=np.array([[0.5, 0.75, -0.75], [0.9, 0.0, 0.0]]))
print("sigmoid_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The extremes: saturated outputs 0 and 1 pass no gradient; a = 0.5 passes a quarter.
check_example("sigmoid_backward", sigmoid_backward,
              (np.array([7.0, -7.0, 4.0, -8.0]), np.array([0.0, 1.0, 0.5, 0.5])),
              expected=np.array([0.0, 0.0, 1.0, -2.0]))
# The hidden tests below run when your notebook is graded: random inputs, other shapes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference
from helpers.reference import sigmoid

rng = np.random.default_rng(302)
check_reference("sigmoid_backward", sigmoid_backward, (rng.normal(size=(3, 7)), rng.uniform(size=(3, 7))))
check_reference("sigmoid_backward", sigmoid_backward,
                (rng.normal(scale=10.0, size=(2, 3, 4)), sigmoid(rng.normal(scale=5.0, size=(2, 3, 4)))))
saturated = np.array([0.0, 1e-300, 1e-16, 0.5, 1 - 1e-16, 1.0])
check_reference("sigmoid_backward", sigmoid_backward, (rng.normal(size=6), saturated))
check_reference("sigmoid_backward", sigmoid_backward, (rng.normal(size=(5, 1)), rng.uniform(size=(5, 1))))
### END HIDDEN TESTS
print("sigmoid_backward: the extremes pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "network_math", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. The whole network, layer by layer
#
# Lesson 01's `mlp_forward(x, weights, biases)` returns `(out, activations)` with
# `activations = [x, a1, ..., aL]`. In Python the layers are numbered from 0: layer `l`
# has weights `weights[l]`, reads `activations[l]` and writes `activations[l + 1]`:
#
# | layer `l` | reads | computes | writes |
# |---|---|---|---|
# | `0` | `activations[0]` (= `x`) | `sigmoid(activations[0] @ weights[0] + biases[0])` | `activations[1]` |
# | `1` | `activations[1]` | `sigmoid(activations[1] @ weights[1] + biases[1])` | `activations[2]` |
# | ... | | | |
# | `L - 1` | `activations[L - 1]` | `sigmoid(activations[L - 1] @ weights[L - 1] + biases[L - 1])` | `activations[L]` (= `out`) |
#
# The backward pass visits the same layers in reverse. Start with `grad = dout`, the
# gradient of the loss with respect to the output, then for `l = L - 1, ..., 1, 0`:
#
# 1. through the sigmoid: `dz = sigmoid_backward(grad, activations[l + 1])` (the layer's
#    **output** is what the slope needs);
# 2. through the dense part: `grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])`
#    (the layer's **input** is what `dW` needs), and the returned `dx` becomes the `grad`
#    of the layer below.
#
# The last `grad` is $\partial \mathcal{L} / \partial x$, which nobody needs here. Written
# out for two layers, the gradient of the first weights is
#
# $$
# \frac{\partial \mathcal{L}}{\partial W_1} = x^\top \Bigl( \bigl( (\texttt{dout} \odot \sigma'_2)\, W_2^\top \bigr) \odot \sigma'_1 \Bigr),
# $$
#
# with $\odot$ the elementwise product and $\sigma'_l = a^{(l)} (1 - a^{(l)})$: the
# bracket $\texttt{dout} \odot \sigma'_2$ is exactly what layer 2 computed for its own
# gradient, reused.
#
# ### Worked example
#
# Lesson 01's network and batch of two: $x = \begin{pmatrix} 1 & 1 & 0 \\ 0 & 1 & 1 \end{pmatrix}$,
# a hidden layer of 4 sigmoids with outputs
# $a_1 = \begin{pmatrix} 0.75 & 0.5 & 0.25 & 0.5 \\ 0.25 & 0.5 & 0.75 & 0.9 \end{pmatrix}$,
# and $W_2 = (2 \ln 3, 4, -2 \ln 3, 0)^\top$, so that $\text{out} = (0.75, 0.25)^\top$
# (lesson 01 computes them; $W_1$ itself is not needed backwards, only its input $x$).
# Take $\texttt{dout} = (4, 8)^\top$, one row per sample:
#
# - layer 2, sigmoid: both outputs have the slope $0.75 \cdot 0.25 = 0.1875$, so
#   $dz_2 = (4 \cdot 0.1875,\; 8 \cdot 0.1875)^\top = (0.75, 1.5)^\top$;
# - layer 2, dense: $dW_2 = a_1^\top dz_2$ adds $0.75$ times row 1 of $a_1$ and $1.5$ times
#   row 2: $(0.5625 + 0.375,\; 0.375 + 0.75,\; 0.1875 + 1.125,\; 0.375 + 1.35)^\top
#   = (0.9375, 1.125, 1.3125, 1.725)^\top$; $db_2 = 0.75 + 1.5 = 2.25$, a **sum** over the
#   two samples; and $da_1 = dz_2 W_2^\top$ has rows $0.75\,W_2^\top$ and $1.5\,W_2^\top$;
# - layer 1, sigmoid: the slopes $a_1 (1 - a_1)$ are $(0.1875, 0.25, 0.1875, 0.25)$ in row 1
#   and $(0.1875, 0.25, 0.1875, 0.09)$ in row 2, so
#   $dz_1 = \begin{pmatrix} 0.28125 \ln 3 & 0.75 & -0.28125 \ln 3 & 0 \\ 0.5625 \ln 3 & 1.5 & -0.5625 \ln 3 & 0 \end{pmatrix}$;
# - layer 1, dense: $db_1$ is the sum of the two rows of $dz_1$,
#   $(0.84375 \ln 3,\; 2.25,\; -0.84375 \ln 3,\; 0)$, and $dW_1 = x^\top dz_1$ has rows
#   $dz_1$'s row 1 (the first feature is 1 only in sample 1), the sum of both rows (the
#   second feature is 1 in both), and $dz_1$'s row 2. The fourth hidden neuron gets no
#   gradient at all: its outgoing weight is 0, so it did not affect the output.
#
# **Exercise 3 (4 points).** Write `mlp_backward(dout, activations, weights)` returning
# `(dweights, dbiases)`, two lists in the order of `weights` (so `dweights[l]` has the shape
# of `weights[l]`). Use your `dense_backward` and `sigmoid_backward`; a loop over the layers
# is expected. While `mlp_backward` is tested, those two names point at the course's
# reference versions, so a mistake in exercise 1 or 2 does not cost you points here again.

# %% nbgrader={"grade": false, "grade_id": "mlp_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mlp_backward(dout, activations, weights):
    """Backward pass of mlp_forward's network, a sigmoid after every layer.

    dout: array of shape (N, D_L), dloss/d(out) for the network's output
    activations: list [x, a1, ..., aL] from mlp_forward, activations[l] of shape (N, D_l)
    weights: list of L arrays, weights[l] of shape (D_l, D_(l+1))
    returns: (dweights, dbiases), lists of L arrays: dweights[l] of shape (D_l, D_(l+1)),
        dbiases[l] of shape (D_(l+1),)
    """
    ### BEGIN SOLUTION
    L = len(weights)
    dweights, dbiases = [None] * L, [None] * L
    grad = dout  # dloss/d(activations[l + 1]) for the layer l being visited
    for l in reversed(range(L)):
        dz = sigmoid_backward(grad, activations[l + 1])
        grad, dweights[l], dbiases[l] = dense_backward(dz, activations[l], weights[l])
    return dweights, dbiases
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mlp_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Lesson 01's network on a batch of two, worked out in the text above.
ln3 = np.log(3)
x = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
weights = [np.array([[ln3, 1.0, -ln3, 2.0], [0.0, -2.0, 0.0, -4.0], [-ln3, 1.0, ln3, np.log(9) + 2.0]]),
           np.array([[2 * ln3], [4.0], [-2 * ln3], [0.0]])]
activations = [x, np.array([[0.75, 0.5, 0.25, 0.5], [0.25, 0.5, 0.75, 0.9]]), np.array([[0.75], [0.25]])]
dz1 = np.array([[0.28125 * ln3, 0.75, -0.28125 * ln3, 0.0], [0.5625 * ln3, 1.5, -0.5625 * ln3, 0.0]])
check_example("mlp_backward", mlp_backward, (np.array([[4.0], [8.0]]), activations, weights),
              expected=([np.array([dz1[0], dz1[0] + dz1[1], dz1[1]]),
                         np.array([[0.9375], [1.125], [1.3125], [1.725]])],
                        [dz1[0] + dz1[1], np.array([2.25])]))
print("mlp_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_mlp_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One layer, a batch of two: W = 0 gives out = sigmoid(0) = 0.5 and slope 0.25, so
# dz = dout / 4 = [[1], [2]], dW = x.T @ dz and db = 1 + 2.
x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
check_example("mlp_backward", mlp_backward,
              (np.array([[4.0], [8.0]]), [x, np.array([[0.5], [0.5]])], [np.zeros((3, 1))]),
              expected=([np.array([[1.0], [4.0], [-2.0]])], [np.array([3.0])]))
# The hidden tests below run when your notebook is graded: random networks of several shapes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference
from helpers.reference import mlp_forward

rng = np.random.default_rng(303)
# Equal widths first: there a wrongly wired loop gives wrong values rather than a shape error.
for sizes, n, scale in [([3, 3, 3], 4, 1.0), ([4, 3, 5, 2], 6, 1.0), ([7, 1], 3, 1.0),
                        ([2, 6, 6, 6, 3], 1, 1.0), ([3, 8, 1], 9, 1.0), ([2, 4, 1], 5, 50.0)]:
    weights = [scale * rng.normal(size=(d_in, d_out)) for d_in, d_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=d_out) for d_out in sizes[1:]]
    out, activations = mlp_forward(rng.normal(size=(n, sizes[0])), weights, biases)
    check_reference("mlp_backward", mlp_backward, (rng.normal(size=out.shape), activations, weights))
### END HIDDEN TESTS
print("mlp_backward: the one-layer network passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "training_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Training a network with your gradients
#
# A widely read blog post on backpropagation trains a 2-2-2-1 sigmoid network (two
# inputs, two hidden layers of two neurons, one output) on a single example,
# $X = (0.6, 0.4)$ with target $Y = 0.875$. Its loss is half the squared error,
#
# $$
# \mathcal{L} = \tfrac{1}{2} \sum (\text{pred} - Y)^2,
# \qquad \texttt{dout} = \frac{\partial \mathcal{L}}{\partial\, \text{pred}} = \text{pred} - Y
# $$
#
# (the $\frac{1}{2}$ is there to cancel the 2 of the derivative). Each **epoch** is one
# forward pass, one backward pass, and one **gradient descent** step with learning rate
# $\eta = 0.5$ on every parameter:
#
# $$
# W_l \leftarrow W_l - \eta \, \frac{\partial \mathcal{L}}{\partial W_l}, \qquad
# b_l \leftarrow b_l - \eta \, \frac{\partial \mathcal{L}}{\partial b_l}.
# $$
#
# The article prints a prediction of 0.5295 at epoch 0 and 0.8744 after 500 epochs. It
# draws its initial weights with `np.random.randn` without fixing the random seed, so it
# does not say what they were; the weights below are our choice, with one decimal, and
# their run follows the article's printed log to within 0.003.
#
# **Backpropagation does not update anything.** Backpropagation computes gradients; the
# update is a separate step that uses them (lesson 07 is about better updates than this
# one). The article's `backward_pass` does both at once, which is why it is easy to think
# of them as one thing. Below, `mlp_backward` only computes, and the loop builds new
# weight arrays from the gradients.
#
# The next cell trains the network with **your** `mlp_backward`, starting from copies of
# the initial weights, and plots the loss and the prediction after each epoch.

# %% nbgrader={"grade": false, "grade_id": "training_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
X = np.array([[0.6, 0.4]])  # one sample, shape (1, 2)
Y = np.array([[0.875]])  # its target, shape (1, 1)
initial_weights = [np.array([[0.1, -0.4], [0.7, -1.0]]),  # (2, 2)
                   np.array([[0.1, -1.3], [0.2, -1.8]]),  # (2, 2)
                   np.array([[0.1], [0.4]])]  # (2, 1)
initial_biases = [np.array([-2.3, 0.2]), np.array([-0.3, 0.5]), np.array([-0.1])]
learning_rate = 0.5


def half_squared_error(pred, target):
    return 0.5 * np.sum((pred - target) ** 2)


weights, biases = list(initial_weights), list(initial_biases)
losses, predictions = [], []
for epoch in range(500):
    pred, activations = mlp_forward(X, weights, biases)  # forward: compute and save
    losses.append(half_squared_error(pred, Y))
    predictions.append(pred[0, 0])
    dweights, dbiases = mlp_backward(pred - Y, activations, weights)  # backward: gradients
    weights = [W - learning_rate * dW for W, dW in zip(weights, dweights)]  # update
    biases = [b - learning_rate * db for b, db in zip(biases, dbiases)]
pred, _ = mlp_forward(X, weights, biases)  # after the last update
losses.append(half_squared_error(pred, Y))
predictions.append(pred[0, 0])

print(f"epoch   0: prediction {predictions[0]:.5f}, loss {losses[0]:.6f}  (the article: 0.52947, 0.059697)")
print(f"epoch 500: prediction {predictions[-1]:.5f}, loss {losses[-1]:.2e}  (the article: 0.87442, 0.000000)")
show(training_curves(losses, predictions, Y[0, 0]))

# %% [markdown] nbgrader={"grade": false, "grade_id": "gradcheck_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. Gradient check of the whole network
#
# A falling loss is encouraging but proves little: a slightly wrong gradient often still
# points downhill. Lesson 02's numerical gradient is the real test. For each parameter
# array, write the loss as a function of that array alone, with everything else fixed, and
# compare `numerical_gradient` of that function with the array's gradient from
# `mlp_backward`. `rel_error` should be tiny: with central differences and
# $h = 10^{-5}$, below $10^{-7}$ means right, and a wrong formula is typically above
# $10^{-2}$.
#
# One subtlety: the article's problem has a **batch of one**, and there a sum over the
# batch and an average over the batch are the same number, so a gradient check on it
# cannot tell `db = dout.sum(axis=0)` from `dout.mean(axis=0)`. The check below therefore
# uses the same network on a batch of five random inputs and targets.

# %% nbgrader={"grade": false, "grade_id": "gradcheck_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(3)
X_check = rng.normal(size=(5, 2))  # five samples
Y_check = rng.uniform(size=(5, 1))


def loss_of(weights, biases):
    pred, _ = mlp_forward(X_check, weights, biases)
    return half_squared_error(pred, Y_check)


pred, activations = mlp_forward(X_check, initial_weights, initial_biases)
dweights, dbiases = mlp_backward(pred - Y_check, activations, initial_weights)

errors = {}
for l in range(len(initial_weights)):
    def loss_of_W(W, l=l):  # the loss as a function of weights[l] alone
        return loss_of(initial_weights[:l] + [W] + initial_weights[l + 1:], initial_biases)

    def loss_of_b(b, l=l):  # ... and of biases[l] alone
        return loss_of(initial_weights, initial_biases[:l] + [b] + initial_biases[l + 1:])

    errors[f"W{l + 1}"] = rel_error(dweights[l], numerical_gradient(loss_of_W, initial_weights[l]))
    errors[f"b{l + 1}"] = rel_error(dbiases[l], numerical_gradient(loss_of_b, initial_biases[l]))

for name, error in errors.items():
    print(f"{name}: relative error {error:.1e}")
show(gradient_check_chart({"your mlp_backward": errors}))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: training one step at a time
#
# The widget trains the same network from the same initial weights, with the course's
# `mlp_forward` and your `mlp_backward`. It opens with the first 50 epochs already run,
# so you see where training goes. **step** runs one epoch (forward, backward, update),
# **50 steps** runs fifty, **reset** goes back to the initial weights, and the slider (on
# a log scale) sets the learning rate for the steps that follow (a dotted line marks each
# change, with the rate as the slider shows it). Try these:
#
# - Click **reset**, then **step** a few times. The first steps change the prediction the most. Why? (Look
#   at `dout = pred - Y`.)
# - Set the learning rate to 0.1, reset and run 100 steps; then do the same with 2. How many
#   epochs does each need to get within 0.01 of the target?
# - Set it to 50, reset and take one step: the prediction jumps far past the target. Now
#   run 50 steps. Why does it come back so slowly? (Look at the output sigmoid's slope
#   $a(1 - a)$ when $a$ is close to 1.) What happens at 100?

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
training_stepper(backward=mlp_backward)

# %% [markdown] nbgrader={"grade": false, "grade_id": "bug_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7. Find the bug
#
# Another tutorial (the one whose forward pass you ran in lesson 01: three inputs, a
# hidden layer of two **tanh** neurons, one **sigmoid** output, no biases) follows it with
# this backward pass:
#
# ```python
# # Derivative of sigmoid function
# def sigmoid_derivative(x):
#     return x * (1 - x)
#
# # Error calculation
# error = output - target
# d_output = error * sigmoid_derivative(output)
#
# # Backpropagation
# d_hidden_layer = d_output.dot(W2.T) * sigmoid_derivative(A1)
# W2 -= A1.T.dot(d_output) * learning_rate
# W1 -= X.T.dot(d_hidden_layer) * learning_rate
# ```
#
# where, from its forward pass, `A1 = np.tanh(np.dot(X, W1))` and
# `output = 1 / (1 + np.exp(-np.dot(A1, W2)))`. Read it as a backward pass: `error` is
# `dout` for the loss $\frac{1}{2}(\text{output} - \text{target})^2$, `d_output` is the
# gradient at the output's pre-activation, `d_hidden_layer` at the hidden layer's.
#
# Find what is wrong. Three things to think about:
#
# 1. Which names does it use that nothing defines? (Would it run?)
# 2. `d_output` multiplies by `sigmoid_derivative(output)`. Is that right?
# 3. `d_hidden_layer` multiplies by `sigmoid_derivative(A1)`. Is that right? What is the
#    derivative of $\tanh$, written with its output $a = \tanh(z)$?
#
# (For 3: $\tanh z = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$ and
# $\frac{d}{dz} \tanh z = 1 - \tanh^2 z$.)
#
# **Exercise 4 (4 points).** First write your explanation of the bug in the comment at the
# top of the answer cell below (it is not graded, but section 8 discusses it, so commit to
# an answer first). Then write the corrected backward pass,
# `tanh_sigmoid_backward(dout, x, W1, a1, W2, out)`, for the network
# $\text{out} = \sigma\bigl(\tanh(x W_1)\, W_2\bigr)$ on a batch: `x` of shape $(N, D)$,
# `W1` of shape $(D, H)$, `W2` of shape $(H, K)$, the saved hidden output
# `a1 = tanh(x @ W1)` and the saved output `out = sigmoid(a1 @ W2)`, and `dout` the
# gradient of the loss with respect to `out`. Return `(dW1, dW2)`, the gradients of the
# weights in the order of the inputs. You may use your `dense_backward` and
# `sigmoid_backward` (during the tests they point at the reference versions).
#
# A case to check by hand, a batch of two samples: $x = \begin{pmatrix} 1 & 2 & 4 \\ 0 & 1 & 2 \end{pmatrix}$,
# $W_1 = \begin{pmatrix} \ln 2 & \ln 3 \\ 1 & -1 \\ -0.5 & 0.5 \end{pmatrix}$, so the first
# row of $x W_1$ is $(\ln 2, \ln 3)$, with $\tanh$ $(0.6, 0.8)$ (since
# $\tanh z = \frac{e^{2z} - 1}{e^{2z} + 1}$: $\frac{4 - 1}{4 + 1}$ and
# $\frac{9 - 1}{9 + 1}$), and the second is $(1 - 1, -1 + 1) = (0, 0)$, with $\tanh$
# $(0, 0)$. $W_2 = (4, -3)^\top$, so both samples have $a_1 W_2 = 0$ and
# $\text{out} = 0.5$. With targets 1 and 0, $\texttt{dout} = \text{out} - \text{target}
# = (-0.5, 0.5)^\top$:
#
# - $dz_2 = \texttt{dout} \cdot 0.5 \cdot 0.5 = (-0.125, 0.125)^\top$, so
#   $dW_2 = a_1^\top dz_2 = -0.125\,(0.6, 0.8)^\top + 0.125\,(0, 0)^\top = (-0.075, -0.1)^\top$;
# - $da_1 = dz_2 W_2^\top$ has rows $(-0.5, 0.375)$ and $(0.5, -0.375)$; tanh's slopes
#   $1 - a_1^2$ are $(0.64, 0.36)$ and $(1, 1)$, so $dz_1$ has rows $(-0.32, 0.135)$ and
#   $(0.5, -0.375)$;
# - $dW_1 = x^\top dz_1$: row $d$ adds $x_{1d}$ times the first row of $dz_1$ and $x_{2d}$
#   times the second: $(-0.32, 0.135)$, $(-0.64 + 0.5, 0.27 - 0.375) = (-0.14, -0.105)$
#   and $(-1.28 + 1, 0.54 - 0.75) = (-0.28, -0.21)$.

# %% nbgrader={"grade": false, "grade_id": "tanh_sigmoid_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
# Your explanation (not graded): which line of the article's snippet is wrong, why, and
# what should it be? Which names does it use without defining them?
#
#

def tanh_sigmoid_backward(dout, x, W1, a1, W2, out):
    """Backward pass of out = sigmoid(tanh(x @ W1) @ W2), a network without biases.

    dout: array of shape (N, K), dloss/d(out)
    x: array of shape (N, D)
    W1: array of shape (D, H)
    a1: array of shape (N, H), the hidden output tanh(x @ W1)
    W2: array of shape (H, K)
    out: array of shape (N, K), the output sigmoid(a1 @ W2)
    returns: (dW1, dW2) of shapes (D, H) and (H, K)
    """
    ### BEGIN SOLUTION
    dz2 = sigmoid_backward(dout, out)  # the output is a sigmoid: slope out (1 - out)
    da1, dW2, _ = dense_backward(dz2, a1, W2)
    dz1 = da1 * (1 - a1 ** 2)  # the hidden layer is tanh: slope 1 - a1^2
    _, dW1, _ = dense_backward(dz1, x, W1)
    return dW1, dW2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_tanh_sigmoid_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A batch of two, worked out in the text above.
x = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, 2.0]])
W1 = np.array([[np.log(2), np.log(3)], [1.0, -1.0], [-0.5, 0.5]])
a1 = np.array([[0.6, 0.8], [0.0, 0.0]])
W2 = np.array([[4.0], [-3.0]])
check_example("tanh_sigmoid_backward", tanh_sigmoid_backward,
              (np.array([[-0.5], [0.5]]), x, W1, a1, W2, np.array([[0.5], [0.5]])),
              expected=(np.array([[-0.32, 0.135], [-0.14, -0.105], [-0.28, -0.21]]),
                        np.array([[-0.075], [-0.1]])))
print("tanh_sigmoid_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_tanh_sigmoid_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A batch of two with saturated hidden neurons: x @ W1 = [[30, 0], [0, -30]] gives
# a1 = [[1, 0], [0, -1]], where tanh's slope 1 - a1^2 is [[0, 1], [1, 0]]. With
# W2 = (ln 3, ln 3) the outputs are sigmoid(+-ln 3) = 0.75 and 0.25, both of slope 0.1875,
# so with dout = 1: dz2 = 0.1875, dW2 = a1.T @ dz2 = (0.1875, -0.1875),
# dz1 = 0.1875 ln 3 [[0, 1], [1, 0]] and dW1 = x.T @ dz1.
x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
W1 = np.array([[30.0, 0.0], [0.0, 0.0], [0.0, 30.0]])
a1 = np.array([[1.0, 0.0], [0.0, -1.0]])
W2 = np.array([[np.log(3)], [np.log(3)]])
check_example("tanh_sigmoid_backward", tanh_sigmoid_backward,
              (np.ones((2, 1)), x, W1, a1, W2, np.array([[0.75], [0.25]])),
              expected=(0.1875 * np.log(3) * np.array([[0.0, 1.0], [1.0, 2.0], [-1.0, 0.0]]),
                        np.array([[0.1875], [-0.1875]])))
# The hidden tests below run when your notebook is graded: random networks and batches.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference
from helpers.reference import sigmoid

rng = np.random.default_rng(304)
for n, d, h, k, scale in [(5, 3, 4, 2, 1.0), (1, 3, 2, 1, 1.0), (7, 2, 6, 1, 1.0),
                          (4, 4, 4, 4, 1.0), (3, 2, 5, 3, 40.0)]:
    x = rng.normal(size=(n, d))
    W1, W2 = scale * rng.normal(size=(d, h)), scale * rng.normal(size=(h, k))
    a1 = np.tanh(x @ W1)
    out = sigmoid(a1 @ W2)
    check_reference("tanh_sigmoid_backward", tanh_sigmoid_backward,
                    (rng.normal(size=(n, k)), x, W1, a1, W2, out))
### END HIDDEN TESTS
print("tanh_sigmoid_backward: the saturated batch passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "bug_discussion", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8. What goes wrong in the article
#
# **Undefined names.** `target` and `learning_rate` are defined nowhere in the article.
# Even with them defined the snippet stops at its first `.dot`: in the article's forward
# pass `X` and `W2` are 1-D, so `output` and `d_output` are NumPy scalars, which have no
# `.dot` method (and `X.T.dot(d_hidden_layer)` would then fail too: `.T` of a 1-D array is
# the same array, of length 3, against a hidden gradient of length 2). With batches as rows,
# `x` of shape $(1, 3)$ and $W_2$ of shape $(2, 1)$, the shapes work.
#
# **The output layer is right.** The output is a sigmoid, and `sigmoid_derivative` is
# called with the sigmoid's output, so `d_output` is $\texttt{dout} \cdot \sigma'(z_2)$.
#
# **The hidden layer is wrong.** `A1` is the output of **tanh**, but the slope applied to
# it is the sigmoid's, $a (1 - a)$. tanh's slope, written with its output, is
# $1 - a^2$: the line should read
# `d_hidden_layer = d_output.dot(W2.T) * (1 - A1 ** 2)`. The plot below compares the two
# slopes over tanh's whole output range $(-1, 1)$; the grey dots are the article's hidden
# outputs $(0.2913, 0.3275)$, where the bug makes the slope about four times too small.
# For negative outputs it is worse: $a (1 - a) < 0$, so the gradient points the wrong way.
#
# Such a bug survives because training on the article's example still reduces the loss,
# only more slowly. A gradient check does catch it. The cell below translates the snippet
# to this course's conventions and checks it and your fix on the article's network (the
# target, 1.0, is our choice; the article does not give one).

# %% nbgrader={"grade": false, "grade_id": "bug_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
show(derivative_mixup(marks=(0.2913, 0.3275)))


def article_backward(dout, x, W1, a1, W2, out):
    """The article's snippet with batches as rows, bug included; returns (dW1, dW2)."""
    def sigmoid_derivative(a):
        return a * (1 - a)
    d_output = dout * sigmoid_derivative(out)  # right: out is a sigmoid's output
    d_hidden_layer = (d_output @ W2.T) * sigmoid_derivative(a1)  # wrong: a1 is tanh's output
    return x.T @ d_hidden_layer, a1.T @ d_output


x_article = np.array([[0.5, 0.2, 0.1]])
W1_article = np.array([[0.4, 0.3], [0.2, 0.7], [0.6, 0.5]])
W2_article = np.array([[0.8], [0.6]])
target = np.array([[1.0]])


def article_loss(W1, W2):
    out = sigmoid(np.tanh(x_article @ W1) @ W2)
    return half_squared_error(out, target)


def gradient_errors(backward):
    """rel_error of backward's (dW1, dW2) against numerical gradients of article_loss."""
    a1 = np.tanh(x_article @ W1_article)
    out = sigmoid(a1 @ W2_article)
    dW1, dW2 = backward(out - target, x_article, W1_article, a1, W2_article, out)
    return {"dW1": rel_error(dW1, numerical_gradient(lambda W: article_loss(W, W2_article), W1_article)),
            "dW2": rel_error(dW2, numerical_gradient(lambda W: article_loss(W1_article, W), W2_article))}


article_errors = gradient_errors(article_backward)
fixed_errors = gradient_errors(tanh_sigmoid_backward)
print("the article's backward pass:", {name: f"{e:.1e}" for name, e in article_errors.items()})
print("your backward pass:         ", {name: f"{e:.1e}" for name, e in fixed_errors.items()})
show(gradient_check_chart({"the article's snippet": article_errors, "your fix": fixed_errors}))

# %% [markdown] nbgrader={"grade": false, "grade_id": "bug_after", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The article's `dW2` passes the check and its `dW1` fails by a wide margin: the error is in
# the hidden layer, as the derivation said. Your fix should pass both.

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - Backpropagation is the chain rule applied one layer at a time, from the loss down.
#   Each layer turns the gradient at its output into the gradient at its input and the
#   gradients of its parameters, using only what the forward pass saved.
# - A dense layer: `dx = dout @ W.T`, `dW = x.T @ dout`, `db = dout.sum(axis=0)`. Every
#   gradient has the shape of its variable. Shared parameters **sum** over the batch; any
#   averaging belongs to the loss.
# - A sigmoid: `dz = dout * a * (1 - a)`, from the saved output `a`. Each activation has
#   its own derivative: for tanh it is $1 - a^2$, and using the sigmoid's formula there is a
#   real bug in a published snippet.
# - Backpropagation computes gradients; a separate step (here plain gradient descent)
#   changes the weights.
# - Check every backward pass numerically, on a batch of more than one sample.
#
# Next, lesson 04: activation functions, and what their derivatives do to the gradient as
# it travels through many layers.
