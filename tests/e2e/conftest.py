"""End-to-end fixtures: a JupyterLab server over a temporary copy of the course, and a
headless Debian Chromium driven by Playwright.

The browser is Debian's ``chromium`` package at /usr/bin/chromium (Playwright's own
browser download cannot work here). Without it, or without Playwright, the tests skip
with the reason, except under CI (CI=true), where they fail: CI installs both.

The fixtures are package-scoped (this folder is a package), so the server and the
browser stop as soon as the end-to-end tests are done, before the rest of the suite.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from course.lab import lab_environment
from course.submissions import fill, solutions
from . import e2e_lab
from .e2e_lab import lessons

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Debian's package; E2E_CHROMIUM may name another Chromium build on a developer's machine.
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end test in a real browser (make e2e)")


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def unavailable(reason):
    """Skip on a developer's machine; fail under CI, where the browser must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, so this is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(reason)


# --- what was checked, per lesson, printed at the end of the session ---------------------

@dataclass
class Summary:
    seconds: float = 0.0  # the end-to-end tests' own time (setup, call, teardown)
    rows: dict = field(default_factory=dict)   # lesson -> {column: text}
    notes: list = field(default_factory=list)  # (what, seconds, result)

    def lesson(self, name):
        return self.rows.setdefault(name, {})

    def table(self):
        columns = ["run all", "errors", "a11y", "widgets", "controls changed", "Validate solved",
                   "Validate untouched", "time solved", "time untouched"]
        lines = ["| lesson | " + " | ".join(columns) + " |",
                 "|---" * (len(columns) + 1) + "|"] if self.rows else []
        for name, row in sorted(self.rows.items()):
            lines.append(f"| {name} | " + " | ".join(row.get(c, "not run") for c in columns) + " |")
        for name, row in sorted(self.rows.items()):
            if row.get("details"):
                lines.append(f"\n{name} controls: " + "; ".join(row["details"]))
        for what, seconds, result in self.notes:
            lines.append(f"\n{what}: {result} ({seconds:.1f} s)")
        lines.append(f"\nend-to-end tests in all: {self.seconds:.1f} s")
        return "\n".join(lines)


SUMMARY = Summary()


@pytest.fixture(scope="package")
def summary():
    return SUMMARY


def pytest_terminal_summary(terminalreporter):
    if not SUMMARY.rows and not SUMMARY.notes:
        return
    text = SUMMARY.table()
    terminalreporter.section("end-to-end checks (tests/e2e/artifacts/summary.md)")
    terminalreporter.write_line(text)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "summary.md").write_text(text + "\n")


def pytest_runtest_logreport(report):
    if report.nodeid.startswith("tests/e2e/") or "/e2e/" in report.nodeid:
        SUMMARY.seconds += report.duration


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# --- the browser -------------------------------------------------------------------------

@pytest.fixture(scope="package")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.iterdir():
        if old.is_file():
            old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="package")
def browser_available():
    """Skip (or, under CI, fail) before starting anything when the browser is missing."""
    if not CHROMIUM.exists():
        unavailable(f"no browser at {CHROMIUM}: install Debian's chromium package "
                    "(`apt-get install chromium`) or run `make e2e`, which installs it")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright for Python is not installed: `pip install -e '.[dev]'`")


@pytest.fixture(scope="package")
def chromium(browser_available):
    """Debian's Chromium, headless, with a fresh profile."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="e2e-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(60_000)
        yield context
        context.close()


class PageLog:
    """What went wrong in the page: uncaught exceptions, console errors, failed requests."""

    def __init__(self, page):
        self.errors = []
        page.on("pageerror", lambda error: self.errors.append(f"uncaught exception: {error}"))
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.request.method} {r.url}")
                if r.status >= 400 else None)


@pytest.fixture
def page(chromium, lab, artifacts, request):
    """A new browser tab; on failure its screenshot goes to the artifacts. Afterwards the
    server's kernels are shut down so that lessons do not pile up on two cores."""
    page = chromium.new_page()
    page.log = PageLog(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = request.node.name.replace("/", "_").replace("[", "-").rstrip("]")
        try:
            page.screenshot(path=str(artifacts / f"FAILED-{name}.png"))
        except Exception:  # noqa: BLE001 (the page may be gone; the failure is reported anyway)
            pass
    page.close()
    lab.shutdown_kernels()


# --- the server --------------------------------------------------------------------------

@dataclass
class Lab:
    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log: Path

    def url(self, path="", **query):
        query = {**query, "token": self.token}
        return f"http://127.0.0.1:{self.port}/{path}?" + urllib.parse.urlencode(query)

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE")
        for kernel in self.api("api/kernels"):
            self.api(f"api/kernels/{kernel['id']}", method="DELETE")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(base):
    """The project's environment first on PATH (nbgrader needs `alembic`), and Jupyter's
    user configuration, data, runtime and settings in the temporary directory, so that
    nothing in the developer's home (a kernel spec, a setting) changes what is tested."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    config = base / "jupyter-config"
    settings = config / "lab" / "user-settings" / "@jupyterlab"
    for plugin, values in {
        # every cell in the DOM, so that the tests see all outputs (no news pop-up either:
        # course.lab's configuration, which the server gets, turns it off as `make lab` does)
        "notebook-extension/tracker": {"windowingMode": "none"},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(base / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(config / "lab" / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(config / "lab" / "workspaces"),
               IPYTHONDIR=str(base / "ipython"), PYTHONHASHSEED="0")
    return env


RELEASE = """
import sys
from traitlets.config.loader import PyFileConfigLoader
from nbgrader.apps import NbGraderAPI
config = PyFileConfigLoader("nbgrader_config.py", path=sys.argv[1]).load_config()
config.CourseDirectory.root = sys.argv[1]
api = NbGraderAPI(config=config)
for assignment in sys.argv[2:]:
    result = api.release_assignment(assignment)
    if not result["success"]:
        sys.exit(f"release_assignment {assignment} failed: {result.get('error')} {result.get('log')}")
"""


def make_course(base):
    """A course directory (release/, source/, nbgrader_config.py) whose nbgrader exchange
    is private, with every lesson released into it, and each lesson's release notebook
    filled in with the instructor's solutions at work/<lesson>/<notebook>."""
    course = base / "course"
    course.mkdir()
    for folder in ("release", "source"):
        shutil.copytree(e2e_lab.ROOT / folder, course / folder)
    shutil.copy(e2e_lab.ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\n# end-to-end tests: a private exchange\nc.Exchange.root = {str(exchange)!r}\n")
    for lesson, notebook in lessons():
        release = nbformat.read(course / "release" / lesson / notebook, as_version=4)
        source = nbformat.read(course / "source" / lesson / notebook, as_version=4)
        target = course / "work" / lesson / notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill(release, solutions(source)), target)
    return course, exchange


@pytest.fixture(scope="package")
def lab(browser_available, tmp_path_factory, summary, artifacts):
    """JupyterLab from the project's environment on 127.0.0.1, a random free port and a
    token, serving a temporary copy of the course; stopped (its whole process group) at
    the end of the session."""
    base = tmp_path_factory.mktemp("e2e")
    started = time.perf_counter()
    course, exchange = make_course(base)
    env = environment(base)
    assignments = sorted({lesson for lesson, _ in lessons()})
    done = subprocess.run([sys.executable, "-c", RELEASE, str(course), *assignments], cwd=course,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    released = sorted(p.name for p in (exchange / "nn-from-scratch" / "outbound").iterdir())
    summary.notes.append(("course copy and nbgrader release_assignment into a temporary exchange",
                          time.perf_counter() - started, f"{len(released)} assignments released"))

    log = base / "jupyterlab.log"
    started = time.perf_counter()
    # JupyterLab with `make lab`'s settings (course/lab.py), as a student gets it
    server = start_lab(course, lab_environment(course / "work", base=env), log)
    summary.notes.append(("JupyterLab start", time.perf_counter() - started, f"port {server.port}"))
    try:
        yield server
    finally:
        stop(server.process)
        shutil.copy(log, artifacts / "jupyterlab.log")


def start_lab(root, env, log):
    """A JupyterLab server on 127.0.0.1 serving ``root``, in the environment ``env``,
    its output in ``log``; waits until it answers."""
    server = None
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        port, token = free_port(), secrets.token_hex(16)
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with open(log, "w") as out:
            process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        candidate = Lab(root, port, token, process, log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                candidate.api("api/status")
                server = candidate
                break
            except OSError:
                time.sleep(0.25)
        if server:
            break
        stop(process)
    assert server, f"JupyterLab did not start; its log:\n{log.read_text()[-3000:]}"
    return server


def stop(process):
    """Stop a server and everything it started (kernels): its whole process group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
        except ProcessLookupError:
            pass
    # kernels are in the server's process group too; make sure none outlives it
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
