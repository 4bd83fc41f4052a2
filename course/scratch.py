"""Scratch courses: a course directory in a temporary folder with one lesson generated,
the place where ``course check``, the tests and the benchmarks grade submissions with real
nbgrader, away from the instructor's own course."""
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook

from . import ROOT, CourseError
from .lesson_files import Lesson
from .nbgrader_run import nbgrader, new_course


def scratch_course(root: str | Path, lesson: Lesson) -> Path:
    """A course directory at ``root`` with this course's nbgrader configuration and
    ``lesson`` copied from source/ and generated (so its gradebook knows the lesson)."""
    root = new_course(root)
    shutil.copytree(ROOT / "source" / lesson.name, root / "source" / lesson.name)
    nbgrader(root, "generate_assignment", lesson.name, "--force")
    return root


def submit(root: str | Path, lesson: Lesson, student: str, nb: NotebookNode | str) -> Path:
    """Put ``nb`` (a notebook, or its text as written) where nbgrader looks for
    ``student``'s submission of ``lesson``; returns the submission's folder."""
    folder = Path(root) / "submitted" / student / lesson.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lesson.notebook_name
    if isinstance(nb, str):
        path.write_text(nb)
    else:
        nbformat.write(nb, path)
    return folder


def autograde(lesson: Lesson, submissions: dict[str, NotebookNode],
              graded: dict[str, NotebookNode | None] | None = None) -> dict[str, dict[str, tuple[float, float]]]:
    """Grade ``{student: notebook}`` for ``lesson`` in a scratch course, through
    ``course grade``'s workers (two at a time); returns ``{student: {grade_id: (score,
    max_score)}}`` read from nbgrader's gradebook. When ``graded`` is a dict, it receives
    each student's autograded notebook."""
    from .grade import grade  # grade imports the grading machinery; only needed here
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        root = scratch_course(scratch, lesson)
        for student, nb in submissions.items():
            submit(root, lesson, student, nb)
        failed = [r for r in grade(lesson, jobs=2, root=root, progress=False) if not r.graded]
        if failed:
            raise CourseError(f"autograde failed for {failed[0].student}: {'; '.join(failed[0].problems)}")
        if graded is not None:
            for student in submissions:
                path = root / "autograded" / student / lesson.name / lesson.notebook_name
                graded[student] = nbformat.read(path, as_version=4) if path.exists() else None
        return read_scores(root, lesson, list(submissions))


def read_scores(root: str | Path, lesson: Lesson, students: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
    """``{student: {test grade_id: (score, max_score)}}`` from the course's SQLite gradebook."""
    scores = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        for student in students:
            nb = gradebook.find_submission_notebook(lesson.name, lesson.name, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in nb.grades
                               if g.cell.name.startswith("test_")}
    return scores
