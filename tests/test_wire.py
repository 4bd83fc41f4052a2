"""The wire codec (course/isolation/wire.py) gives back exactly what was sent: the same types,
the same values bit for bit (nan, -0.0 and huge ints included), the same shapes, dtypes
and sharing; and anything it does not carry comes back as an Unsupported that names it."""
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course.isolation import wire

DTYPES = st.sampled_from(["float64", "float32", "float16", "int64", "int32", "int8", "uint8",
                          "uint64", "bool", "complex128"])
arrays = DTYPES.flatmap(lambda dtype: hnp.arrays(
    dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    elements=None))
fortran = arrays.map(np.asfortranarray)
scalars = DTYPES.flatmap(lambda dtype: hnp.from_dtype(np.dtype(dtype))).map(
    lambda x: np.asarray(x)[()])
atoms = st.none() | st.booleans() | st.text(max_size=20) | st.integers() | st.floats() | scalars
values = st.recursive(
    atoms | arrays | fortran,
    lambda inner: (st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple)
                   | st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20)


def same(a, b):
    """Equal in type and value, bit for bit where it is a number."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return (a.dtype == b.dtype and a.shape == b.shape
                and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes())
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return math.copysign(1, a) == math.copysign(1, b) and (a == b or (a != a and b != b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


@given(values)
def test_every_carried_value_comes_back_the_same(value):
    assert same(wire.decode(wire.encode(value)), value)


@given(arrays)
def test_sharing_survives_the_trip(array):
    nested = [array]
    back = wire.decode(wire.encode({"out": array, "activations": [nested, array], "again": nested}))
    assert back["activations"][1] is back["out"] and back["again"] is back["activations"][0]


@given(st.integers(min_value=0, max_value=2 ** 64 - 1), st.sampled_from(wire.BIT_GENERATORS))
def test_a_generator_comes_back_in_the_same_state(seed, name):
    rng = np.random.Generator(getattr(np.random, name)(seed))
    rng.random(3)
    back = wire.decode(wire.encode(rng))
    assert type(back) is np.random.Generator and back is not rng
    assert np.array_equal(back.random(5), rng.random(5))


class Lying:
    def __eq__(self, other):
        return True


def test_what_is_not_carried_comes_back_named():
    sent = [Lying(), np.arange(3).view(np.matrix), np.array([object()]), {1: "int key"},
            np.random.default_rng(0).bit_generator]
    back = wire.decode(wire.encode(sent))
    assert all(isinstance(item, wire.Unsupported) for item in back)
    assert "Lying" in back[0].description and "ndarray subclass" in back[1].description
    assert "dtype object" in back[2].description


def test_nesting_deeper_than_the_limit_is_cut_off_not_followed():
    deep = []
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    back = wire.decode(wire.encode(deep))
    for _ in range(wire.MAX_DEPTH + 1):  # levels 0 to MAX_DEPTH are carried
        assert isinstance(back, list)
        back = back[0]
    assert isinstance(back, wire.Unsupported)
