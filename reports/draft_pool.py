"""Drafts of many municipalities written side by side: each workbook is independent of the others.

`write_drafts` writes each municipality's draft with `write(name)`, in this process (one worker) or in a
small pool of forked processes that inherit the campaign's data already read (no second read, no
pickling of it). Either way a draft that fails is named with its municipality and the others are
still written.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from crawler.store import StoreError
from reports import ReportError

WORKERS_ENV = "NATMON_REPORT_WORKERS"


def default_workers() -> int:
    """Two processes at most: more would add memory (each holds the campaign's data) for little time."""
    return min(2, os.cpu_count() or 1)


def workers_from(value: int | None) -> int:
    """The number of processes to write with: `value` (option or environment), else the default."""
    if value is None:
        return default_workers()
    if value < 1:
        raise ReportError(f"Число процессов для отчётов должно быть не меньше 1 (задано {value}): "
                          f"укажите --workers 1 или больше (или {WORKERS_ENV})")
    return value


_WRITE: Callable[[str], Path] | None = None  # set before the pool forks; the workers inherit it


def _start_worker(after_fork: Callable[[], None] | None) -> None:
    if after_fork is not None:
        after_fork()


def _attempt(write: Callable[[str], Path], name: str) -> tuple[str, Path | str]:
    """The draft's path, or the reason it could not be written (a text to show)."""
    try:
        return "ok", write(name)
    except ReportError as exc:
        return "failed", exc.message
    except (StoreError, OSError) as exc:
        return "failed", str(exc)


def _write_one(name: str) -> tuple[str, Path | str]:
    """In a worker: `_attempt` with the writer inherited from the parent process."""
    assert _WRITE is not None
    return _attempt(_WRITE, name)


def write_drafts(names: Sequence[str], write: Callable[[str], Path], workers: int,
                 shown: Callable[[Path], Any], after_fork: Callable[[], None] | None = None) -> list[str]:
    """Write each municipality's draft; `shown(path)` as each one is written, in the order of `names`.

    Returns one Russian line per municipality whose draft could not be written («г. Иркутск: …»); the
    others are written all the same. `after_fork` runs first in each worker process (the store's engine
    drops the connections it inherited from this process)."""
    failed: list[str] = []
    for name, (status, result) in zip(names, _results(names, write, workers, after_fork)):
        if status == "ok":
            shown(Path(result))
        else:
            failed.append(f"{name}: {result}")
    return failed


def _results(names: Sequence[str], write: Callable[[str], Path], workers: int,
             after_fork: Callable[[], None] | None) -> Iterator[tuple[str, Path | str]]:
    global _WRITE
    if workers <= 1 or len(names) <= 1:  # in this process, one after another
        yield from (_attempt(write, name) for name in names)
        return
    _WRITE = write
    gc.freeze()  # the objects read so far stay out of the workers' collections: their pages are not copied for them
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(names)), mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(after_fork,)) as pool:
            futures: list[Future[tuple[str, Path | str]]] = [pool.submit(_write_one, name) for name in names]
            yield from (future.result() for future in futures)
    finally:
        _WRITE = None
        gc.unfreeze()


__all__ = ["write_drafts", "workers_from", "default_workers", "WORKERS_ENV"]
