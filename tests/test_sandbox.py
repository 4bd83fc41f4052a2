"""The grading sandbox on its own, outside nbgrader."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

GRADER = """import sys
sys.path.insert(0, {root!r})
with open({marker!r}, "a") as runs:
    runs.write("ran ")
if __name__ == "__main__":
    from course.grading.sandbox import Sandbox
    for _ in range(3):
        box = Sandbox("double", "def double(x):\\n    return 2 * x\\n")
        print(box.run((3,), {{}}, ("x",))["value"])
        box.close()
"""


def test_a_sandbox_does_not_run_the_graders_main_script_again(tmp_path):
    """multiprocessing's forkserver would run the grader's script once more in every
    sandbox (under nbgrader autograde, nbgrader's CLI: seconds per graded function)."""
    marker, script = tmp_path / "runs", tmp_path / "grader.py"
    script.write_text(GRADER.format(root=str(ROOT), marker=str(marker)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["6", "6", "6"]
    assert marker.read_text() == "ran "
