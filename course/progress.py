"""The progress of a grading run, on stderr: students done, in flight and failed, per
worker, the rate and the time left. Redrawn in place on a terminal; otherwise only the
closing line is printed."""
import sys
import time
from collections import Counter


class Progress:
    def __init__(self, total: int, show: bool = True) -> None:
        self.total, self.show = total, show
        self.live = show and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.done: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self._draw()

    def started(self, worker: str, student: str | None) -> None:
        self.in_flight[worker] += 1
        self._draw()

    def finished(self, worker: str, ok: bool) -> None:
        if self.in_flight[worker] > 0:
            self.in_flight[worker] -= 1
        (self.done if ok else self.failed)[worker] += 1
        self._draw()

    def close(self, workers: int) -> None:
        seconds = time.perf_counter() - self.start
        if not self.show:
            return
        print("\r\033[K" if self.live else "", end="", file=sys.stderr)
        print(f"graded {self.total} notebooks in {seconds:.1f} s "
              f"({self.total / max(seconds, 1e-9):.2f} notebooks/s, {workers} worker(s))", file=sys.stderr)

    def line(self) -> str:
        """``grading [####......] 12/40  0.85 notebooks/s  33 s left | local-1: 6 done, 1 in flight, ...``"""
        finished = sum(self.done.values()) + sum(self.failed.values())
        seconds = time.perf_counter() - self.start
        width = 30
        filled = int(width * finished / max(self.total, 1))
        rate = finished / seconds if seconds > 0 else 0.0
        left = (self.total - finished) / rate if rate > 0 else 0.0
        eta = f"  {left:.0f} s left" if finished and finished < self.total else ""
        workers = sorted(set(self.done) | set(self.failed) | set(self.in_flight))
        each = "; ".join(f"{w}: {self.done[w]} done, {self.in_flight[w]} in flight, {self.failed[w]} failed"
                         for w in workers)
        return (f"grading [{'#' * filled}{'.' * (width - filled)}] {finished}/{self.total}  "
                f"{rate:.2f} notebooks/s{eta}" + (f"  | {each}" if each else ""))

    def _draw(self) -> None:
        if self.live:
            print(f"\r{self.line()}\033[K", end="", file=sys.stderr, flush=True)
