"""Real nbgrader autograde of a set of submissions in a scratch course (through
``course grade``'s workers, two at a time)."""
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from . import ROOT, CourseError
from .nbgrader_run import nbgrader, new_course


def autograde(lesson, submissions, graded=None):
    """Grade ``{student: notebook}`` for ``lesson``; returns
    ``{student: {grade_id: (score, max_score)}}`` read from nbgrader's gradebook.
    When ``graded`` is a dict, it receives each student's autograded notebook."""
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        root = new_course(scratch)
        shutil.copytree(ROOT / "source" / lesson.name, root / "source" / lesson.name)
        nbgrader(root, "generate_assignment", lesson.name, "--force")
        for student, nb in submissions.items():
            folder = root / "submitted" / student / lesson.name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / lesson.notebook_name)
        from .grade import grade
        failed = [r for r in grade(lesson, jobs=2, root=root, progress=False) if not r.graded]
        if failed:
            raise CourseError(f"autograde failed for {failed[0].student}: {'; '.join(failed[0].problems)}")
        if graded is not None:
            for student in submissions:
                path = root / "autograded" / student / lesson.name / lesson.notebook_name
                graded[student] = nbformat.read(path, as_version=4) if path.exists() else None
        return read_scores(root, lesson, list(submissions))


def read_scores(root, lesson, students):
    scores = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        for student in students:
            nb = gradebook.find_submission_notebook(lesson.name, lesson.name, student)
            scores[student] = {g.name: (g.score, g.max_score) for g in nb.grades
                               if g.cell.name.startswith("test_")}
    return scores
