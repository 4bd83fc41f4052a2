"""Every graded function is whole: the lesson grades it, its contract, its reference, the
stub a student starts from and the lesson's solution take the same arguments; it has a
mistake catalogue and a test file that tests its reference."""
import ast
import inspect
import re

import nbformat
import pytest

from course import ROOT, cells, lessons
from helpers import reference
from helpers.contracts import CONTRACTS

GRADED = [(lesson, function) for lesson in lessons.all_lessons()
          for function in cells.functions(lessons.read(lesson))]
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
    solution = cells.find(lessons.read(lesson), function).source
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
