"""The hints a student's copy of the course ships instead of the mistake catalogue
(``helpers/hints/<topic>.json``; see :mod:`helpers.hints` for what they hold and why).

For each graded function of a topic: every input its visible tests give
``check_example`` (the release shows them), and for each catalogued mistake, the
fingerprints of its behaviour on that input and its variants. Written by
``python -m course build``; tests/test_hints.py keeps them current and proves they name
the catalogued mistakes in a copy without the catalogue.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from helpers import catalogue, reference
from helpers import check as harness
from helpers.contracts import contract
from helpers.hints import HERE, behaviour, input_key, loops

from . import bundle, cells, lesson_files

#: Checks the visible tests make that are not check_example (their own diagnoses need the
#: catalogue): replaced by no-ops while the inputs are collected.
OTHER_CHECKS = {"helpers.checkers.initialization": ("check_initializer",),
                "helpers.checkers.capstone": ("check_classifier", "check_reproducible"),
                "helpers.contracts.batchnorm": ("check_backward",)}


def render(topic: str) -> str:
    return json.dumps(table(topic), indent=1, sort_keys=True) + "\n"


def write_all() -> list[Path]:
    HERE.mkdir(exist_ok=True)
    written = []
    for topic in bundle.topic_lessons():
        path = HERE / f"{topic}.json"
        path.write_text(render(topic))
        written.append(path)
    return written


def table(topic: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{function (as the checks name it): {input key: [{"mistake", "behaviour"}]}}."""
    lesson = lesson_files.all_lessons()[bundle.topic_lessons()[topic]]
    topic_functions = set(importlib.import_module(f"helpers.reference.{topic}").__all__)
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, args, kwargs in visible_checks(lesson):
        if name not in topic_functions and name.removesuffix("_out") not in topic_functions:
            continue
        spec = contract(name)
        entries = [{"mistake": entry.description,
                    "behaviour": behaviour(entry.implementation, args, kwargs, spec),
                    "loops": loops(entry.implementation, args, kwargs, spec)}
                   for entry in catalogue.entries(name, kind="mistake")]
        if entries:
            found.setdefault(name, {})[input_key(args, kwargs)] = entries
    return found


def visible_checks(lesson: lesson_files.Lesson) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """(name, args, kwargs) of every check_example the lesson's visible tests make, run
    with the course's references in place of the student's functions."""
    nb = lesson_files.read(lesson)
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def record(name: str, fn: Any, args: Any, expected: Any = None, kwargs: Any = None) -> None:
        calls.append((name, tuple(args), dict(kwargs or {})))

    namespace: dict[str, Any] = {"np": np, **{n: getattr(reference, n) for n in reference.__all__}}
    with _replaced(harness, "check_example", record), _other_checks_off(), \
            contextlib.redirect_stdout(io.StringIO()):
        for function in cells.functions(nb):
            for cell in cells.tests_of(nb, function):
                visible = cell.source.split(cells.HIDDEN_TESTS[0])[0]
                with contextlib.suppress(Exception):
                    exec(compile(visible, cells.grade_id(cell) or "test", "exec"), namespace)
    return calls


@contextlib.contextmanager
def _replaced(module: Any, name: str, value: Any) -> Iterator[None]:
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


@contextlib.contextmanager
def _other_checks_off() -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for module_name, names in OTHER_CHECKS.items():
            module = importlib.import_module(module_name)
            for name in names:
                stack.enter_context(_replaced(module, name, lambda *a, **k: None))
        yield
