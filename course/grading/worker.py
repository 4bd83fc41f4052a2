"""One grading worker: ``python -m course.grading.worker ROOT ASSIGNMENT DB_URL STUDENT...``.

Runs nbgrader's own autograde (through its Python API, so nbgrader starts once per
worker, not once per student) for each student in turn, and prints one JSON line per
student: ``{"student", "success", "seconds", "log"}``. A student whose grading fails is
reported and the worker goes on with the next.
"""
import json
import sys
import time

TRANSIENT = ("Kernel didn't respond", "Address already in use", "Kernel died before replying")


def main(root, assignment, db_url, students):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=root).load_config()
    config.CourseDirectory.root = root
    config.CourseDirectory.db_url = db_url
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    for student in students:
        start = time.perf_counter()
        for attempt in range(2):
            try:
                result = api.autograde(assignment, student, force=True, create=True)
            except Exception as error:  # nbgrader's own failure is this student's report
                result = {"success": False, "error": f"{type(error).__name__}: {error}"}
            log = (result.get("log") or "") + (result.get("error") or "")
            # Workers start kernels on random TCP ports; on the rare collision between two
            # workers (nbgrader issue #174) the kernel never answers: try that student again.
            if result.get("success") or not any(s in log for s in TRANSIENT):
                break
        print(json.dumps({
            "student": student,
            "success": bool(result.get("success")),
            "seconds": time.perf_counter() - start,
            "log": (result.get("log") or "") + (result.get("error") or ""),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
