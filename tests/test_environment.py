"""environment.yml repeats pyproject.toml's dependency list: the two must agree."""
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {p for p in pip if not p.startswith("-e")}
    assert listed == wanted
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.split("=")[1] >= project["requires-python"].lstrip(">=")


def test_installed_versions_satisfy_the_pins():
    from importlib.metadata import version
    from packaging.requirements import Requirement
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        assert requirement.specifier.contains(version(requirement.name), prereleases=True), line


def test_jupyterlab_loads_nbgraders_and_the_widgets_extensions():
    """nbgrader 0.9.5's extension is flagged incompatible with JupyterLab 4.6; 0.9.6 is not."""
    import os
    import re
    import subprocess
    import sys
    bin_dir = Path(sys.executable).parent
    done = subprocess.run([str(bin_dir / "jupyter"), "labextension", "list"], capture_output=True,
                          text=True, env=dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                                              NO_COLOR="1"), timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert re.search(r"JupyterLab v4\.6\.", text), text
    assert re.search(r"@jupyter/nbgrader v0\.9\.6 enabled OK", text), text
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v5\.\S+ enabled OK", text), text


def test_importing_nbformat_does_not_build_a_grammar():
    """jsonschema 4.25+ imports rfc3987-syntax, whose Lark grammar costs about 2 s of CPU in
    every process that imports nbformat; the pin in pyproject.toml keeps it out."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", "import sys, nbformat, nbgrader.api; "
                           "print(sorted(m for m in ('lark', 'rfc3987_syntax') if m in sys.modules))"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
