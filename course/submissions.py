"""Submissions made as a student makes them: the release notebook with answer cells
filled in. Used by the check's demo autograding."""
import copy
import re

MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def solutions(source_nb):
    """The instructor's answers, by grade_id, with the solution markers removed."""
    return {
        cell.metadata.nbgrader.grade_id: "\n".join(
            line for line in cell.source.splitlines() if not MARKER.match(line))
        for cell in source_nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def fill(release_nb, answers):
    """A copy of ``release_nb`` with each answer cell named in ``answers`` replaced."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb
