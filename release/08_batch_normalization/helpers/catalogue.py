"""The mistake catalogue: common wrong answers and correct alternatives per function.

Each graded function ``f`` has a file ``tests/mistakes/f.py`` whose functions are marked
with :func:`mistake` or :func:`alternative` and a one-line description. The check
harness runs the mistakes on a failing input to name the one a student made; the
course's check submits each entry as a student would and proves that mistakes lose
points and alternatives do not.

A catalogue folder is executed once per process (:func:`load`) and served from memory
after that: the grader loads it before any student code runs, so a catalogue file that a
student's code writes during grading is never executed by the grader.
"""
import importlib.util
import inspect
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: Where the catalogue lives: ``tests/mistakes`` beside this package, or the folder
#: named by the environment variable ``COURSE_MISTAKES_DIR``.
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "mistakes"


def mistake(description: str) -> Callable[[F], F]:
    """Mark a function as a common wrong answer, described in one line."""
    def mark(fn: F) -> F:
        fn.catalogue_entry = ("mistake", description)  # type: ignore[attr-defined]
        return fn
    return mark


def alternative(description: str) -> Callable[[F], F]:
    """Mark a function as a correct answer that differs from the reference."""
    def mark(fn: F) -> F:
        fn.catalogue_entry = ("alternative", description)  # type: ignore[attr-defined]
        return fn
    return mark


@dataclass(frozen=True)
class Entry:
    function: str  # the graded function this entry answers
    kind: str  # "mistake" or "alternative"
    name: str  # the entry's own name in its catalogue file
    description: str
    implementation: Callable[..., Any]

    def as_answer(self) -> str:
        """The entry's source as a student would write it: decorators dropped, the
        function renamed to the graded function's name."""
        source = textwrap.dedent(inspect.getsource(self.implementation))
        lines = source.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("def "))
        body = "\n".join(lines[start:])
        # the entry's own name, not an attribute such as np.<name>
        return re.sub(rf"(?<![\w.]){self.name}\b", self.function, body) + "\n"


def catalogue_dir() -> Path:
    return Path(os.environ.get("COURSE_MISTAKES_DIR", DEFAULT_DIR))


def available() -> bool:
    """Whether this copy of the course has the catalogue (a student's copy has not: it
    has the hints of helpers.hints instead)."""
    return catalogue_dir().is_dir()


class CatalogueError(Exception):
    """A catalogue file that could not be executed (the message names it)."""


# Catalogue folder -> {function: its entries, or the CatalogueError its file raised}.
# Each folder is read once: the grader fills this before any student code runs
# (course.preprocessors), so a file written while grading is never executed.
_LOADED: dict[Path, dict[str, list[Entry] | CatalogueError]] = {}
# the same, for the folder whose files are being executed now
_LOADING: dict[Path, dict[str, list[Entry] | CatalogueError]] = {}


def load(directory: str | os.PathLike[str] | None = None
         ) -> dict[str, list[Entry] | CatalogueError]:
    """Execute every catalogue file in ``directory`` (default :func:`catalogue_dir`) once;
    returns ``{function: entries}``. Later calls, and :func:`entries`, are served from
    memory, whatever the files on disk say by then."""
    directory = Path(directory or catalogue_dir()).resolve()
    if directory not in _LOADED:
        _LOADING[directory] = {}
        try:
            for path in sorted(directory.glob("*.py")):
                if not path.stem.startswith("_"):
                    _file_entries(directory, path.stem)
            _LOADED[directory] = _LOADING[directory]
        finally:
            del _LOADING[directory]
    return _LOADED[directory]


def entries(function: str, kind: str | None = None) -> list[Entry]:
    """The catalogue entries for ``function`` in file order; [] when it has none."""
    directory = catalogue_dir().resolve()
    if directory in _LOADING:  # a catalogue file that builds on another's entries
        found = _file_entries(directory, function)
    else:
        found = load(directory).get(function, [])
    if isinstance(found, CatalogueError):
        raise CatalogueError(str(found))
    return [e for e in found if kind is None or e.kind == kind]


def functions_with_entries() -> list[str]:
    """Names of the graded functions that have a catalogue file."""
    return sorted(load())


def _file_entries(directory: Path, function: str) -> list[Entry] | CatalogueError:
    """The entries of ``directory/function.py``, executed once while its folder loads."""
    found = _LOADING[directory]
    if function not in found:
        found[function] = CatalogueError(f"{function}.py reads its own entries through another "
                                         "catalogue file")  # until it has run
        path = directory / f"{function}.py"
        try:
            found[function] = _execute(path, function) if path.is_file() else []
        except Exception as error:  # one broken file costs only its own diagnoses
            found[function] = CatalogueError(f"{path} could not be loaded: "
                                             f"{type(error).__name__}: {error}")
    return found[function]


def _execute(path: Path, function: str) -> list[Entry]:
    # a .py path always has a spec with a loader: the Nones mypy sees cannot happen here
    spec = importlib.util.spec_from_file_location(f"course_mistakes_{function}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    marked = [
        obj for obj in vars(module).values()
        if inspect.isfunction(obj) and hasattr(obj, "catalogue_entry")
    ]
    marked.sort(key=lambda fn: fn.__code__.co_firstlineno)
    return [
        Entry(function, fn.catalogue_entry[0], fn.__name__, fn.catalogue_entry[1], fn)
        for fn in marked
    ]
