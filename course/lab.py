"""``python -m course lab``: a self-learner's working copies, opened in JupyterLab.

The committed release/ notebooks stay pristine; each is copied once to work/<lesson>/,
and an existing copy is never overwritten, so a student's answers survive updates.

JupyterLab opens with the course's default settings (:data:`SETTINGS`): no pop-up asking
whether to fetch Jupyter news, which would cover the plots. They are defaults, written
as ``labconfig/default_setting_overrides.json`` in a configuration folder of the course's
own (work/.jupyter-lab-config/, put first on ``JUPYTER_CONFIG_PATH``), so a student's own
settings still win.
"""
import json
import os
import shutil
import sys

from . import ROOT
from .nbgrader_run import environment

#: JupyterLab settings the course changes, by plugin: news are never fetched, so the
#: "get notified about Jupyter news?" toast never asks, and no update check either.
SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def copy_lessons(work):
    for folder in sorted((ROOT / "release").iterdir()):
        for notebook in folder.glob("*.ipynb"):
            target = work / folder.name / notebook.name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(notebook, target)
                print(f"copied {notebook.relative_to(ROOT)} to {target.relative_to(ROOT)}")


def lab_config(work):
    """Write the course's JupyterLab defaults under ``work``; returns the configuration
    folder to put first on ``JUPYTER_CONFIG_PATH``."""
    config = work / ".jupyter-lab-config"
    overrides = config / "labconfig" / "default_setting_overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(SETTINGS, indent=2) + "\n")
    return config


def lab_environment(work, base=None):
    """The environment JupyterLab runs in: the project's (``base``, by default
    :func:`course.nbgrader_run.environment`), with the course's configuration folder first."""
    env = dict(environment() if base is None else base)
    paths = [str(lab_config(work)), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def lab_command(work, extra_args=()):
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={work}", *extra_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
    return command


def lab(extra_args):
    work = ROOT / "work"
    copy_lessons(work)
    command = lab_command(work, extra_args)
    os.execvpe(command[0], command, lab_environment(work))
