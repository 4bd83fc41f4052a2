"""`course feedback` never hands out a page that carries the course's solutions or hidden
tests, and one such page never stops the others (issue 12, item 5).

The leak check (course.leaks) on made-up graded notebooks: a copy of a solution or a
hidden test in an output is found, plain or encoded; a student's own line, an earlier
lesson's reference (their bundle holds it), a short line or a docstring is not a leak.
Then the command itself on a class of lesson 01 graded for real in a scratch course.

The leaking students' cells print text they decode from a blob in the cell (their cell
does not hold the lines themselves, as a cell that read the course's files would not).
"""
import base64
import copy
import gzip
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from course import ROOT, cells, lesson_files
from course.feedback import page_lines
from course.grade import grade
from course.cells import hidden_lines
from course.leaks import leak, secrets_of
from course.nbgrader_run import environment
from course.scratch import scratch_course, submit
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
SOURCE_PATH = ROOT / "source" / LESSON.name / LESSON.notebook_name
SOURCE = nbformat.read(SOURCE_PATH, as_version=4)
RELEASE = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
ANSWERS = solutions(SOURCE)
LATER_REFERENCE = (ROOT / "helpers" / "reference" / "activations.py").read_text()  # lesson 04
SIGMOID_SOLUTION = "\n".join(line for line in cells.find(SOURCE, "sigmoid").source.splitlines()
                             if "###" not in line)
HIDDEN = sorted(line for line in hidden_lines(SOURCE) if len(line) > 40)


@pytest.fixture(scope="module")
def secrets():
    return secrets_of(LESSON, ROOT, SOURCE)


def graded_with_output(text, answers=ANSWERS, lesson_release=RELEASE):
    """A graded notebook whose added last cell printed ``text``."""
    nb = fill(lesson_release, answers)
    cell = nbformat.v4.new_code_cell("print(something)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nb.cells.append(cell)
    return nb


def printing_cell(text):
    """An added cell that prints ``text`` without holding it: decoded from base64."""
    blob = base64.b64encode(text.encode()).decode()
    return nbformat.v4.new_code_cell(f"import base64\nprint(base64.b64decode({blob!r}).decode())\n")


ENCODINGS = {
    "plain": lambda text: text,
    "repr": repr,
    "json": lambda text: json.dumps({"source": text.splitlines(True)}),
    "one_line": lambda text: " ".join(text.split()),
    "base64": lambda text: base64.b64encode(text.encode()).decode(),
    "base64_wrapped": lambda text: base64.encodebytes(text.encode()).decode(),
    "base64_after_letters": lambda text: "xy" + base64.b64encode(text.encode()).decode(),
    "urlsafe_base64": lambda text: base64.urlsafe_b64encode(text.encode()).decode(),
    "hex": lambda text: text.encode().hex(),
    "gzip_base64": lambda text: base64.b64encode(gzip.compress(text.encode())).decode(),
    "base64_twice": lambda text: base64.b64encode(base64.b64encode(text.encode())).decode(),
    "ansi_coloured": lambda text: "".join(f"\x1b[0;32m{c}\x1b[0m" if c == "(" else c for c in text),
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_later_lessons_reference_in_an_output_is_a_leak(secrets, encoding):
    why = leak(set(), graded_with_output(ENCODINGS[encoding](LATER_REFERENCE)), secrets)
    assert why and "a line of the course's solution" in why


@pytest.mark.parametrize("encoding", ["plain", "base64", "json"])
def test_the_source_notebook_in_an_output_is_a_leak(secrets, encoding):
    text = ENCODINGS[encoding](SOURCE_PATH.read_text())
    assert leak(set(), graded_with_output(text), secrets)


def test_a_hidden_test_line_in_an_output_is_a_leak(secrets):
    encoded = base64.b64encode("\n".join(HIDDEN).encode()).decode()
    why = leak(set(), graded_with_output(encoded), secrets)
    assert why and "a line of a hidden test" in why


def test_a_solution_the_student_wrote_is_not_a_leak(secrets):
    """A student whose answers are the course's own prints them: their code is theirs."""
    nb = graded_with_output(SIGMOID_SOLUTION + "\n" + ANSWERS["mlp_forward"])
    assert leak(set(), nb, secrets) is None
    blank = {**ANSWERS, "sigmoid": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"}
    assert leak(set(), graded_with_output(SIGMOID_SOLUTION, answers=blank), secrets)


def test_an_earlier_lessons_reference_is_not_a_leak():
    """Lesson 03's bundle holds lesson 01's reference: printing it gives nothing away."""
    lesson = lesson_files.find(["03_backpropagation"])[0]
    source = nbformat.read(ROOT / "source" / lesson.name / lesson.notebook_name, as_version=4)
    release = nbformat.read(ROOT / "release" / lesson.name / lesson.notebook_name, as_version=4)
    secrets = secrets_of(lesson, ROOT, source)
    earlier = (ROOT / "helpers" / "reference" / "forward.py").read_text()
    assert leak(set(), graded_with_output(earlier, answers={}, lesson_release=release), secrets) is None
    later = (ROOT / "helpers" / "reference" / "backprop.py").read_text()
    assert leak(set(), graded_with_output(later, answers={}, lesson_release=release), secrets)


def test_short_lines_comments_and_docstrings_are_not_secrets(secrets):
    quiet = "\n".join(["return x @ W + b", "# z >= 0: 1 / (1 + e^-z);  z < 0: e^z / (1 + e^z)",
                       "Exact and free of overflow warnings for any float input: exp is only ever taken of",
                       "return activations[-1], activations", "Parameters", "----------"])
    assert leak(set(), graded_with_output(quiet), secrets) is None


def test_a_hidden_test_line_the_page_shows_is_a_leak_unless_the_student_wrote_it(secrets):
    nb = fill(RELEASE, ANSWERS)
    assert "hidden test line" in leak({HIDDEN[0]}, nb, secrets)
    nb.cells.append(nbformat.v4.new_code_cell(HIDDEN[0]))
    assert leak({HIDDEN[0]}, nb, secrets) is None


# --- the command, on a class graded for real ------------------------------------------

def submission(extra_cells=(), answers=ANSWERS):
    nb = fill(RELEASE, answers)
    nb.cells += [copy.deepcopy(cell) for cell in extra_cells]
    return nb


CLASS = {
    "honest": submission(),
    # prints (a copy of what reading source/ would give) the hidden tests of sigmoid
    "prints_hidden_tests": submission([printing_cell("\n".join(HIDDEN))]),
    # no sigmoid of their own; prints the course's sigmoid and lesson 04's reference
    "prints_solutions": submission([printing_cell(SIGMOID_SOLUTION + "\n" + LATER_REFERENCE)],
                                   answers={k: v for k, v in ANSWERS.items() if k != "sigmoid"}),
    # the course's own answers, and a cell that prints one of them: their code is theirs
    "prints_own_answer": submission([nbformat.v4.new_code_cell(
        "import inspect\nprint(inspect.getsource(mlp_forward))\n")]),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("course"), LESSON)
    for student, nb in CLASS.items():
        submit(root, LESSON, student, nb)
    results = grade(LESSON, jobs=2, root=root, progress=False)
    assert all(r.graded for r in results), [r.problems for r in results]
    done = subprocess.run([sys.executable, "-m", "course", "feedback", LESSON.name, "--course-dir", str(root)],
                          cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=900)
    return root, done


def page(root, student):
    return root / "feedback" / student / LESSON.name / f"{LESSON.name}.html"


def test_the_leaking_pages_are_withheld_and_listed(course):
    root, done = course
    assert not page(root, "prints_hidden_tests").exists()
    assert not page(root, "prints_solutions").exists()
    listed = dict(line.split("\t") for line in (root / "feedback" / f"withheld-{LESSON.name}.txt")
                  .read_text().splitlines() if not line.startswith("#"))
    assert set(listed) == {"prints_hidden_tests", "prints_solutions"}
    assert "a hidden test" in listed["prints_hidden_tests"]
    assert "the course's solution" in listed["prints_solutions"]
    assert "withheld: prints_solutions: an output shows a line of the course's solution" in done.stdout


def test_every_other_page_is_written(course):
    root, _ = course
    for student in ("honest", "prints_own_answer"):
        shown = page_lines(page(root, student))
        assert any("check_example" in line for line in shown)
    assert "activations.append(sigmoid(dense_forward(activations[-1], W, b)))" in \
        page(root, "prints_own_answer").read_text()  # the printed answer is on the page


def test_the_command_fails_with_one_line(course):
    _, done = course
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, done.stderr
    assert "feedback withheld for 2 of 4 student(s)" in errors[0]
    assert f"withheld-{LESSON.name}.txt" in errors[0]


def test_a_page_given_again_once_the_leak_is_gone_leaves_the_list(course, tmp_path):
    """Feedback for one student again, after their notebook was regraded without the leak:
    their entry leaves the list, the other stays."""
    root, _ = course
    copy_root = tmp_path / "course"
    shutil.copytree(root, copy_root)
    graded = copy_root / "autograded" / "prints_hidden_tests" / LESSON.name / LESSON.notebook_name
    nb = nbformat.read(graded, as_version=4)
    nb.cells[-1].outputs = []
    nbformat.write(nb, graded)
    done = subprocess.run([sys.executable, "-m", "course", "feedback", LESSON.name, "--course-dir",
                           str(copy_root), "--student", "prints_hidden_tests"],
                          cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert page(copy_root, "prints_hidden_tests").exists()
    listed = (copy_root / "feedback" / f"withheld-{LESSON.name}.txt").read_text()
    assert "prints_solutions\t" in listed and "prints_hidden_tests" not in listed
