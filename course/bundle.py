"""What a student receives for one lesson: ``python -m course student-bundle <lesson>``.

The bundle is a folder (and the same as a zip) holding the lesson's release notebook, a
``helpers`` package the notebook imports, a ``requirements.txt`` and a README with the
two commands that install and open it. Its ``helpers`` is the course's minus everything
that could give away an answer to this lesson's graded functions or a later lesson's:

- ``helpers/reference/<topic>.py`` ships only for earlier lessons (their functions are
  the course's versions that later lessons build on);
- the modules of a topic (``plots/``, ``widgets/``, ``contracts/``, ``hints/``, ``checkers/``)
  ship for this lesson and earlier ones: by design they never import a reference of their
  own lesson or a later one, and take the student's functions instead;
- the mistake catalogue (``tests/mistakes``, full of correct alternatives), the hidden
  tests (stripped from the release notebook by nbgrader), the solutions (``source/``,
  ``course/lessons/``) and the course's tooling (``course/``) never ship.

Which lesson teaches which topic is written in :mod:`course.topics`. Before writing anything the bundle's modules are read
back: one that imports a held-back module stops the command (tests/test_bundle.py proves
the rest: no callable in a bundle passes a held-back function's tests).
"""
import ast
import functools
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import nbformat

from . import ROOT, CourseError, cells
from . import lesson_files
from .lesson_files import Lesson
from .topics import TOPICS

HELPERS = ROOT / "helpers"
TOPIC_PACKAGES = ("plots", "widgets", "contracts", "hints", "checkers")
# What a student's notebook needs to run (nbgrader: JupyterLab's Validate button and the
# exchange's fetch and submit); version ranges are taken from pyproject.toml.
STUDENT_PACKAGES = ("nbgrader", "jupyterlab", "ipywidgets", "ipykernel", "numpy", "matplotlib", "scikit-learn")


def graded_functions(lesson: Lesson) -> list[str]:
    """The names of the lesson's graded functions."""
    return cells.functions(lesson_files.read(lesson))


@functools.cache  # the lessons do not change while one command runs
def function_lessons() -> dict[str, int]:
    """graded function -> the index (in lesson order) of the lesson that grades it."""
    return {name: index for index, lesson in enumerate(lesson_files.all_lessons())
            for name in graded_functions(lesson)}


@functools.cache
def topic_lessons() -> dict[str, int]:
    """topic -> the index (in lesson order) of the lesson that teaches it (course.topics)."""
    lessons = lesson_files.all_lessons()
    unnamed = [lesson.name for lesson in lessons if lesson.name not in TOPICS]
    if unnamed:
        raise CourseError(f"lesson {unnamed[0]} has no topic: add it to TOPICS in course/topics.py")
    return {TOPICS[lesson.name]: index for index, lesson in enumerate(lessons)}


@functools.cache
def reference_lessons() -> dict[str, int]:
    """Every name ``helpers.reference`` exports -> the index of its lesson: the lesson that
    grades it, else (a function only the checks use, as batchnorm_forward_out) the lesson
    of its module's topic. The grader lets an answer call only earlier lessons' names."""
    owner, topics = function_lessons(), topic_lessons()
    return {name: owner.get(name, topics[module.stem])
            for module in sorted((HELPERS / "reference").glob("[!_]*.py"))
            for name in _exported_names(module)}


def shipped_files(lesson: Lesson) -> list[Path]:
    """Paths relative to helpers/ of every file the lesson's bundle holds."""
    ordered = [l.name for l in lesson_files.all_lessons()]
    index = ordered.index(lesson.name)
    topics = topic_lessons()
    files = []
    for path in sorted(HELPERS.rglob("*")):
        relative = path.relative_to(HELPERS)
        if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        topic = _topic_of(relative)
        if topic is None:
            files.append(relative)
            continue
        if topic not in topics:
            raise CourseError(f"helpers/{relative} belongs to no lesson: name it after a topic "
                              "of course/topics.py")
        latest = index - 1 if relative.parts[0] == "reference" else index
        if topics[topic] <= latest:
            files.append(relative)
    return files


def held_back_modules(lesson: Lesson) -> list[str]:
    """Dotted names of the helpers modules the lesson's bundle leaves out."""
    shipped = {_module_name(p) for p in shipped_files(lesson)}
    every = {_module_name(p.relative_to(HELPERS)) for p in HELPERS.rglob("*.py")
             if "__pycache__" not in p.parts}
    return sorted(every - shipped)


def student_bundle(lesson: Lesson, out: str | Path) -> Path:
    """Write ``out/<lesson>/`` and ``out/<lesson>.zip``; returns the folder."""
    release = ROOT / "release" / lesson.name / lesson.notebook_name
    if not release.exists():
        raise CourseError(f"{release.relative_to(ROOT)} is missing: run python -m course build "
                          f"{lesson.name} first")
    files = shipped_files(lesson)
    _refuse_held_back_imports(lesson, files)
    folder = Path(out) / lesson.name
    if folder.exists():
        if not _is_bundle(folder, lesson):  # e.g. a student's own work folder: never delete it
            raise CourseError(f"{folder} exists and is not a student bundle of {lesson.name}: "
                              "give another --out, or move it away")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy2(release, folder / lesson.notebook_name)
    nbformat.validate(nbformat.read(folder / lesson.notebook_name, as_version=4))
    _copy(files, folder / "helpers")
    (folder / "requirements.txt").write_text(_requirements())
    (folder / "README.md").write_text(STUDENT_README.format(lesson=lesson.name))
    archive = Path(out) / f"{lesson.name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, Path(lesson.name) / path.relative_to(folder))
    return folder


def write_helpers(lesson: Lesson, folder: Path) -> Path:
    """Write the lesson's student-safe ``helpers`` package (what its bundle holds) as
    ``folder/helpers``, replacing any there; returns it. ``course build`` puts it beside
    the source notebook, so nbgrader's release and a fetched lesson carry it."""
    files = shipped_files(lesson)
    _refuse_held_back_imports(lesson, files)
    target = Path(folder) / "helpers"
    shutil.rmtree(target, ignore_errors=True)
    _copy(files, target)
    return target


# --- helpers ---------------------------------------------------------------------------

def _copy(files: list[Path], target: Path) -> None:
    target.mkdir(parents=True)
    for relative in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(HELPERS / relative, target / relative)


def _is_bundle(folder: Path, lesson: Lesson) -> bool:
    """Whether ``folder`` is what :func:`student_bundle` wrote (its README says so)."""
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text() == STUDENT_README.format(lesson=lesson.name)


def _topic_of(relative: Path) -> str | None:
    """The topic a helpers file belongs to, or None for one every lesson needs."""
    parts = relative.parts
    if len(parts) == 2 and parts[0] in (*TOPIC_PACKAGES, "reference") and parts[1] != "__init__.py":
        return Path(parts[1]).stem
    return None


def _module_name(relative: Path) -> str:
    parts = ["helpers", *relative.with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _exported_names(module: Path) -> list[str]:
    tree = ast.parse(module.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise CourseError(f"helpers/reference/{module.name} has no __all__")


def _imported_modules(path: Path, relative: Path) -> set[str]:
    """Absolute dotted names of the helpers modules a file imports (at any depth)."""
    package = _module_name(relative).split(".")
    if relative.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "helpers"}


def _refuse_held_back_imports(lesson: Lesson, files: list[Path]) -> None:
    held_back = held_back_modules(lesson)
    for relative in files:
        if relative.suffix != ".py":
            continue
        for name in sorted(_imported_modules(HELPERS / relative, relative)):
            if any(name == module or name.startswith(module + ".") for module in held_back):
                raise CourseError(f"helpers/{relative} imports {name}, which {lesson.name}'s bundle "
                                  "must not contain (it holds a solution): make it take the "
                                  "student's function instead")


def _requirements() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0]: spec for spec in project["dependencies"]}
    missing = [name for name in STUDENT_PACKAGES if name not in pins]
    if missing:
        raise CourseError(f"pyproject.toml lists no version of {', '.join(missing)}")
    return "".join(f"{pins[name]}\n" for name in STUDENT_PACKAGES)


STUDENT_README = """\
# {lesson}

This folder is one lesson of *Neural networks from scratch*: the notebook
`{lesson}.ipynb` and the `helpers` package it imports (plots, widgets and the checks
that its test cells run). Keep them side by side.

Install once (Python 3.11 or newer, which nbgrader needs), then open the lesson:

    python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
    .venv/bin/jupyter lab {lesson}.ipynb

(On Windows: `py -m venv .venv`, then `.venv\\Scripts\\pip` and `.venv\\Scripts\\jupyter`.)

Write each function where the notebook says `YOUR CODE HERE`, run the test cell below
it, and read its message when it fails. The Validate button (nbgrader's, in the
notebook's toolbar) runs every test cell at once. Hand in the notebook as your
instructor asks; it is graded with further tests that are not in this copy.
"""
