"""``python -m course <command>``: the course's tooling for contributors and instructors."""
import argparse
import sys

from . import CourseError


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
    grade.add_argument("--db", default=None, help="gradebook URL (default sqlite:///gradebook.db)")
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


def run(args):
    from . import lessons
    if args.command == "build":
        from .build import build
        build(lessons.find(args.assignments))
        return 0
    if args.command == "check":
        from .check import check
        return check(lessons.find(args.assignments))
    if args.command == "grade":
        from .grade import grade, print_report
        lesson = lessons.find([args.assignment])[0]
        if args.jobs < 1:
            raise CourseError("--jobs must be at least 1")
        results = grade(lesson, jobs=args.jobs, db_url=args.db)
        print_report(lesson, results)
        return 0 if all(r.graded for r in results) else 1
    if args.command == "lab":
        from .lab import lab
        return lab(args.lab_args)
    raise CourseError(f"unknown command {args.command!r}")


if __name__ == "__main__":
    sys.exit(main())
