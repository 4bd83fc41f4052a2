"""What a grading run keeps beside nbgrader's ``autograded/`` for the report: each
student's problems in their latest grading, and who was graded without the sandbox."""
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .lesson_files import Lesson

PROBLEMS = "problems.json"  # autograded/<lesson>.problems.json: each student's latest problems


def record_problems(root: str | Path, lesson: Lesson, results: Iterable[Any]) -> None:
    """Keep each student's problems of their latest grading (the report's problems table)."""
    path = Path(root) / "autograded" / f"{lesson.name}.{PROBLEMS}"
    known = json.loads(path.read_text()) if path.is_file() else {}
    for result in results:
        known[result.student] = {"graded": result.graded, "problems": result.problems}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")


def recorded_problems(root: str | Path, lesson: Lesson) -> dict[str, Any]:
    """{student: {"graded", "problems"}} as the latest grading runs left them."""
    path = Path(root) / "autograded" / f"{lesson.name}.{PROBLEMS}"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


UNSANDBOXED = "unsandboxed.txt"  # autograded/<lesson>/..: who was graded with --no-sandbox


def record_unsandboxed(root: str | Path, lesson: Lesson, students: Iterable[str], unsandboxed: bool) -> None:
    """Keep ``autograded/<lesson>.unsandboxed.txt`` listing the students whose latest
    grading ran without the sandbox (the report states it)."""
    path = Path(root) / "autograded" / f"{lesson.name}.{UNSANDBOXED}"
    listed: set[str] = set(path.read_text().split()) if path.is_file() else set()
    listed = (listed | set(students)) if unsandboxed else (listed - set(students))
    if listed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{s}\n" for s in sorted(listed)))
    elif path.is_file():
        path.unlink()


def unsandboxed_students(root: str | Path, lesson: Lesson) -> list[str]:
    path = Path(root) / "autograded" / f"{lesson.name}.{UNSANDBOXED}"
    return sorted(path.read_text().split()) if path.is_file() else []
