"""Reports of many municipalities made side by side: each municipality's output is independent of the others'.

`each_municipality` runs `work(name)` for each municipality, in this process (one worker) or in a small
pool of forked processes that inherit the campaign's data already read (no second read, no pickling of
it), and gives the results back in order. `write_drafts` writes the drafts with it: a draft that fails
is named with its municipality and the others are still written. The region's preview pages use it too
(reports.api.write_region_pages).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from crawler.store import Store, StoreError
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


_WORK: Callable[[str], Any] | None = None  # set before the pool forks; the workers inherit it


def _start_worker(store: Store | None) -> None:
    """In a new worker: the store's pooled connections inherited from the parent stay the parent's."""
    if store is not None:
        store.engine.dispose(close=False)


def _attempt(work: Callable[[str], Any], name: str) -> tuple[str, Any]:
    """("ok", what `work(name)` returned), or ("failed", the reason: a text to show).

    `work` runs with Python's cyclic garbage collector off: what one municipality's report builds (a workbook's
    cells, the frames) all lives until it is written, so the collector's passes over it during the work free
    nothing (they took a tenth of a draft's time); its garbage is collected after it, as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return "ok", work(name)
    except ReportError as exc:
        return "failed", exc.message
    except StoreError as exc:
        return "failed", str(exc)
    except OSError as exc:  # a file that cannot be written, in the words the CLI gives it everywhere
        from crawler.cli_frame import file_error

        return "failed", file_error(exc)
    finally:
        if enabled:
            gc.enable()


def _work_one(name: str) -> tuple[str, Any]:
    """In a worker: `_attempt` with the work inherited from the parent process."""
    assert _WORK is not None
    return _attempt(_WORK, name)


def write_drafts(names: Sequence[str], write: Callable[[str], Path], workers: int,
                 shown: Callable[[Path], Any], store: Store | None = None) -> list[str]:
    """Write each municipality's draft; `shown(path)` as each one is written, in the order of `names`.

    Returns one Russian line per municipality whose draft could not be written («г. Иркутск: …»); the
    others are written all the same. `store`: the one `write` reads (see `each_municipality`)."""
    failed: list[str] = []
    for name, (status, result) in zip(names, each_municipality(names, write, workers, store)):
        if status == "ok":
            shown(Path(result))
        else:
            failed.append(f"{name}: {result}")
    return failed


def each_municipality(names: Sequence[str], work: Callable[[str], Any], workers: int,
                      store: Store | None = None) -> Iterator[tuple[str, Any]]:
    """`_attempt(work, name)` for each name, in the order of `names`; with several workers in forked
    processes (what `work` returns must pickle), each opening its own connections to `store`."""
    global _WORK
    if workers <= 1 or len(names) <= 1:  # in this process, one after another
        yield from (_attempt(work, name) for name in names)
        return
    _WORK = work
    gc.freeze()  # the objects read so far stay out of the workers' collections: their pages are not copied for them
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(names)), mp_context=multiprocessing.get_context("fork"),
                                 initializer=_start_worker, initargs=(store,)) as pool:
            futures: deque[Future[tuple[str, Any]]] = deque(pool.submit(_work_one, name) for name in names)
            while futures:  # each result let go once given back (a coverage holds its tables)
                yield futures.popleft().result()
    finally:
        _WORK = None
        gc.unfreeze()


__all__ = ["each_municipality", "write_drafts", "workers_from", "default_workers", "WORKERS_ENV"]
