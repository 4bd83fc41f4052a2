"""One grading worker: ``python -m course.worker ROOT ASSIGNMENT DB_URL [STAGING]``.

Reads student ids from stdin, one a line, and grades each with nbgrader's own autograde
(its Python API with the course's ``nbgrader_config.py``, so nbgrader starts once per
worker, not once per student). For each student it writes one line to stdout:
``@course {"student", "success", "seconds", "log"}``; a student whose grading fails is
reported and the worker goes on with the next. With STAGING, nbgrader reads the
submissions from ``STAGING/<student>/<assignment>/`` (copies made by ``course grade``),
never from the course's ``submitted/``. Nothing else ever reaches that stdout:
the worker's own file descriptor 1 points at /dev/null for everything it starts.

What the worker saves per notebook, with scores unchanged (the same preprocessors run):
- its student sandbox (``course.isolation.host``) starts once, while nbgrader loads, and
  is reset between students instead of started anew: kernels and answers are forks of
  its warm zygote, ready in a fraction of the time;
- a kernel is stopped at once when its notebook is done, not asked to shut down;
- nbgrader's cell metadata checks check their (fixed) schema once, not for every cell.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # main imports them itself, once the sandbox is starting
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

TRANSIENT = ("Kernel didn't respond", "Address already in use", "Kernel died before replying",
             "database is locked", "could not serialize access", "deadlock detected")
PREFIX = "@course "


def _report_channel() -> IO[str]:
    """A private copy of stdout for the reports; fd 1 itself then points at /dev/null,
    so that kernels and sandboxes (which inherit it) cannot write into the reports."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")
    return channel


def _start_sandbox(assignment: str) -> None:
    """Keep the student sandbox warm from one student to the next (it is reset between
    them), and start it now, while nbgrader loads, not during the first student."""
    from .isolation import host
    host.keep_warm = True
    os.environ["NBGRADER_EXECUTION"] = "autograde"  # what nbgrader gives a kernel
    try:
        host.host_for(assignment)
    except Exception:  # reported for each student when grading needs it
        pass


def _check_metadata_schema_once() -> None:
    """nbgrader checks each cell's metadata with ``jsonschema.validate``, which checks the
    schema itself every time first (most of the cost, twice per notebook). The schema is
    nbgrader's own and fixed: check it once, then validate exactly as jsonschema would
    (the same best-matching error)."""
    import types

    import jsonschema
    from nbgrader.nbgraderformat import common

    checked: dict[tuple[int, Any], tuple[Any, Any]] = {}  # (schema, cls) -> (schema, validator)

    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        key = (id(schema), cls)
        if key not in checked:
            kind = cls or jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            checked[key] = (schema, kind(schema, *args, **kwargs))
        error = jsonschema.exceptions.best_match(checked[key][1].iter_errors(instance))
        if error is not None:
            raise error

    class Jsonschema(types.ModuleType):
        validate: Any  # set below; everything else is jsonschema's own

        def __getattr__(self, name: str) -> Any:
            return getattr(jsonschema, name)

    proxy = Jsonschema("jsonschema")
    proxy.validate = validate
    common.jsonschema = proxy  # only nbgrader's metadata checks see it


def load_config(root: str | Path, db_url: str, staging: str | None = None) -> Config:
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = db_url
    if staging:
        # nbgrader joins it to the root: an absolute path replaces submitted/
        config.CourseDirectory.submitted_directory = os.path.abspath(staging)
    config.Execute.shutdown_kernel = "immediate"  # its sandbox is reset after the notebook
    return config


def open_grader(root: str | Path, assignment: str, db_url: str, staging: str | None = None) -> NbGraderAPI:
    """nbgrader's API for the course at ``root``, its sandbox starting meanwhile: what
    grades students one by one, here and on a Dask worker (:mod:`course.cluster`)."""
    os.chdir(root)
    _start_sandbox(assignment)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root, db_url, staging)
    _check_metadata_schema_once()
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def main(root: str, assignment: str, db_url: str, staging: str | None = None) -> None:
    reports = _report_channel()
    api = open_grader(root, assignment, db_url, staging)
    reports.write(PREFIX + json.dumps({"ready": True}) + "\n")
    try:
        for line in sys.stdin:
            student = line.strip()
            if student:
                reports.write(PREFIX + json.dumps(grade_one(api, assignment, student)) + "\n")
    finally:
        from .isolation import host
        host.close_all()


def grade_one(api: NbGraderAPI, assignment: str, student: str) -> dict[str, Any]:
    start = time.perf_counter()
    for attempt in range(3):
        try:
            result = api.autograde(assignment, student, force=True, create=True)
        except Exception as error:  # nbgrader's own failure is this student's report
            result = {"success": False, "error": f"{type(error).__name__}: {error}"}
        log = (result.get("log") or "") + (result.get("error") or "")
        # A kernel that never answered, or a database busy with another grader: try again.
        if result.get("success") or not any(s in log for s in TRANSIENT):
            break
        time.sleep(0.5 * (attempt + 1))
    return {"student": student, "success": bool(result.get("success")),
            "seconds": time.perf_counter() - start, "log": log}


if __name__ == "__main__":
    main(*sys.argv[1:5])
