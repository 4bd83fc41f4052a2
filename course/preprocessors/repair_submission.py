"""``RepairSubmission``: the sanitizing step that makes a hand-edited submission gradable."""
from typing import Any

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor


class RepairSubmission(NbGraderPreprocessor):
    """Before nbgrader's own sanitizing: make a hand-edited submission gradable.

    - a cell whose grade_id the assignment does not have loses its nbgrader metadata
      (it becomes an ordinary cell), unless it defines a graded function whose answer
      cell is missing, in which case it becomes that answer cell again;
    - of several cells with one grade_id, the first keeps it;
    - cell ids are made unique.
    nbgrader then restores test cells (OverwriteCells, add_missing_cells). Each repair is
    logged as a warning that starts with "submission:", for the grading report.
    """

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        info = resources["nbgrader"]
        from nbgrader.api import Gradebook
        with Gradebook(info["db_url"]) as gradebook:
            source = gradebook.find_notebook(info["notebook"], info["assignment"])
            known = {cell.name for cell in source.source_cells}
            functions = [cell.name for cell in source.solution_cells]
        seen: set[str] = set()
        present = {c.metadata.nbgrader.get("grade_id") for c in nb.cells
                   if isinstance(c.metadata.get("nbgrader"), dict)}
        for index, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta is not None and not isinstance(meta, dict):
                del cell.metadata["nbgrader"]
                meta = None
            grade_id = meta.get("grade_id") if meta else None
            if meta is not None and (grade_id not in known or grade_id in seen):
                why = "is used twice" if grade_id in seen else "is not in the assignment"
                self.log.warning(f"submission: cell {index + 1}'s grade_id {grade_id!r} {why}; "
                                 "treated as an ordinary cell")
                del cell.metadata["nbgrader"]
                meta = None
            if meta is None and cell.cell_type == "code":
                for function in functions:
                    if function not in present and f"def {function}(" in cell.source:
                        self.log.warning(f"submission: the answer cell for {function} had lost its "
                                         f"metadata; cell {index + 1} is graded as that answer")
                        cell.metadata["nbgrader"] = {"grade": False, "grade_id": function,
                                                     "locked": False, "schema_version": 3,
                                                     "solution": True, "task": False}
                        present.add(function)
                        grade_id = function
                        break
            if grade_id:
                seen.add(grade_id)
        ids: set[str | None] = set()
        for index, cell in enumerate(nb.cells):
            if "id" in cell and cell.id in ids:
                cell.id = f"cell-{index}"
            ids.add(cell.get("id"))
        return nb, resources
