"""The mistake catalogue: common wrong answers and correct alternatives per function.

Each graded function ``f`` has a file ``tests/mistakes/f.py`` whose functions are marked
with :func:`mistake` or :func:`alternative` and a one-line description. The check
harness runs the mistakes on a failing input to name the one a student made; the
course's check submits each entry as a student would and proves that mistakes lose
points and alternatives do not.
"""
import importlib.util
import inspect
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

#: Where the catalogue lives: ``tests/mistakes`` beside this package, or the folder
#: named by the environment variable ``COURSE_MISTAKES_DIR``.
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "mistakes"


def mistake(description):
    """Mark a function as a common wrong answer, described in one line."""
    def mark(fn):
        fn.catalogue_entry = ("mistake", description)
        return fn
    return mark


def alternative(description):
    """Mark a function as a correct answer that differs from the reference."""
    def mark(fn):
        fn.catalogue_entry = ("alternative", description)
        return fn
    return mark


@dataclass(frozen=True)
class Entry:
    function: str  # the graded function this entry answers
    kind: str  # "mistake" or "alternative"
    name: str  # the entry's own name in its catalogue file
    description: str
    implementation: object

    def as_answer(self):
        """The entry's source as a student would write it: decorators dropped, the
        function renamed to the graded function's name."""
        source = textwrap.dedent(inspect.getsource(self.implementation))
        lines = source.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("def "))
        body = "\n".join(lines[start:])
        # the entry's own name, not an attribute such as np.<name>
        return re.sub(rf"(?<![\w.]){self.name}\b", self.function, body) + "\n"


def catalogue_dir():
    return Path(os.environ.get("COURSE_MISTAKES_DIR", DEFAULT_DIR))


def entries(function, kind=None):
    """The catalogue entries for ``function`` in file order; [] when it has none."""
    path = catalogue_dir() / f"{function}.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location(f"course_mistakes_{function}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    marked = [
        obj for obj in vars(module).values()
        if inspect.isfunction(obj) and hasattr(obj, "catalogue_entry")
    ]
    marked.sort(key=lambda fn: fn.__code__.co_firstlineno)
    found = [
        Entry(function, fn.catalogue_entry[0], fn.__name__, fn.catalogue_entry[1], fn)
        for fn in marked
    ]
    return [e for e in found if kind is None or e.kind == kind]


def functions_with_entries():
    """Names of the graded functions that have a catalogue file."""
    return sorted(p.stem for p in catalogue_dir().glob("*.py") if not p.stem.startswith("_"))
