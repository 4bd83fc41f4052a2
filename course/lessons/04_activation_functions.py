# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 04: Activation functions
#
# Every layer of a network computes $z = xW + b$ and then applies an **activation
# function** $f$ to each entry of $z$. Lessons 01 to 03 used the sigmoid throughout. This
# lesson asks why we need an activation at all, compares the common ones by their shape
# and, above all, by their **derivative**, which decides how well a deep network learns.
# By the end you will have written:
#
# 1. `tanh_backward(dout, a)`: the gradient through tanh, from its output,
# 2. `relu(z)` and `relu_backward(dout, z)`: the rectified linear unit and its gradient,
# 3. `leaky_relu(z, alpha)` and `leaky_relu_backward(dout, z, alpha)`: a ReLU that never
#    switches off completely,
# 4. `softmax(z)`: turning a row of scores into class probabilities, without overflow.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function and, if a test fails, says what went
# wrong and on which input. When your notebook is graded, hidden tests also run on other
# inputs, so make your function correct in general, not just on the example. Click
# **Validate** in the toolbar to run every test before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from helpers.display import show
from helpers.plots.activations import activation_gallery, dying_relu, gradient_through_depth
from helpers.reference import sigmoid  # lesson 01's sigmoid
from helpers.widgets.activations import depth_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "linear_collapse", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. Why a non-linearity at all?
#
# Suppose we left the activation out and stacked two layers that only compute $xW + b$:
#
# $$
# h = x W_1 + b_1, \qquad y = h W_2 + b_2 .
# $$
#
# Substitute the first line into the second and multiply out:
#
# $$
# y = (x W_1 + b_1) W_2 + b_2 = x \underbrace{(W_1 W_2)}_{W} + \underbrace{(b_1 W_2 + b_2)}_{b} .
# $$
#
# That is **one** layer, with weight matrix $W = W_1 W_2$ and bias $b = b_1 W_2 + b_2$. The
# shapes agree: $W_1$ is $(D, H)$ and $W_2$ is $(H, M)$, so $W$ is $(D, M)$, exactly what
# one layer from $D$ inputs to $M$ outputs needs. The same argument applies again to a third
# layer, and a fourth: **however many linear layers you stack, the result is a single
# linear layer.** Depth buys nothing. A one-number example: $h = 2x + 1$ followed by
# $y = 3h - 4$ is $y = 3(2x + 1) - 4 = 6x - 1$, a single straight line.
#
# An activation between the layers breaks this: $\tanh(x W_1 + b_1) W_2 + b_2$ cannot be
# multiplied out, and a network built this way can bend its output into curves and
# decision boundaries that no single layer can draw.
#
# The cell below checks both claims on random numbers. It pushes a batch through three
# linear layers and through the single layer $x W + b$ with $W = W_1 W_2 W_3$; the two
# agree to rounding error. Then it puts a tanh after the first two layers and asks NumPy's
# least-squares solver for the best single linear layer it can find: even the best one is
# now off by tens of percent.

# %% nbgrader={"grade": false, "grade_id": "linear_collapse_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(4)
x = rng.normal(size=(200, 4))  # a batch of 200 inputs with 4 features
sizes = [4, 6, 3, 2]
Ws = [rng.normal(size=(d_in, d_out)) for d_in, d_out in zip(sizes, sizes[1:])]
bs = [rng.normal(size=d_out) for d_out in sizes[1:]]

linear_out = x
for W, b in zip(Ws, bs):
    linear_out = linear_out @ W + b  # no activation
W_one = Ws[0] @ Ws[1] @ Ws[2]  # (4, 6) @ (6, 3) @ (3, 2) -> (4, 2)
b_one = (bs[0] @ Ws[1] + bs[1]) @ Ws[2] + bs[2]  # (2,)
print("three linear layers vs one: largest difference",
      np.abs(linear_out - (x @ W_one + b_one)).max())

tanh_out = np.tanh(np.tanh(x @ Ws[0] + bs[0]) @ Ws[1] + bs[1]) @ Ws[2] + bs[2]


def best_single_layer_miss(x, out):
    """RMS error of the best fit out ~ x @ W + b (least squares), relative to out's RMS."""
    x1 = np.hstack([x, np.ones((len(x), 1))])  # a column of ones carries the bias
    coefficients = np.linalg.lstsq(x1, out, rcond=None)[0]
    return np.sqrt(np.mean((x1 @ coefficients - out) ** 2) / np.mean(out ** 2))


print(f"best single layer, relative error: linear stack {best_single_layer_miss(x, linear_out):.1e}, "
      f"with tanh {best_single_layer_miss(x, tanh_out):.2f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "gallery", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. Four activation functions and their derivatives
#
# **Sigmoid** (lesson 01): $\sigma(z) = \dfrac{1}{1 + e^{-z}}$, with values in $(0, 1)$. Its
# derivative can be written with its own output:
#
# $$
# \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr).
# $$
#
# **Tanh**, the hyperbolic tangent: $\tanh z = \dfrac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$, with
# values in $(-1, 1)$. It is a sigmoid stretched to that range, $\tanh z = 2\sigma(2z) - 1$,
# but centred on 0: $\tanh 0 = 0$. By the quotient rule, writing $u = e^{z} - e^{-z}$ and
# $v = e^{z} + e^{-z}$ (so $u' = v$ and $v' = u$),
#
# $$
# \tanh'(z) = \frac{u' v - u v'}{v^2} = \frac{v^2 - u^2}{v^2} = 1 - \tanh^2 z .
# $$
#
# **ReLU**, the rectified linear unit: $\operatorname{relu}(z) = \max(z, 0)$. It passes
# positive numbers through unchanged and replaces negative ones by 0. Its derivative is 1
# for $z > 0$ and 0 for $z < 0$.
#
# **Leaky ReLU**: $z$ for $z > 0$ and $\alpha z$ for $z \le 0$, with a small slope $\alpha$
# such as $0.01$. Its derivative is 1 for $z > 0$ and $\alpha$ for $z < 0$.
#
# A few values to check by hand (recall $\sigma(\ln 3) = 0.75$ from lesson 01, and
# $\tanh(\ln 3) = \frac{3 - 1/3}{3 + 1/3} = 0.8$):
#
# | $z$ | $\sigma(z)$ | $\sigma'(z)$ | $\tanh z$ | $\tanh' z$ | $\operatorname{relu}(z)$ | $\operatorname{relu}'(z)$ |
# |---|---|---|---|---|---|---|
# | $-\ln 3$ | $0.25$ | $0.1875$ | $-0.8$ | $0.36$ | $0$ | $0$ |
# | $0$ | $0.5$ | $0.25$ | $0$ | $1$ | $0$ | $0$ (by convention) |
# | $\ln 3$ | $0.75$ | $0.1875$ | $0.8$ | $0.36$ | $\ln 3$ | $1$ |
#
# Compare the derivatives: the sigmoid's slope is **never more than 0.25** (its value at
# $z = 0$; section 5 shows why), the tanh's never more than 1, and both fall towards 0 on
# either side: far from 0 these functions are flat, or **saturated**. The ReLU's slope is
# exactly 1 for every positive $z$, however large, and exactly 0 for every negative one.
# You will write tanh's gradient, ReLU and the leaky ReLU in the next sections; in section
# 7 your own functions draw all four, each above its derivative.

# %% [markdown] nbgrader={"grade": false, "grade_id": "backward_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. The backward pass through an activation
#
# An activation is applied to each entry on its own: $a_{ij} = f(z_{ij})$. So $z_{ij}$
# affects the loss $L$ only through $a_{ij}$, and the chain rule has a single term:
#
# $$
# \frac{\partial L}{\partial z_{ij}} = \frac{\partial L}{\partial a_{ij}} \, f'(z_{ij}),
# $$
#
# in NumPy `dz = dout * f_prime(z)`. Here `dout` $= \partial L / \partial a$ is the
# **upstream gradient** that arrives from the layers above, with the shape of $a$. The
# product is elementwise (`*`, not `@`), and `dz` has the same shape as `z`. Every backward
# function in this lesson is this one line with a different $f'$.
#
# For the sigmoid and tanh the derivative is a function of the **output** $a = f(z)$:
# $\sigma'(z) = a(1 - a)$ and $\tanh'(z) = 1 - a^2$. That is convenient, because the forward
# pass has already computed and saved $a$ (lesson 03), so the backward pass needs neither
# $z$ nor another call to `np.tanh`.
#
# **A bug seen in published code.** A backpropagation snippet that circulates in tutorials
# runs a tanh hidden layer forward, `A1 = np.tanh(Z1)`, and then backpropagates through it with
# `sigmoid_derivative(A1)`, which computes `A1 * (1 - A1)`. That is the sigmoid's
# derivative applied to a tanh output. The cell below compares the two: the wrong formula
# is 0 at $a = 0$, exactly where tanh is steepest, and **negative** for $a < 0$, which
# flips the sign of the gradient, although tanh never decreases. (Lesson 03 has you find and
# fix this bug in a whole network.)

# %% nbgrader={"grade": false, "grade_id": "tutorial_bug_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
a = np.array([-0.8, -0.5, 0.0, 0.5, 0.8])  # outputs of a tanh layer
print("a:                          ", a)
print("tanh's derivative, 1 - a**2:", 1 - a ** 2)
print("the bug's a * (1 - a):      ", a * (1 - a))

# %% [markdown] nbgrader={"grade": false, "grade_id": "tanh_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Exercise 1 (3 points).** Write `tanh_backward(dout, a)`: the gradient with respect to
# $z$ through $a = \tanh(z)$, given the upstream gradient `dout` and the **output** `a`
# (not $z$). Both have the same shape, any shape.
#
# A case to check by hand: with $a = 0.5$ the derivative is $1 - 0.25 = 0.75$, so an
# upstream gradient of 4 becomes 3. Where tanh is saturated, $a = \pm 1$ to double
# precision (already for $z = 20$), the gradient is exactly 0.

# %% nbgrader={"grade": false, "grade_id": "tanh_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tanh_backward(dout, a):
    """Gradient through a = tanh(z), given its output a.

    dout: array of any shape, the upstream gradient dL/da
    a: array of the same shape, the output tanh(z) saved by the forward pass
    returns: array of the same shape, dL/dz
    """
    ### BEGIN SOLUTION
    return dout * (1 - a ** 2)  # tanh'(z) = 1 - tanh(z)^2 = 1 - a^2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_tanh_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

a = np.array([[0.0, 0.5, -0.5], [1.0, -1.0, 0.8]])
dout = np.array([[2.0, 4.0, -4.0], [3.0, 1.0, 10.0]])
# 1 - a**2 = [[1, 0.75, 0.75], [0, 0, 0.36]]
check_example("tanh_backward", tanh_backward, (dout, a),
              expected=np.array([[2.0, 3.0, -3.0], [0.0, 0.0, 3.6]]))
print("tanh_backward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_tanh_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Saturated outputs: tanh(20) is 1.0 in float64, so no gradient gets through.
a = np.tanh(np.array([[20.0, -20.0, 0.0], [np.log(3), -np.log(3), 1e-8]]))  # [[1, -1, 0], [0.8, -0.8, 1e-8]]
dout = np.array([[7.0, 7.0, 7.0], [10.0, -10.0, 3.0]])
check_example("tanh_backward", tanh_backward, (dout, a),
              expected=np.array([[0.0, 0.0, 7.0], [3.6, -3.6, 3.0]]))
# The hidden tests below run when your notebook is graded: random inputs and extremes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(401)
check_reference("tanh_backward", tanh_backward,
                (rng.normal(size=(4, 7)), np.tanh(rng.normal(scale=2.0, size=(4, 7)))))
check_reference("tanh_backward", tanh_backward,
                (rng.normal(size=(2, 3, 5)), np.tanh(rng.normal(scale=10.0, size=(2, 3, 5)))))
extremes = np.array([[-1.0, -0.9999999, -0.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 0.9999999, 1.0]])
check_reference("tanh_backward", tanh_backward, (rng.normal(scale=100.0, size=(1, 10)), extremes))
check_reference("tanh_backward", tanh_backward, (np.ones((10, 1)), extremes.T))
### END HIDDEN TESTS
print("tanh_backward: saturated outputs pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "relu_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. ReLU
#
# $\operatorname{relu}(z) = \max(z, 0)$ is the default activation of most modern networks.
# It is cheap (a comparison, no exponential) and, for positive inputs, its slope is 1: a
# gradient passes through an active ReLU **unchanged**, however large $z$ is. It does not
# saturate on the positive side the way sigmoid and tanh do. Section 5 shows what that
# means for deep networks.
#
# In NumPy, the elementwise maximum of an array and a number is `np.maximum(z, 0)`. Two
# look-alikes are traps: `np.max(z, 0)` is a *reduction* (the largest entry down axis 0),
# and Python's built-in `max(z, 0)` tries to compare a whole array with 0 at once.
#
# **Exercise 2 (3 points).** Write `relu(z)` for an array `z` of any shape. It must return a
# new array and leave `z` unchanged (so no `z[z < 0] = 0`).

# %% nbgrader={"grade": false, "grade_id": "relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu(z):
    """Rectified linear unit, max(z, 0) elementwise.

    z: array of any shape
    returns: a new array of the same shape
    """
    ### BEGIN SOLUTION
    return np.maximum(z, 0.0)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

z = np.array([[-2.0, -0.0, 0.0, 3.0], [1.5, -1e-300, 7.0, -4.0]])
check_example("relu", relu, (z,), expected=np.array([[0.0, 0.0, 0.0, 3.0], [1.5, 0.0, 7.0, 0.0]]))
print("relu: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_relu_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Any shape, and the ends of float64: 5e-324 is the smallest positive float64.
z = np.array([[[5e-324, -5e-324]], [[1e308, -1e308]], [[-0.0, 2.5]]])  # shape (3, 1, 2)
check_example("relu", relu, (z,), expected=np.array([[[5e-324, 0.0]], [[1e308, 0.0]], [[0.0, 2.5]]]))
# The hidden tests below run when your notebook is graded: random inputs and extremes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(402)
check_reference("relu", relu, (rng.normal(size=(3, 5)),))
check_reference("relu", relu, (rng.normal(scale=100.0, size=(2, 3, 4)),))
check_reference("relu", relu, (rng.normal(size=(6, 1)),))
extremes = np.array([-1e308, -1000.0, -1.0, -1e-300, -5e-324, -0.0, 0.0, 5e-324, 1e-300, 1.0, 1000.0, 1e308])
check_reference("relu", relu, (extremes.reshape(3, 4),))
check_reference("relu", relu, (extremes,))
### END HIDDEN TESTS
print("relu: any shape and the extremes pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "relu_backward_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The gradient of ReLU, and what happens at exactly 0
#
# The derivative of ReLU is 1 where $z > 0$ and 0 where $z < 0$. At $z = 0$ the graph has
# a corner: the slope is 0 just to the left and 1 just to the right, so strictly there is
# no derivative. Code must still return something there, and the usual convention, this
# course's, is **0 at $z = 0$**: the gradient passes only where $z > 0$. This is not an
# academic detail. Exact zeros are common: a unit whose inputs are all 0 (zero padding, or
# a previous ReLU layer that is switched off) has $z = b$, and biases usually start at
# exactly 0. Also remember that `-0.0` is a float64 too: `-0.0 > 0` is `False`, and
# `-0.0 == 0.0` is `True`.
#
# With the chain rule of section 3, the gradient is `dout` where $z > 0$ and 0 elsewhere:
# the mask `z > 0` *selects* which entries of `dout` pass. The mask alone is the
# derivative; the gradient is `dout` times it.
#
# **Exercise 3 (3 points).** Write `relu_backward(dout, z)`, given the upstream gradient
# `dout` and the **pre-activation** `z` (same shape). Leave both unchanged.
#
# A case to check by hand: `dout = [[1, 2, 3], [4, 5, 6]]` and
# `z = [[-1, 0, 2], [-0.0, 3, -5]]` give `[[0, 0, 3], [0, 5, 0]]`.

# %% nbgrader={"grade": false, "grade_id": "relu_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def relu_backward(dout, z):
    """Gradient through a = relu(z), given the pre-activation z.

    dout: array of any shape, the upstream gradient dL/da
    z: array of the same shape, the pre-activation
    returns: array of the same shape, dL/dz (0 where z <= 0, including z = 0)
    """
    ### BEGIN SOLUTION
    return dout * (z > 0)  # relu'(z) = 1 for z > 0, else 0
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
z = np.array([[-1.0, 0.0, 2.0], [-0.0, 3.0, -5.0]])
check_example("relu_backward", relu_backward, (dout, z),
              expected=np.array([[0.0, 0.0, 3.0], [0.0, 5.0, 0.0]]))
print("relu_backward: the worked example passes, with 0 at z = 0.")

# %% nbgrader={"grade": true, "grade_id": "test_relu_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The smallest positive float64 passes the gradient; its negative and both zeros do not.
dout = np.array([[-2.5, 8.0, 3.0, -7.0, 4.0]])
z = np.array([[5e-324, -5e-324, 0.0, -0.0, 1e308]])
check_example("relu_backward", relu_backward, (dout, z), expected=np.array([[-2.5, 0.0, 0.0, 0.0, 4.0]]))
# The hidden tests below run when your notebook is graded: random inputs with exact zeros.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(403)
for shape in [(4, 6), (2, 3, 5), (7, 1)]:
    z = rng.normal(size=shape)
    z[rng.random(size=shape) < 0.2] = 0.0
    z[rng.random(size=shape) < 0.1] = -0.0
    check_reference("relu_backward", relu_backward, (rng.normal(scale=3.0, size=shape), z))
extremes = np.array([-1e308, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 1e308])
check_reference("relu_backward", relu_backward, (rng.normal(size=(3, 8)), np.tile(extremes, (3, 1))))
### END HIDDEN TESTS
print("relu_backward: the smallest floats and both zeros pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "vanishing", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Saturation and vanishing gradients
#
# Take a chain of $K$ layers with one sigmoid unit each: $z_l = w_l a_{l-1} + b_l$ and
# $a_l = \sigma(z_l)$, from the input $a_0$ to the output $a_K$. By the chain rule, the
# derivative of the output with respect to the input is a product with one factor per
# layer:
#
# $$
# \frac{\partial a_K}{\partial a_0}
# = \frac{\partial a_K}{\partial a_{K-1}} \cdots \frac{\partial a_1}{\partial a_0}
# = \prod_{l=1}^{K} \sigma'(z_l)\, w_l .
# $$
#
# The gradient that reaches layer 1 during training contains the same product. Now the
# sigmoid's derivative is **at most $\tfrac14$**: writing $p = \sigma(z)$,
#
# $$
# \sigma'(z) = p(1 - p) = \tfrac14 - \left(p - \tfrac12\right)^2 \le \tfrac14 ,
# $$
#
# with equality only at $p = \tfrac12$, that is $z = 0$. So each sigmoid layer shrinks the
# gradient by a factor of at least 4, unless its weight is larger than 4 in size. Ten
# layers: $4^{-10} \approx 10^{-6}$. Twenty: $4^{-20} \approx 10^{-12}$. The layers near
# the input receive almost no gradient, so they barely learn: the **vanishing gradient**
# problem.
# Saturation makes it worse: for large $|z|$, $\sigma'(z) \approx e^{-|z|}$, already
# $4.5 \times 10^{-5}$ at $z = 10$.
#
# Tanh does better: its derivative $1 - a^2$ reaches 1 at $z = 0$, but it too falls off as
# $4e^{-2|z|}$ when saturated. ReLU's derivative is exactly 1 for every active unit, so
# active paths pass the gradient on undiminished.
#
# In a layer with many units, each step back multiplies the gradient by the weights and,
# elementwise, by $f'(z)$. The plot shows the size of the gradient reaching each layer of a
# random 20-layer network, 64 units wide, for each activation: the root mean square (RMS)
# of $\partial L / \partial z$ over the batch and the layer's units. The weights are drawn
# at the usual scale for each activation (standard deviation $1/\sqrt{64}$ for sigmoid and
# tanh, $\sqrt{2/64}$ for ReLU; lesson 05 explains why). For sigmoid and tanh that scale
# keeps the weights on their own from growing or shrinking the gradient, so what remains is
# the effect of $f'$; for ReLU the extra factor $\sqrt 2$ makes up for the half of the
# units that pass nothing back. The vertical axis is logarithmic, so the same factor lost
# at every layer shows as a straight line. The tanh and ReLU networks run on your
# `tanh_backward`, `relu` and `relu_backward`, passed to the plot in a dictionary; the
# sigmoid and its gradient are the course's, from lessons 01 and 03.

# %% nbgrader={"grade": false, "grade_id": "vanishing_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
depths = np.array([1, 5, 10, 20])
print("largest possible product of sigmoid slopes, 0.25 ** L:")
for depth, bound in zip(depths, 0.25 ** depths):
    print(f"  L = {depth:2d}: {bound:.2e}")

yours = {"tanh_backward": tanh_backward, "relu": relu, "relu_backward": relu_backward}
show(gradient_through_depth(yours, depth=20))

# %% [markdown] nbgrader={"grade": false, "grade_id": "dying", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. Dying ReLUs
#
# ReLU's strength, a slope of exactly 1, comes with a weakness: a slope of exactly 0 for
# $z \le 0$. Call a unit **dead** on a batch when its pre-activation is $\le 0$ for *every*
# sample in it. Then its output is 0 for every sample, `relu_backward` returns 0 for every
# sample, and so the gradients of its weights and bias are exactly 0: gradient descent no
# longer changes them, and unless the layers below start feeding it different inputs, the
# unit stays dead. The small example below shows it: one unit with bias $-10$ on three
# samples.
#
# How does a unit get there? The plot, drawn with your `relu` and `relu_backward`, shows a
# layer of 100 ReLU units on a batch of 200 inputs with values in $[0, 1]$ (like pixel
# intensities, or the outputs of a previous ReLU layer, which are never negative). Five
# percent of the units are dead from the start: their weights are mostly negative, so they
# never fire on this batch.
#
# - **Left: a negative bias shift.** Lower every bias by the same amount. Once the shift
#   exceeds what a unit's largest $z$ on the batch was, the unit is dead; a shift of 3
#   kills them all.
# - **Right: one big gradient step.** The layer feeds a linear output that is 3 too high on
#   every sample, so the gradient tells each unit feeding the output positively to lower
#   its $z$. Because the inputs are never negative, lowering the weights lowers $z$ on every
#   sample at once. A small learning rate makes a small, harmless change; a large one
#   overshoots and pushes $z$ below 0 on the whole batch. Past a learning rate of about
#   1 units start dying in numbers, and a single step with learning rate 10 kills about
#   half of the layer.

# %% nbgrader={"grade": false, "grade_id": "dying_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_small = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])  # three samples, two features
w_unit, b_unit = np.array([1.0, 2.0]), -10.0
z_unit = x_small @ w_unit + b_unit  # [-5, -11.5, -7]: below 0 on every sample
dz_unit = np.ones(3) * (z_unit > 0)  # relu's gradient for an upstream gradient of ones
print("z:", z_unit, " dw:", x_small.T @ dz_unit, " db:", dz_unit.sum())

show(dying_relu(yours))

# %% [markdown] nbgrader={"grade": false, "grade_id": "leaky_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Leaky ReLU: never quite off
#
# The leaky ReLU keeps a small slope $\alpha$ on the negative side:
#
# $$
# \operatorname{leaky}(z) = \begin{cases} z & z > 0, \\ \alpha z & z \le 0, \end{cases}
# \qquad
# \operatorname{leaky}'(z) = \begin{cases} 1 & z > 0, \\ \alpha & z \le 0. \end{cases}
# $$
#
# A unit whose $z$ is negative on the whole batch still passes back $\alpha$ times its
# upstream gradient, so its weights keep moving and it can come back to life. Typical
# values are $\alpha = 0.01$ (the default here) to $0.2$. With $\alpha = 0$ it is the ReLU;
# with $\alpha = 1$ it is the identity. In this course $0 \le \alpha \le 1$.
#
# A hand example with $\alpha = 0.01$: $(-2, 0, 3) \mapsto (-0.02, 0, 3)$ and
# $-100 \mapsto -1$.
#
# **Think about it.** `np.maximum(alpha * z, z)` is a popular one-line leaky ReLU. Why is it
# right for $0 \le \alpha \le 1$? (Which of $z$ and $\alpha z$ is larger when $z > 0$, and
# when $z < 0$?) What would it compute for $\alpha = 2$? The definition by cases, with
# `np.where`, holds for any $\alpha$.
#
# **Exercise 4 (3 points).** Write `leaky_relu(z, alpha=0.01)` for an array `z` of any
# shape. Use the argument `alpha`, not the number 0.01: the tests pass other values.

# %% nbgrader={"grade": false, "grade_id": "leaky_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z where z > 0, alpha * z elsewhere.

    z: array of any shape
    alpha: float in [0, 1], the slope for z <= 0
    returns: a new array of the same shape
    """
    ### BEGIN SOLUTION
    return np.where(z > 0, z, alpha * z)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

z = np.array([[-2.0, 0.0, 3.0], [-0.0, -100.0, 0.5]])
check_example("leaky_relu", leaky_relu, (z,), expected=np.array([[-0.02, 0.0, 3.0], [0.0, -1.0, 0.5]]))
print("leaky_relu: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Another slope, alpha = 0.2, and the ends of float64.
z = np.array([[-5.0, -0.0, 0.0, 2.0], [-1e308, 1e-300, -10.0, 7.0]])
check_example("leaky_relu", leaky_relu, (z,), kwargs={"alpha": 0.2},
              expected=np.array([[-1.0, 0.0, 0.0, 2.0], [-2e307, 1e-300, -2.0, 7.0]]))
# The hidden tests below run when your notebook is graded: random inputs and other slopes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(404)
check_reference("leaky_relu", leaky_relu, (rng.normal(size=(3, 5)),))
check_reference("leaky_relu", leaky_relu, (rng.normal(size=(4, 2)),), kwargs={"alpha": 0.3})
check_reference("leaky_relu", leaky_relu, (rng.normal(scale=50.0, size=(2, 3, 4)),), kwargs={"alpha": 0.05})
check_reference("leaky_relu", leaky_relu, (rng.normal(size=(5, 3)),), kwargs={"alpha": 0.0})
check_reference("leaky_relu", leaky_relu, (rng.normal(size=(1, 6)),), kwargs={"alpha": 1.0})
extremes = np.array([-1e308, -1000.0, -1.0, -1e-300, -5e-324, -0.0, 0.0, 5e-324, 1e-300, 1.0, 1000.0, 1e308])
check_reference("leaky_relu", leaky_relu, (extremes.reshape(2, 6),), kwargs={"alpha": 0.125})
### END HIDDEN TESTS
print("leaky_relu: alpha = 0.2 passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "leaky_backward_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The gradient of leaky ReLU
#
# The derivative is 1 where $z > 0$ and $\alpha$ where $z \le 0$, so by the chain rule the
# gradient is `dout` where $z > 0$ and `alpha * dout` elsewhere. At exactly $z = 0$ (and
# $-0.0$) the convention follows the case $z \le 0$: the derivative there is $\alpha$.
#
# **Exercise 5 (3 points).** Write `leaky_relu_backward(dout, z, alpha=0.01)`, given the
# upstream gradient and the pre-activation. A case to check by hand, with
# $\alpha = 0.01$: `dout = [[1, 2, 3], [4, 5, 6]]` and `z = [[-1, 0, 2], [-0.0, 3, -5]]`
# give `[[0.01, 0.02, 3], [0.04, 5, 0.06]]`.

# %% nbgrader={"grade": false, "grade_id": "leaky_relu_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def leaky_relu_backward(dout, z, alpha=0.01):
    """Gradient through a = leaky_relu(z, alpha), given the pre-activation z.

    dout: array of any shape, the upstream gradient dL/da
    z: array of the same shape, the pre-activation
    alpha: float in [0, 1], the slope for z <= 0
    returns: array of the same shape, dL/dz (alpha * dout where z <= 0, including z = 0)
    """
    ### BEGIN SOLUTION
    return dout * np.where(z > 0, 1.0, alpha)  # the slope on each side
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

dout = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
z = np.array([[-1.0, 0.0, 2.0], [-0.0, 3.0, -5.0]])
check_example("leaky_relu_backward", leaky_relu_backward, (dout, z),
              expected=np.array([[0.01, 0.02, 3.0], [0.04, 5.0, 0.06]]))
print("leaky_relu_backward: the worked example passes, with alpha at z = 0.")

# %% nbgrader={"grade": true, "grade_id": "test_leaky_relu_backward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# alpha = 0.25: both zeros take the slope alpha; the smallest positive float takes 1.
dout = np.array([[4.0, -8.0, 2.0, 6.0, 10.0]])
z = np.array([[0.0, -0.0, 5e-324, -3.0, 1e308]])
check_example("leaky_relu_backward", leaky_relu_backward, (dout, z), kwargs={"alpha": 0.25},
              expected=np.array([[1.0, -2.0, 2.0, 1.5, 10.0]]))
# The hidden tests below run when your notebook is graded: random inputs, exact zeros, other slopes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(405)
for shape, alpha in [((4, 6), None), ((2, 3, 5), 0.3), ((7, 1), 0.0), ((3, 4), 1.0)]:
    z = rng.normal(size=shape)
    z[rng.random(size=shape) < 0.2] = 0.0
    z[rng.random(size=shape) < 0.1] = -0.0
    kwargs = None if alpha is None else {"alpha": alpha}
    check_reference("leaky_relu_backward", leaky_relu_backward, (rng.normal(scale=3.0, size=shape), z),
                    kwargs=kwargs)
extremes = np.array([-1e308, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 1e308])
check_reference("leaky_relu_backward", leaky_relu_backward, (rng.normal(size=(3, 8)), np.tile(extremes, (3, 1))),
                kwargs={"alpha": 0.07})
### END HIDDEN TESTS
print("leaky_relu_backward: alpha = 0.25 passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "side_by_side", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7. The four activations, drawn by your functions
#
# You have now written everything the four activations of section 2 need. The plot draws
# each of them (top row) above its derivative (bottom row), computed the way a backward
# pass computes it: your backward function with an upstream gradient of ones, so that
# `dout * f'(z)` is $f'(z)$ itself (for tanh, `tanh_backward(1, np.tanh(z))`). The sigmoid
# is the course's; the leaky ReLU is drawn with $\alpha = 0.1$, so that its leak is
# visible.
#
# Check what section 2 said against the bottom row: the sigmoid's slope peaks at 0.25 and
# the tanh's at 1, both at $z = 0$, and both fall towards 0 on either side; the ReLU's is
# exactly 1 for positive $z$ and 0 for negative $z$, the leaky ReLU's 1 and $\alpha$. If a
# curve is not what you expect, suspect your function first: the tests try a few inputs,
# the plot a thousand.

# %% nbgrader={"grade": false, "grade_id": "gallery_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
yours = {"tanh_backward": tanh_backward, "relu": relu, "relu_backward": relu_backward,
         "leaky_relu": leaky_relu, "leaky_relu_backward": leaky_relu_backward}
show(activation_gallery(yours))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: an activation and a depth
#
# Back to the vanishing gradients of section 5, now with all four activations, and your
# functions again. The widget draws the activation you pick with its derivative (left) and
# the gradient reaching each layer of a network of the depth you pick (right); the title
# says what fraction of the last layer's gradient arrives at layer 1. Try these:
#
# - Sigmoid at depth 2, 5, 10, 30. By how much does each extra layer divide the gradient?
#   Compare with the dashed line, a factor of 0.25 per layer.
# - Tanh at depth 30. It loses far less than the sigmoid, but it does lose some. Why not
#   nothing? (Hint: is every unit's $z$ exactly 0?)
# - ReLU and leaky ReLU at depth 30. The gradient neither vanishes nor explodes. Which
#   feature of the derivative panel explains it?

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
depth_explorer(yours)

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8. Softmax: class probabilities
#
# For a classifier with $C$ classes, the last layer produces $C$ numbers per sample, the
# **logits** $z_1, \dots, z_C$: any real numbers, larger meaning "more likely". **Softmax**
# turns them into probabilities:
#
# $$
# p_c = \frac{e^{z_c}}{\sum_{j=1}^{C} e^{z_j}} , \qquad c = 1, \dots, C .
# $$
#
# Each $p_c$ is positive, they add up to 1, and a larger logit gives a larger probability.
# Unlike the other activations, softmax is not elementwise: each $p_c$ depends on the whole
# row. A hand example: for $z = (0, \ln 3, \ln 4)$ the exponentials are $(1, 3, 4)$, their
# sum is 8, and $p = (0.125, 0.375, 0.5)$. With two classes and logits $(z, 0)$,
# $p_1 = \frac{e^{z}}{e^{z} + 1} = \sigma(z)$: softmax generalises the sigmoid.
#
# ### The max-subtraction trick
#
# Computed as written, softmax breaks on large logits: $e^{710}$ is already larger than
# the largest float64, so `np.exp(1e4)` is `inf`, and `inf / inf` is `nan`. The way out is
# that subtracting the same number $m$ from every logit of a row does not change the result.
# Since $e^{z_c - m} = e^{z_c} e^{-m}$,
#
# $$
# \frac{e^{z_c - m}}{\sum_j e^{z_j - m}}
# = \frac{e^{-m}\, e^{z_c}}{e^{-m} \sum_j e^{z_j}}
# = \frac{e^{z_c}}{\sum_j e^{z_j}} ,
# $$
#
# because the common factor $e^{-m} > 0$ cancels. Choose $m = \max_j z_j$, the row's largest
# logit. Then:
#
# - every exponent $z_c - m$ is $\le 0$, so every $e^{z_c - m}$ lies in $(0, 1]$: no overflow;
# - the largest term is $e^{0} = 1$, so the denominator is between 1 and $C$: no division by
#   0, no `0 / 0`;
# - `np.exp` underflows to exactly 0 only below about $-745.13$, which is
#   $\ln 2^{-1075}$: $2^{-1075} \approx 2.5 \times 10^{-324}$ is half the smallest positive
#   float64, $2^{-1074} \approx 4.9 \times 10^{-324}$ (itself $e^{-744.44}$), and anything
#   below that half rounds to 0. A term that underflows therefore has a true probability
#   below $e^{-745.13}$ (the denominator is at least 1), and 0 is its correctly rounded
#   value.
#
# The cell below shows the naive formula failing on the logits $(1000, 1000 + \ln 3)$ (it
# silences NumPy's warning so that you see the result) and the shifted one giving the
# right answer, $(0.25, 0.75)$, exactly as for $(0, \ln 3)$. It also checks the sigmoid
# connection.

# %% nbgrader={"grade": false, "grade_id": "softmax_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
logits = np.array([1000.0, 1000.0 + np.log(3)])
with np.errstate(over="ignore", invalid="ignore"):  # np.exp(1000) overflows to inf
    naive = np.exp(logits) / np.exp(logits).sum()
shifted = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
print("naive:  ", naive)
print("shifted:", shifted)

z_two = 1.7
two_class = np.exp([z_two, 0.0]) / np.exp([z_two, 0.0]).sum()
print(f"softmax of (z, 0) for z = {z_two}: {two_class[0]:.6f};  sigmoid(z) = {float(sigmoid(z_two)):.6f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "softmax_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **A batch of rows.** In this course a batch of logits is an array of shape $(N, C)$: one
# sample per row, one class per column. Softmax works on **each row separately**: the
# maximum and the sum are taken along `axis=1`, one per row. Keep them as columns of shape
# $(N, 1)$ with `keepdims=True`, so that they broadcast across each row. An array of shape
# $(N,)$ lines up with the columns instead. What happens then depends on the shape: for
# most shapes NumPy raises an error; for a square array ($N = C$) it silently gives wrong
# numbers; for a single column ($C = 1$) it silently gives an $(N, N)$ array; and for a
# single row ($N = 1$) it happens to be right, since there is only one maximum and one sum
# to line up. Only `keepdims=True` (or `[:, None]`) is right for every shape.
#
# **Exercise 6 (3 points).** Write `softmax(z)` for an array `z` of shape $(N, C)$. It must
# be exact and raise no warning for logits as large as $\pm 10^4$, and leave `z` unchanged.
#
# A case to check by hand: the rows $(0, \ln 3, \ln 4)$ and $(5, 5, 5)$ give
# $(0.125, 0.375, 0.5)$ and $(\frac13, \frac13, \frac13)$.

# %% nbgrader={"grade": false, "grade_id": "softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def softmax(z):
    """Row-wise softmax: class probabilities from logits.

    z: array of shape (N, C), one row of C logits per sample
    returns: array of shape (N, C), each row positive and summing to 1
    """
    ### BEGIN SOLUTION
    shifted = z - z.max(axis=1, keepdims=True)  # (N, C) - (N, 1): every exponent <= 0
    e = np.exp(shifted)  # in [0, 1], and each row holds a 1
    return e / e.sum(axis=1, keepdims=True)  # (N, C) / (N, 1)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

z = np.array([[0.0, np.log(3), np.log(4)], [5.0, 5.0, 5.0]])
check_example("softmax", softmax, (z,), expected=np.array([[0.125, 0.375, 0.5], [1 / 3, 1 / 3, 1 / 3]]))
print("softmax: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_softmax_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Logits of +-1e4. Minus its maximum 1e4 + ln 3, the first row is about (-ln 3, 0, -2e4, -1e4),
# whose exponentials are (1/3, 1, 0, 0); the second row has four equal logits.
z = np.array([[1e4, 1e4 + np.log(3), -1e4, 0.0], [-1e4, -1e4, -1e4, -1e4]])
check_example("softmax", softmax, (z,), expected=np.array([[0.25, 0.75, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]]))
# The hidden tests below run when your notebook is graded: random logits, huge logits, one class.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(406)
check_reference("softmax", softmax, (rng.normal(size=(5, 3)),))
check_reference("softmax", softmax, (rng.normal(scale=4.0, size=(1, 7)),))
check_reference("softmax", softmax, (rng.normal(size=(6, 1)),))
check_reference("softmax", softmax, (rng.normal(scale=1e3, size=(4, 6)),))
check_reference("softmax", softmax, (rng.normal(scale=1e4, size=(3, 3)),))
large = np.array([[1e4, 1e4, 1e4, 1e4, 1e4],
                  [-1e4, -1e4, -1e4, -1e4, -1e4],
                  [1e4, 1e4, -1e4, 0.0, 1e4],
                  [1e4, -1e4, 0.0, 1.0, -1.0],
                  [-1e4, -1e4 + 1.0, -1e4 + 2.0, -1e4, -1e4]])
check_reference("softmax", softmax, (large,))
check_reference("softmax", softmax, (large[:, :3],))
### END HIDDEN TESTS
print("softmax: logits of +-1e4 pass, without warnings.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - Without an activation, a stack of layers collapses into one: $x W_1 W_2 + \dots$ is
#   $x W + b$ with $W = W_1 W_2$. Non-linearity is what makes depth worth having.
# - The backward pass through an elementwise activation is `dz = dout * f'(z)`. For sigmoid
#   and tanh the derivative comes from the saved output: $a(1 - a)$ and $1 - a^2$. Do not mix
#   them up (the bug of section 3's tutorial snippet).
# - The sigmoid's slope is at most $\frac14$, so with weights of moderate size the gradient
#   shrinks by at least 4 per sigmoid layer and vanishes in deep networks; saturated units
#   make it worse. Tanh
#   saturates too, but its slope reaches 1.
# - ReLU passes gradients through active units unchanged, but a unit that is off on every
#   sample gets no gradient at all and stays dead. A large negative bias or one overly large
#   learning-rate step can kill many at once; the leaky ReLU keeps a slope $\alpha$ so that
#   units can recover.
# - Softmax turns a row of logits into probabilities. Subtracting the row's maximum changes
#   nothing mathematically and makes it exact for any logits.
#
# Next, lesson 05: how to choose the initial weights so that signals and gradients keep
# their size through depth.
