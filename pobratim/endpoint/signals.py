"""Stop signals across granian's forks: no web process misses a stop or outlives the main process."""

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def hold_stop_signals() -> None:
    """Before a fork: keep a stop pending, not handled, until the new process is ready for it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def release_stop_signals() -> None:
    """After a fork, in the main process: handle stops again."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def prepare_web_process(parent: int) -> None:
    """In a just-forked web process: make every way the main process stops reach it.

    The fork copies granian's main-process signal handlers, which only set a flag in that copy: a stop
    arriving while the process is still building the app would be lost, and the server would wait on it
    forever. Until granian installs the worker's own handlers, SIGINT and SIGTERM end it; a stop that came
    during the fork itself was held pending (``hold_stop_signals``) and ends it as they are released. And
    if the main process dies without stopping it (SIGKILL, a crash), Linux kills it too (prctl(2)
    PR_SET_PDEATHSIG), so no web process goes on serving, and holding query workers, on its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        # SIGKILL, not SIGTERM: the kernel gives a process-directed signal to any thread that does not block it,
        # and a running web process's main thread waits on a lock (granian's worker) that only a signal to that
        # thread interrupts, so a SIGTERM taken by one of its other threads was never acted on: 1 run in 5 left
        # a web process, and the query workers it held, serving after the main process was killed. With no main
        # process left to supervise it, a graceful stop has nothing to hand over to.
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the main process died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)
    release_stop_signals()


def guard_forks() -> None:
    """Have every process forked from this one from now on prepared as a web process of this one."""
    main = os.getpid()
    os.register_at_fork(
        before=hold_stop_signals,
        after_in_parent=release_stop_signals,
        after_in_child=lambda: prepare_web_process(main),
    )
