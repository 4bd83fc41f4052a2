"""The grading sandbox on its own, outside nbgrader."""
import os
import subprocess
import time
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GRADER = """import sys
sys.path.insert(0, {root!r})
with open({marker!r}, "a") as runs:
    runs.write("ran ")
if __name__ == "__main__":
    from course.isolation.sandbox import Sandbox
    for _ in range(3):
        box = Sandbox("double", "def double(x):\\n    return 2 * x\\n")
        print(box.run((3,), {{}}, ("x",))["value"])
        box.close()
"""


def test_a_sandbox_does_not_run_the_graders_main_script_again(tmp_path):
    """An answer process never runs the grader's script again (multiprocessing's forkserver,
    which the sandboxes once used, did: under nbgrader autograde, nbgrader's CLI, seconds
    per graded function)."""
    marker, script = tmp_path / "runs", tmp_path / "grader.py"
    script.write_text(GRADER.format(root=str(ROOT), marker=str(marker)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["6", "6", "6"]
    assert marker.read_text() == "ran "


def test_a_reference_called_with_the_students_generator_draws_from_it_in_order():
    """An earlier lesson's reference runs in the grader; the student's Generator crosses as
    its state, and comes back advanced, so the stream is the one a local call would give."""
    import numpy as np

    from course.isolation.sandbox import Sandbox
    from helpers import reference

    source = ("def init(fan_in, fan_out, rng):\n"
              "    from helpers.reference import he_init\n"
              "    W = he_init(fan_in, fan_out, rng)\n"
              "    return W, rng.standard_normal(3)\n")
    box = Sandbox("init", source, allowed=("he_init",))
    try:
        reply = box.run((4, 3, np.random.default_rng(5)), {}, ("fan_in", "fan_out", "rng"))
    finally:
        box.close()
    assert reply["error"] is None, reply["error"]
    rng = np.random.default_rng(5)
    expected = reference.he_init(4, 3, rng), rng.standard_normal(3)
    np.testing.assert_array_equal(reply["value"][0], expected[0])
    np.testing.assert_array_equal(reply["value"][1], expected[1])


def test_generators_cross_the_wire_as_state_and_nothing_else_does():
    import numpy as np
    import pytest

    from course.isolation import wire

    rng = np.random.Generator(np.random.MT19937(3))
    rng.standard_normal(5)
    back = wire.decode(wire.encode({"a": rng, "b": [rng]}))
    assert back["a"] is back["b"][0]
    np.testing.assert_array_equal(back["a"].random(4), rng.random(4))
    state = wire.encode({"bit_generator": "os.system", "state": {}}).decode()
    forged = f'{{"t": "generator", "id": 99, "v": {state}}}'.encode()
    with pytest.raises(ValueError, match="not the state of a NumPy bit generator"):
        wire.decode(forged)


STALL = """import os, stat, struct, time
def stall(x):
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, struct.pack('!i', 100_000_000) + b'{')
        except OSError:
            pass
    time.sleep(600)
"""


def test_a_process_that_stalls_mid_message_is_killed_within_its_budget():
    import pytest

    from course.isolation.sandbox import Sandbox, SandboxFailure
    box = Sandbox("stall", STALL, budget=2.0)
    try:  # it sleeps, using no CPU: stopped when it has sat idle for as long as its budget
        with pytest.raises(SandboxFailure, match=r"did not finish within its time: it sat waiting "
                           r"for 2 s without using the CPU"):
            box.run((1,), {}, ("x",))
        assert box.pidfd is None  # it was killed
    finally:
        box.close()


BUSY = """
import time
def busy(seconds):
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds
"""


def test_the_budget_is_cpu_time_of_the_answer_process():
    """An answer that needs 1 s of CPU passes with a 1.5 s budget while every core is loaded
    three times over (its wall-clock time is then well above 1.5 s); one that needs more
    than its budget is stopped, and told so."""
    import multiprocessing

    import pytest

    from course.isolation.sandbox import Sandbox, SandboxFailure
    box = Sandbox("busy", BUSY, budget=1.5)  # with the loaders, 1 s of CPU takes about 3.5 s
    loaders = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(3 * os.cpu_count())]
    try:
        box.start()  # the sandbox starts before the load (its start-up is not what is tested)
        for loader in loaders:
            loader.start()
        started = time.monotonic()
        assert box.run((1.0,), {}, ("seconds",))["value"] == 1.0
        took = time.monotonic() - started
        with pytest.raises(SandboxFailure, match="did not finish within the 1.5 s of CPU time"):
            box.run((1.0,), {}, ("seconds",))  # 0.5 s of budget left
    finally:
        box.close()
        for loader in loaders:
            if loader.pid is not None:
                loader.kill()
    print(f"1 s of CPU took {took:.1f} s of wall-clock time under load")


def _spin():
    os.setsid()  # a session of its own: the scheduler's autogroups then share cores per loader
    while True:
        pass


def test_one_answer_runs_at_a_time_and_an_ended_one_starts_again():
    """Starting an answer ends every other process in the sandbox (so answers cannot talk
    to each other); an answer needed again starts again, its cell run again."""
    from course.isolation.sandbox import Sandbox
    first = Sandbox("double", "def double(x):\n    return 2 * x\n")
    second = Sandbox("triple", "def triple(x):\n    return 3 * x\n")
    try:
        assert first.run((2,), {}, ("x",))["value"] == 4
        assert second.run((2,), {}, ("x",))["value"] == 6
        assert first.host is second.host
        assert first.generation != first.host.generation  # ended when the second started
        assert first.run((5,), {}, ("x",))["value"] == 10
    finally:
        first.close()
        second.close()


def test_an_answer_that_kills_the_sandbox_costs_only_itself():
    """An answer may kill every process it can see, the sandbox's zygote included; the
    next function's answer starts in a new sandbox."""
    from course.isolation.sandbox import Sandbox
    killer = Sandbox("kill_all", "import os, signal\ndef kill_all(x):\n    os.kill(-1, signal.SIGKILL)\n")
    after = Sandbox("double", "def double(x):\n    return 2 * x\n")
    try:
        killer.run((1,), {}, ("x",))  # its own value, or its process ended: either is its own
        first = killer.host
        assert after.run((4,), {}, ("x",))["value"] == 8
        assert after.host is not first and first.broken
    finally:
        killer.close()
        after.close()
