"""A strict encoding for values that cross from a sandbox to the grader.

Pickle would let the sandbox run code in the grader, so results come back as JSON plus
raw ndarray bytes (``np.save`` with ``allow_pickle=False``). Only plain ndarrays of
numeric or boolean dtype, Python and NumPy scalars, str, None, tuples, lists and dicts
with str keys are encoded as themselves, and a ``numpy.random.Generator`` as the state
of its bit generator (one of NumPy's own), rebuilt on the other side; anything else (an
ndarray subclass, an object with its own ``__eq__``, an object array) becomes an
:class:`Unsupported` that names its type, so that the grader reports it instead of
comparing it. An object that occurs twice is encoded once, so identity
(``activations[-1] is out``) survives the trip.
"""
import base64
import io
import json
import struct
from typing import Any

import numpy as np

MAX_DEPTH = 50
# The bit generators whose state may cross: NumPy's own, rebuilt by name.
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Unsupported:
    """Stands in for a value the sandbox returned that the grader will not compare."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<{self.description}>"

    def course_kind(self) -> str:  # helpers.proxy.Described: what the harness says was returned
        return self.description


def encode(value: object) -> bytes:
    memo: dict[int, int] = {}  # id of a value encoded -> its number on the wire
    return json.dumps(_encode(value, memo, 0)).encode()


def _encode(value: Any, memo: dict[int, int], depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        return {"t": "unsupported", "d": "a structure nested too deeply"}
    if value is None or type(value) in (bool, str):
        return {"t": "atom", "v": value}
    if type(value) is int:
        return {"t": "int", "v": str(value)}
    if type(value) is float:
        return {"t": "float", "v": _float(value)}
    if isinstance(value, np.generic) and type(value) in _SCALARS:
        return {"t": "npscalar", "dtype": value.dtype.str, "v": _array_bytes(np.asarray(value))}
    key = id(value)
    if key in memo:
        return {"t": "ref", "id": memo[key]}
    if type(value) is np.ndarray:
        if value.dtype.kind not in "biufc":
            return {"t": "unsupported", "d": f"an ndarray of dtype {value.dtype}"}
        memo[key] = len(memo)
        return {"t": "array", "id": memo[key], "v": _array_bytes(value)}
    if type(value) is np.random.Generator:
        state = value.bit_generator.state
        if state.get("bit_generator") not in BIT_GENERATORS:
            return {"t": "unsupported", "d": f"a Generator of bit generator {state.get('bit_generator')}"}
        memo[key] = len(memo)
        return {"t": "generator", "id": memo[key], "v": _encode(state, memo, depth + 1)}
    if type(value) in (tuple, list):
        memo[key] = len(memo)
        return {"t": type(value).__name__, "id": memo[key],
                "v": [_encode(v, memo, depth + 1) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        memo[key] = len(memo)
        return {"t": "dict", "id": memo[key],
                "v": {k: _encode(v, memo, depth + 1) for k, v in value.items()}}
    return {"t": "unsupported", "d": _describe(value)}


def decode(data: bytes) -> Any:
    return _decode(json.loads(data.decode()), {})


def _decode(node: dict[str, Any], memo: dict[int, Any]) -> Any:
    kind = node["t"]
    if kind == "atom":
        return node["v"]
    if kind == "int":
        return int(node["v"])
    if kind == "float":
        return struct.unpack("<d", bytes.fromhex(node["v"]))[0]
    if kind == "npscalar":
        return _array_from(node["v"])[()]
    if kind == "ref":
        return memo[node["id"]]
    if kind == "array":
        memo[node["id"]] = _array_from(node["v"])
        return memo[node["id"]]
    if kind in ("tuple", "list"):
        items: list[Any] = []
        if kind == "list":
            memo[node["id"]] = items
        result = [_decode(v, memo) for v in node["v"]]
        if kind == "tuple":
            memo[node["id"]] = tuple(result)
            return memo[node["id"]]
        items.extend(result)
        return items
    if kind == "dict":
        mapping: dict[str, Any] = {}
        memo[node["id"]] = mapping
        mapping.update({k: _decode(v, memo) for k, v in node["v"].items()})
        return mapping
    if kind == "generator":
        memo[node["id"]] = generator_from(_decode(node["v"], memo))
        return memo[node["id"]]
    if kind == "unsupported":
        return Unsupported(str(node["d"]))
    raise ValueError(f"unknown wire type {kind!r}")


def generator_from(state: object) -> np.random.Generator:
    """A Generator in ``state`` (a bit generator's state dict); ValueError if it is not one
    of NumPy's bit generators' states."""
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in BIT_GENERATORS:
        raise ValueError(f"not the state of a NumPy bit generator: {name!r}")
    bit_generator = getattr(np.random, name)()
    bit_generator.state = state  # NumPy checks its form
    return np.random.Generator(bit_generator)


def generators_in(value: Any, found: list[np.random.Generator] | None = None) -> list[np.random.Generator]:
    """The distinct Generators in ``value`` (lists, tuples, dicts), in the order a walk meets
    them: the same on both sides of the wire, since decoding keeps order and identity."""
    found = [] if found is None else found
    if type(value) is np.random.Generator:
        if not any(g is value for g in found):
            found.append(value)
    elif type(value) in (list, tuple):
        for item in value:
            generators_in(item, found)
    elif type(value) is dict:
        for item in value.values():
            generators_in(item, found)
    return found


_SCALARS = {np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8,
            np.uint64, np.uint32, np.uint16, np.uint8, np.bool_, np.complex128, np.complex64}


def _float(x: float) -> str:
    # the 8 bytes themselves: repr loses the sign of a NaN (repr(-nan) is "nan")
    return struct.pack("<d", x).hex()


def _array_bytes(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array) if array.ndim else array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode()


def _array_from(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def _describe(value: object) -> str:
    kind = type(value)
    try:
        name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__
    except Exception:
        name = "an object of unknown type"
    if isinstance(value, np.ndarray):
        return f"a {name} (an ndarray subclass; return a plain numpy.ndarray)"
    return f"a {name}"
