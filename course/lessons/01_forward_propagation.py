# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Lesson 01: Forward propagation
#
# A neural network turns an input into an output by repeating one small computation,
# layer after layer. Running that computation from the input to the output is called
# **forward propagation**. By the end of this lesson you will have written it yourself:
#
# 1. `dense_forward(x, W, b)`: one layer for a whole batch of inputs,
# 2. `sigmoid(z)`: an activation function that never overflows,
# 3. `mlp_forward(x, weights, biases)`: a whole network, keeping every layer's output.
#
# **How this notebook works.** Run the cells from top to bottom (Shift+Enter). Cells that
# say `# YOUR CODE HERE` are yours: replace `raise NotImplementedError()` with your code.
# The cell after each of them tests your function; if a test fails, its message says what
# went wrong and on which input. When the graders mark your notebook they also run hidden
# tests on other inputs, so make your function correct, not just the example. Click
# **Validate** in the toolbar to run every test at once before you submit.
#
# **Each answer cell is graded on its own**, in a fresh Python with `np` (NumPy) and the
# course's functions from earlier lessons available. So everything your function needs
# (another import, a helper function of your own) must be inside its answer cell, and it
# may not use the course's own solution of the exercise.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from helpers.display import show
from helpers.plots.forward import sigmoid_saturation
from helpers.widgets.forward import neuron_explorer

# %% [markdown] nbgrader={"grade": false, "grade_id": "neuron", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1. One neuron
#
# A neuron receives $D$ numbers $x_1, \dots, x_D$. It multiplies each by a **weight**,
# adds the products and a **bias** $b$, and passes the sum through an **activation
# function** $f$:
#
# $$
# z = w_1 x_1 + w_2 x_2 + \dots + w_D x_D + b = \sum_{d=1}^{D} w_d x_d + b,
# \qquad a = f(z).
# $$
#
# $z$ is the **pre-activation** and $a$ the neuron's **output** (its activation). In
# words: *output = activation(weight × input + bias)*. The weights say how much each input
# matters and in which direction; the bias shifts the point where the neuron switches on.
#
# A common activation is the **sigmoid** (also called the logistic function):
#
# $$
# \sigma(z) = \frac{1}{1 + e^{-z}}.
# $$
#
# It squashes any real number into the interval $(0, 1)$, so its output can be read as a
# probability. A few values you can check by hand: $\sigma(0) = \frac{1}{1 + 1} = 0.5$;
# $\sigma(\ln 3) = \frac{1}{1 + 1/3} = 0.75$; and $\sigma(-z) = 1 - \sigma(z)$, so
# $\sigma(-\ln 3) = 0.25$. For large positive $z$ it approaches 1, for large negative $z$
# it approaches 0.

# %% [markdown] nbgrader={"grade": false, "grade_id": "patient_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Worked example: a patient
#
# A neuron is to estimate whether a patient has a disease from three measurements: age 45,
# heart rate 80 and cholesterol 200. Its weights are $0.1$, $-0.2$ and $0.3$ and its bias
# is $0.5$:
#
# $$
# z = 0.1 \cdot 45 + (-0.2) \cdot 80 + 0.3 \cdot 200 + 0.5 = 4.5 - 16 + 60 + 0.5 = 49.
# $$
#
# $\sigma(49) = 1 - 5.2 \times 10^{-22}$: to double precision, exactly 1. The neuron is
# **saturated**: it answers "certainly ill", and, worse, nudging any weight barely changes
# its output. The slope of the sigmoid, $\sigma(z)\,(1 - \sigma(z))$, is about
# $5 \times 10^{-22}$ at $z = 49$, and in lesson 03 you will see that learning is driven
# by exactly that slope. Nothing is wrong with the weights; the inputs are on scales (tens,
# hundreds) far larger than the sigmoid's working range of a few units around 0.
#
# The cure is to **standardise** each input feature: subtract its mean over the
# population and divide by its standard deviation, so that every feature is a few units
# around 0. With illustrative population figures (age $50 \pm 15$, heart rate
# $75 \pm 12$, cholesterol $190 \pm 35$), the same patient becomes
# $\left(\frac{45 - 50}{15}, \frac{80 - 75}{12}, \frac{200 - 190}{35}\right)
# \approx (-0.33, 0.42, 0.29)$ and the same neuron gives $z \approx 0.47$, in the range
# where the sigmoid responds. The cell below computes both pre-activations; once you have
# written the sigmoid (section 3), a plot shows where each of them lands on it.

# %% nbgrader={"grade": false, "grade_id": "patient_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
patient = np.array([45.0, 80.0, 200.0])  # age, heart rate, cholesterol
w = np.array([0.1, -0.2, 0.3])
b = 0.5

z_raw = patient @ w + b
population_mean = np.array([50.0, 75.0, 190.0])
population_std = np.array([15.0, 12.0, 35.0])
z_standardised = (patient - population_mean) / population_std @ w + b
print(f"raw inputs:          z = {z_raw:.4f}")
print(f"standardised inputs: z = {z_standardised:.4f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "misconception", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### A misconception: forward propagation does not learn
#
# You may read that forward propagation "updates the network's weights". It does not.
# Forward propagation only **computes**: it reads the inputs, weights and biases and
# produces outputs; every weight is the same afterwards as before. Learning is a separate
# step that comes later in this course: backpropagation (lesson 03) computes how the loss
# changes with each weight, and an optimizer (lesson 07) then changes the weights. The
# cell below checks it on the patient: the weights are identical after the forward pass.

# %% nbgrader={"grade": false, "grade_id": "misconception_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
weights_before = w.copy()
prediction = 1 / (1 + np.exp(-(patient @ w + b)))  # a forward pass
print("prediction:", prediction)
print("weights unchanged by the forward pass:", np.array_equal(w, weights_before))

# %% [markdown] nbgrader={"grade": false, "grade_id": "widget_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Explore: one neuron with two inputs
#
# The widget shows a neuron with inputs $x_1$ and $x_2$ as a picture: the colour at the
# point $(x_1, x_2)$ is the neuron's output there. The black **decision line** is where
# $w_1 x_1 + w_2 x_2 + b = 0$; for the sigmoid, that is where the output is exactly 0.5.
# Try these:
#
# - Set $w_2 = 0$. Why is the line vertical? Where does it cross the $x_1$ axis?
# - Change only $b$. The line moves but keeps its direction. Why?
# - Multiply both weights by 3 (and $b$ too). The line stays put, but the transition gets
#   sharper: the neuron becomes more "certain". What does that say about the patient?
# - Switch to `step` (1 where $z > 0$, 0 where $z < 0$, the threshold of the earliest
#   artificial neurons) or `identity`: the line is the same, only the colouring changes.
#
# (The widget computes the sigmoid as written, `1 / (1 + np.exp(-z))`. That formula is
# accurate, to within a few units in the last digit of a float64, as long as `np.exp(-z)`
# does not overflow, that is for $z$ above about $-709.78$ ($e^{709.78}$ is the largest
# float64, about $1.8 \times 10^{308}$). The widget's $z$ stays within $|z| \le 35$, far
# inside that range; section 3 is about the inputs outside it.)

# %% nbgrader={"grade": false, "grade_id": "widget", "locked": true, "schema_version": 3, "solution": false, "task": false}
neuron_explorer()

# %% [markdown] nbgrader={"grade": false, "grade_id": "layer", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2. A layer, for a whole batch
#
# A **layer** is $M$ neurons reading the same $D$ inputs. Put neuron $m$'s weights in
# column $m$ of a matrix $W$ of shape $(D, M)$ and its bias in $b_m$. We also process a
# **batch** of $N$ inputs at once, one per row of a matrix $x$ of shape $(N, D)$. Then all
# $N \times M$ pre-activations are one matrix product:
#
# $$
# z = x W + b, \qquad z_{nm} = \sum_{d=1}^{D} x_{nd} W_{dm} + b_m,
# $$
#
# with shapes $(N, D) \cdot (D, M) \to (N, M)$. The same bias vector $b$ of shape $(M,)$ is
# added to every row: NumPy's **broadcasting** does that when you write `x @ W + b`.
# This "batches are rows" orientation is the one every lesson of this course uses (many
# tutorials write the same product `np.dot(X, W)`).
#
# A small example to check by hand, with $N = 2$ inputs of $D = 3$ features and a layer of
# $M = 4$ neurons (three different sizes, so that a product taken the wrong way round
# cannot go unnoticed):
#
# $$
# x = \begin{pmatrix} 1 & 2 & 3 \\ 0 & -1 & 2 \end{pmatrix}, \quad
# W = \begin{pmatrix} 1 & 0 & 2 & 0 \\ 0 & 1 & 0 & -1 \\ 1 & -1 & 0 & 1 \end{pmatrix}, \quad
# b = (0.5, -1, 0, 2).
# $$
#
# Entry $(n, m)$ is row $n$ of $x$ against column $m$ of $W$, plus $b_m$. The first row
# gives $(1 + 0 + 3 + 0.5,\; 0 + 2 - 3 - 1,\; 2 + 0 + 0 + 0,\; 0 - 2 + 3 + 2) = (4.5, -2, 2, 3)$,
# the second $(0 + 0 + 2 + 0.5,\; 0 - 1 - 2 - 1,\; 0 + 0 + 0 + 0,\; 0 + 1 + 2 + 2) = (2.5, -4, 0, 5)$:
# the output has shape $(N, M) = (2, 4)$, one row per input.
#
# **Exercise 1 (3 points).** Write `dense_forward(x, W, b)`. One line of NumPy is enough;
# no loops.

# %% nbgrader={"grade": false, "grade_id": "dense_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def dense_forward(x, W, b):
    """Pre-activations of a dense layer for a batch.

    x: array of shape (N, D), one input per row
    W: array of shape (D, M), one column per neuron
    b: array of shape (M,)
    returns: array of shape (N, M), x @ W + b
    """
    ### BEGIN SOLUTION
    return x @ W + b  # (N, D) @ (D, M) -> (N, M); b is added to every row
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# N = 2, D = 3, M = 4; the sums are worked out in the text above.
x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
W = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 0.0, -1.0], [1.0, -1.0, 0.0, 1.0]])
b = np.array([0.5, -1.0, 0.0, 2.0])
check_example("dense_forward", dense_forward, (x, W, b),
              expected=np.array([[4.5, -2.0, 2.0, 3.0], [2.5, -4.0, 0.0, 5.0]]))
print("dense_forward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_dense_forward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One input, one neuron: 2*1 + (-1)*2 + 0.5*4 + 3*0 + 10 = 12.
check_example("dense_forward", dense_forward,
              (np.array([[2.0, -1.0, 0.5, 3.0]]), np.array([[1.0], [2.0], [4.0], [0.0]]), np.array([10.0])),
              expected=np.array([[12.0]]))
# The hidden tests below run when your notebook is graded: more shapes, random inputs.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(101)
for n, d, m in [(4, 3, 5), (1, 6, 2), (7, 1, 3), (5, 8, 1)]:
    check_reference("dense_forward", dense_forward,
                    (rng.normal(size=(n, d)), rng.normal(size=(d, m)), rng.normal(size=m)))
### END HIDDEN TESTS
print("dense_forward: a batch of one passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "stable_sigmoid", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3. A sigmoid that never overflows
#
# Written as it stands, `1 / (1 + np.exp(-z))` has a problem. A float64 holds numbers up
# to about $1.8 \times 10^{308}$, and $e^{710}$ is larger than that. So for $z = -1000$,
# `np.exp(1000)` **overflows**: NumPy returns `inf` and emits a `RuntimeWarning`. Here
# `1 / (1 + inf)` happens to give the right answer, 0, but a warning during training is
# noise at best, and the same kind of overflow in other formulas gives `nan`: try
# `np.exp(1000) / (1 + np.exp(1000))`.
#
# The way out is to only ever exponentiate numbers that are $\le 0$, since $e^{u}$ lies in
# $(0, 1]$ for $u \le 0$. Two forms of the sigmoid are equal for every $z$ (multiply the
# top and bottom of the first by $e^{z}$ to get the second):
#
# $$
# \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}.
# $$
#
# The first exponentiates $-z$, which is safe when $z \ge 0$; the second exponentiates
# $z$, which is safe when $z < 0$. Writing $t = e^{-|z|}$ (a number in $(0, 1]$, safe
# always; not to be confused with Euler's number $e$), both become
#
# $$
# \sigma(z) = \begin{cases} \dfrac{1}{1 + t} & z \ge 0, \\[2ex] \dfrac{t}{1 + t} & z < 0. \end{cases}
# $$
#
# **What "exact" can mean in floating point.** No float64 formula gives the true
# $\sigma(z)$, a real number, for every input; what this one guarantees is that its result
# is the true value rounded to float64, up to an error of a couple of units in the last
# digit (a relative error of a few times $10^{-16}$), for every float $z$, $\pm\infty$
# included: no `nan`, no warning. That includes the tiny values at the negative end, which
# a float64 holds down to about $5 \times 10^{-324}$ (below $2.2 \times 10^{-308}$ it
# keeps fewer digits, and there the error is at most half of that smallest step). For example
# $\sigma(-600) = \frac{e^{-600}}{1 + e^{-600}}$; in float64, $1 + e^{-600}$ rounds to 1,
# so the answer is $e^{-600} \approx 2.65 \times 10^{-261}$, not 0. Only below about
# $z = -745.13$ is the true value closer to 0 than to the smallest positive float64, so 0
# is then the right answer. (Clipping $z$ to a range such as $[-500, 500]$ before the
# textbook formula silences the overflow, but returns $\sigma(-500) \approx 7.1 \times
# 10^{-218}$ for every $z$ below $-500$: wrong by a factor of $10^{43}$ at $z = -600$.)
#
# One trap: `np.where(condition, A, B)` computes **both** `A` and `B` for every element
# before choosing, so `np.where(z >= 0, 1 / (1 + np.exp(-z)), ...)` still overflows. Make
# sure that what you pass to `np.where` is already safe.
#
# **Exercise 2 (3 points).** Write `sigmoid(z)` for an array `z` of any shape. For any
# float input, including $\pm 1000$ and the tiny values near $-600$, it must be accurate to
# a few units in the last digit, as above, and raise no warning.

# %% nbgrader={"grade": false, "grade_id": "sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise.

    z: array of any shape
    returns: array of the same shape, values in [0, 1], with no overflow warning
    """
    ### BEGIN SOLUTION
    t = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1 / (1 + t), t / (1 + t))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# sigmoid(ln 9) = 1 / (1 + 1/9) = 0.9; at +-1000 the answer rounds to 1 and 0; at -600 it
# is e^-600 / (1 + e^-600), and 1 + e^-600 rounds to 1 in float64 (see the text above).
z = np.array([[0.0, np.log(3), -np.log(3), np.log(9)], [1000.0, -1000.0, -600.0, 600.0]])
check_example("sigmoid", sigmoid, (z,),
              expected=np.array([[0.5, 0.75, 0.25, 0.9], [1.0, 0.0, np.exp(-600.0), 1.0]]))
print("sigmoid: the worked values pass, with no warning at +-1000 and e^-600 at -600.")

# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# The ends of float64: sigmoid(-750) = 1.9e-326 is below half the smallest positive
# float64 (4.9e-324), so 0; sigmoid(-700) = e^-700 / (1 + e^-700), and 1 + e^-700 rounds
# to 1, so e^-700 = 9.9e-305, a float64 like any other.
check_example("sigmoid", sigmoid, (np.array([-np.inf, -750.0, -700.0, 750.0, np.inf]),),
              expected=np.array([0.0, 0.0, np.exp(-700.0), 1.0, 1.0]))
# The hidden tests below run when your notebook is graded: random inputs and extremes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(102)
check_reference("sigmoid", sigmoid, (rng.normal(scale=5.0, size=(3, 7)),))
check_reference("sigmoid", sigmoid, (rng.normal(scale=300.0, size=(2, 3, 4)),))
extremes = np.array([-np.inf, -1e308, -1000.0, -745.2, -709.8, -37.0, -1e-300, -0.0,
                     0.0, 1e-300, 37.0, 709.8, 745.2, 1000.0, 1e308, np.inf])
check_reference("sigmoid", sigmoid, (extremes,))
check_reference("sigmoid", sigmoid, (extremes.reshape(2, 8),))
# The tiny results between -745 and -500, where clipping z or cancelling 1 + tanh(z / 2)
# loses them, and the range where digits cancel in 1 + tanh(z / 2).
tiny = np.array([-744.9, -740.0, -730.5, -720.0, -709.8, -708.5, -700.0, -650.0, -600.0,
                 -550.0, -500.5, -120.0, -40.0, -25.0])
check_reference("sigmoid", sigmoid, (tiny,))
check_reference("sigmoid", sigmoid, (rng.uniform(-745.0, -500.0, size=(4, 5)),))
### END HIDDEN TESTS
print("sigmoid: the extremes pass.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "patient_plot_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The patient on your sigmoid
#
# Back to the patient of section 1. The plot below draws your `sigmoid` (left) and its
# slope $\sigma(z)\,(1 - \sigma(z))$ (right, on a log scale) and marks the patient's two
# pre-activations. With raw inputs, $z = 49$ lies on the flat top of the curve, where the
# slope is about $5 \times 10^{-22}$; standardised, $z \approx 0.47$ lies in the middle,
# where the slope, about $0.24$, is close to its largest value $0.25$ (at $z = 0$).

# %% nbgrader={"grade": false, "grade_id": "patient_plot", "locked": true, "schema_version": 3, "solution": false, "task": false}
show(sigmoid_saturation({"patient, raw": z_raw, "patient, standardised": z_standardised},
                        logistic=sigmoid))

# %% [markdown] nbgrader={"grade": false, "grade_id": "network", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4. A whole network
#
# A network is layers in a row: each layer's output is the next layer's input. Write
# $a^{(0)} = x$ for the input. Layer $l = 1, \dots, L$ has weights $W_l$ and bias $b_l$
# and computes
#
# $$
# a^{(l)} = \sigma\!\left(a^{(l-1)} W_l + b_l\right),
# $$
#
# and the network's output is $a^{(L)}$. This is all forward propagation is: evaluate the
# layers in order. The shapes must chain: if $a^{(l-1)}$ has shape $(N, D_{l-1})$ then
# $W_l$ has shape $(D_{l-1}, D_l)$ and $a^{(l)}$ has shape $(N, D_l)$.
#
# **Counting from 1 in the maths, from 0 in the code.** The formulas number the layers
# $l = 1, \dots, L$; Python lists start at index 0. So $W_1$ and $b_1$ are `weights[0]` and
# `biases[0]`, and in general $W_l$ is `weights[l - 1]`. The list of activations starts
# with the input, so its indices do match the maths: `activations[l]` is $a^{(l)}$, and
# `activations[0]` is $a^{(0)} = x$.
#
# ### Worked example: a 3-2-1 network
#
# A popular introductory tutorial on neural networks feeds $x = (0.5, 0.2, 0.1)$ through a
# hidden layer of two tanh neurons
# and an output sigmoid neuron, with
# $W_1 = \begin{pmatrix} 0.4 & 0.3 \\ 0.2 & 0.7 \\ 0.6 & 0.5 \end{pmatrix}$,
# $W_2 = \begin{pmatrix} 0.8 \\ 0.6 \end{pmatrix}$ and no biases:
#
# - hidden pre-activations: $x W_1 = (0.2 + 0.04 + 0.06,\; 0.15 + 0.14 + 0.05) = (0.30, 0.34)$,
# - hidden outputs: $(\tanh 0.30, \tanh 0.34) \approx (0.2913, 0.3275)$,
# - output pre-activation: $0.8 \cdot 0.2913 + 0.6 \cdot 0.3275 \approx 0.4295$,
# - output: $\sigma(0.4295) \approx 0.6058$.
#
# The cell below does the same with your `dense_forward` and `sigmoid`. (Our
# `mlp_forward` below uses the sigmoid in every layer; the tutorial mixes tanh and sigmoid,
# which is just as valid. Lesson 04 compares activation functions.)

# %% nbgrader={"grade": false, "grade_id": "network_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
x_tutorial = np.array([[0.5, 0.2, 0.1]])  # a batch of one input, shape (1, 3)
W1 = np.array([[0.4, 0.3], [0.2, 0.7], [0.6, 0.5]])  # (3, 2)
W2 = np.array([[0.8], [0.6]])  # (2, 1)
no_bias_1, no_bias_2 = np.zeros(2), np.zeros(1)

hidden = np.tanh(dense_forward(x_tutorial, W1, no_bias_1))  # (1, 3) @ (3, 2) -> (1, 2)
output = sigmoid(dense_forward(hidden, W2, no_bias_2))  # (1, 2) @ (2, 1) -> (1, 1)
print("hidden layer:", hidden.round(4))
print("output:", output.round(4))

# %% [markdown] nbgrader={"grade": false, "grade_id": "mlp_exercise", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Why keep every layer's output?** To learn, a network must find out how its loss
# changes with each weight. In lesson 03 you will see that the gradient for $W_l$ needs
# $a^{(l-1)}$, the input that layer received. So the forward pass saves them all, and
# `mlp_forward` returns them in a list: `activations = [x, a1, ..., aL]`, the input first
# and the output last (the last entry *is* the returned output, not a copy of it).
#
# **Exercise 3 (4 points).** Write `mlp_forward(x, weights, biases)` for a network with a
# sigmoid after every layer. `weights` and `biases` are lists of the same length $L$; use
# your `dense_forward` and `sigmoid`. A loop over the layers is expected (a loop over
# samples is not). While `mlp_forward` is tested, the names `dense_forward` and `sigmoid`
# point at the course's reference versions, so a mistake in exercise 1 or 2 does not cost
# you points here a second time.
#
# A case to check by hand: a batch of $N = 2$ inputs with $3$ features, a hidden layer of
# $4$ neurons and one output. With
#
# $$
# x = \begin{pmatrix} 1 & 1 & 0 \\ 0 & 1 & 1 \end{pmatrix}, \quad
# W_1 = \begin{pmatrix} \ln 3 & 1 & -\ln 3 & 2 \\ 0 & -2 & 0 & -4 \\ -\ln 3 & 1 & \ln 3 & \ln 9 + 2 \end{pmatrix}, \quad
# b_1 = (0, 1, 0, 2),
# $$
#
# the first input's hidden pre-activations are row 1 plus row 2 of $W_1$, plus $b_1$:
# $(\ln 3, 0, -\ln 3, 0)$; the second input's are row 2 plus row 3, plus $b_1$:
# $(-\ln 3, 0, \ln 3, \ln 9)$. With $\sigma(\pm \ln 3) = 0.75, 0.25$,
# $\sigma(0) = 0.5$ and $\sigma(\ln 9) = 0.9$,
#
# $$
# a_1 = \begin{pmatrix} 0.75 & 0.5 & 0.25 & 0.5 \\ 0.25 & 0.5 & 0.75 & 0.9 \end{pmatrix}.
# $$
#
# With $W_2 = (2 \ln 3, 4, -2 \ln 3, 0)^\top$ and $b_2 = -2$, the first output
# pre-activation is $1.5 \ln 3 + 2 - 0.5 \ln 3 + 0 - 2 = \ln 3$ and the second
# $0.5 \ln 3 + 2 - 1.5 \ln 3 + 0 - 2 = -\ln 3$, so the outputs are $0.75$ and $0.25$:
# `out` has shape $(2, 1)$, one row per input.

# %% nbgrader={"grade": false, "grade_id": "mlp_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mlp_forward(x, weights, biases):
    """Forward pass of a network with a sigmoid after every layer.

    x: array of shape (N, D)
    weights: list of L arrays, weights[l] of shape (D_l, D_(l+1)), with D_0 = D
    biases: list of L arrays, biases[l] of shape (D_(l+1),)
    returns: (out, activations) where out has shape (N, D_L) and activations is the
        list [x, a1, ..., aL] of every layer's input and the output (activations[-1] is out)
    """
    ### BEGIN SOLUTION
    activations = [x]
    for W, b in zip(weights, biases):
        activations.append(sigmoid(dense_forward(activations[-1], W, b)))
    return activations[-1], activations
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mlp_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# A batch of two, 3 inputs, 4 hidden neurons, 1 output: worked out in the text above.
ln3 = np.log(3)
x = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
weights = [np.array([[ln3, 1.0, -ln3, 2.0], [0.0, -2.0, 0.0, -4.0], [-ln3, 1.0, ln3, np.log(9) + 2.0]]),
           np.array([[2 * ln3], [4.0], [-2 * ln3], [0.0]])]
biases = [np.array([0.0, 1.0, 0.0, 2.0]), np.array([-2.0])]
out = np.array([[0.75], [0.25]])
check_example("mlp_forward", mlp_forward, (x, weights, biases),
              expected=(out, [x, np.array([[0.75, 0.5, 0.25, 0.5], [0.25, 0.5, 0.75, 0.9]]), out]))
print("mlp_forward: the worked example passes.")

# %% nbgrader={"grade": true, "grade_id": "test_mlp_forward_more", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
from helpers.check import check_example

# One layer: with x = 0 every output is sigmoid(b) = sigmoid(ln 3) = 0.75.
x = np.zeros((2, 3))
out = np.array([[0.75], [0.75]])
check_example("mlp_forward", mlp_forward, (x, [np.array([[1.0], [-2.0], [3.0]])], [np.array([np.log(3)])]),
              expected=(out, [x, out]))
# The hidden tests below run when your notebook is graded: random networks of several shapes.
### BEGIN HIDDEN TESTS
from helpers.check import check_reference

rng = np.random.default_rng(103)
for sizes, n in [([4, 3, 5, 2], 6), ([7, 1], 3), ([2, 6, 6, 6, 3], 1), ([3, 8, 1], 9)]:
    weights = [rng.normal(size=(d_in, d_out)) for d_in, d_out in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=d_out) for d_out in sizes[1:]]
    check_reference("mlp_forward", mlp_forward, (rng.normal(size=(n, sizes[0])), weights, biases))
### END HIDDEN TESTS
print("mlp_forward: a one-layer network passes.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "saturation_network", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5. Saturation through a network
#
# Back to the patients. Below, 200 made-up patients go through a random 3-8-8-1 sigmoid
# network, once with raw measurements and once standardised. The histograms show each
# layer's outputs. With raw inputs the first hidden layer is pinned at 0 and 1, the
# saturated regime where the sigmoid's slope is almost zero; with standardised inputs the
# outputs spread over the middle of $(0, 1)$, where the neuron can still learn.

# %% nbgrader={"grade": false, "grade_id": "saturation_network_demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from helpers.plots.forward import layer_histograms

rng = np.random.default_rng(0)
patients = population_mean + population_std * rng.normal(size=(200, 3))
sizes = [3, 8, 8, 1]
net_weights = [rng.normal(size=(d_in, d_out)) for d_in, d_out in zip(sizes, sizes[1:])]
net_biases = [np.zeros(d_out) for d_out in sizes[1:]]

_, raw_activations = mlp_forward(patients, net_weights, net_biases)
_, standardised_activations = mlp_forward(
    (patients - population_mean) / population_std, net_weights, net_biases)
show(layer_histograms({"raw inputs": raw_activations[1:],
                       "standardised inputs": standardised_activations[1:]}))

# %% [markdown] nbgrader={"grade": false, "grade_id": "summary", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Summary
#
# - A neuron computes $a = f(w \cdot x + b)$; a layer does it for $M$ neurons and $N$
#   inputs at once with $x W + b$, shapes $(N, D) \cdot (D, M) \to (N, M)$.
# - The sigmoid maps any number into $(0, 1)$. Computed naively it overflows for large
#   negative inputs; exponentiating only $-|z|$ avoids that.
# - Large inputs saturate the sigmoid, where its slope is nearly zero: standardise the
#   features first.
# - Forward propagation evaluates the layers in order and keeps every activation. It
#   changes no weight; learning is backpropagation plus an optimizer step.
#
# Next, lesson 02: the chain rule, and how to check any derivative numerically.
