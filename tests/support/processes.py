"""A running server's processes, read with psutil: which are web processes and query workers, their CPU.

psutil reads proc(5) for us (and says which processes are zombies), so no test parses ``/proc`` by hand.
"""

import time
from collections.abc import Callable

import psutil

from .live import Live


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [child for child in process.children() if _alive(child)]
    except psutil.Error:
        return []


def web_processes(live: Live) -> list[int]:
    """The granian web processes of ``live`` (the main process's children that run ``pobratim serve``)."""
    return [
        p.pid
        for p in _children(psutil.Process(live.process.pid))
        if " serve " in _cmdline(p) and "multiprocessing" not in _cmdline(p)
    ]


def _query_workers(root: int) -> list[psutil.Process]:
    """The query workers under ``root``: children of the query servers, which a forkserver started.

    A web process's forkserver starts the query server, which forks the workers.
    """
    try:
        descendants = psutil.Process(root).children(recursive=True)
    except psutil.Error:
        return []
    forkservers = [p for p in descendants if "multiprocessing.forkserver" in _cmdline(p)]
    return [worker for f in forkservers for server in _children(f) for worker in _children(server)]


def query_workers(live: Live) -> list[int]:
    """The query workers of ``live``."""
    return [p.pid for p in _query_workers(live.process.pid)]


def query_worker_cpu(pid: int) -> dict[int, float]:
    """The query workers of the server whose main process is ``pid``, and the CPU seconds each used."""
    found = {}
    for worker in _query_workers(pid):
        try:
            found[worker.pid] = cpu_seconds(worker.pid)
        except psutil.Error:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """CPU seconds process ``pid`` has used (user and system)."""
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def gone(pid: int) -> bool:
    """Say whether process ``pid`` has ended (exited, or a zombie its parent has not yet reaped)."""
    try:
        return not _alive(psutil.Process(pid))
    except psutil.NoSuchProcess:
        return True


def resident_mb(pids: list[int]) -> float:
    """Resident memory of the processes ``pids`` together, in MB."""
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
    return total / 1e6


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    """Poll ``check`` every 0.1 s until it holds or ``timeout`` seconds have passed; say whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()
