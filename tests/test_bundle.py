"""What a student receives holds no solution to its lesson or a later one, and works.

A student receives a lesson two ways: the zip of ``python -m course student-bundle N``,
or nbgrader's exchange, which hands out ``release/N/`` whole (``release_assignment``,
``fetch_assignment``). For every lesson N, both (the bundle built afresh, and a copy of
the committed ``release/N/``) are searched:
- by structure: no reference module, mistake catalogue or tooling of lesson N or later;
  no bundled file defines or binds the name of a held-back graded function, and the
  notebook's own definition of each is the stub;
- by text: no bundled function has the body of a held-back reference, under any name;
- by behaviour: every callable the bundled modules hold (functions, lambdas in tables,
  class attributes), loaded from the bundle alone, is run through the lesson test cells
  (hidden ones included) of every held-back function with a compatible signature, and
  none passes them all;
- by use: the release notebook with the solutions filled in runs top to bottom in a
  real kernel with only the bundle's helpers importable, and untouched it fails only
  where a stub is called.
"""
import ast
import functools
import importlib.util
import inspect
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from course import ROOT, CourseError, cells, lesson_files
from course.bundle import graded_functions, held_back_modules, student_bundle, topic_lessons
from helpers import reference

LESSONS = lesson_files.all_lessons()
FUNCTIONS = {lesson.name: graded_functions(lesson) for lesson in LESSONS}
CALL_LIMIT = 10  # seconds: the grading budget of one function's tests


def held_back(lesson):
    """The graded functions of the lesson and of every later one."""
    index = [l.name for l in LESSONS].index(lesson.name)
    return [f for later in LESSONS[index:] for f in FUNCTIONS[later.name]]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """(where, lesson name) -> its folder, or the error that stopped building it. A
    release folder is copied, so running it leaves nothing in the committed tree."""
    out = tmp_path_factory.mktemp("bundles")
    built = {}
    for lesson in LESSONS:
        try:
            built["bundle", lesson.name] = student_bundle(lesson, out)
        except CourseError as error:
            built["bundle", lesson.name] = error
        built["release", lesson.name] = Path(shutil.copytree(
            ROOT / "release" / lesson.name, out / "release" / lesson.name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc")))
    return built


def bundle_of(bundles, where, lesson):
    folder = bundles[where, lesson.name]
    assert isinstance(folder, Path), f"the bundle could not be built: {folder}"
    return folder


def test_the_command_writes_the_bundle_and_says_where(tmp_path):
    lesson = LESSONS[1]
    done = subprocess.run([sys.executable, "-m", "course", "student-bundle", lesson.name,
                           "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"{lesson.name}: student bundle in {tmp_path / lesson.name}/ "
                                   f"and {tmp_path / lesson.name}.zip")
    assert (tmp_path / lesson.name / lesson.notebook_name).exists()
    assert "pip install -r requirements.txt" in (tmp_path / lesson.name / "README.md").read_text()
    # nbgrader gives JupyterLab its Validate button and a student the exchange's commands
    assert "nbgrader==0.9.6" in (tmp_path / lesson.name / "requirements.txt").read_text().splitlines()
    done = subprocess.run([sys.executable, "-m", "course", "student-bundle", "10_nothing"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("course: error: unknown assignment '10_nothing'")


def python_files(folder):
    return sorted((folder / "helpers").rglob("*.py"))


BY_LESSON = pytest.mark.parametrize("where, lesson", [(w, l) for w in ("bundle", "release") for l in LESSONS],
                                    ids=[f"{w}-{l.name}" for w in ("bundle", "release") for l in LESSONS])
# The tests that run code (the behavioural search, the notebooks) run on release/ only: what
# nbgrader's fetch gives a student. A bundle holds the same notebook and helpers, byte for
# byte (test_a_bundle_holds_the_release_folders_notebook_and_helpers), so they would run the
# same code twice.
BY_RELEASED_LESSON = pytest.mark.parametrize("where, lesson", [("release", l) for l in LESSONS],
                                             ids=[f"release-{l.name}" for l in LESSONS])


def files_of(folder):
    """{path relative to folder: bytes} of every file under it but compiled bytecode."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(Path(folder).rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}


@pytest.mark.parametrize("lesson", LESSONS, ids=[l.name for l in LESSONS])
def test_a_bundle_holds_the_release_folders_notebook_and_helpers(bundles, lesson):
    """...and only a README and requirements.txt besides."""
    bundle, release = files_of(bundle_of(bundles, "bundle", lesson)), files_of(bundle_of(bundles, "release", lesson))
    assert set(bundle) - set(release) == {"README.md", "requirements.txt"}
    assert set(release) <= set(bundle)
    assert all(bundle[name] == content for name, content in release.items())


# --- structure -------------------------------------------------------------------------

@BY_LESSON
def test_the_bundle_is_the_notebook_and_helpers_without_later_lessons(bundles, where, lesson):
    folder = bundle_of(bundles, where, lesson)
    index = [l.name for l in LESSONS].index(lesson.name)
    top = sorted(p.name for p in folder.iterdir())
    extra = ["README.md", "requirements.txt"] if where == "bundle" else []
    assert top == sorted([lesson.notebook_name, "helpers", *extra])
    released = nbformat.read(ROOT / "release" / lesson.name / lesson.notebook_name, as_version=4)
    assert nbformat.read(folder / lesson.notebook_name, as_version=4) == released
    references = {p.stem for p in (folder / "helpers" / "reference").glob("[!_]*.py")}
    assert references == {t for t, owner in topic_lessons().items() if owner < index}
    absent = held_back_modules(lesson)
    for path in (folder / "helpers").rglob("*"):
        relative = path.relative_to(folder / "helpers")
        module = "helpers." + ".".join(relative.with_suffix("").parts)
        assert not any(module == m or module.startswith(m + ".") for m in absent)
    if where == "release":  # what nbgrader's exchange hands out is what the bundle holds
        bundled = bundle_of(bundles, "bundle", lesson) / "helpers"
        files = sorted(p.relative_to(folder / "helpers") for p in (folder / "helpers").rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
        assert all((folder / "helpers" / f).read_bytes() == (bundled / f).read_bytes() for f in files)
        return
    with zipfile.ZipFile(folder.parent / f"{lesson.name}.zip") as zipped:
        zipped_files = sorted(n for n in zipped.namelist() if not n.endswith("/"))
    on_disk = sorted(str(Path(lesson.name) / p.relative_to(folder))
                     for p in folder.rglob("*") if p.is_file())
    assert zipped_files == on_disk


@BY_LESSON
def test_no_bundled_file_defines_a_held_back_function(bundles, where, lesson):
    folder = bundle_of(bundles, where, lesson)
    names = set(held_back(lesson))
    found = []
    for path in python_files(folder):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in names:
                found.append(f"{path.relative_to(folder)}:{node.lineno} defines {node.name}")
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
                found.append(f"{path.relative_to(folder)}:{node.lineno} binds {node.id}")
            if isinstance(node, ast.alias) and (node.asname or node.name) in names:
                found.append(f"{path.relative_to(folder)}:{node.lineno} imports {node.name}")
    assert not found, "\n".join(found)
    stubs = {}
    for cell in nbformat.read(folder / lesson.notebook_name, as_version=4).cells:
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.FunctionDef) and node.name in names:
                    stubs[node.name] = ast.unparse(node.body[-1])
    assert stubs == {f: "raise NotImplementedError()" for f in FUNCTIONS[lesson.name]}


def normalized_bodies(tree):
    """Each function's body as code text, docstring dropped."""
    bodies = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            text = "\n".join(ast.unparse(statement) for statement in body)
            if text:
                bodies[text] = getattr(node, "name", "<lambda>")
    return bodies


@BY_LESSON
def test_no_bundled_function_has_a_held_back_references_body(bundles, where, lesson):
    folder = bundle_of(bundles, where, lesson)
    wanted = {}
    for name in held_back(lesson):
        source = inspect.getsource(getattr(reference, name))
        wanted.update({body: name for body in normalized_bodies(ast.parse(source.lstrip()))
                       if body.count("\n") or len(body) > 40})
    found = []
    for path in python_files(folder):
        for body, name in normalized_bodies(ast.parse(path.read_text())).items():
            if body in wanted:
                found.append(f"{path.relative_to(folder)}: {name} is the reference {wanted[body]}")
    assert not found, "\n".join(found)


# --- behaviour -------------------------------------------------------------------------

def load_bundled_helpers(folder, alias):
    """The bundle's helpers package, loaded from its files alone under another name, so
    that the course's own helpers (and their references) cannot stand in for a module."""
    spec = importlib.util.spec_from_file_location(
        alias, folder / "helpers" / "__init__.py", submodule_search_locations=[str(folder / "helpers")])
    package = importlib.util.module_from_spec(spec)
    sys.modules[alias] = package
    spec.loader.exec_module(package)
    modules = [package]
    for path in python_files(folder):
        relative = path.relative_to(folder / "helpers").with_suffix("")
        if relative.name == "__init__" and len(relative.parts) == 1:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        modules.append(importlib.import_module(".".join((alias, *parts))))
    return modules


def reachable_callables(modules, alias):
    """Every callable a bundled module holds, once each: module attributes defined in the
    bundle, the values of its tables (dicts, lists, tuples, two levels deep), and the
    functions of its classes."""
    found = {}

    def add(label, value, depth=0):
        if isinstance(value, (dict, list, tuple)) and depth < 2:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                add(f"{label}[{key!r}]", item, depth + 1)
        elif isinstance(value, type) and value.__module__.startswith(alias):
            for name, attribute in vars(value).items():
                attribute = getattr(attribute, "__func__", attribute)
                if inspect.isfunction(attribute):
                    add(f"{label}.{name}", attribute, depth + 1)
        elif inspect.isfunction(value) or isinstance(value, np.ufunc) and depth:
            found.setdefault(id(value), (label, value))

    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            if inspect.isfunction(value) and not value.__module__.startswith(alias):
                continue  # imported from NumPy, the standard library, ...
            add(f"{module.__name__.replace(alias, 'helpers', 1)}.{name}", value)
    return list(found.values())


def accepts(candidate, function):
    """Whether ``candidate`` can be called the way the reference ``function`` is."""
    try:
        wanted = inspect.signature(getattr(reference, function))
        have = inspect.signature(candidate)
    except (TypeError, ValueError):
        return True  # a ufunc: try it
    required = [p for p in wanted.parameters.values() if p.default is p.empty]
    try:
        have.bind(*range(len(required)))
    except TypeError:
        return False
    return True


@functools.cache
def lesson_test_cells():
    """function -> [(grade_id, source)] of every test cell of it, hidden tests included."""
    found = {}
    for lesson in LESSONS:
        nb = lesson_files.read(lesson)
        for function in cells.functions(nb):
            found[function] = [(cells.grade_id(c), c.source) for c in cells.tests_of(nb, function)]
    return found


class TooSlow(Exception):
    pass


def passes_every_test(tests, function, candidate, functions):
    """Whether ``candidate``, standing for ``function``, passes all its test cells
    within the grading budget."""
    namespace = {"np": np, **{f: getattr(reference, f) for f in functions if f != function}}
    namespace[function] = candidate

    def too_slow(*_):
        raise TooSlow()

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, CALL_LIMIT)
    try:
        for grade_id, source in tests:
            exec(compile(source, grade_id, "exec"), namespace)
        return True
    except (Exception, TooSlow):
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@BY_RELEASED_LESSON
def test_no_bundled_callable_passes_a_held_back_functions_tests(bundles, where, lesson, monkeypatch, tmp_path):
    folder = bundle_of(bundles, where, lesson)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # demos: compute, do not draw
    # Failing candidates need no diagnosis: an empty catalogue spares running every mistake.
    monkeypatch.setenv("COURSE_MISTAKES_DIR", str(tmp_path))
    alias = f"bundled_helpers_{where}_{lesson.name}"
    modules = load_bundled_helpers(folder, alias)
    try:
        loaded_from = {Path(m.__file__).resolve() for m in modules}
        assert all(folder.resolve() in path.parents for path in loaded_from)
        candidates = reachable_callables(modules, alias)
        assert len(candidates) > 10  # the search found the bundle's functions
        test_cells = lesson_test_cells()
        solutions = []
        for lesson_of_function in LESSONS:
            functions = FUNCTIONS[lesson_of_function.name]
            for function in functions:
                if function not in held_back(lesson):
                    continue
                for label, candidate in candidates:
                    if accepts(candidate, function) and passes_every_test(
                            test_cells[function], function, candidate, functions):
                        solutions.append(f"{label} passes every test of {function}")
        assert not solutions, "\n".join(solutions)
    finally:
        for name in [m for m in sys.modules if m == alias or m.startswith(alias + ".")]:
            del sys.modules[name]


def test_the_search_finds_a_solution_where_there_is_one(tmp_path):
    """The behavioural search on a bundle that does hold one: a copy of lesson 02's made
    to carry lesson 04's relu in a table, and lesson 01's sigmoid under another name."""
    lesson = next(l for l in LESSONS if l.name.startswith("02"))
    folder = tmp_path / "bundle"
    student_bundle(lesson, tmp_path).rename(folder)
    with open(folder / "helpers" / "display.py", "a") as extra:
        extra.write("\nimport numpy as np\nSHAPES = {'ramp': lambda z: np.maximum(z, 0.0)}\n"
                    "def squash(z):\n    return np.exp(-np.logaddexp(0.0, -z))\n")
    alias = "bundled_helpers_probe"
    modules = load_bundled_helpers(folder, alias)
    try:
        labels = {label: fn for label, fn in reachable_callables(modules, alias)}
        test_cells = lesson_test_cells()
        ramp, squash = labels["helpers.display.SHAPES['ramp']"], labels["helpers.display.squash"]
        assert passes_every_test(test_cells["relu"], "relu", ramp, FUNCTIONS["04_activation_functions"])
        assert passes_every_test(test_cells["sigmoid"], "sigmoid", squash, FUNCTIONS["01_forward_propagation"])
        assert not passes_every_test(test_cells["sigmoid"], "sigmoid", ramp, FUNCTIONS["01_forward_propagation"])
    finally:
        for name in [m for m in sys.modules if m == alias or m.startswith(alias + ".")]:
            del sys.modules[name]


# --- use -------------------------------------------------------------------------------

ISOLATE = """import sys
# A student's machine has no editable install of this course: only the bundle's helpers.
sys.meta_path[:] = [f for f in sys.meta_path
                    if "editable" not in (getattr(f, "__module__", "") + type(f).__module__).lower()]
sys.path[:] = [p for p in sys.path if p.rstrip("/") != {root!r}]
for name in [m for m in sys.modules if m == "helpers" or m.startswith("helpers.")]:
    del sys.modules[name]
"""
WHERE = """import helpers, sys
print(sorted({{m.__file__.split("/helpers/")[0] for n, m in list(sys.modules.items())
        if n.split(".")[0] == "helpers" and getattr(m, "__file__", None)}}))
"""


def run_in_bundle(folder, nb):
    nb.cells.insert(0, nbformat.v4.new_code_cell(ISOLATE.format(root=str(ROOT))))
    nb.cells.append(nbformat.v4.new_code_cell(WHERE.format()))
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def errors(nb):
    return [(cell.metadata.get("nbgrader", {}).get("grade_id"), output)
            for cell in nb.cells if cell.cell_type == "code"
            for output in cell.outputs if output.output_type == "error"]


@BY_RELEASED_LESSON
def test_the_solved_notebook_runs_on_the_bundle_alone(bundles, where, lesson):
    folder = bundle_of(bundles, where, lesson)
    nb = nbformat.read(folder / lesson.notebook_name, as_version=4)
    solutions = cells.answers(lesson_files.read(lesson))
    for cell in nb.cells:
        grade_id = cells.grade_id(cell)
        if grade_id in solutions:
            cell.source = "\n".join(line for line in solutions[grade_id].splitlines()
                                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    run = run_in_bundle(folder, nb)
    assert errors(run) == []
    stderr = [o.text for c in run.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []
    assert run.cells[-1].outputs[0].text.strip() == repr([str(folder)])


@BY_RELEASED_LESSON
def test_the_untouched_notebook_fails_only_where_a_stub_is_called(bundles, where, lesson):
    folder = bundle_of(bundles, where, lesson)
    run = run_in_bundle(folder, nbformat.read(folder / lesson.notebook_name, as_version=4))
    # a stub's NotImplementedError (raised, or reported by a test cell), or a name that a
    # failed cell did not get to define
    other = [(grade_id, f"{e.ename}: {e.evalue}") for grade_id, e in errors(run)
             if e.ename not in ("NotImplementedError", "NameError")
             and not (e.ename in ("AssertionError", "CheckFailed")
                     and "raised NotImplementedError" in e.evalue)]
    assert other == []
    tests = [c for c in run.cells if cells.is_test(c)]
    assert all(any(o.output_type == "error" for o in c.outputs) for c in tests)
    assert run.cells[-1].outputs[0].text.strip() == repr([str(folder)])


def test_a_helper_that_imports_a_held_back_module_stops_the_bundle(tmp_path, monkeypatch):
    import shutil

    import course.bundle
    helpers_copy = tmp_path / "helpers"
    shutil.copytree(ROOT / "helpers", helpers_copy, ignore=shutil.ignore_patterns("__pycache__"))
    with open(helpers_copy / "plots" / "forward.py", "a") as plots:
        plots.write("\n\ndef _curve(z):\n    from ..reference.forward import sigmoid\n    return sigmoid(z)\n")
    monkeypatch.setattr(course.bundle, "HELPERS", helpers_copy)
    with pytest.raises(CourseError, match=r"helpers/plots/forward.py imports helpers.reference.forward, "
                                          r"which 01_forward_propagation's bundle must not contain"):
        student_bundle(LESSONS[0], tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing written
    student_bundle(LESSONS[1], tmp_path / "out")  # lesson 02 may hold lesson 01's reference


def test_a_folder_that_is_not_a_bundle_is_never_overwritten(tmp_path):
    lesson = LESSONS[0]
    work = tmp_path / lesson.name
    work.mkdir()
    (work / lesson.notebook_name).write_text("a student's own work")
    with pytest.raises(CourseError, match="exists and is not a student bundle"):
        student_bundle(lesson, tmp_path)
    assert (work / lesson.notebook_name).read_text() == "a student's own work"
    (work / lesson.notebook_name).unlink()
    work.rmdir()
    student_bundle(lesson, tmp_path)
    student_bundle(lesson, tmp_path)  # a bundle is replaced by a fresh one
