"""Build benchmark: time one ``pobratim build`` of a synthetic world and follow its memory step by step.

Run: ``.venv/bin/python -m bench.build --towns 20000`` (about 2 M quads; the world is written once with
``python -m bench.synth`` into ``--world``, default ``.cache/build-world-<towns>``, and reused). The build runs
as a child process with a fixed ``SOURCE_DATE_EPOCH``; a thread samples the resident set of the build and of
every process under it (``/proc``, every 50 ms). It prints the wall time and the CPU time of the build's
processes (on a shared machine the CPU time is the steadier figure), the build's own step timings, the largest
process (``ru_maxrss``, the figure ``/usr/bin/time`` gives), the largest sums over the build's processes of their
resident sets and of their proportional set sizes (sampled; a forked process's pages shared with the build
count once in the second), and the build's progress messages with the time and memory at each. It is not a test.
"""

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_S = 0.05


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    """The proportional set size (kB): a page shared by n processes counts 1/n in each (a forked process shares
    the dataset's pages with the build until either writes them)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_rss(pid: int) -> tuple[int, int, int]:
    """Return the resident set (kB) of ``pid``, the sum of the resident sets over it and every process under it,
    and the sum of their proportional set sizes."""
    own = _rss_kb(pid)
    total, pss, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        pss += _pss_kb(p)
        todo += _children(p)
    return own, total, pss


class Sampler(threading.Thread):
    """Sample a process tree's memory until the process ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.own = 0  # the build process's latest resident set, kB
        self.peak_sum = 0
        self.peak_pss = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.own, total, pss = tree_rss(self.pid)
            self.peak_sum = max(self.peak_sum, total)
            self.peak_pss = max(self.peak_pss, pss)
            time.sleep(SAMPLE_S)


def world(towns: int, seed: int, folder: Path) -> Path:
    """Write the synthetic world once; return its data folder."""
    data = folder / "data"
    if not (data / "records").is_dir():
        cmd = [sys.executable, "-m", "bench.synth", "--towns", str(towns), "--seed", str(seed), "--out", str(data)]
        subprocess.run(cmd, check=True)
    return data


def build(data: Path, dist: Path) -> None:
    """Run one build and print its figures."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    cmd = [str(Path(sys.executable).with_name("pobratim")), "build", "--data", str(data), "--out", str(dist)]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(child.pid)
    sampler.start()
    steps: list[tuple[float, int, str]] = []
    assert child.stdout is not None
    output = []
    for line in child.stdout:
        steps.append((time.perf_counter() - started, sampler.own, line.rstrip()))
        output.append(line)
    child.wait()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest, cpu = max(before, usage.ru_maxrss), usage.ru_utime + usage.ru_stime - cpu_before
    if child.returncode != 0:
        sys.stdout.write("".join(output[-20:]))
        raise SystemExit(f"the build failed ({child.returncode})")
    for at, own, message in steps:
        # The last message, the build's own summary, whole: it ends with the step timings.
        print(f"{at:7.1f} s {own / 1024:7.0f} MB  {message if message.startswith('published') else message[:140]}")
    print(
        f"== built, gated and published in {wall:.1f} s ({cpu:.1f} s of CPU, user + system); "
        f"largest process {largest / 1024:.0f} MB (ru_maxrss), "
        f"largest sum over the build's processes {sampler.peak_sum / 1024:.0f} MB resident, "
        f"{sampler.peak_pss / 1024:.0f} MB proportional (shared pages counted once; sampled)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--world", type=Path, help="folder of the synthetic world (default .cache/build-world-N)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    folder = args.world or Path(".cache") / f"build-world-{args.towns}"
    data = world(args.towns, args.seed, folder)
    for _ in range(args.runs):
        build(data, folder / "dist")


if __name__ == "__main__":
    main()
