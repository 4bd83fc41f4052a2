"""Test tiers. Each slow kind of test has a marker; every test of a slow kind is also
``slow``. ``make test-fast`` runs ``-m "not slow"`` (the inner loop: references, the check
harness, the catalogue, plots and lessons, in-process); ``make test`` runs everything."""
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("course", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))

KINDS = {
    "nbgrader": "runs real nbgrader commands (build, autograde, validate, feedback)",
    "sandbox": "starts bubblewrap sandboxes",
    "bundle": "builds student bundles and runs their notebooks",
    "postgres": "starts a PostgreSQL server",
    "dask": "starts a Dask scheduler and workers on 127.0.0.1",
    "hub": "starts a JupyterHub with local Unix accounts",
    "e2e": "drives JupyterLab in a real browser (tests/e2e)",
}
# The kind of each module whose tests are all of one slow kind; a single slow test in an
# otherwise fast module carries its marker itself.
SLOW_MODULES = {
    "test_bundle": "bundle",
    "test_capstone_timing": "sandbox",
    "test_cluster": "dask",
    "test_cli": "nbgrader",
    "test_demo": "nbgrader",
    "test_feedback_leaks": "nbgrader",
    "test_formgrader": "postgres",
    "test_grade_cli": "nbgrader",
    "test_grade_equivalence": "nbgrader",
    "test_grade_kernels": "sandbox",
    "test_grading_integrity": "nbgrader",
    "test_grading_isolation": "nbgrader",
    "test_grading_policy": "nbgrader",
    "test_hub": "hub",
    "test_postgres": "postgres",
    "test_release_helpers": "nbgrader",
    "test_sandbox": "sandbox",
    "test_students_own_cells": "nbgrader",
    "test_term": "nbgrader",
}


def pytest_configure(config):
    for kind, what in KINDS.items():
        config.addinivalue_line("markers", f"{kind}: {what} (slow)")
    config.addinivalue_line("markers", "slow: of a slow kind; make test-fast leaves it out")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items):
    for item in items:
        module = item.path.stem
        kind = "e2e" if item.path.parent.name == "e2e" else SLOW_MODULES.get(module)
        if kind:
            item.add_marker(getattr(pytest.mark, kind))
        if any(item.get_closest_marker(k) for k in KINDS):
            item.add_marker(pytest.mark.slow)
