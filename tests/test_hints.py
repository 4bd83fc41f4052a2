"""A student's copy of the course names mistakes without the catalogue: the shipped hints
(helpers/hints/<topic>.json, course/hints.py) are current, ship with their lesson and
later ones only, and on every visible test name exactly the mistake the catalogue names,
or nothing; never another one."""
import json
import re

import numpy as np
import pytest

from course import bundle, cells, hints, lesson_files
from helpers import catalogue, reference
from helpers.hints import HERE

KNOWN = re.compile(r"This looks like a known mistake: (.*)")
TOPICS = list(bundle.topic_lessons())
COVERED = {name.removesuffix("_out") for path in HERE.glob("*.json") for name in json.loads(path.read_text())}


@pytest.mark.parametrize("topic", TOPICS)
def test_the_shipped_hints_are_current(topic):
    assert (HERE / f"{topic}.json").read_text() == hints.render(topic), \
        "helpers/hints is stale: run python -m course build"


def test_a_lesson_ships_the_hints_of_its_topic_and_earlier_ones_only():
    topics = bundle.topic_lessons()
    for index, lesson in enumerate(lesson_files.all_lessons()):
        shipped = {p.stem for p in bundle.shipped_files(lesson) if p.parts[0] == "hints" and p.suffix == ".json"}
        assert shipped == {t for t, i in topics.items() if i <= index}, lesson.name


def visible_cells(nb, function):
    return [(cells.grade_id(c), c.source.split(cells.HIDDEN_TESTS[0])[0]) for c in cells.tests_of(nb, function)]


def named(sources, function, implementation, functions):
    """The mistake the first failing visible test cell names (None if it names none), or
    "passes" when they all pass."""
    namespace = {"np": np, **{f: getattr(reference, f) for f in functions}}
    namespace[function] = implementation
    for grade_id, source in sources:
        try:
            exec(compile(source, grade_id, "exec"), namespace)
        except AssertionError as error:
            found = KNOWN.search(str(error))
            return found.group(1).strip() if found else None
    return "passes"


CASES = [(lesson, function, entry) for lesson in lesson_files.all_lessons()
         for function in cells.functions(lesson_files.read(lesson))
         for entry in catalogue.entries(function)]


@pytest.mark.parametrize("lesson, function, entry", CASES,
                         ids=[f"{f}-{e.kind}-{e.name}" for _, f, e in CASES])
def test_without_the_catalogue_the_same_mistake_or_none_is_named(lesson, function, entry, monkeypatch, capsys):
    nb = lesson_files.read(lesson)
    sources, functions = visible_cells(nb, function), cells.functions(nb)
    with_catalogue = named(sources, function, entry.implementation, functions)
    monkeypatch.setenv("COURSE_MISTAKES_DIR", "/nonexistent/student-copy")
    assert not catalogue.available()
    without = named(sources, function, entry.implementation, functions)
    if function in COVERED:
        assert without == with_catalogue
    else:  # checked by a topic checker (initializers, batchnorm_backward, the capstone's
        # training), whose own diagnosis needs the catalogue: it names nothing here
        assert without == with_catalogue or (without is None and with_catalogue not in (None, "passes"))


def test_the_hints_cover_every_function_checked_by_check_example():
    checked = {name.removesuffix("_out") for lesson in lesson_files.all_lessons()
               for name, _, _ in hints.visible_checks(lesson)}
    assert checked == COVERED and len(COVERED) == 29
