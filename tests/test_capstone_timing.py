"""The capstone's training budget counts the CPU time of the process that trains, stops a
run when it is used up, and stops a run that waits (a hang) only at a generous multiple of
it in wall-clock time (helpers.checkers.capstone._time_limits). So a busy machine never fails
an honest student, and a runaway training is stopped, not reported minutes later."""
import inspect
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers.checkers import capstone as check_capstone
from helpers.checkers.capstone import check_classifier
from helpers.reference.capstone import train_classifier


def failure(fn):
    with pytest.raises(AssertionError) as raised:
        check_classifier("train_classifier", fn)
    return str(raised.value)


def test_waiting_does_not_count_against_the_budget(monkeypatch):
    """An honest training that also waits 1.5 s of wall-clock time (as it would on a machine
    busy with other work) passes a 1 s budget: it computes for about 0.3 s. Timed by the
    wall clock, as before, it failed."""
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 1.0)

    def waits_then_trains(x_train, y_train, rng):
        time.sleep(1.5)
        return train_classifier(x_train, y_train, rng)
    check_classifier("train_classifier", waits_then_trains)


def test_a_runaway_training_is_stopped_at_its_cpu_budget(monkeypatch):
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 0.5)

    def forever(x_train, y_train, rng):
        while True:
            x_train.sum()
    start = time.monotonic()
    message = failure(forever)
    assert time.monotonic() - start < 5  # stopped at 0.5 s of CPU, not left to run
    assert "The training run was stopped after 0.5 s of CPU time" in message
    assert "other programs running on the machine do not count" in message


def test_an_answer_cannot_swallow_the_stop(monkeypatch):
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 0.3)

    def catches_everything(x_train, y_train, rng):
        while True:
            try:
                while True:
                    x_train.sum()
            except Exception:  # the stop is not an Exception: it goes through
                pass
    assert "stopped after 0.3 s of CPU time" in failure(catches_everything)


def test_a_hung_training_is_stopped_at_a_multiple_of_the_budget_in_wall_clock_time(monkeypatch):
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 0.2)

    def hangs(x_train, y_train, rng):
        time.sleep(60)
    start = time.monotonic()
    message = failure(hangs)
    elapsed = time.monotonic() - start
    assert check_capstone.HANG_FACTOR * 0.2 <= elapsed < 10
    assert f"stopped after {check_capstone.HANG_FACTOR * 0.2:g} s of wall-clock time" in message
    assert "it was waiting, not computing" in message


def test_the_timers_and_handlers_are_restored(monkeypatch):
    before = signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)
    check_classifier("train_classifier", train_classifier)
    assert (signal.getsignal(signal.SIGPROF), signal.getsignal(signal.SIGALRM)) == before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_honest_training_passes_while_every_core_is_busy(monkeypatch):
    """os.cpu_count() other processes spin for the whole check; the honest training still
    passes a budget of 2 s of CPU time (it needs about 0.3 s)."""
    monkeypatch.setattr(check_capstone, "TRAINING_SECONDS", 2.0)
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(os.cpu_count() or 1)]
    try:
        time.sleep(0.2)  # let them take the cores
        check_classifier("train_classifier", train_classifier)
    finally:
        for process in spinners:
            process.kill()
        for process in spinners:
            process.wait()


def test_an_honest_capstone_is_graded_full_marks_while_every_core_is_busy():
    """The grader's own path (course.preprocessors.verify_tests.run_test_cell, each answer in a sandbox
    process) on the lesson's solution of train_classifier, its first test cell (one
    training run, about 760 train_step calls crossing to the grader), while three processes
    per core spin, each in a session of its own (so that the scheduler's autogroups give
    them their full share). The sandbox's budget is CPU time of the answer's own process,
    and it is idle only when it neither talks, computes nor waits to run: the load makes
    grading slower, not wrong. (Before idle time was counted over silent polls only, an
    answer waiting for the grader's replies was counted idle, and this run timed out.)"""
    from course import cells, lesson_files
    from course.isolation.sandbox import Sandbox
    from course.preprocessors.verify_tests import allowed_references, run_test_cell
    from helpers.contracts import CONTRACTS
    from helpers.reference import capstone as course

    nb = lesson_files.read(next(l for l in lesson_files.all_lessons() if l.name == "09_capstone_digits"))
    functions = cells.functions(nb)
    solutions = cells.answers(nb)
    first_test = cells.find(nb, "test_train_classifier").source
    boxes = {}

    def sandbox(function):
        if function not in boxes:
            source = solutions.get(function) or "import numpy as np\n" + inspect.getsource(getattr(course, function))
            boxes[function] = Sandbox(function, source, allowed_references(function, functions),
                                      CONTRACTS[function].budget or 10.0)
        return boxes[function]

    spinners = [subprocess.Popen([sys.executable, "-c", "import os; os.setsid()\nwhile True: pass"])
                for _ in range(3 * (os.cpu_count() or 1))]
    try:
        errors = [output.evalue for output in run_test_cell(first_test, functions, sandbox)
                  if output.output_type == "error"]
    finally:
        for process in spinners:
            process.kill()
        for process in spinners:
            process.wait()
        for box in boxes.values():
            box.close()
    assert errors == [], errors
