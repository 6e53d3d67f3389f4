"""Work run in a forked process while this one works too (the engines' tables, shared between both).

On a machine with two cores the child's share costs no wall time. Fork shares the batch frames
copy-on-write (nothing is pickled going in, and the pages are not copied), and only the explained
failures come back. A child that fails sends its traceback; one that dies is reported
with its exit code. Where fork is missing (Windows), there is one core, or this process is a daemon
that may not have children, callers run in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import traceback
from typing import Any, Callable


def available() -> bool:
    """Fork exists, there is a second core, and this process may have children (a daemonic process, such
    as a Dask worker running the flow's tasks, may not)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and not multiprocessing.current_process().daemon
    )


class Background:
    """fn(*args) running in a forked child; result() waits for its return value (pickled back)."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(send, fn, args), daemon=True, name="gxbg-engine")
        self._process.start()
        send.close()  # the child holds the only sending end: its death reads as EOF here

    def result(self) -> Any:
        try:
            status, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"engine process ended without a result (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if status == "error":
            raise RuntimeError(f"engine process failed:\n{payload}")
        return payload

    def stop(self) -> None:
        """Ends the child if it is still running (the caller failed before asking for the result)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _child(send, fn: Callable[..., Any], args: tuple) -> None:
    # No logging here: a handler of the parent (Prefect's API log worker) may have held a lock at the
    # fork, whose owner thread does not exist in the child. Failures come back as tracebacks instead.
    logging.disable(logging.CRITICAL)
    try:
        outcome = ("ok", fn(*args))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        outcome = ("error", traceback.format_exc())
    send.send(outcome)
    send.close()
