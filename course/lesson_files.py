"""Reading a lesson (``course/lessons/NN_name.py``) and checking its nbgrader metadata.

A lesson is a percent-format notebook whose every cell header carries the full nbgrader
v3 metadata. Beyond nbgrader's own rules, a lesson must follow the course's contract: a
graded function lives alone in a solution cell whose ``grade_id`` is its name, and its
test cells have ``grade_id``s that start with ``test_<name>``.

A code cell that is neither locked, graded nor a solution is the student's own (an
ungraded exercise's scratch cell): it is read as a cell without nbgrader metadata, which
nbgrader leaves editable, never grades and never overwrites (see :mod:`course.cells`).
nbgrader would otherwise keep the metadata, find no such cell in its gradebook and warn.
"""
import copy
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbformat import NotebookNode
from jsonschema import ValidationError as SchemaError
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

from helpers import reference
from helpers.contracts import CONTRACTS

from . import LESSONS, CourseError, cells, relative

NAME = re.compile(r"^\d\d_[a-z0-9_]+$")
REQUIRED = ("schema_version", "grade", "grade_id", "locked", "solution", "task")


@dataclass(frozen=True)
class Lesson:
    name: str  # also the nbgrader assignment and notebook name
    path: Path

    @property
    def notebook_name(self) -> str:
        return f"{self.name}.ipynb"


def all_lessons() -> list[Lesson]:
    found = sorted(p for p in LESSONS.glob("*.py") if NAME.match(p.stem))
    return [Lesson(p.stem, p) for p in found]


def find(names: Sequence[str]) -> list[Lesson]:
    """The lessons called ``names`` (all of them when ``names`` is empty)."""
    lessons = {lesson.name: lesson for lesson in all_lessons()}
    if not names:
        return list(lessons.values())
    unknown = [n for n in names if n not in lessons]
    if unknown:
        raise CourseError(
            f"unknown assignment {unknown[0]!r}; the assignments are: {', '.join(lessons) or 'none'}"
        )
    return [lessons[n] for n in names]


def read(lesson: Lesson) -> NotebookNode:
    """The lesson as a clean nbformat notebook: checked, outputs empty, no jupytext metadata,
    cell ids equal to the cells' grade_ids (so that builds are reproducible). A fresh copy
    each time; the file is read and checked once per process while it is unchanged."""
    stat = Path(lesson.path).stat()
    return copy.deepcopy(_read(lesson, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=32)
def _read(lesson: Lesson, mtime_ns: int, size: int) -> NotebookNode:
    try:
        nb = jupytext.read(lesson.path, fmt="py:percent")
    except Exception as error:
        raise CourseError(f"{relative(lesson.path)} cannot be read as a percent-format notebook: "
                          f"{_one_line(error)}") from None
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells, start=1):
        _check_cell(lesson, index, cell)
        cell.id = cell.metadata.nbgrader.grade_id
        if not _flags(cell.metadata.nbgrader):
            del cell.metadata["nbgrader"]  # the student's own cell
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    _check_contract(lesson, nb)
    nbformat.validate(nb)
    return nb


def _check_cell(lesson: Lesson, index: int, cell: NotebookNode) -> None:
    where = f"{relative(lesson.path)}, cell {index} ({_preview(cell.source)})"
    if "incorrectly_encoded_metadata" in cell.metadata:
        raise CourseError(f"{where}: the cell header's metadata is not valid JSON "
                          f"({cell.metadata['incorrectly_encoded_metadata'][:60]}...): fix its "
                          "quotes, commas and braces")
    meta = cell.metadata.get("nbgrader")
    if not isinstance(meta, dict):
        raise CourseError(f"{where} has no nbgrader metadata: give its header the full v3 "
                          'metadata, e.g. # %% nbgrader={"grade": false, "grade_id": "...", '
                          '"locked": true, "schema_version": 3, "solution": false, "task": false}')
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise CourseError(f"{where}: nbgrader metadata lacks {', '.join(missing)}; "
                          f"write all of {', '.join(REQUIRED)} (and points for graded cells)")
    if not _flags(meta) and cell.cell_type != "code":
        raise CourseError(f"{where}: a text cell that is neither locked, graded nor a solution "
                          "would be the student's to edit; make it locked (only a code cell can "
                          "be the student's own)")
    try:
        _validator().validate_cell(cell)  # nbgrader's own rules, its JSON schema included
    except (SchemaError, ValidationError) as error:
        message = error.message if hasattr(error, "message") else str(error)
        raise CourseError(f"{where}: invalid nbgrader metadata: {_one_line(message)}") from None


def _flags(meta: dict[str, Any]) -> bool:
    return meta["grade"] or meta["solution"] or meta["locked"]


def _check_contract(lesson: Lesson, nb: NotebookNode) -> None:
    ids = [c.id for c in nb.cells]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CourseError(f"{relative(lesson.path)}: grade_id {duplicates[0]!r} is used twice; "
                          "every cell needs its own grade_id")
    functions = cells.functions(nb)
    for cell in nb.cells:
        meta, where = cells.nbgrader(cell), f"{relative(lesson.path)}, cell {cell.id!r}"
        if meta.get("solution"):
            if cell.cell_type != "code" or not re.search(rf"^def {cell.id}\(", cell.source, re.M):
                raise CourseError(f"{where}: a solution cell's grade_id must be the name of the "
                                  f"function it defines (def {cell.id}(...))")
            if cell.id not in CONTRACTS or not hasattr(reference, cell.id):
                raise CourseError(f"{where}: {cell.id} needs a contract in "
                                  "helpers/contracts.py and a reference in helpers/reference/")
            if "### BEGIN SOLUTION" not in cell.source:
                raise CourseError(f"{where}: mark the solution with ### BEGIN SOLUTION / ### END SOLUTION")
        if meta.get("grade"):
            if cell.cell_type != "code" or meta["solution"] or not meta["locked"]:
                raise CourseError(f"{where}: a test cell must be a locked code cell, not a solution")
            if cells.tested_function(meta["grade_id"], functions) is None:
                raise CourseError(f"{where}: a test cell's grade_id must start with test_<function> "
                                  f"for one of this lesson's functions ({', '.join(functions)})")
    for function in functions:
        if not any(cells.tested_function(i, functions) == function for i in ids if i.startswith("test_")):
            raise CourseError(f"{relative(lesson.path)}: function {function!r} has no test cell "
                              f"(grade_id test_{function}...)")


def _preview(source: str) -> str:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "empty")
    return repr(first[:40])


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:300]


@functools.cache
def _validator() -> MetadataValidatorV3:
    return MetadataValidatorV3()
