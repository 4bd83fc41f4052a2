"""``python -m course report <assignment>``: what a class's grades say, at a glance.

Writes ``reports/<assignment>/`` in the course directory:

- ``grades.csv``: nbgrader's own CSV export of the assignment (one row per student);
- ``scores.png``: the score distribution of each exercise (graded function) and of the
  total;
- ``mistakes.png``: the catalogued mistakes the check harness diagnosed most often
  ("This looks like a known mistake: ..." in the autograded test outputs), per function;
- ``mistakes.csv``: every failed test cell of every student (student, function, test
  cell, and the diagnosed mistake or else the failure's first line);
- ``report.html``: one page with the plots, the tables behind them, the run's problems
  (unreadable, renamed or missing notebooks, late submissions, restored test cells,
  timeouts, killed kernels, failed grading), the most common undiagnosed failure messages
  per test cell, and the students who scored zero or whose notebook crashed.

Scores come from the gradebook; diagnoses and crashes from the autograded notebooks
found in ``autograded/`` (on a grading machine of its own, that is its part of the
class).
"""
import html
import re
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.a11y import GREEN, HATCHES, PALETTE, SKY, VERMILLION, alt_text, describe
from helpers.display import DPI

from . import CourseError, cells
from .cells import tested_function
from .grade import duration
from .records import recorded_problems
from .gradebook import course_settings, gradebook_url, inspect_gradebook, shown

KNOWN = re.compile(r"This looks like a known mistake: (.+)")
#: Signs in an autograded notebook that the student's code crashed or hung.
CRASHES = (
    (re.compile(r"DeadKernelError"), "the kernel died (os._exit, a crash, or memory exhausted)"),
    (re.compile(r"CellTimeoutError"), "a cell timed out"),
    (re.compile(r"The kernel stopped responding"), "the kernel stopped responding"),
    (re.compile(r"It raised ProcessDied: your (\w+)"), "{0} crashed the process running it"),
    (re.compile(r"It raised TimeoutError: your (\w+) did not finish"), "{0} did not finish in time"),
)


@dataclass
class Student:
    name: str
    graded: bool = False
    total: float = 0.0
    by_function: dict = field(default_factory=dict)  # function -> score
    crashes: list = field(default_factory=list)
    mistakes: set = field(default_factory=set)  # (function, description)
    failed_without_diagnosis: set = field(default_factory=set)  # functions
    failures: list = field(default_factory=list)  # (function, test cell, diagnosis or None, first line)
    seconds_late: float = 0.0
    penalty: float = 0.0  # nbgrader's late-submission penalty, already taken off the total
    problems: list = field(default_factory=list)  # what course grade reported, latest run


@dataclass
class ClassReport:
    assignment: str
    functions: list  # graded functions, in notebook order
    max_by_function: dict
    max_total: float
    students: dict  # name -> Student
    notebooks_read: int = 0  # autograded notebooks found (diagnoses and crashes come from them)
    unsandboxed: tuple = ()  # students last graded with --no-sandbox (their code not isolated)

    def problem_rows(self):
        """[(student, kind, detail)]: everything about the run a grader should look at."""
        rows = []
        for s in sorted(self.students.values(), key=lambda s: s.name):
            for text in s.problems:
                kind = problem_kind(text)
                if kind != "late":  # from the gradebook below, with the penalty
                    rows.append((s.name, kind, text))
            if s.seconds_late > 0:
                rows.append((s.name, "late", f"submitted {duration(s.seconds_late)} late"
                             + (f"; penalty {s.penalty:g} points" if s.penalty else "; no penalty")))
            for crash in s.crashes:
                rows.append((s.name, "timeout" if re.search(r"timed out|did not finish|stopped responding", crash)
                             else "killed kernel", crash))
        return rows

    def undiagnosed_messages(self, top=3):
        """{test cell: [(first line, students)]}: the commonest failures with no diagnosis."""
        counts = defaultdict(Counter)
        for s in self.graded:
            for _, cell, diagnosis, first in s.failures:
                if diagnosis is None:
                    counts[cell][first] += 1
        return {cell: c.most_common(top) for cell, c in sorted(counts.items())}

    @property
    def graded(self):
        return [s for s in self.students.values() if s.graded]

    def mistake_counts(self):
        """{(function, description): number of students}, most common first."""
        counts = Counter(m for s in self.graded for m in s.mistakes)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def zero_or_crashed(self):
        rows = []
        for s in sorted(self.students.values(), key=lambda s: s.name):
            reasons = []
            if not s.graded:
                reasons.append("not graded: no autograded submission in the gradebook")
            else:
                if s.total == 0:
                    reasons.append("scored 0")
                reasons += s.crashes
            if reasons:
                rows.append((s.name, s.total if s.graded else None, reasons))
        return rows


PROBLEM_KINDS = (
    ("cannot be read as a notebook", "unreadable"),
    ("notebook saved as", "renamed"),
    ("no notebook", "missing"),
    ("timestamp.txt says", "bad timestamp"),
    ("Missing grade cell", "restored test cell"),
    ("grading failed", "grading failed"),
    (" late", "late"),
)


def problem_kind(text):
    """The problems table's kind for one of ``course grade``'s problem lines."""
    return next((kind for key, kind in PROBLEM_KINDS if key in text), "repaired submission")


def function_of(cell_name, functions):
    """The graded function a test cell ``test_<function>[_...]`` belongs to."""
    return tested_function(cell_name, functions) or re.sub(r"^test_|_more$", "", cell_name)


def collect(lesson, root, db_url):
    """Scores from the gradebook and diagnoses from autograded/, as a ClassReport."""
    from nbgrader.api import Gradebook, MissingEntry
    root = Path(root)
    course_id, _ = course_settings(root)
    assignments = inspect_gradebook(db_url, course_id)
    if not assignments or lesson.name not in assignments:
        raise CourseError(f"the gradebook {shown(db_url)} has no grades for {lesson.name}; "
                          f"run python -m course grade {lesson.name} first")
    students = {}
    with Gradebook(db_url, course_id) as gradebook:
        notebook = gradebook.find_notebook(lesson.name, lesson.name)
        functions = [cell.name for cell in notebook.solution_cells]
        max_by_function = defaultdict(float)
        for cell in notebook.grade_cells:
            max_by_function[function_of(cell.name, functions)] += cell.max_score
        functions = [f for f in functions if f in max_by_function] + \
            [f for f in max_by_function if f not in functions]
        for submission in gradebook.assignment_submissions(lesson.name):
            student = Student(submission.student.id, graded=True, seconds_late=submission.total_seconds_late,
                              penalty=submission.late_submission_penalty or 0.0)
            try:
                graded_nb = gradebook.find_submission_notebook(lesson.name, lesson.name, student.name)
            except MissingEntry:
                continue
            for grade in graded_nb.grades:
                function = function_of(grade.cell.name, functions)
                student.by_function[function] = student.by_function.get(function, 0.0) + (grade.score or 0.0)
            student.total = sum(student.by_function.values()) - student.penalty
            students[student.name] = student
    submitted = root / "submitted"
    if submitted.is_dir():
        for folder in sorted(submitted.glob(f"*/{lesson.name}")):
            students.setdefault(folder.parent.name, Student(folder.parent.name))
    for name, record in recorded_problems(root, lesson).items():
        if name in students:
            students[name].problems = list(record.get("problems", []))
    read = 0
    for student in students.values():
        if student.graded:
            read += read_autograded(root / "autograded" / student.name / lesson.name / lesson.notebook_name,
                                    functions, student)
    from .records import unsandboxed_students
    return ClassReport(lesson.name, functions, dict(max_by_function),
                       sum(max_by_function.values()), students, read,
                       tuple(unsandboxed_students(root, lesson)))


def read_autograded(path, functions, student):
    """Diagnosed mistakes and crashes from one autograded notebook, into ``student``;
    False when there is no such notebook here."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        text = "\n".join(_output_text(o) for o in cell.get("outputs", []))
        for pattern, reason in CRASHES:
            found = pattern.search(text)
            if found:
                message = reason.format(*found.groups())
                if message not in student.crashes:
                    student.crashes.append(message)
        if cells.is_test(cell):
            function = function_of(cells.grade_id(cell) or "", functions)
            failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            known = [m.group(1).strip() for m in KNOWN.finditer(text)]
            for description in known:
                student.mistakes.add((function, description))
            if failed and not known:
                student.failed_without_diagnosis.add(function)
            if failed:
                student.failures.append((function, cells.grade_id(cell), known[0] if known else None,
                                         _first_line(cell)))
    return True


def _first_line(cell):
    """A failed cell's message, first line: ``AssertionError: sigmoid(z) is not right.``"""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            message = (str(output.get("evalue", "")).strip().splitlines() or [""])[0]
            return f"{output.get('ename', 'Error')}: {message}".rstrip(": ")
    return "failed"


def _output_text(output):
    if output.get("output_type") == "error":
        return f"{output.get('ename', '')}: {output.get('evalue', '')}"
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else str(text)


# Writing -----------------------------------------------------------------------------

def report(lesson, root, db_url=None, out=None):
    """Write the report for ``lesson``; returns (folder, ClassReport)."""
    root = Path(root).resolve()
    db_url = gradebook_url(root, db_url)
    data = collect(lesson, root, db_url)
    folder = Path(out) if out else root / "reports" / lesson.name
    folder.mkdir(parents=True, exist_ok=True)
    export_csv(lesson, root, db_url, folder / "grades.csv")
    mistakes_csv(data, folder / "mistakes.csv")
    plots = {"scores.png": scores_figure(data)}
    if data.mistake_counts():
        plots["mistakes.png"] = mistakes_figure(data)
    for name, figure in plots.items():
        figure.savefig(folder / name, dpi=DPI)
    (folder / "report.html").write_text(page(data, {name: alt_text(figure) for name, figure in plots.items()}))
    return folder, data


def export_csv(lesson, root, db_url, path):
    """nbgrader's CSV export of this assignment."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin
    course_id, _ = course_settings(root)
    with Gradebook(db_url, course_id) as gradebook:
        CsvExportPlugin(to=str(path), assignment=[lesson.name]).export(gradebook)


def mistakes_csv(data, path):
    """One row per failed test cell per student: what the student got wrong."""
    import csv
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["student", "function", "test_cell", "diagnosis", "first_line"])
        for s in sorted(data.graded, key=lambda s: s.name):
            for function, cell, diagnosis, first in s.failures:
                writer.writerow([s.name, function, cell, diagnosis or "", first])


def _figure(width, height):
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), layout="constrained")


#: The scores chart's bar colours and what each means (Okabe-Ito, told apart by hatching too).
SCORE_KINDS = (("full marks", GREEN, ""), ("some points", SKY, "//"), ("zero", VERMILLION, "xx"))


def _score_kind(value, top):
    return 0 if value == round(top, 2) else 2 if value == 0 else 1


def scores_figure(data):
    """One bar chart per exercise (students per score) and one of the total."""
    from matplotlib.patches import Patch
    panels = [(f, data.max_by_function.get(f, 0.0), {s.name: s.by_function.get(f, 0.0) for s in data.graded})
              for f in data.functions]
    panels.append(("total", data.max_total, {s.name: s.total for s in data.graded}))
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    fig = _figure(3.4 * columns, 2.8 * rows + 0.4)
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    said = []
    for ax, (name, top, scores) in zip(axes.flat, panels):
        counts = Counter(round(v, 2) for v in scores.values())
        values = sorted(set(counts) | {0.0, round(top, 2)})
        kinds = [SCORE_KINDS[_score_kind(v, top)] for v in values]
        ax.bar([f"{v:g}" for v in values], [counts.get(v, 0) for v in values],
               color=[k[1] for k in kinds], hatch=[k[2] for k in kinds], edgecolor="black", linewidth=0.5)
        ax.set_title(f"{name} (of {top:g} points)" if name != "total" else f"total (of {top:g} points)",
                     fontsize=10, fontweight="bold" if name == "total" else "normal")
        ax.set_xlabel("points")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        said.append(f"{name}: " + ", ".join(f"{counts[v]} scored {v:g}" for v in sorted(counts)))
    fig.legend(handles=[Patch(facecolor=c, hatch=h, edgecolor="black", label=k) for k, c, h in SCORE_KINDS],
               loc="outside lower center", ncols=3, fontsize=9)
    fig.suptitle(f"{data.assignment}: scores of {len(data.graded)} graded students")
    return describe(fig, f"Scores of the {len(data.graded)} graded students of {data.assignment}, "
                         f"students per score for each exercise and the total (of {data.max_total:g} points): "
                         + "; ".join(said) + ".")


def mistakes_figure(data, top=12):
    """The commonest diagnosed mistakes, one bar each (students who made it), coloured
    and hatched by the function they were made in, with a legend; labels wrapped, never cut."""
    from matplotlib.patches import Patch
    counts = list(data.mistake_counts().items())[:top]
    functions = list(dict.fromkeys(function for (function, _), _ in counts))
    style = {f: (PALETTE[i % len(PALETTE)], HATCHES[i % len(HATCHES)]) for i, f in enumerate(functions)}
    labels = ["\n".join(textwrap.wrap(description, 60)) for (_, description), _ in counts]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig = _figure(10, 0.3 * lines + 0.25 * len(counts) + 1.6)
    ax = fig.subplots()
    values = [n for _, n in counts]
    bars = ax.barh(range(len(counts)), values, color=[style[f][0] for (f, _), _ in counts],
                   hatch=[style[f][1] for (f, _), _ in counts], edgecolor="black", linewidth=0.5)
    ax.bar_label(bars, fontsize=9, padding=3)
    ax.set_yticks(range(len(counts)), labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("students who made the mistake")
    ax.set_xlim(0, max(values) * 1.15)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("most common diagnosed mistakes")
    ax.legend(handles=[Patch(facecolor=style[f][0], hatch=style[f][1], edgecolor="black", label=f)
                       for f in functions], title="in the function", loc="upper left",
              bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=9)
    return describe(fig, f"The {len(counts)} most common diagnosed mistakes of {data.assignment}, by the "
                         f"number of students who made each: " + "; ".join(
                             f"{n} in {function}: {description}" for (function, description), n in counts) + ".")


def _short(text, width):
    """For the terminal summary only: the report's chart and tables show every text whole."""
    return text if len(text) <= width else text[:width - 1] + "…"


def page(data, plots):
    """The report's HTML; ``plots`` maps each picture's file name to its text alternative
    (or lists the file names)."""
    e = html.escape
    plots = plots if isinstance(plots, dict) else dict.fromkeys(plots, "")
    graded = data.graded
    totals = sorted(s.total for s in graded)
    mean = sum(totals) / len(totals) if totals else 0.0
    median = (totals[(len(totals) - 1) // 2] + totals[len(totals) // 2]) / 2 if totals else 0.0
    parts = [f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(data.assignment)}: grading report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }}
td.n {{ text-align: right; }} img {{ max-width: 100%; }} .muted {{ color: #777; }}
</style></head><body>
<h1>{e(data.assignment)}: grading report</h1>
<p>{len(graded)} of {len(data.students)} students graded; mean {mean:.2f}, median {median:g} of {data.max_total:g} points.
Grades: <a href="grades.csv">grades.csv</a> (nbgrader's export).</p>
{_unsandboxed_warning(data)}<h2>Scores</h2>
<p><a href="scores.png"><img src="scores.png" alt="{e(plots.get("scores.png", "") or "score distribution per exercise")}"></a></p>
<table><tr><th>exercise</th><th>points</th><th>mean</th><th>full marks</th><th>zero</th>
<th>failed tests without a diagnosis</th></tr>"""]
    for function in data.functions:
        top = data.max_by_function.get(function, 0.0)
        scores = [s.by_function.get(function, 0.0) for s in graded]
        undiagnosed = sum(function in s.failed_without_diagnosis for s in graded)
        parts.append(
            f"<tr><td>{e(function)}</td><td class=n>{top:g}</td>"
            f"<td class=n>{(sum(scores) / len(scores) if scores else 0):.2f}</td>"
            f"<td class=n>{sum(v >= top for v in scores)}</td><td class=n>{sum(v == 0 for v in scores)}</td>"
            f"<td class=n>{undiagnosed}</td></tr>")
    parts.append("</table>\n<h2>Most common diagnosed mistakes</h2>")
    if data.notebooks_read < len(graded):
        parts.append(f'<p class="muted">Diagnoses and crashes come from the {data.notebooks_read} autograded '
                     f"notebooks found in autograded/ ({len(graded) - data.notebooks_read} graded elsewhere "
                     "or removed).</p>")
    counts = data.mistake_counts()
    if counts:
        if "mistakes.png" in plots:
            alt = e(plots["mistakes.png"] or "most common mistakes")
            parts.append(f'<p><a href="mistakes.png"><img src="mistakes.png" alt="{alt}"></a></p>')
        parts.append("<table><tr><th>function</th><th>mistake</th><th>students</th></tr>")
        for (function, description), n in counts.items():
            parts.append(f"<tr><td>{e(function)}</td><td>{e(description)}</td><td class=n>{n}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="muted">No catalogued mistake was diagnosed.</p>')
    undiagnosed = data.undiagnosed_messages()
    parts.append("<h2>Failures without a diagnosis, most common messages</h2>")
    if undiagnosed:
        parts.append("<table><tr><th>test cell</th><th>message (first line)</th><th>students</th></tr>")
        for cell, messages in undiagnosed.items():
            for message, n in messages:
                parts.append(f"<tr><td>{e(cell)}</td><td>{e(message)}</td><td class=n>{n}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="muted">Every failed test had a diagnosis.</p>')
    parts.append('<p>Every failed test, by student: <a href="mistakes.csv">mistakes.csv</a>.</p>')
    problems = data.problem_rows()
    parts.append("<h2>Problems</h2>")
    if problems:
        parts.append("<table><tr><th>student</th><th>problem</th><th>detail</th></tr>")
        for name, kind, detail in problems:
            parts.append(f"<tr><td>{e(name)}</td><td>{e(kind)}</td><td>{e(detail)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="muted">No problem: every notebook was readable, named as expected, on time, '
                     "and graded without a timeout or a killed kernel.</p>")
    rows = data.zero_or_crashed()
    parts.append("<h2>Scored zero or crashed</h2>")
    if rows:
        parts.append("<table><tr><th>student</th><th>score</th><th>why</th></tr>")
        for name, total, reasons in rows:
            score = "—" if total is None else f"{total:g}"
            parts.append(f"<tr><td>{e(name)}</td><td class=n>{score}</td><td>{e('; '.join(reasons))}</td></tr>")
        parts.append("</table>")
    else:
        parts.append('<p class="muted">Nobody scored zero or crashed.</p>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _unsandboxed_warning(data):
    if not data.unsandboxed:
        return ""
    return (f"<p><strong>Graded without the sandbox</strong> (<code>course grade --no-sandbox</code>): "
            f"{len(data.unsandboxed)} student(s), {html.escape(', '.join(data.unsandboxed))}. Their code ran "
            "with the grader's rights and could have changed their scores or others'.</p>\n")


def display_path(path):
    """``path`` relative to the working directory when it is inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def summary(folder, data):
    """A few lines for the terminal."""
    lines = [f"{data.assignment}: {len(data.graded)} of {len(data.students)} students graded; "
             f"report in {display_path(folder / 'report.html')}"]
    for (function, description), n in data.mistake_counts().items():
        lines.append(f"  {n} x {function}: {_short(description, 100)}")
    for name, kind, detail in data.problem_rows():
        lines.append(f"  {name}: {kind}: {detail}")
    if data.unsandboxed:
        lines.append(f"  graded WITHOUT the sandbox (--no-sandbox): {', '.join(data.unsandboxed)}")
    rows = data.zero_or_crashed()
    if rows:
        lines.append(f"  scored zero or crashed: {', '.join(name for name, _, _ in rows)}")
    return "\n".join(lines)
