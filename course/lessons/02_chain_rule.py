# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 02: The chain rule
#
# A network learns by nudging each weight in the direction that lowers its loss, so it
# needs the **derivative** of the loss with respect to every weight. This lesson gives you
# the two tools for that. The **chain rule** computes derivatives exactly, by breaking a
# big formula into small steps whose derivatives are easy; lesson 03 applies it to a
# whole network (that is backpropagation). **Numerical differentiation** estimates a
# derivative by simply evaluating the function twice; it is too slow to train with, but
# it is the standard way to *check* a derivative you worked out by hand. By the end of
# this lesson you will have written:
#
# 1. `numerical_gradient(f, x, h=1e-5)`: the central-difference gradient of any function,
# 2. `rel_error(a, b)`: the number that says whether two gradients agree,
# 3. `neuron_gradients(x, w, b, y)`: the gradients of one neuron's loss, by the chain rule.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function; if a test fails, its message says what
# went wrong and on which input. When the graders mark your notebook they also run hidden
# tests on other inputs, so make your function correct, not just the example. Each answer
# cell is graded on its own, so keep everything your function needs inside its cell
# (`np` is always there, and `sigmoid` where an exercise says so). Click **Validate** in
# the toolbar to run every test at once before you submit.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from helpers.display import show
from helpers.plots.chain_rule import chain_graph, step_size_errors, worked_graph
from helpers.reference import sigmoid  # lesson 01's sigmoid, the course's version
from helpers.widgets.chain_rule import step_size_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "graphs", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. Derivatives and computational graphs
#
# The derivative $f'(x)$ says how sensitive $f$ is to its input near $x$: a small change
# $\Delta$ in the input changes the output by about $f'(x)\,\Delta$,
#
# $$
# f(x + \Delta) \approx f(x) + f'(x)\,\Delta .
# $$
#
# For example $f(x) = x^2$ has $f'(x) = 2x$, so at $x = 3$ a change of $\Delta = 0.01$
# should change $f$ by about $6 \times 0.01 = 0.06$; indeed $3.01^2 = 9.0601$. When $f$
# has several inputs, the **partial derivative** $\partial f / \partial x_i$ is the same
# idea with all inputs but $x_i$ held fixed, and the **gradient** is the array of all of
# them, one per input. A loss has one input per weight: thousands or millions of them.
#
# Nobody differentiates a million-weight formula in one go. Instead we write the formula
# as a **computational graph**: a chain of elementary operations, each one a node that
# takes a few numbers in and passes one number on. For each node, the derivatives of its
# output with respect to its inputs are easy; they are called its **local derivatives**:
#
# | node | output | local derivatives |
# |---|---|---|
# | sum | $q = u + v$ | $\partial q / \partial u = 1$, $\partial q / \partial v = 1$ |
# | product | $q = u\,v$ | $\partial q / \partial u = v$, $\partial q / \partial v = u$ |
# | square | $q = u^2$ | $dq / du = 2u$ |
# | sigmoid | $a = \sigma(z)$ | $da / dz = \sigma(z)\,(1 - \sigma(z)) = a\,(1 - a)$ |
#
# The chain rule is the recipe that combines local derivatives into the derivative of the
# whole graph.

# %% [markdown] nbgrader={"grade": false, "grade_id": "scalar_chain", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. The chain rule for a chain
#
# Suppose $u = g(x)$ and $f = F(u)$, so that $f$ depends on $x$ only through $u$. Nudge
# $x$ by $\Delta$: then $u$ moves by about $\frac{du}{dx}\Delta$, and that moves $f$ by
# about $\frac{df}{du}$ times as much. Sensitivities along a chain **multiply**:
#
# $$
# \frac{df}{dx} = \frac{df}{du} \cdot \frac{du}{dx}.
# $$
#
# ### Worked example
#
# Take $f = (3x + 1)^2$ at $x = 1$, as the graph $x \to u = 3x + 1 \to f = u^2$.
#
# - **Forward**, left to right: $u = 3 \cdot 1 + 1 = 4$, $f = 4^2 = 16$.
# - **Backward**, right to left, starting from $df/df = 1$ at the output:
#   $df/du = 2u = 8$, then $df/dx = df/du \cdot du/dx = 8 \cdot 3 = 24$.
#
# Check by expanding: $f = 9x^2 + 6x + 1$, so $f'(x) = 18x + 6 = 24$ at $x = 1$. In the
# picture below, each node's forward value is written above it (in green), the derivative
# of the output below it (in red), and each arrow carries its local derivative (in blue). Notice that the backward pass needs the forward
# values ($df/du = 2u$ needs $u = 4$): this is why lesson 01's forward pass keeps every
# layer's output. A longer chain works the same way: multiply every local derivative
# along the way back.

# %% nbgrader={"grade": false, "grade_id": "scalar_chain_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x = 1.0
u = 3 * x + 1  # forward
f = u ** 2
df_du = 2 * u  # backward: local derivative of the square, at the forward value u
df_dx = df_du * 3  # times du/dx = 3
print(f"forward:  u = {u}, f = {f}")
print(f"backward: df/du = {df_du}, df/dx = {df_dx}")

show(chain_graph(x))

# %% [markdown] nbgrader={"grade": false, "grade_id": "paths", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. Many paths: the chain rule in several variables
#
# In a network, one number usually influences the output along several routes: an input
# feeds every neuron of the next layer. If $x$ influences $f$ through the intermediate
# values $u_1, \dots, u_K$, each route contributes its own product of local derivatives,
# and the contributions **add up**:
#
# $$
# \frac{\partial f}{\partial x} = \sum_{k=1}^{K} \frac{\partial f}{\partial u_k} \cdot \frac{\partial u_k}{\partial x}.
# $$
#
# In words: **multiply along each path from $x$ to $f$, then sum over the paths.** (If
# nudging $x$ moves both $u_1$ and $u_2$, the change in $f$ is the change through $u_1$
# plus the change through $u_2$.)
#
# ### Worked example: a graph to follow by hand
#
# Take $f = a \cdot b$ with $a = x \cdot y$ and $b = x + y$, at $x = 2$, $y = 3$. Both
# $x$ and $y$ reach $f$ along two paths, one through $a$ and one through $b$.
#
# - **Forward:** $a = 2 \cdot 3 = 6$, $b = 2 + 3 = 5$, $f = 6 \cdot 5 = 30$.
# - **Backward**, from $\partial f / \partial f = 1$: the product node gives
#   $\partial f / \partial a = b = 5$ and $\partial f / \partial b = a = 6$. Then
#
# $$
# \frac{\partial f}{\partial x} = \underbrace{\frac{\partial f}{\partial a}\frac{\partial a}{\partial x}}_{5 \cdot y \,=\, 15}
# + \underbrace{\frac{\partial f}{\partial b}\frac{\partial b}{\partial x}}_{6 \cdot 1 \,=\, 6} = 21,
# \qquad
# \frac{\partial f}{\partial y} = \underbrace{5 \cdot x}_{10} + \underbrace{6 \cdot 1}_{6} = 16.
# $$
#
# Check by expanding: $f = x y (x + y) = x^2 y + x y^2$, so
# $\partial f / \partial x = 2xy + y^2 = 12 + 9 = 21$ and
# $\partial f / \partial y = x^2 + 2xy = 4 + 12 = 16$.
#
# **A common slip: following one path only.** Taking only the path through $a$ gives
# $\partial f / \partial x = 15$, which is wrong by the whole contribution of the other
# path. When a value is used in more than one place, its gradient collects a term from
# every use.

# %% nbgrader={"grade": false, "grade_id": "paths_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x, y = 2.0, 3.0
a = x * y  # forward
b = x + y
f = a * b
df_da, df_db = b, a  # backward through the product f = a * b
df_dx = df_da * y + df_db * 1  # path through a, plus path through b
df_dy = df_da * x + df_db * 1
print(f"forward:  a = {a}, b = {b}, f = {f}")
print(f"backward: df/dx = {df_dx}, df/dy = {df_dy}")

show(worked_graph(x, y))

# %% [markdown] nbgrader={"grade": false, "grade_id": "differences", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. Checking a derivative numerically
#
# Working out derivatives by hand is error-prone: a forgotten path, a sign, a factor of 2.
# Fortunately there is an independent way to get the same number. The derivative is the
# limit of a slope, $f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}$, so for a small
# step $h$ two evaluations of $f$ give an estimate:
#
# $$
# \text{forward difference: } \frac{f(x + h) - f(x)}{h},
# \qquad
# \text{central difference: } \frac{f(x + h) - f(x - h)}{2h}.
# $$
#
# Both are slopes of **secant** lines through two points of the graph of $f$; the
# derivative is the slope of the **tangent**. Which is better? Taylor's theorem says
#
# $$
# f(x \pm h) = f(x) \pm h f'(x) + \frac{h^2}{2} f''(x) \pm \frac{h^3}{6} f'''(x) + \dots
# $$
#
# so the forward difference is $f'(x) + \frac{h}{2} f''(x) + \dots$, off by an amount
# proportional to $h$, while in $f(x + h) - f(x - h)$ the $h^2$ terms cancel and the
# central difference is $f'(x) + \frac{h^2}{6} f'''(x) + \dots$, off by an amount
# proportional to $h^2$. This error, from cutting off the Taylor series, is the
# **truncation error**. Halve $h$ and the forward difference's error halves, but the
# central difference's error quarters.
#
# **A case to check by hand:** $f(x) = x^3$ at $x = 1$ with $h = 0.1$, where
# $f'(1) = 3$. Forward: $(1.1^3 - 1)/0.1 = (1.331 - 1)/0.1 = 3.31$, off by $0.31$.
# Central: $(1.331 - 0.729)/0.2 = 3.01$, off by $0.01$. (For $x^3$ the central error is
# exactly $h^2$, since $f''' = 6$ and $\frac{h^2}{6} \cdot 6 = h^2$.)
#
# ### Why not take $h$ as small as possible?
#
# Because the computer does not store real numbers. A float64 holds about 16 significant
# digits: every value of $f$ it computes is off by a relative error of up to about
# $\varepsilon = 2.2 \times 10^{-16}$ (`np.finfo(float).eps`), that is by about
# $\varepsilon |f|$. When $h$ is tiny, $f(x + h)$ and $f(x)$ agree in most of their
# digits and their difference keeps only the few digits where they differ: the rounding
# errors, now dividing by a tiny $h$, become an error of about
# $\varepsilon |f| / h$. This **round-off error** *grows* as $h$ shrinks. So the total
# error is about
#
# $$
# \text{forward: } \frac{|f''|}{2}\,h + \frac{\varepsilon |f|}{h},
# \qquad
# \text{central: } \frac{|f'''|}{6}\,h^2 + \frac{\varepsilon |f|}{h}.
# $$
#
# Each has a best $h$, where the two terms are about equal. For a well-scaled function
# (with $f$ and its derivatives around 1) the forward difference's best step is about
# $\sqrt{\varepsilon} \approx 1.5 \times 10^{-8}$, and its error there is about
# $\varepsilon / \sqrt{\varepsilon} = \sqrt{\varepsilon} \approx 10^{-8}$; the central
# difference's best step is about $\varepsilon^{1/3} \approx 6 \times 10^{-6}$, and its
# error there is about $\varepsilon / \varepsilon^{1/3} = \varepsilon^{2/3} \approx
# 4 \times 10^{-11}$. That is why gradient checks use the central difference with
# $h = 10^{-5}$.
#
# The plot shows the measured errors for $f = \sin$ at $x = 1$ on **log-log axes**. A
# power law, error $= C h^p$, becomes a straight line there, because
# $\log(\text{error}) = \log C + p \log h$: its slope is the power $p$. Right of the best
# step, truncation dominates and the lines have slope 1 (forward) and 2 (central); left
# of it, round-off dominates, and both curves follow the slope $-1$ of
# $\varepsilon |f| / h$, jagged because rounding errors are erratic. Each curve is a
# **V** with its bottom at the best $h$ (pale vertical lines).

# %% nbgrader={"grade": false, "grade_id": "differences_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
for h in [1e-1, 1e-3, 1e-5, 1e-8, 1e-11]:
    forward = (np.sin(1 + h) - np.sin(1)) / h
    central = (np.sin(1 + h) - np.sin(1 - h)) / (2 * h)
    print(f"h = {h:.0e}:  forward error {abs(forward - np.cos(1)):.1e},  "
          f"central error {abs(central - np.cos(1)):.1e}")

show(step_size_errors("sin(x) at x = 1"))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: the step size
#
# The slider sets $h$ (on a logarithmic scale). On the left, the tangent at $x = 1$ and
# the two secants whose slopes estimate it; on the right, the relative error a gradient
# check would report (section 6 defines it) at every $h$, with your $h$ marked. Try these:
#
# - Start at $h = 0.5$ and slide down to $10^{-2}$. Which secant hugs the tangent first?
#   Compare the slopes in the legend.
# - Find the $h$ with the smallest central error. Is it near $10^{-5}$? And for the
#   forward difference?
# - Go down to $h = 10^{-15}$. The secants look perfect, yet the error has climbed back
#   into the top band (above $10^{-2}$, hatched: a bug). Which of the two errors is to blame?
# - Switch to $x^3$ and set $h = 0.1$: the slopes in the legend are the 3.31 and 3.01
#   you computed by hand above.

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
step_size_explorer()

# %% [markdown] nbgrader={"grade": false, "grade_id": "numerical_gradient_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. The gradient of a function of many numbers
#
# For a function $f$ of an array $x$ (any shape), the partial derivative with respect to
# one element $x_i$ comes from moving **that element alone** by $\pm h$:
#
# $$
# \frac{\partial f}{\partial x_i} \approx \frac{f(x + h\,e_i) - f(x - h\,e_i)}{2h},
# $$
#
# where $e_i$ is the array with a 1 at position $i$ and 0 everywhere else. Doing this for
# every element gives the whole gradient, which has the same shape as $x$. It costs two
# evaluations of $f$ per element: fine for checking, far too slow for training.
#
# Some practical points:
#
# - `for i in np.ndindex(x.shape):` visits every index of an array of any shape: for a
#   `(2, 3)` array, `i` runs through the tuples `(0, 0)`, `(0, 1)`, ..., `(1, 2)`, and
#   `x[i]` is one element. (A loop `for i in range(len(x))` would visit whole rows.)
#   This is the one graded function of the course where a Python loop is expected.
# - Your function must leave `x` unchanged. Either perturb a copy (`x.copy()`), or save
#   the element's value and put it back afterwards by *assignment*: undoing
#   `x[i] += h` with `x[i] -= h` does not always give back the same float.
# - Between elements, restore the element you moved: otherwise every later element is
#   evaluated at a shifted point.
#
# **A case to check by hand:** $f(x) = \sum_i x_i^2 + \left(\sum_i x_i\right)^2$ has
# $\partial f / \partial x_i = 2 x_i + 2 \sum_j x_j$. For
# $x = \begin{pmatrix} 0.5 & -1 & 2 \\ 1 & 0 & -0.5 \end{pmatrix}$, $\sum_j x_j = 2$,
# so the gradient is $2x + 4 = \begin{pmatrix} 5 & 2 & 8 \\ 6 & 4 & 3 \end{pmatrix}$.
# Since $f$ is quadratic, $f''' = 0$ and the central difference has no truncation error:
# you should get these numbers up to round-off (about $10^{-10}$). The forward
# difference would be off by $2h$ in every entry.
#
# **Exercise 1 (4 points).** Write `numerical_gradient(f, x, h=1e-5)`.

# %% nbgrader={"grade": false, "grade_id": "numerical_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function at x.

    f: function taking an array of the shape of x and returning a float
    x: float array of any shape, the point; it must be unchanged afterwards
    h: the step, a float
    returns: array of the shape of x; entry i is (f(x + h e_i) - f(x - h e_i)) / (2 h)
    """
    ### BEGIN SOLUTION
    work = x.copy()  # perturb a copy: x itself is never written
    grad = np.zeros_like(work)
    for i in np.ndindex(work.shape):
        original = work[i]
        work[i] = original + h
        f_plus = f(work)
        work[i] = original - h
        f_minus = f(work)
        work[i] = original  # restore before moving on to the next element
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_numerical_gradient", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example


def bowl(x):
    """Sum of squares plus the square of the sum: gradient 2 x + 2 sum(x)."""
    return np.sum(x ** 2) + np.sum(x) ** 2


x = np.array([[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]])  # sum(x) = 2
check_example("numerical_gradient", numerical_gradient, (bowl, x),
              expected=np.array([[5.0, 2.0, 8.0], [6.0, 4.0, 3.0]]))
print("numerical_gradient: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_numerical_gradient_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example


def cubes(x):
    """Sum of cubes plus the square of the sum: gradient 3 x^2 + 2 sum(x). The central
    difference gives 3 x^2 + h^2 + 2 sum(x): exact for the square, off by h^2 for the cubes."""
    return np.sum(x ** 3) + np.sum(x) ** 2


# A 3-D x and a large step h = 0.1, so that the truncation error h^2 = 0.01 shows.
x = np.array([[[1.0, -2.0]], [[0.0, 3.0]], [[0.5, -1.0]]])  # shape (3, 1, 2), sum(x) = 1.5
check_example("numerical_gradient", numerical_gradient, (cubes, x), kwargs={"h": 0.1},
              expected=np.array([[[6.01, 15.01]], [[3.01, 30.01]], [[3.76, 6.01]]]))
# The hidden tests below run when your notebook is graded: other functions, shapes and steps.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(201)
c = rng.normal(size=(4, 3))


def wavy(x):  # not a polynomial, and every element interacts with every other
    return np.sum(np.sin(x) * c) + 0.1 * np.sum(x) ** 2 + np.log1p(np.sum(x ** 2))


check_reference("numerical_gradient", numerical_gradient, (wavy, rng.normal(size=(4, 3))))
check_reference("numerical_gradient", numerical_gradient, (wavy, rng.normal(size=(4, 3))),
                kwargs={"h": 1e-3})
W = rng.normal(size=(5, 2))


def softplus_layer(x):  # x of shape (3, 5)
    return np.sum(np.logaddexp(0.0, x @ W))


check_reference("numerical_gradient", numerical_gradient, (softplus_layer, rng.normal(size=(3, 5))),
                kwargs={"h": 1e-2})
check_reference("numerical_gradient", numerical_gradient, (softplus_layer, rng.normal(size=(3, 5))))
v = rng.normal(size=(2, 3, 4))


def tangled(x):  # x of shape (2, 3, 4)
    return np.sum(np.tanh(x) * v) + np.sum(x[0] * x[1]) / 4


check_reference("numerical_gradient", numerical_gradient, (tangled, rng.normal(size=(2, 3, 4))),
                kwargs={"h": 1e-4})
check_reference("numerical_gradient", numerical_gradient, (lambda x: np.exp(x[0]), np.array([0.3])))
### END HIDDEN TESTS
print("numerical_gradient: the 3-D example with h = 0.1 passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "numerical_gradient_demo_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Your function can now check the hand computation of section 3: the gradient of
# $f = (x y)(x + y)$ at $(x, y) = (2, 3)$ should be $(21, 16)$.

# %% nbgrader={"grade": false, "grade_id": "numerical_gradient_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
def worked_f(v):
    x, y = v
    return (x * y) * (x + y)


print("numerical gradient at (2, 3):", numerical_gradient(worked_f, np.array([2.0, 3.0])))

# %% [markdown] nbgrader={"grade": false, "grade_id": "rel_error_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6. When do two gradients agree?
#
# A gradient check compares an **analytic** gradient (the chain rule's) with a
# **numerical** one. They will never be exactly equal, so we need one number that says
# how far apart they are. The absolute difference $|a - b|$ is a poor choice: $10^{-6}$
# is a negligible difference between gradients of size $10^{3}$ but a huge one between
# gradients of size $10^{-6}$. The **relative error** is scale-free:
#
# $$
# \mathrm{rel\_error}(a, b) = \max_i \frac{|a_i - b_i|}{\max\left(10^{-8},\ |a_i| + |b_i|\right)}.
# $$
#
# - Each entry is between 0 (equal) and 1 (opposite signs, or one of them 0).
# - The **max** over the entries, not the mean: one wrong entry among a thousand right
#   ones is still a bug, and a mean would hide it.
# - The **floor** $10^{-8}$: the denominator is $\max(10^{-8}, |a_i| + |b_i|)$, so
#   wherever $|a_i| + |b_i|$ is below $10^{-8}$ (both values essentially 0: a saturated
#   neuron, say), $|a_i - b_i|$ is divided by $10^{-8}$ instead of by $|a_i| + |b_i|$.
#   Without the floor two zeros would give $0/0$ = `nan`, and $10^{-12}$ against
#   $-10^{-12}$ would count as opposite (a ratio of 1); with it, that ratio is
#   $2 \times 10^{-12} / 10^{-8} = 2 \times 10^{-4}$: two tiny values count as close.
#
# **What to expect.** With the central difference, $h = 10^{-5}$ and well-scaled inputs
# (values around 1, no kinks), a correct gradient gives a relative error of about
# $10^{-7}$ or smaller, typically $10^{-9}$ to $10^{-11}$. A relative error of about
# $10^{-2}$ or more means a bug: a missing factor, a wrong sign, a forgotten path. In
# between, look closer: inputs on a very large or small scale, a kink such as ReLU's at 0,
# or a step $h$ too large or too small (the widget above shows both ends).
#
# **A case to check by hand:** for $a = \begin{pmatrix} 1 & 3 & 0 \\ 10 & 1 & -1 \end{pmatrix}$
# and $b = \begin{pmatrix} 1 & 1 & 0 \\ 8 & 4 & -2 \end{pmatrix}$ the entries are
# $0$, $\frac{2}{4}$, $\frac{0}{10^{-8}} = 0$, $\frac{2}{18}$, $\frac{3}{5}$ and
# $\frac{1}{3}$, so the relative error is $0.6$.
#
# **Exercise 2 (3 points).** Write `rel_error(a, b)`. No loops: `np.abs` and
# `np.maximum` work elementwise, `np.max` finds the largest entry.

# %% nbgrader={"grade": false, "grade_id": "rel_error", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rel_error(a, b):
    """Largest elementwise relative error between a and b.

    a, b: arrays of the same shape (or floats)
    returns: a float, max over entries of |a - b| / max(1e-8, |a| + |b|)
    """
    ### BEGIN SOLUTION
    ratios = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))  # elementwise, in [0, 1]
    return float(np.max(ratios))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_rel_error", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

a = np.array([[1.0, 3.0, 0.0], [10.0, 1.0, -1.0]])
b = np.array([[1.0, 1.0, 0.0], [8.0, 4.0, -2.0]])
check_example("rel_error", rel_error, (a, b), expected=0.6)
print("rel_error: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_rel_error_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# Entries: 1e-9 / 1e-8 = 0.1 (both tiny: the floor), 0 (both 0), 4 / 4 = 1 (opposite signs).
check_example("rel_error", rel_error, (np.array([[1e-9, 0.0, -2.0]]), np.array([[0.0, 0.0, 2.0]])),
              expected=1.0)
# Two floats, both 0: equal, so 0 (not nan).
check_example("rel_error", rel_error, (0.0, 0.0), expected=0.0)
# The hidden tests below run when your notebook is graded: random and extreme inputs.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(202)
a = rng.normal(size=(3, 5))
check_reference("rel_error", rel_error, (a, a + 1e-6 * rng.normal(size=(3, 5))))
check_reference("rel_error", rel_error, (rng.normal(size=(4, 2)), rng.normal(size=(4, 2))))
z = rng.normal(size=(2, 3, 4))
z[0] = 0.0
check_reference("rel_error", rel_error, (z, z * (1 + 1e-3 * rng.normal(size=(2, 3, 4)))))
check_reference("rel_error", rel_error, (np.zeros((2, 3)), np.zeros((2, 3))))
check_reference("rel_error", rel_error, (1e-9 * rng.normal(size=(2, 3)), 1e-9 * rng.normal(size=(2, 3))))
check_reference("rel_error", rel_error, (np.array([3.0, -1e-3, 5.0]), np.array([3.0, 1e-3, 5.0])))
check_reference("rel_error", rel_error, (2.5, -1.5))
### END HIDDEN TESTS
print("rel_error: the floor and opposite signs pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "neuron_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7. One neuron, by the chain rule
#
# Now a real use. One sigmoid neuron with weights $w$ (shape $(D,)$) and bias $b$ sees
# one input $x$ (shape $(D,)$) whose target is $y$, and is scored by the squared error:
#
# $$
# z = x \cdot w + b = \sum_{d=1}^{D} x_d w_d + b, \qquad a = \sigma(z), \qquad \mathcal{L} = \tfrac{1}{2}(a - y)^2 .
# $$
#
# As a graph: $w, b \to z \to a \to \mathcal{L}$, a chain. The local derivatives are
#
# - $\dfrac{\partial \mathcal{L}}{\partial a} = a - y$ (the $\tfrac{1}{2}$ cancels the 2 from the square),
# - $\dfrac{da}{dz} = \sigma'(z) = \sigma(z)\,(1 - \sigma(z)) = a\,(1 - a)$. (Derivation:
#   $\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}}
#   = \sigma(z)\,(1 - \sigma(z))$.)
# - $\dfrac{\partial z}{\partial w_d} = x_d$ and $\dfrac{\partial z}{\partial b} = 1$.
#
# Multiplying along the chain, with the shared part computed once:
#
# $$
# \frac{\partial \mathcal{L}}{\partial z} = (a - y)\,a\,(1 - a), \qquad
# \frac{\partial \mathcal{L}}{\partial w} = \frac{\partial \mathcal{L}}{\partial z}\, x, \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \frac{\partial \mathcal{L}}{\partial z}.
# $$
#
# **Watch the argument of $\sigma'$.** The formula $a(1 - a)$ takes the neuron's
# *output* $a$, not its pre-activation $z$. A widely read tutorial on backpropagation
# defines `sigmoid_derivative(x)` as `x * (1 - x)`: that is correct only if you pass it the
# output, despite the name `x`. Computing $z (1 - z)$ is a classic bug, and so is the
# opposite slip, `sigmoid(a) * (1 - sigmoid(a))`: it applies the sigmoid a second time,
# to a number that is already its output, and so gives the slope at the point $a$
# instead of at $z$.
#
# **A case to check by hand:** $x = (1, 2, -1)$, $w = (0.5, -0.5, -0.5)$, $b = 0$,
# $y = 1$. Then $z = 0.5 - 1 + 0.5 = 0$, $a = \sigma(0) = 0.5$ and
# $\mathcal{L} = \tfrac{1}{2}(0.5 - 1)^2 = 0.125$. Backward: $\partial \mathcal{L} / \partial a = -0.5$,
# $da/dz = 0.5 \cdot 0.5 = 0.25$, so $\partial \mathcal{L} / \partial z = -0.125$,
# $\partial \mathcal{L} / \partial w = -0.125\,x = (-0.125, -0.25, 0.125)$ and
# $\partial \mathcal{L} / \partial b = -0.125$. The negative signs say that increasing $b$, $w_1$
# or $w_2$ would lower the loss: it would push $a$ up, towards the target 1.
#
# **Exercise 3 (4 points).** Write `neuron_gradients(x, w, b, y)`, returning
# `(loss, dw, db)`. Use `sigmoid`, lesson 01's function, imported at the top of this
# notebook (it is the course's version, so a slip in lesson 01 cannot cost you here).
# No loops.

# %% nbgrader={"grade": false, "grade_id": "neuron_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def neuron_gradients(x, w, b, y):
    """Loss of one sigmoid neuron on one sample and its gradients, by the chain rule.

    x: array of shape (D,), the input
    w: array of shape (D,), the weights
    b: float, the bias
    y: float, the target
    returns: (loss, dw, db): loss = 0.5 * (sigmoid(x @ w + b) - y) ** 2 as a float,
        dw = dloss/dw of shape (D,), db = dloss/db as a float
    """
    ### BEGIN SOLUTION
    z = x @ w + b  # (D,) @ (D,) -> a scalar
    a = sigmoid(z)
    loss = 0.5 * (a - y) ** 2
    dz = (a - y) * a * (1 - a)  # dloss/da * da/dz
    return loss, dz * x, dz  # dz/dw = x, dz/db = 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_neuron_gradients", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

x = np.array([1.0, 2.0, -1.0])
w = np.array([0.5, -0.5, -0.5])
check_example("neuron_gradients", neuron_gradients, (x, w, 0.0, 1.0),
              expected=(0.125, np.array([-0.125, -0.25, 0.125]), -0.125))
print("neuron_gradients: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_neuron_gradients_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# w = 0 and b = ln 3: z = ln 3, a = 0.75; target 0: loss 0.5 * 0.75^2 = 0.28125,
# dloss/dz = 0.75 * 0.75 * 0.25 = 0.140625.
x = np.array([2.0, -1.0, 0.5, 4.0])
check_example("neuron_gradients", neuron_gradients, (x, np.zeros(4), float(np.log(3)), 0.0),
              expected=(0.28125, np.array([0.28125, -0.140625, 0.0703125, 0.5625]), 0.140625))
# The hidden tests below run when your notebook is graded: random neurons and a saturated one.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(203)
for d, y in [(5, 0.3), (1, 1.0), (8, 0.0), (3, 0.9)]:
    check_reference("neuron_gradients", neuron_gradients,
                    (rng.normal(size=d), rng.normal(size=d), float(rng.normal()), y))
# The patient of lesson 01, unscaled: z = 49, the sigmoid is saturated and the gradients vanish.
check_reference("neuron_gradients", neuron_gradients,
                (np.array([45.0, 80.0, 200.0]), np.array([0.1, -0.2, 0.3]), 0.5, 0.0))
check_reference("neuron_gradients", neuron_gradients,
                (np.array([0.4, -1.2]), np.array([-3.0, 2.0]), -1.5, 1.0))
### END HIDDEN TESTS
print("neuron_gradients: the second example passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "gradient_check_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8. Gradient-check your neuron
#
# Now put the three functions together, as you will for every backward pass in this
# course. To check $\partial \mathcal{L} / \partial w$, write the loss as a function of $w$ alone
# (the other arguments held fixed) and hand it to `numerical_gradient`; for $b$, do the
# same with a one-element array. Then compare with `rel_error`.
#
# **Exercise 4 (not graded).** Run the cell below and read the relative errors. Going by
# section 6, do they say your `neuron_gradients` is right? Then look at the next line: a
# gradient with the sigmoid's derivative forgotten. Which verdict does the check give it?
# The last lines repeat the check of the correct `dw` with the steps $h = 10^{-1}$ and
# $h = 10^{-9}$: what happens to the relative error, and why? (Section 4 has the answer.)
# The cell after it is yours: change the steps in its list (try $10^{-3}$, $10^{-7}$,
# $10^{-12}$) and run it again. Which step gives the smallest error? Nothing in that cell
# earns or costs points, and you can add cells of your own anywhere (select a cell, press
# `Esc` and then `B`, or use the **+** button in the toolbar).

# %% nbgrader={"grade": false, "grade_id": "gradient_check_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
rng = np.random.default_rng(0)
x, w, b, y = rng.normal(size=5), rng.normal(size=5), 0.3, 1.0

loss, dw, db = neuron_gradients(x, w, b, y)
dw_numerical = numerical_gradient(lambda w_: neuron_gradients(x, w_, b, y)[0], w)
db_numerical = numerical_gradient(lambda b_: neuron_gradients(x, w, b_[0], y)[0], np.array([b]))
print(f"your dw: relative error {rel_error(dw, dw_numerical):.1e}")
print(f"your db: relative error {rel_error(db, db_numerical[0]):.1e}")

a = sigmoid(x @ w + b)
dw_buggy = (a - y) * x  # the factor a * (1 - a) forgotten
print(f"a buggy dw: relative error {rel_error(dw_buggy, dw_numerical):.1e}")

for h in [1e-1, 1e-9]:  # the correct dw against numerical gradients with other steps
    dw_other_h = numerical_gradient(lambda w_: neuron_gradients(x, w_, b, y)[0], w, h=h)
    print(f"your dw, numerical gradient with h = {h:.0e}: relative error {rel_error(dw, dw_other_h):.1e}")

# %% nbgrader={"grade": false, "grade_id": "your_own_steps", "locked": false, "schema_version": 3, "solution": false, "task": false}
# Your cell: edit the steps and run it again (it earns or costs no points).
for h in [1e-1, 1e-5, 1e-9]:
    dw_h = numerical_gradient(lambda w_: neuron_gradients(x, w_, b, y)[0], w, h=h)
    print(f"h = {h:.0e}: relative error {rel_error(dw, dw_h):.1e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "saturated_check_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### A check that proves little
#
# Lesson 01's patient, with unscaled inputs (age 45, heart rate 80, cholesterol 200),
# has $z = 49$: the sigmoid is saturated, $a = 1 - 5.2 \times 10^{-22}$ rounds to exactly
# 1, and $a(1 - a)$ is computed as 0. So the gradient `neuron_gradients` computes is exactly
# 0, although the true one is not: it is about $5.2 \times 10^{-22}\,x$, between
# $2 \times 10^{-20}$ and $1.1 \times 10^{-19}$. The numerical gradient is 0 as well: moving a weight by $10^{-5}$ moves $z$ by
# at most $2 \times 10^{-3}$, $a$ still rounds to 1, and the loss does not change in any
# digit. Only the floor in `rel_error` keeps the
# check from computing $0/0$ = `nan`; it reports 0, a pass. But a gradient with its sign
# flipped, $(y - a)\,a\,(1 - a)\,x$, is 0 here too, and passes just as well. Where the
# gradients vanish, a gradient check cannot tell right from wrong: check at well-scaled
# inputs, where the gradients are of a decent size.

# %% nbgrader={"grade": false, "grade_id": "saturated_check_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
patient = np.array([45.0, 80.0, 200.0])
w_patient = np.array([0.1, -0.2, 0.3])
loss, dw, db = neuron_gradients(patient, w_patient, 0.5, 0.0)
dw_numerical = numerical_gradient(lambda w_: neuron_gradients(patient, w_, 0.5, 0.0)[0], w_patient)
print("loss:", loss, " dw:", dw, " numerical dw:", dw_numerical)
print(f"your dw: relative error {rel_error(dw, dw_numerical):.1e}")

a = sigmoid(patient @ w_patient + 0.5)
dw_sign_flipped = (0.0 - a) * a * (1 - a) * patient  # (y - a) instead of (a - y), with y = 0
print(f"a dw with the wrong sign: relative error {rel_error(dw_sign_flipped, dw_numerical):.1e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - A computational graph splits a formula into simple nodes with easy **local
#   derivatives**. Forward, compute the values; backward, starting from 1 at the output,
#   multiply by local derivatives.
# - **Chain rule:** along a path, multiply; over several paths, **add**. A value used in
#   several places collects a term from each.
# - The **central difference** $\frac{f(x + h) - f(x - h)}{2h}$ has a truncation error
#   proportional to $h^2$, the forward difference one proportional to $h$; round-off adds
#   about $\varepsilon |f| / h$, so smaller $h$ is not always better. Best steps: about
#   $10^{-5}$ (central) and $10^{-8}$ (forward).
# - A **gradient check** compares the analytic gradient with the numerical one by their
#   relative error: about $10^{-7}$ or less is right, about $10^{-2}$ or more is a bug.
# - For a sigmoid neuron with squared error, $\partial \mathcal{L} / \partial z = (a - y)\,a\,(1 - a)$,
#   then $\partial \mathcal{L} / \partial w = \partial \mathcal{L} / \partial z \cdot x$ and
#   $\partial \mathcal{L} / \partial b = \partial \mathcal{L} / \partial z$.
#
# Next, lesson 03: the same chain rule, layer by layer, through a whole network.
