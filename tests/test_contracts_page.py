"""CONTRACTS.md is what `python -m course build` generates now: it cannot drift from the
lessons, the contracts and the references."""
from course import contracts_page


def test_the_contracts_page_is_current():
    assert contracts_page.PAGE.read_text() == contracts_page.render(), \
        "CONTRACTS.md is stale: run python -m course build"


def test_the_page_names_every_graded_function_with_its_points():
    from course import cells, lesson_files
    page = contracts_page.render()
    for lesson in lesson_files.all_lessons():
        for function in cells.functions(lesson_files.read(lesson)):
            assert f"### `{function}(" in page
