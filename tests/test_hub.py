"""A term's round trip on a real JupyterHub through nbgrader's exchange.

On 127.0.0.1: a JupyterHub (PAM login, the default LocalProcessSpawner, which as root
starts each single-user server as its account), its proxy (configurable-http-proxy from
npm, installed in node_modules/ by ``npm ci``), two real Unix accounts made for the test
(``useradd``, ``chpasswd``; removed afterwards) and nbgrader's exchange in a shared
folder (mode 1777, as nbgrader documents). The instructor (root, a scratch course)
releases lesson 01; each student logs in with the hub's form, starts a server, and,
through its REST and kernel APIs as JupyterLab would, fetches the lesson, saves an
answer, runs the notebook, validates and submits it. The instructor collects, grades
with ``course grade``, generates and releases feedback; student 1 fetches it.

The students' servers and kernels run in their own environment: Debian's Python 3.11
with the project's installed packages hard-linked in, minus the course itself (a
student's image has no course installed), so ``import helpers`` finds only what the
fetched lesson carries. It lives in a folder every account can read: the project's own
environment may lie below a private home (its interpreter does here, in /root).

Needs root (it makes accounts), bubblewrap (grading), node_modules/ (``npm ci``) and
/usr/bin/python3.11; elsewhere it skips with the reason, and with CI=true it fails.
"""
import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from course import ROOT, CourseError, cells, lesson_files
from course.nbgrader_run import environment, nbgrader, new_course
from course.submissions import fill, solutions

LESSON = lesson_files.find(["01_forward_propagation"])[0]
COURSE_ID = "nn-from-scratch"  # nbgrader_config.py's
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENT_PYTHON = Path("/usr/bin/python3.11")
WRONG = "def dense_forward(x, W, b):\n    return x @ W  # wrong: no bias\n"
START_TIMEOUT = 120  # seconds for the hub, a server or a kernel to answer


def missing(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must provide it (.ci/run)")
    pytest.skip(reason)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what, ready, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = ready()
            if value:
                return value
        time.sleep(0.5)
    raise AssertionError(f"{what} not ready within {timeout} s")


# --- the students' environment and accounts ----------------------------------------------

def student_environment(folder):
    """A venv of Debian's Python with the project's packages but not the course."""
    env = folder / "student-env"
    subprocess.run([str(STUDENT_PYTHON), "-m", "venv", "--without-pip", str(env)], check=True)
    site = env / "lib" / "python3.11" / "site-packages"
    shutil.rmtree(site)
    project_site = sysconfig.get_paths()["purelib"]
    if subprocess.run(["cp", "-al", project_site, str(site)], capture_output=True).returncode:
        shutil.rmtree(site, ignore_errors=True)  # another filesystem: copy instead of linking
        shutil.copytree(project_site, site, symlinks=True)
    for path in site.glob("*nn_from_scratch*"):  # the editable install of the course
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return env / "bin" / "python"


def make_account(name):
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True,
                   capture_output=True)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return password


def remove_account(name):
    # processes the hub started for the account and left behind, by their ids
    done = subprocess.run(["ps", "-u", name, "-o", "pid="], capture_output=True, text=True)
    for pid in done.stdout.split():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


# --- the hub -----------------------------------------------------------------------------

HUB_CONFIG = """\
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.pid_file = "{folder}/proxy.pid"
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session (utmp) for a test's accounts
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.environment = {{"PATH": {path!r}}}
c.Spawner.start_timeout = {timeout}
c.Spawner.http_timeout = {timeout}
"""


class Hub:
    def __init__(self, folder, python, users):
        import requests
        self.requests = requests
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = folder / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), proxy_port=free_port(), folder=folder,
            proxy=str(PROXY), users=set(users), python=str(python), timeout=START_TIMEOUT,
            path=f"{python.parent}:/usr/bin:/bin"))
        self.log = open(folder / "jupyterhub.log", "wb")
        env = {**environment(), "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                        cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for("the hub", self.answers)

    def answers(self):
        if self.process.poll() is not None:
            pytest.fail(f"the hub stopped: {self.tail()}")
        return self.requests.get(f"{self.base}/hub/api", timeout=5).status_code == 200

    def tail(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def login(self, name, password):
        """A browser's login: the form, with its XSRF token; returns the session."""
        session = self.requests.Session()
        session.get(f"{self.base}/hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf")
        done = session.post(f"{self.base}/hub/login", data={"username": name, "password": password,
                                                           "_xsrf": xsrf}, allow_redirects=False, timeout=60)
        session.logged_in = done.status_code == 302 and "login" not in done.headers.get("Location", "/login")
        # the hub binds a new XSRF token to the logged-in session: the API wants that one
        session.get(f"{self.base}/hub/home", timeout=30)
        tokens = [cookie.value for cookie in session.cookies if cookie.name == "_xsrf"]
        session.headers["X-XSRFToken"] = tokens[-1]
        return session

    def start_server(self, session, name):
        """Start the account's server; returns a token for its API."""
        done = session.post(f"{self.base}/hub/api/users/{name}/server", timeout=60)
        assert done.status_code in (201, 202), (done.status_code, done.text, self.tail())
        wait_for(f"{name}'s server", lambda: session.get(
            f"{self.base}/hub/api/users/{name}", timeout=10).json()["servers"][""]["ready"])
        token = session.post(f"{self.base}/hub/api/users/{name}/tokens",
                             json={"note": "test_hub", "expires_in": 900}, timeout=30)
        assert token.status_code == 201, (token.status_code, token.text)
        return Server(self, name, token.json()["token"])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the hub stops its proxy and servers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def binary_message(raw):
    """The JSON part of a kernel message sent with binary buffers (Jupyter's websocket
    format: a count, the parts' offsets, each a big-endian uint32, then the parts)."""
    count = struct.unpack(">I", raw[:4])[0]
    offsets = struct.unpack(f">{count}I", raw[4:4 + 4 * count])
    return raw[offsets[0]:offsets[1] if count > 1 else None]


class Server:
    """One student's single-user server, driven through its REST and kernel APIs."""

    def __init__(self, hub, name, token):
        self.hub, self.name = hub, name
        self.api = f"{hub.base}/user/{name}/api"
        self.headers = {"Authorization": f"token {token}"}

    def call(self, method, path, **kwargs):
        done = self.hub.requests.request(method, f"{self.api}/{path}", headers=self.headers,
                                         timeout=60, **kwargs)
        assert done.status_code < 300, (method, path, done.status_code, done.text[:500])
        return done.json() if done.content else None

    def save(self, path, nb):
        """What JupyterLab's save does."""
        self.call("PUT", f"contents/{path}", json={"type": "notebook", "format": "json", "content": nb})

    def kernel(self, notebook=None):
        """A kernel; with ``notebook``, a session of it, started in the notebook's folder."""
        if notebook is None:
            return self.call("POST", "kernels", json={"name": "python3"})["id"]
        session = self.call("POST", "sessions", json={"path": notebook, "type": "notebook",
                                                      "name": Path(notebook).name, "kernel": {"name": "python3"}})
        return session["kernel"]["id"]

    def execute(self, kernel, code, timeout=START_TIMEOUT):
        """Run ``code`` in the kernel; (what it printed, its error or None)."""
        return asyncio.run(self._execute(kernel, [code], timeout))[0]

    def run_all(self, kernel, codes, timeout=START_TIMEOUT):
        """Run each code in turn on one connection, as Run All does; [(printed, error)]."""
        return asyncio.run(self._execute(kernel, codes, timeout))

    async def _execute(self, kernel, codes, timeout):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = f"{self.api}/kernels/{kernel}/channels".replace("http://", "ws://", 1)
        socket_ = await asyncio.wait_for(websocket_connect(HTTPRequest(url, headers=self.headers)), timeout)
        session, results = uuid.uuid4().hex, []
        try:
            for code in codes:
                msg_id = uuid.uuid4().hex
                socket_.write_message(json.dumps({
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                               "session": session, "date": "", "version": "5.3"},
                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                    "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                                "allow_stdin": False, "stop_on_error": False}}))
                printed, error = [], None
                while True:
                    raw = await asyncio.wait_for(socket_.read_message(), timeout)
                    assert raw is not None, "the kernel's websocket closed"
                    message = json.loads(raw if isinstance(raw, str) else binary_message(raw))
                    if message.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind, content = message["msg_type"], message["content"]
                    if kind == "stream":
                        printed.append(content["text"])
                    elif kind == "error":
                        error = f"{content['ename']}: {content['evalue']}"
                    elif kind == "status" and content["execution_state"] == "idle":
                        break
                results.append(("".join(printed), error))
            return results
        finally:
            socket_.close()

    def nbgrader(self, kernel, *args, folder="~"):
        """``nbgrader <args>`` run by the student's kernel (so as the account), in ``folder``."""
        code = ("import json, os, subprocess, sys\n"
                f"done = subprocess.run([sys.executable, '-m', 'nbgrader', *{list(args)!r}],\n"
                f"                      cwd=os.path.expanduser({folder!r}), capture_output=True, text=True)\n"
                "print(json.dumps([done.returncode, done.stdout + done.stderr]))\n")
        printed, error = self.execute(kernel, code)
        assert error is None, error
        code, output = json.loads(printed.strip().splitlines()[-1])
        assert code == 0, f"nbgrader {args[0]} as {self.name} failed: {output[-2000:]}"
        return output


# --- the term --------------------------------------------------------------------------

def exchange_options(exchange):
    return [f"--Exchange.root={exchange}", f"--CourseDirectory.course_id={COURSE_ID}"]


@pytest.fixture(scope="module")
def term():
    if os.geteuid() != 0:
        pytest.skip("the hub test makes Unix accounts and starts servers as them: run it as root")
    for tool in ("useradd", "chpasswd", "userdel", "bwrap", "node"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed")
    if not os.access(PROXY, os.X_OK):
        missing(f"{PROXY.relative_to(ROOT)} is missing: run npm ci in {ROOT}")
    if not STUDENT_PYTHON.exists():
        missing(f"{STUDENT_PYTHON} (Debian's python3.11) is missing")
    try:
        import jupyterhub  # noqa: F401
        import requests  # noqa: F401
    except ImportError as error:
        missing(f"{error.name} is not installed (pip install -e '.[dev]')")

    shared = Path(tempfile.mkdtemp(prefix="course-hub-"))
    shared.chmod(0o755)  # every account reads the students' environment from here
    tag = secrets.token_hex(3)
    students = [f"hubstudent{tag}a", f"hubstudent{tag}b"]
    hub = None
    record = {"students": students, "seconds": {}}
    try:
        start = time.perf_counter()
        python = student_environment(shared)
        exchange = shared / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)
        course = Path(tempfile.mkdtemp(prefix="course-hub-instructor-"))  # private to root
        root = new_course(course / "course")
        for tree in ("source", "release"):
            shutil.copytree(ROOT / tree / LESSON.name, root / tree / LESSON.name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        nbgrader(root, "release_assignment", LESSON.name, *exchange_options(exchange))
        passwords = {name: make_account(name) for name in students}
        hub = Hub(shared, python, students)
        record["seconds"]["setup"] = time.perf_counter() - start

        source = nbformat.read(ROOT / "source" / LESSON.name / LESSON.notebook_name, as_version=4)
        release = nbformat.read(ROOT / "release" / LESSON.name / LESSON.notebook_name, as_version=4)
        answers = solutions(source)
        notebooks = {students[0]: fill(release, answers),
                     students[1]: fill(release, {**answers, "dense_forward": WRONG})}
        path = f"{LESSON.name}/{LESSON.notebook_name}"
        servers = {}
        for name in students:
            session = hub.login(name, passwords[name])
            record.setdefault("login", {})[name] = session.logged_in
            record.setdefault("bad_password", {})[name] = hub.login(name, "not " + passwords[name]).logged_in
            server = servers[name] = hub.start_server(session, name)
            shell = server.kernel()
            record.setdefault("whoami", {})[name] = server.execute(shell, "import getpass; print(getpass.getuser())")[0]
            server.nbgrader(shell, "fetch_assignment", LESSON.name, *exchange_options(exchange))
            fetched = server.call("GET", f"contents/{LESSON.name}")
            record.setdefault("fetched", {})[name] = sorted(item["name"] for item in fetched["content"])
            server.save(path, notebooks[name])
            lab = server.kernel(path)
            printed, error = server.execute(lab, (
                "import importlib.util, json, os, helpers, helpers.reference\n"
                "print(json.dumps([os.path.dirname(helpers.__file__), importlib.util.find_spec('course') is None,\n"
                f"                  [f for f in {sorted(cells.functions(source))!r} if hasattr(helpers.reference, f)]]))"))
            assert error is None, error
            record.setdefault("imports", {})[name] = json.loads(printed.strip().splitlines()[-1])
            code_cells = [cell for cell in notebooks[name].cells if cell.cell_type == "code"]
            ran = server.run_all(lab, [cell.source for cell in code_cells])
            record.setdefault("run_errors", {})[name] = [
                (cell.metadata.get("nbgrader", {}).get("grade_id"), error)
                for cell, (_, error) in zip(code_cells, ran) if error]
            record.setdefault("validate", {})[name] = server.nbgrader(
                shell, "validate", LESSON.notebook_name, folder=f"~/{LESSON.name}")
            server.nbgrader(shell, "submit", LESSON.name, *exchange_options(exchange))
        record["seconds"]["students"] = time.perf_counter() - start - record["seconds"]["setup"]

        nbgrader(root, "collect", LESSON.name, *exchange_options(exchange))
        graded = subprocess.run([sys.executable, "-m", "course", "grade", LESSON.name, "--course-dir", str(root)],
                                cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=600)
        assert graded.returncode == 0, graded.stdout + graded.stderr
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            record["scores"] = {name: (gradebook.find_submission(LESSON.name, name).score,
                                       gradebook.find_submission(LESSON.name, name).max_score)
                                for name in students}
        try:  # a failure here is the feedback test's, not every test's
            made = subprocess.run([sys.executable, "-m", "course", "feedback", LESSON.name, "--course-dir", str(root)],
                                  cwd=ROOT, env=environment(), capture_output=True, text=True, timeout=600)
            assert made.returncode == 0, made.stdout + made.stderr  # the README's way: pages checked for leaks
            nbgrader(root, "release_feedback", LESSON.name, *exchange_options(exchange))
            first = servers[students[0]]
            first.nbgrader(first.kernel(), "fetch_feedback", LESSON.name, *exchange_options(exchange))
            printed, error = first.execute(first.kernel(), (
                "import glob, os\n"
                f"for page in glob.glob(os.path.expanduser('~/{LESSON.name}/feedback/*/*.html')):\n"
                "    print(page, open(page).read())"))
            assert error is None, error
            record["feedback"] = printed
        except (CourseError, AssertionError) as error:
            record["feedback_error"] = str(error)
        record["seconds"]["total"] = time.perf_counter() - start
        print(f"hub term: {record['seconds']}")
        yield record
    finally:
        if hub is not None:
            hub.stop()
        for name in students:
            remove_account(name)
        shutil.rmtree(shared, ignore_errors=True)
        with contextlib.suppress(NameError):
            shutil.rmtree(course, ignore_errors=True)


def test_students_log_in_with_their_password_and_run_as_themselves(term):
    assert all(term["login"].values()) and not any(term["bad_password"].values())
    assert {name: printed.strip() for name, printed in term["whoami"].items()} == \
        {name: name for name in term["students"]}


def test_the_fetched_lesson_carries_its_helpers_and_no_solution(term):
    for name in term["students"]:
        assert term["fetched"][name] == sorted(["helpers", LESSON.notebook_name])
        folder, no_course, reference = term["imports"][name]
        assert folder == f"/home/{name}/{LESSON.name}/helpers"
        assert no_course and reference == []  # none of lesson 01's solutions is reachable


def test_the_solution_runs_and_validates_and_the_wrong_answer_does_not(term):
    good, wrong = term["students"]
    assert term["run_errors"][good] == []
    # in the student's own kernel mlp_forward calls their wrong dense_forward, so its tests fail too
    assert [grade_id for grade_id, _ in term["run_errors"][wrong]] == [
        "test_dense_forward", "test_dense_forward_more", "test_mlp_forward", "test_mlp_forward_more"]
    assert "Success! Your notebook passes all the tests." in term["validate"][good]
    assert "VALIDATION FAILED" in term["validate"][wrong]


def test_the_gradebook_has_full_marks_for_one_and_less_for_the_other(term):
    good, wrong = term["students"]
    score, maximum = term["scores"][good]
    assert maximum > 0 and score == maximum
    assert term["scores"][wrong][0] < maximum


def test_the_student_fetches_feedback_with_their_score(term):
    assert "feedback_error" not in term, term.get("feedback_error")
    good = term["students"][0]
    score, maximum = term["scores"][good]
    assert re.search(rf"{LESSON.name} \(Score: {score:.1f} / {maximum:.1f}\)", term["feedback"])
