"""`make lab` opens JupyterLab without the "get notified about official Jupyter news?"
pop-up, which covers the plots: the suite's server runs with course/lab.py's
configuration (see the ``lab`` fixture), and a page of it shows no such toast, while a
server over the same course without that configuration does (so the check can see one)."""
import time

from course.lab import SETTINGS
from .conftest import environment, start_lab, stop

NEWS = "notified about official Jupyter news"
PLUGIN = "@jupyterlab/apputils-extension:notification"


def news_toast(page, server, wait=8.0):
    """Open JupyterLab's start page; True if the news toast shows within ``wait`` seconds
    of the application being ready."""
    page.goto(server.url("lab", reset=""))
    page.wait_for_selector("#jp-main-dock-panel", timeout=90_000)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if page.get_by_text(NEWS).count():
            return True
        time.sleep(0.25)
    return False


def test_make_lab_has_no_news_popup_and_says_so_in_its_settings(page, lab, summary, artifacts, tmp_path):
    started = time.perf_counter()
    schema = lab.api(f"lab/api/settings/{PLUGIN}")["schema"]["properties"]
    assert schema["fetchNews"]["default"] == SETTINGS[PLUGIN]["fetchNews"] == "false"
    assert not news_toast(page, lab), "make lab's JupyterLab asks about Jupyter news"
    page.screenshot(path=str(artifacts / "lab-without-news-popup.png"))

    # the control: the same JupyterLab without course/lab.py's configuration asks
    bare = start_lab(lab.root, environment(tmp_path), tmp_path / "bare.log")
    try:
        shown = news_toast(page, bare, wait=20.0)
        page.screenshot(path=str(artifacts / "lab-control-with-news-popup.png"))
    finally:
        stop(bare.process)
    assert shown, "without the course's settings no news toast appeared: this test cannot see one"
    summary.notes.append(("make lab's settings: no Jupyter news pop-up (a bare JupyterLab shows it)",
                          time.perf_counter() - started, "fetchNews default 'false'"))
