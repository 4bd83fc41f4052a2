"""What a graded course directory holds, read the same way by every test that compares
two gradings (tests/test_grade_equivalence.py, tests/test_cluster.py)."""
import re
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

#: How the check harness names a diagnosed mistake in a failed test's message.
KNOWN = re.compile(r"This looks like a known mistake: .+")


def scores(root, lesson):
    """{student: {grade cell: (auto_score, max_score, needs_manual_grade)}} from the
    course's SQLite gradebook."""
    found = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        for submission in gradebook.assignment_submissions(lesson.name):
            nb = gradebook.find_submission_notebook(lesson.name, lesson.name, submission.student.id)
            found[submission.student.id] = {g.cell.name: (g.auto_score, g.max_score, g.needs_manual_grade)
                                            for g in nb.grades}
    return found


def diagnoses(root, lesson, student):
    """{test cell: the known mistakes its output names} in the student's autograded notebook."""
    nb = nbformat.read(Path(root) / "autograded" / student / lesson.name / lesson.notebook_name, as_version=4)
    found = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            text = "\n".join(o.get("evalue", "") + str(o.get("text", "")) for o in cell.outputs)
            found[meta["grade_id"]] = sorted(KNOWN.findall(text))
    return found
