"""Every graded function is whole: the lesson grades it, its contract, its reference, the
stub a student starts from and the lesson's solution take the same arguments; it has a
mistake catalogue and a test file that tests its reference."""
import ast
import inspect
import re

import nbformat
import pytest

from course import ROOT, cells, lesson_files
from helpers import reference
from helpers.contracts import CONTRACTS

GRADED = [(lesson, function) for lesson in lesson_files.all_lessons()
          for function in cells.functions(lesson_files.read(lesson))]
BY_FUNCTION = pytest.mark.parametrize("lesson, function", GRADED, ids=[f for _, f in GRADED])


def signature(source, function):
    """The parameters of ``def function(...)`` in ``source``: (name, default as written or
    None) in order."""
    found = next(node for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.FunctionDef) and node.name == function)
    args = found.args.posonlyargs + found.args.args
    defaults = [None] * (len(args) - len(found.args.defaults)) + found.args.defaults
    return tuple((a.arg, d and ast.unparse(d)) for a, d in zip(args, defaults))


def test_every_graded_function_has_a_contract_and_a_reference():
    """(A contract may also cover a part of one: batchnorm_forward's ``out``.)"""
    graded = {function for _, function in GRADED}
    assert graded <= set(CONTRACTS) and graded <= set(reference.__all__)


@BY_FUNCTION
def test_contract_reference_stub_and_solution_take_the_same_arguments(lesson, function):
    """The same parameters with the same defaults. The contract's ``args`` name the
    arguments a test may pass by position: the first of them, every one without a default
    included (train_step's ``lr`` is passed by position in lesson 09, sgd_step's is not)."""
    stub = cells.find(nbformat.read(ROOT / "release" / lesson.name / lesson.notebook_name,
                                    as_version=4), function).source
    solution = cells.find(lesson_files.read(lesson), function).source
    ours = signature(inspect.getsource(getattr(reference, function)), function)
    assert ours == signature(stub, function) == signature(solution, function)
    names, required = tuple(n for n, _ in ours), tuple(n for n, default in ours if default is None)
    args = CONTRACTS[function].args
    assert args == names[:len(args)] and len(args) >= len(required)


@BY_FUNCTION
def test_each_function_has_a_catalogue(lesson, function):
    assert (ROOT / "tests" / "mistakes" / f"{function}.py").is_file()


@BY_FUNCTION
def test_each_reference_is_tested(lesson, function):
    """By a tests/test_reference_*.py that calls it (``reference.f(`` or ``f(`` after importing it)."""
    called = re.compile(rf"\b{function}\(")
    testers = [path.name for path in (ROOT / "tests").glob("test_reference_*.py")
               if called.search(path.read_text())]
    assert testers, f"no tests/test_reference_*.py calls {function}"


def test_every_lesson_has_a_topic_whose_reference_defines_its_graded_functions():
    """course/topics.py is the link from a lesson to its helpers: each lesson's
    helpers/reference/<topic>.py exports every graded function of that lesson and none of
    another's, and every topic module in a topic package names a lesson's topic."""
    import importlib

    from course.bundle import TOPIC_PACKAGES
    from course.topics import TOPICS
    assert list(TOPICS) == [lesson.name for lesson in lesson_files.all_lessons()]
    graded = {function: lesson.name for lesson, function in GRADED}
    for lesson, topic in TOPICS.items():
        exported = set(importlib.import_module(f"helpers.reference.{topic}").__all__)
        assert {f for f in exported if f in graded} == {f for f, l in graded.items() if l == lesson}, topic
    for package in (*TOPIC_PACKAGES, "reference"):
        for path in (ROOT / "helpers" / package).iterdir():
            if path.suffix in (".py", ".json") and path.stem != "__init__":
                assert path.stem in TOPICS.values(), f"helpers/{package}/{path.name} has no lesson"
