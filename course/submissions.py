"""Submissions made as a student makes them: the release notebook with answer cells
filled in. Used by the check's demo autograding."""
import copy
import re

from . import cells

MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def solutions(source_nb):
    """The instructor's answers, by grade_id, with the solution markers removed."""
    return {name: "\n".join(line for line in source.splitlines() if not MARKER.match(line))
            for name, source in cells.answers(source_nb).items()}


def fill(release_nb, answers):
    """A copy of ``release_nb`` with each answer cell named in ``answers`` replaced."""
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        if cells.is_function(cell) and cells.grade_id(cell) in answers:
            cell.source = answers[cells.grade_id(cell)]
    return nb
