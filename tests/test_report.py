"""The grading report's reading of autograded notebooks and its page, on made-up data
(the demo test covers a real class end to end)."""
import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.report import ClassReport, Student, function_of, mistakes_figure, page, read_autograded, scores_figure

FUNCTIONS = ["dense_forward", "sigmoid", "sigmoid_backward"]


def test_test_cells_belong_to_the_longest_matching_function():
    assert function_of("test_sigmoid", FUNCTIONS) == "sigmoid"
    assert function_of("test_sigmoid_more", FUNCTIONS) == "sigmoid"
    assert function_of("test_sigmoid_backward_more", FUNCTIONS) == "sigmoid_backward"
    assert function_of("test_dense_forward", FUNCTIONS) == "dense_forward"


def graded_cell(grade_id, *outputs):
    cell = new_code_cell("check_example(...)", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
    return cell


def error(name, message):
    return new_output("error", ename=name, evalue=message, traceback=[])


def test_diagnoses_and_crashes_are_read_from_test_outputs(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("import os; os._exit(1)", outputs=[error("DeadKernelError", "The kernel died while running this cell")]),
        graded_cell("test_dense_forward", error("AssertionError", "dense_forward(x, W, b) is not right.\n"
                                              "This looks like a known mistake: the bias b was never added.")),
        graded_cell("test_dense_forward_more", error("AssertionError", "dense_forward(x, W, b) is not right.\n"
                                                   "This looks like a known mistake: the bias b was never added.")),
        graded_cell("test_sigmoid", error("AssertionError", "sigmoid(z) is not right.\nIt raised ProcessDied: "
                                        "your sigmoid the process running it ended (signal 11).")),
        graded_cell("test_sigmoid_backward", new_output("stream", name="stdout", text="all good\n")),
    ])
    path = tmp_path / "graded.ipynb"
    nbformat.write(nb, path)
    student = Student("ada", graded=True)
    read_autograded(path, FUNCTIONS, student)
    assert student.mistakes == {("dense_forward", "the bias b was never added.")}
    assert student.failed_without_diagnosis == {"sigmoid"}
    assert student.crashes == ["the kernel died (os._exit, a crash, or memory exhausted)",
                               "sigmoid crashed the process running it"]


def a_class():
    students = {
        "ada": Student("ada", True, 6.0, {"dense_forward": 3.0, "sigmoid": 3.0},
                       mistakes=set()),
        "bob": Student("bob", True, 3.0, {"dense_forward": 0.0, "sigmoid": 3.0},
                       mistakes={("dense_forward", "no bias <b>")}),
        "cy": Student("cy", True, 0.0, {"dense_forward": 0.0, "sigmoid": 0.0},
                      mistakes={("dense_forward", "no bias <b>"), ("sigmoid", "sign flipped")}),
        "dee": Student("dee"),
    }
    return ClassReport("01_forward_propagation", ["dense_forward", "sigmoid"],
                       {"dense_forward": 3.0, "sigmoid": 3.0}, 6.0, students, notebooks_read=3)


def test_mistakes_are_counted_by_student_most_common_first():
    assert list(a_class().mistake_counts().items()) == [
        (("dense_forward", "no bias <b>"), 2), (("sigmoid", "sign flipped"), 1)]


def test_page_lists_zero_and_ungraded_students_and_escapes_text():
    html = page(a_class(), ["scores.png", "mistakes.png"])
    assert "no bias &lt;b&gt;" in html and "no bias <b>" not in html
    tail = html.split("Scored zero or crashed", 1)[1]
    assert "<td>cy</td>" in tail and "scored 0" in tail
    assert "<td>dee</td>" in tail and "not graded" in tail
    assert "<td>ada</td>" not in tail
    assert "3 of 4 students graded; mean 3.00, median 3 of 6 points" in html
    assert "graded elsewhere" not in html


def test_page_says_when_autograded_notebooks_are_missing_here():
    data = a_class()
    data.notebooks_read = 1
    assert "come from the 1 autograded notebooks found in autograded/ (2 graded elsewhere" in page(data, [])


def test_page_says_so_when_there_is_nothing_to_show():
    data = a_class()
    data.students = {"ada": data.students["ada"]}
    html = page(data, ["scores.png"])
    assert "No catalogued mistake was diagnosed." in html and "Nobody scored zero or crashed." in html
    assert "mistakes.png" not in html


def test_plots_are_figures_with_a_panel_per_exercise_and_the_total():
    data = a_class()
    figure = scores_figure(data)
    titles = [ax.get_title() for ax in figure.axes if ax.get_visible()]
    assert titles == ["dense_forward (of 3 points)", "sigmoid (of 3 points)", "total (of 6 points)"]
    assert len(mistakes_figure(data).axes[0].patches) == 2


def test_failures_keep_their_test_cell_and_first_line(tmp_path):
    nb = new_notebook(cells=[
        graded_cell("test_dense_forward", error("AssertionError", "dense_forward(x, W, b) is not right.\n"
                                              "This looks like a known mistake: the bias b was never added.")),
        graded_cell("test_sigmoid_more", error("ValueError", "shapes (2,3) and (2,3) not aligned\nmore")),
        graded_cell("test_sigmoid_backward", new_output("stream", name="stdout", text="all good\n")),
    ])
    nbformat.write(nb, tmp_path / "graded.ipynb")
    student = Student("ada", graded=True)
    read_autograded(tmp_path / "graded.ipynb", FUNCTIONS, student)
    assert student.failures == [
        ("dense_forward", "test_dense_forward", "the bias b was never added.",
         "AssertionError: dense_forward(x, W, b) is not right."),
        ("sigmoid", "test_sigmoid_more", None, "ValueError: shapes (2,3) and (2,3) not aligned")]


def test_undiagnosed_failures_are_counted_per_test_cell_and_problems_are_tabled():
    data = a_class()
    data.students["bob"].failures = [("sigmoid", "test_sigmoid", None, "ValueError: <bad>")]
    data.students["cy"].failures = [("sigmoid", "test_sigmoid", None, "ValueError: <bad>"),
                                    ("sigmoid", "test_sigmoid_more", None, "TypeError: no")]
    data.students["cy"].problems = ["notebook saved as x.ipynb; graded as 01_forward_propagation.ipynb",
                                    "submitted 1 h late"]
    data.students["cy"].seconds_late, data.students["cy"].penalty = 3600.0, 0.0
    data.students["bob"].crashes = ["a cell timed out"]
    assert data.undiagnosed_messages() == {"test_sigmoid": [("ValueError: <bad>", 2)],
                                           "test_sigmoid_more": [("TypeError: no", 1)]}
    assert data.problem_rows() == [
        ("bob", "timeout", "a cell timed out"),
        ("cy", "renamed", "notebook saved as x.ipynb; graded as 01_forward_propagation.ipynb"),
        ("cy", "late", "submitted 1 h late; no penalty")]
    html = page(data, [])
    assert "<tr><td>test_sigmoid</td><td>ValueError: &lt;bad&gt;</td><td class=n>2</td></tr>" in html
    assert "<tr><td>cy</td><td>late</td><td>submitted 1 h late; no penalty</td></tr>" in html
    assert "No problem:" in page(a_class(), [])
