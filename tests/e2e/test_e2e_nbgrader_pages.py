"""nbgrader's instructor and student pages in a real browser: the formgrader and the
assignment list load without errors and list every lesson of the course (all of them
were released into the temporary exchange by the ``lab`` fixture)."""
import time

from . import e2e_lab as ui

ASSIGNMENTS = sorted({lesson for lesson, _ in ui.lessons()})


def test_formgrader_lists_every_assignment(page, lab, summary, artifacts):
    started = time.perf_counter()
    page.goto(lab.url("formgrader"))
    page.wait_for_url("**/formgrader/manage_assignments**")
    page.wait_for_function("n => document.querySelectorAll('#main-table tr td.name').length >= n",
                           arg=len(ASSIGNMENTS))
    page.wait_for_load_state("networkidle")
    rows = page.locator("#main-table tr")
    listed = {rows.nth(i).locator("td.name").inner_text().strip():
              rows.nth(i).locator("td.status").inner_text().strip() for i in range(rows.count())}
    page.screenshot(path=str(artifacts / "formgrader.png"))
    summary.notes.append(("formgrader (Manage Assignments)", time.perf_counter() - started,
                          f"{len(listed)} assignments listed, status "
                          + ", ".join(sorted(set(listed.values())))))
    assert sorted(listed) == ASSIGNMENTS
    assert set(listed.values()) == {"released"}, listed
    assert not page.log.errors, "the page reported errors:\n  " + "\n  ".join(page.log.errors[:10])


def test_assignment_list_shows_every_released_assignment(page, lab, summary, artifacts):
    started = time.perf_counter()
    page.goto(lab.url("lab", reset=""))
    ui.menu(page, "Nbgrader", "Assignment List")
    released = page.locator("#released_assignments_list .list_item")
    page.wait_for_function("n => document.querySelectorAll('#released_assignments_list .list_item').length >= n",
                           arg=len(ASSIGNMENTS))
    names = sorted(released.locator(".item_name").all_inner_texts())
    courses = set(released.locator(".item_course").all_inner_texts())
    buttons = set(released.locator("button").all_inner_texts())
    error_shown = page.locator("#released_assignments_list_error").is_visible()
    page.screenshot(path=str(artifacts / "assignment-list.png"))
    summary.notes.append(("assignment list (released assignments)", time.perf_counter() - started,
                          f"{len(names)} listed for course {', '.join(sorted(courses))}"))
    assert [name.strip() for name in names] == ASSIGNMENTS
    assert courses == {"nn-from-scratch"}
    assert buttons == {"Fetch"}
    assert not error_shown
    assert not page.log.errors, "the page reported errors:\n  " + "\n  ".join(page.log.errors[:10])
