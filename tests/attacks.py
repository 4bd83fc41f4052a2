"""What the attack tests share: a process an attack starts names itself ``course-attack``
(prctl PR_SET_NAME), so that a test can find any that outlived grading."""
from pathlib import Path

NAME = "course-attack"
# Python that renames its process and then waits ten minutes.
LINGER = (f"import ctypes, time\nctypes.CDLL(None).prctl(15, b'{NAME}', 0, 0, 0)\n"
          "time.sleep(600)\n")


def attack_processes() -> list[int]:
    """Live processes that named themselves course-attack, anywhere on the machine."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == NAME:
                found.append(int(comm.parent.name))
        except OSError:
            pass
    return found
