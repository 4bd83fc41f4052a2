"""``python -m course lab``: a self-learner's working copies, opened in JupyterLab.

The committed release/ notebooks stay pristine; each is copied once to work/<lesson>/,
and an existing copy is never overwritten, so a student's answers survive updates.
"""
import os
import shutil
import sys

from . import ROOT
from .nbgrader_run import environment


def lab(extra_args):
    work = ROOT / "work"
    for folder in sorted((ROOT / "release").iterdir()):
        for notebook in folder.glob("*.ipynb"):
            target = work / folder.name / notebook.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(notebook, target)
                print(f"copied {notebook.relative_to(ROOT)} to {target.relative_to(ROOT)}")
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={work}", *extra_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
    os.execvpe(command[0], command, environment())
