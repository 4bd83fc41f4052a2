"""`make lab` (course/lab.py) gives JupyterLab the course's default settings: no "get
notified about Jupyter news?" pop-up. The browser test (tests/e2e/test_e2e_lab_settings.py)
shows it in a page; this checks the configuration JupyterLab reads, with JupyterLab's own
reader of it."""
import json
import os

from course.lab import SETTINGS, lab_command, lab_environment


def test_the_news_setting_is_a_default_that_jupyterlab_reads(tmp_path, monkeypatch):
    env = lab_environment(tmp_path, base={"JUPYTER_CONFIG_PATH": "/elsewhere", "PATH": "/bin"})
    first, rest = env["JUPYTER_CONFIG_PATH"].split(os.pathsep, 1)
    assert rest == "/elsewhere" and env["PATH"] == "/bin"
    written = json.loads((tmp_path / ".jupyter-lab-config" / "labconfig" / "default_setting_overrides.json").read_text())
    assert written == SETTINGS
    assert SETTINGS["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"

    from jupyterlab_server.settings_utils import _get_overrides
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", env["JUPYTER_CONFIG_PATH"])
    overrides, error = _get_overrides(str(tmp_path / "no-app-settings"))
    assert not error
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_the_command_serves_the_work_folder(tmp_path):
    command = lab_command(tmp_path, ["--no-browser"])
    assert command[1:4] == ["-m", "jupyter", "lab"] and f"--ServerApp.root_dir={tmp_path}" in command
    assert "--no-browser" in command
