"""Every lesson in a real browser: the release notebook filled in with the instructor's
solutions runs through JupyterLab's UI without an error, its widgets render and each
control redraws the plot, and nbgrader's Validate button passes it; the untouched
release notebook fails Validate.

Lessons are discovered from release/, so a new lesson is tested without editing this file.
"""
import json
import time

import pytest

from . import e2e_lab as ui
from .e2e_lab import PlaywrightTimeout

LESSONS = ui.lessons()
#: What a widget's picture says before anyone touches it, where that once was an empty plot.
DRAWN_BEFORE_INTERACTION = {"03_backpropagation": "Training curves over 50 epochs"}
IDS = [lesson if [name for name, _ in LESSONS].count(lesson) == 1 else f"{lesson}/{notebook}"
       for lesson, notebook in LESSONS]


def gist(text, limit=300):
    """The first and last non-blank lines of an error or warning: where and what."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[0] if len(lines) < 2 else f"{lines[0]} ... {lines[-1]}")[:limit] if lines else ""


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")


def cell_errors(page, saved):
    """Each code cell that shows an error or stderr output, or did not run, named by
    index and grade_id: from the outputs the kernel sent (saved) and from the page."""
    errors, dom_cells = [], ui.cells(page)
    for i, cell in enumerate(saved["cells"]):
        if cell["cell_type"] != "code":
            continue
        name = f"cell {i} ({grade_id(cell)})"
        found = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                found.append(f"{name}: {output['ename']}: {output['evalue']}"[:400])
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                found.append(f"{name} wrote to stderr: {gist(''.join(output['text']))}")
        shown = ui.stderr_outputs(dom_cells.nth(i))
        if shown and not found:
            found.append(f"{name} shows an error output: {gist(shown[0])}")
        errors += found
    not_run = [grade_id(c) for c in saved["cells"] if c["cell_type"] == "code" and c.get("execution_count") is None]
    if not_run:
        errors.append(f"cells not run (Run All stopped early): {', '.join(not_run)}")
    return errors


def exercise_widget(page, output, name, problems):
    """Check that a widget output rendered (controls, decoded pictures), then change each
    of its controls and wait for a new picture. Returns (description, changed, tried,
    notes), or None when it did not render."""
    try:
        output.locator("img.widget-image").first.wait_for(timeout=30_000)
        page.wait_for_function(
            "node => [...node.querySelectorAll('img.widget-image')].every(img => img.complete && img.naturalWidth > 0)",
            arg=output.element_handle(), timeout=30_000)
    except PlaywrightTimeout:
        pass  # reported below from what the page shows
    report = ui.widget_report(output)
    controls = output.locator(ui.CONTROLS)
    kinds = [f"{report[kind]} {kind[:-1] if report[kind] == 1 else kind}"
             for kind in ("sliders", "dropdowns", "buttons") if report[kind]]
    undecoded = sum(not image["width"] for image in report["images"])
    if not report["images"] or undecoded or not controls.count():
        problems.append(f"{name}: widget did not render (controls: {kinds or 'none'}, pictures: "
                        f"{len(report['images'])}, undecoded: {undecoded}): {report['text']!r}")
        return None
    pictures = len(report["images"])
    description = f"{', '.join(kinds)}, {pictures} picture{'s' if pictures > 1 else ''}"

    changed, tried, notes = 0, 0, []
    pending = list(range(controls.count()))
    for _round in range(2):  # a control disabled now may be enabled by another (lesson 07)
        deferred = []
        for j in pending:
            control = controls.nth(j)
            label = f"{ui.control_kind(control)} {ui.control_label(control)!r}"
            if ui.is_disabled(control):
                deferred.append(j)
                continue
            tried += 1
            before = ui.image_sources(output)
            t0 = time.perf_counter()
            try:
                action = ui.change_control(page, control)
                ui.wait_for_new_picture(page, output, before)
                changed += 1
                notes.append(f"{label}: {action}, {time.perf_counter() - t0:.1f} s")
            except (PlaywrightTimeout, AssertionError) as error:
                problems.append(f"{name}: {label} did not change the plot: {str(error).splitlines()[0]}")
            page.wait_for_function(ui.KERNEL_IDLE, timeout=120_000)
        pending = deferred
    notes += [f"{ui.control_kind(controls.nth(j))} {ui.control_label(controls.nth(j))!r}: disabled, not tried"
              for j in pending]
    return description, changed, tried, notes


def check_accessibility(page, artifacts, lesson, row):
    """The a11y checks of a lesson after Run All; their results go to the artifacts
    (axe-<lesson>.json, <lesson>-figure-<n>.png) and the summary's "a11y" column."""
    problems = []
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea img')]"
            ".every(img => img.complete && img.naturalWidth > 0)", timeout=60_000)
    except PlaywrightTimeout:
        pass  # reported below, picture by picture
    found = ui.figures(page)
    problems += ui.figure_problems(found)
    widget_alts = [f["alt"] for f in found if f["widget"]]
    expected = DRAWN_BEFORE_INTERACTION.get(lesson)
    if expected and not any(alt.startswith(expected) for alt in widget_alts):
        problems.append(f"the widget's first picture is not {expected!r}...: {[a[:80] for a in widget_alts]}")
    t0 = time.perf_counter()
    results = ui.run_axe(page)
    (artifacts / f"axe-{lesson}.json").write_text(json.dumps(
        {"lesson": lesson, "context": ui.AXE_CONTEXT, "figures": found, "violations": results["violations"],
         "axe": results.get("testEngine", {})}, indent=1))
    blocking = ui.blocking_violations(results)
    problems += [f"axe: {v}" for v in blocking]
    shots = ui.screenshot_figures(page, artifacts, lesson)
    minor = len(results["violations"]) - len(blocking)
    row["a11y"] = (f"{len(found)} pictures, {len(blocking)} serious/critical"
                   + (f" ({minor} minor)" if minor else "") + f", {shots} shots, axe {time.perf_counter() - t0:.1f} s")
    return problems


@pytest.mark.parametrize(("lesson", "notebook"), LESSONS, ids=IDS)
def test_solved_lesson_runs_widgets_respond_and_validates(page, lab, summary, artifacts, lesson, notebook):
    row = summary.lesson(lesson)
    started = time.perf_counter()
    problems = []
    path = f"work/{lesson}/{notebook}"

    # Run > Run All Cells, then save, so that the kernel's outputs can be read from disk.
    ui.open_notebook(page, lab, path)
    ran = time.perf_counter()
    ui.run_all(page)
    ui.save(page)
    saved = json.loads((lab.root / path).read_text())
    code = [(i, cell) for i, cell in enumerate(saved["cells"]) if cell["cell_type"] == "code"]
    executed = sum(cell.get("execution_count") is not None for _, cell in code)
    row["run all"] = f"{executed}/{len(code)} cells, {time.perf_counter() - ran:.1f} s"
    assert ui.cells(page).count() == len(saved["cells"]), "the page does not show every cell"

    # No cell shows an error.
    errors = cell_errors(page, saved)
    problems += errors
    row["errors"] = "none" if not errors else f"{len(errors)} (see failure)"

    # Accessibility, before any control is touched: every figure and widget picture is
    # decoded, shown at its natural width or narrower and has a text alternative; axe-core
    # finds no serious or critical violation in the outputs; every figure is screenshot.
    problems += check_accessibility(page, artifacts, lesson, row)

    # Every widget renders, and each of its controls changes its plot.
    widget_cells = [(i, cell) for i, cell in code
                    if any(ui.WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))]
    if not widget_cells:
        problems.append("no cell displays a widget (every lesson has one)")
    rendered, changed, tried, notes = [], 0, 0, []
    for number, (i, cell) in enumerate(widget_cells):
        name = f"cell {i} ({grade_id(cell)})"
        dom_cell = ui.cells(page).nth(i)
        outputs = dom_cell.locator(ui.WIDGET_OUTPUT)
        expected = sum(ui.WIDGET_VIEW in output.get("data", {}) for output in cell["outputs"])
        if outputs.count() != expected:
            problems.append(f"{name}: the kernel sent {expected} widget(s), the page renders {outputs.count()}"
                            f" as widgets: {dom_cell.locator('.jp-OutputArea').inner_text()[:300]!r}")
            continue
        for k in range(expected):
            result = exercise_widget(page, outputs.nth(k), name, problems)
            if result:
                rendered.append(result[0])
                changed, tried, notes = changed + result[1], tried + result[2], notes + result[3]
            suffix = "" if number == 0 and k == 0 else f"-{number + 1}-{k + 1}"
            outputs.nth(k).scroll_into_view_if_needed()
            dom_cell.screenshot(path=str(artifacts / f"{lesson}{suffix}.png"))
        after = ui.stderr_outputs(dom_cell)
        if after:
            problems.append(f"{name}: after its controls changed it shows an error: {gist(after[0])}")
    row["widgets"] = "; ".join(rendered) if rendered else "NONE rendered"
    disabled = sum(note.endswith("disabled, not tried") for note in notes)
    row["controls changed"] = f"{changed}/{tried}" + (f" ({disabled} disabled, not tried)" if disabled else "")
    row.setdefault("details", []).extend(notes)

    # nbgrader's Validate button passes the solved notebook.
    t0 = time.perf_counter()
    outcome, dialog_kind, text, dialog = ui.validate(page)
    page.screenshot(path=str(artifacts / f"{lesson}-validate-solved.png"))
    ui.close_dialog(page, dialog)
    row["Validate solved"] = f"{outcome} ({time.perf_counter() - t0:.1f} s)"
    if outcome != "success" or dialog_kind != "success-dialog":
        problems.append(f"Validate on the solved notebook: {outcome} ({dialog_kind}): {text[:1500]}")

    if page.log.errors:
        problems.append("the page reported errors:\n  " + "\n  ".join(page.log.errors[:10]))
    row["time solved"] = f"{time.perf_counter() - started:.1f} s"
    assert not problems, f"{lesson}:\n- " + "\n- ".join(problems)


@pytest.mark.parametrize(("lesson", "notebook"), LESSONS, ids=IDS)
def test_untouched_release_notebook_fails_validate(page, lab, summary, artifacts, lesson, notebook):
    row = summary.lesson(lesson)
    started = time.perf_counter()
    source = json.loads((lab.root / "release" / lesson / notebook).read_text())
    tests = sum(1 for cell in source["cells"]
                if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
                and not cell["metadata"]["nbgrader"].get("solution"))
    ui.open_notebook(page, lab, f"release/{lesson}/{notebook}")
    outcome, dialog_kind, text, dialog = ui.validate(page)
    failed = text.count("The following cell failed:")
    page.screenshot(path=str(artifacts / f"{lesson}-validate-untouched.png"))
    ui.close_dialog(page, dialog)
    row["Validate untouched"] = f"{outcome}, {failed} of {tests} test cells failed"
    row["time untouched"] = f"{time.perf_counter() - started:.1f} s"
    assert (outcome, dialog_kind) == ("failed", "error-dialog"), \
        f"Validate on the untouched release notebook of {lesson}: {outcome} ({dialog_kind}): {text[:1500]}"
    assert failed >= 1, text[:1500]
    # each failed cell (its source, then its error) shows the check's message, not a
    # traceback through the course's code: a function is "not right", or, where a test
    # needs an earlier function of the student's (lesson 08's backward pass runs on their
    # forward pass's cache; release/ carries a student's helpers, without the course's
    # forward pass to stand in), it "cannot be tested yet"
    blocks = [" ".join(block.split()) for block in text.split("The following cell failed:")[1:]]
    said = (" is not right.", " cannot be tested yet: ")
    assert blocks and all(any(s in block for s in said) for block in blocks), \
        [block for block in blocks if not any(s in block for s in said)][0][-1500:]
    assert not any(w in text for w in ("Traceback", 'File "', "helpers/")), text[:3000]
    assert not page.log.errors, "the page reported errors:\n  " + "\n  ".join(page.log.errors[:10])
