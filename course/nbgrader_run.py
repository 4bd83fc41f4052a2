"""Running real nbgrader commands in a course directory.

nbgrader's gradebook calls the ``alembic`` command from PATH, so every subprocess gets
this interpreter's ``bin/`` first on PATH (the venv need not be activated).
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import ROOT, CourseError


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("PYTHONHASHSEED", "0")
    # One BLAS thread per process: graders run kernels and sandboxes side by side, and
    # OpenBLAS's own threads on top of them made mid-size products ~30x slower here.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def nbgrader(root: str | Path, *args: str, timeout: float = 1800) -> str:
    """Run ``nbgrader <args>`` with the course directory ``root``; returns its output.
    Raises CourseError naming the command when it fails."""
    command = [sys.executable, "-m", "nbgrader", *args,
               f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url=sqlite:///{Path(root) / 'gradebook.db'}"]
    try:
        done = subprocess.run(command, cwd=root, env=environment(), capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CourseError(f"nbgrader {args[0]} took over {timeout} s in {root}") from None
    if done.returncode != 0:
        last = [line for line in done.stderr.splitlines() if line.strip()][-3:]
        raise CourseError(f"nbgrader {' '.join(args)} failed: {' | '.join(last)}")
    return done.stdout + done.stderr


def new_course(root: str | Path) -> Path:
    """A course directory at ``root`` with this course's nbgrader configuration."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


#: nbgrader's own summary lines, which say that something failed but not what.
GENERIC = ("There was an error processing", "see the the above", "Removing failed assignment",
           "Traceback (most recent call last)")


def why_failed(log: str) -> str:
    """nbgrader's own error lines (``[ERROR] No notebooks found, ...``), else the last
    exception raised, as one line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = []
    for line in lines:
        if line.startswith("[ERROR]") and not any(g in line for g in GENERIC):
            text = line[len("[ERROR]"):].strip()
            if text not in errors:
                errors.append(text)
    raised = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit)\b.*:", line)
              and not any(g in line for g in GENERIC)]
    reason = " | ".join(errors) if errors else raised[-1] if raised else "no reason given"
    return reason[:400]
