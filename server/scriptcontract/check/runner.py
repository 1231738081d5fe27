"""Checking many files on all cores: worker processes, each file on its own.

Small runs stay in this process (starting workers costs more than it saves), and do not
import the pool (multiprocessing, concurrent.futures and the logging they bring cost a
one-file check ~10 ms). A worker that dies (a crash in the interpreter, a memory kill)
costs only the files it held: they are retried one by one in fresh workers, and a file
that kills its worker again is reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scriptcontract.check.discovery import Target
from scriptcontract.check.records import FileResult, Mode
from scriptcontract.check.worker import check_file, internal_error, tune_gc
from scriptcontract.contract.settings import LintSettings

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

INLINE_LIMIT = 8  # files: below this, worker start-up costs more than it saves
CHUNK_FILES = 16

_settings: dict[str, LintSettings] = {}


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def check_all(
    targets: list[Target],
    settings: dict[str, LintSettings],
    *,
    mode: Mode,
    jobs: int,
    unsafe: bool = False,
) -> Iterator[FileResult]:
    if jobs <= 1 or len(targets) < INLINE_LIMIT:
        tune_gc()
        for target in targets:
            yield check_file(target, settings[target.settings_key], mode, unsafe=unsafe)
        return
    yield from _parallel(targets, settings, mode, jobs, unsafe)


def _init(settings: dict[str, LintSettings]) -> None:
    _settings.clear()
    _settings.update(settings)
    tune_gc()


def _chunk(targets: list[Target], mode: Mode, unsafe: bool) -> list[FileResult]:
    return [check_file(t, _settings[t.settings_key], mode, unsafe=unsafe) for t in targets]


def _pool(settings: dict[str, LintSettings], jobs: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_init,
        initargs=(settings,),
    )


def _parallel(
    targets: list[Target], settings: dict[str, LintSettings], mode: Mode, jobs: int, unsafe: bool
) -> Iterator[FileResult]:
    from concurrent.futures.process import BrokenProcessPool

    # Several chunks per worker balance the load when file sizes differ a lot.
    size = max(1, min(CHUNK_FILES, len(targets) // (jobs * 4) or 1))
    chunks = [targets[i : i + size] for i in range(0, len(targets), size)]
    failed: list[Target] = []
    with _pool(settings, jobs) as pool:
        futures: list[tuple[list[Target], Future[list[FileResult]]]] = [
            (chunk, pool.submit(_chunk, chunk, mode, unsafe)) for chunk in chunks
        ]
        for chunk, future in futures:
            try:
                yield from future.result()
            except BrokenProcessPool:
                failed.extend(chunk)
    for target in failed:
        yield _isolated(target, settings, mode, unsafe)


def _isolated(
    target: Target, settings: dict[str, LintSettings], mode: Mode, unsafe: bool
) -> FileResult:
    from concurrent.futures.process import BrokenProcessPool

    with _pool(settings, 1) as pool:
        try:
            return pool.submit(_chunk, [target], mode, unsafe).result()[0]
        except BrokenProcessPool:
            return FileResult(
                target.shown,
                True,
                [internal_error("the analyser's worker process died on this file")],
            )
