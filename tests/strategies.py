"""Hypothesis strategies shared by the tests of the reference implementations."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

dims = st.integers(min_value=1, max_value=6)
finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False, width=64)
any_float = st.floats(allow_nan=False, width=64)  # includes +-inf and +-1e308


def arrays(shape, elements=finite):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def dense_inputs(draw):
    n, d, m = draw(dims), draw(dims), draw(dims)
    return draw(arrays((n, d))), draw(arrays((d, m))), draw(arrays((m,)))


@st.composite
def networks(draw):
    """(x, weights, biases) of a network with 1 to 4 layers."""
    sizes = draw(st.lists(dims, min_size=2, max_size=5))
    n = draw(dims)
    small = st.floats(min_value=-5, max_value=5, width=64)
    x = draw(arrays((n, sizes[0]), small))
    weights = [draw(arrays((a, b), small)) for a, b in zip(sizes, sizes[1:])]
    biases = [draw(arrays((b,), small)) for b in sizes[1:]]
    return x, weights, biases
