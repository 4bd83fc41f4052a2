"""``python -m course <command>``: the course's tooling for contributors and instructors."""
import argparse
import sys
from pathlib import Path

from . import ROOT, CourseError


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that names the fix."""

    def error(self, message):
        raise CourseError(f"{message} (see python -m {self.prog.split()[0]} --help)")


def main(argv=None):
    parser = OneLineParser(prog="course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="command",
                                     parser_class=OneLineParser)
    build = commands.add_parser("build", help="generate source/ and release/ from course/lessons/")
    build.add_argument("assignments", nargs="*", help="lesson names (default: all)")
    check = commands.add_parser("check", help="verify the build, the tests and demo autograding")
    check.add_argument("assignments", nargs="*", help="lesson names (default: all)")
    grade = commands.add_parser("grade", help="autograde every submitted student (nbgrader), in parallel")
    grade.add_argument("assignment", help="the lesson to grade, e.g. 01_forward_propagation")
    grade.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    _gradebook_options(grade)
    grade.add_argument("--student", action="append", default=None, metavar="ID",
                       help="grade only this student (repeatable)")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run student code without bubblewrap (NOT isolated: only where it "
                            "cannot be installed; the report says so)")
    grade.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="grade on the workers of this Dask cluster (dask scheduler / dask worker), "
                            "not on --jobs local workers; the gradebook is written here")
    report = commands.add_parser("report", help="grades as CSV and a report with plots (HTML)")
    report.add_argument("assignment", help="the lesson, e.g. 01_forward_propagation")
    _gradebook_options(report)
    report.add_argument("--out", default=None, metavar="DIR",
                        help="where to write it (default: reports/<assignment>/ in the course directory)")
    feedback = commands.add_parser("feedback", help="nbgrader feedback for students, hidden tests removed")
    feedback.add_argument("assignment", help="the lesson, e.g. 01_forward_propagation")
    _gradebook_options(feedback)
    feedback.add_argument("--student", action="append", default=None, metavar="ID",
                          help="only this student (repeatable)")
    demo = commands.add_parser("demo", help="grade a synthetic class and write its report, in demo/")
    demo.add_argument("--lesson", default=None, help="the lesson (default 01_forward_propagation)")
    demo.add_argument("--dir", default=None, help="the demo's course directory (default: demo/)")
    demo.add_argument("--jobs", type=int, default=2, help="grading workers (default 2)")
    bundle = commands.add_parser("student-bundle",
                                 help="what a student receives for a lesson: notebook + helpers without solutions")
    bundle.add_argument("assignment", help="the lesson, e.g. 01_forward_propagation")
    bundle.add_argument("--out", default=None, metavar="DIR",
                        help="where to write <lesson>/ and <lesson>.zip (default: bundles/)")
    lab = commands.add_parser("lab", help="copy the release notebooks to work/ and open JupyterLab")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    try:
        args = parser.parse_args(argv)
        return run(args)
    except CourseError as error:
        print(f"course: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


def _gradebook_options(command):
    command.add_argument("--db", default=None, metavar="URL",
                         help="gradebook URL, e.g. postgresql://user@host/gradebook "
                              "(default: nbgrader_config.py's db_url, else sqlite:///gradebook.db)")
    command.add_argument("--course-dir", default=None, metavar="DIR",
                         help="the nbgrader course directory (default: this repository)")


def run(args):
    from . import lesson_files
    if args.command == "build":
        from .build import build
        build(lesson_files.find(args.assignments))
        return 0
    if args.command == "check":
        from .preflight import check
        return check(lesson_files.find(args.assignments))
    if args.command == "grade":
        from .grade import grade, print_report
        lesson = lesson_files.find([args.assignment])[0]
        if args.jobs < 1:
            raise CourseError("--jobs must be at least 1")
        if args.scheduler and args.jobs != 1:
            raise CourseError("--jobs is for local workers; with --scheduler, each Dask worker grades "
                              "one student at a time (start more workers for more)")
        results = grade(lesson, jobs=args.jobs, db_url=args.db, root=args.course_dir or ROOT,
                        students=args.student, sandbox=not args.no_sandbox, scheduler=args.scheduler)
        print_report(lesson, results)
        return 0 if all(r.graded for r in results) else 1
    if args.command == "report":
        from .report import report, summary
        lesson = lesson_files.find([args.assignment])[0]
        folder, data = report(lesson, args.course_dir or ROOT, db_url=args.db, out=args.out)
        print(summary(folder, data))
        return 0
    if args.command == "feedback":
        from .feedback import feedback
        lesson = lesson_files.find([args.assignment])[0]
        pages = feedback(lesson, args.course_dir or ROOT, db_url=args.db, students=args.student)
        from .report import display_path
        print(f"{lesson.name}: feedback for {len(pages)} student(s) in "
              f"{display_path(Path(args.course_dir or ROOT) / 'feedback')}/<student>/{lesson.name}/")
        return 0
    if args.command == "demo":
        from .demo import DEFAULT_LESSON, demo
        if args.jobs < 1:
            raise CourseError("--jobs must be at least 1")
        lesson = lesson_files.find([args.lesson or DEFAULT_LESSON])[0]
        demo(lesson, args.dir or ROOT / "demo", jobs=args.jobs)
        return 0
    if args.command == "student-bundle":
        from .bundle import student_bundle
        from .report import display_path
        lesson = lesson_files.find([args.assignment])[0]
        folder = student_bundle(lesson, args.out or ROOT / "bundles")
        print(f"{lesson.name}: student bundle in {display_path(folder)}/ and {display_path(folder)}.zip")
        return 0
    if args.command == "lab":
        from .lab import lab
        return lab(args.lab_args)
    raise CourseError(f"unknown command {args.command!r}")


if __name__ == "__main__":
    sys.exit(main())
