"""Every test fails at its time limit, an asynchronous one included.

pytest-timeout's signal method raises its failure from a SIGALRM handler, in whatever frame
runs when the signal lands. In an asyncio test that is often a callback of the event loop,
and the loop catches what a callback raises, logs it and goes on: the test then passed
late, or hung for good when the callback was the one that would have woken it (both seen
here under a 2 s limit). So:

- an asynchronous test is bounded on its own loop: at its limit (counted from its set-up,
  as pytest-timeout counts) the loop cancels the test's task, and the test fails saying so,
  at the await it was stuck in; no SIGALRM is set for it;
- a synchronous test keeps pytest-timeout's own method (the signal fails it in its frame);
- every test has a backstop a loop cannot swallow: `BACKSTOP_S` past its limit, a thread
  dumps the stacks and ends the process (pytest-timeout's thread method). Under `-n`
  pytest-xdist reports the test as failed (its worker "crashed while running" it) and
  starts a new worker for the rest; without `-n` the session ends there.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import time
from collections.abc import Callable, Coroutine, Generator
from typing import Any

import pytest
import pytest_timeout
from pytest_asyncio import is_async_test

BACKSTOP_S = 10.0
"""How long past its limit a test whose bound did not act (its loop stuck in a callback,
the signal swallowed) runs before its process is ended: room for the teardown that follows
a bound that did act (a server's shutdown is itself bounded)."""

DEADLINE = pytest.StashKey[tuple[float, float]]()
"""An asynchronous test's end (time.monotonic()) and its limit in seconds."""


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool:
    # (An asynchronous hypothesis test is a plain function here: the signal's, as before.)
    if is_async_test(item) and inspect.iscoroutinefunction(item.obj):
        item.stash[DEADLINE] = (time.monotonic() + settings.timeout, settings.timeout)

        def first() -> None:
            pass

    else:
        pytest_timeout.pytest_timeout_set_timer(item, settings)
        first = item.cancel_timeout  # type: ignore[attr-defined]
    backstop = threading.Timer(
        settings.timeout + BACKSTOP_S, pytest_timeout.timeout_timer, (item, settings)
    )
    backstop.name = f"backstop {item.nodeid}"
    backstop.daemon = True

    def cancel() -> None:
        first()
        backstop.cancel()
        backstop.join()

    item.cancel_timeout = cancel  # type: ignore[attr-defined]
    backstop.start()
    return True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    bound = item.stash.get(DEADLINE, None)
    if bound is None or not isinstance(item, pytest.Function):
        return (yield)
    test = item.obj
    item.obj = bounded(test, *bound)
    try:
        return (yield)
    finally:
        item.obj = test


def bounded(
    test: Callable[..., Coroutine[Any, Any, Any]], deadline: float, limit_s: float
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """`test`, cancelled at `deadline` (time.monotonic()) and failed for its time."""

    @functools.wraps(test)
    async def run(*args: Any, **kwargs: Any) -> Any:
        task = asyncio.current_task()
        assert task is not None
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            task.cancel()

        timer = asyncio.get_running_loop().call_later(deadline - time.monotonic(), expire)
        try:
            return await test(*args, **kwargs)
        except asyncio.CancelledError:
            if expired:
                pytest.fail(f"Timeout (>{limit_s}s): the test's loop cancelled it at its limit")
            raise
        finally:
            timer.cancel()

    return run
