"""One engine, several executors: run a pure function over shards serially, on a local process pool or on a Dask
distributed cluster, and get the same results.

* ``run(fn, shards)`` returns ``[fn(shard) for shard in shards]`` **in shard order**, whatever order the shards
  finished in; :func:`reduce_in_order` then folds them left to right, so floating-point totals are bit-identical
  on every executor (addition is not associative: a reduction in completion order would not be).
* ``fn`` must be a pure, picklable top-level function; shards are plain data (arrays, tuples). Nothing here knows
  what a shard means — valuation, re-screening and analytics all plug in the same way.
* A shard whose worker dies is run again (Dask reschedules the tasks of a lost worker; ``retries`` covers
  exceptions). Each shard has exactly one result slot, so a retried shard is never counted twice.
* Dask workers are started **without** the nanny's ``MALLOC_TRIM_THRESHOLD_`` (distributed sets 65536 in
  ``distributed.nanny.pre-spawn-environ``; with it glibc trims the heap on every large ``free`` and numpy code
  slows down 2–3×; see dask/distributed#5279 and #8143 — the key has to be removed, not overridden).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

S = TypeVar("S")
R = TypeVar("R")
Progress = Callable[[int, int], None]
"""Called with (shards done, shards in all) after each shard."""
ExecutorKind = Literal["serial", "processes", "dask"]
TRIM_VARIABLE = "MALLOC_TRIM_THRESHOLD_"


class Executor(Protocol):
    kind: str

    def run(self, fn: Callable[[S], R], shards: Sequence[S], *, progress: Progress | None = None) -> list[R]: ...


def reduce_in_order(results: Sequence[R], combine: Callable[[R, R], R]) -> R:
    """Fold results left to right in shard order (deterministic on every executor)."""
    if not results:
        raise ValueError("nothing to reduce")
    total = results[0]
    for item in results[1:]:
        total = combine(total, item)
    return total


@dataclass
class SerialExecutor:
    """In-process, one shard after another (the default, and the reference for the other executors)."""

    kind: str = "serial"

    def run(self, fn: Callable[[S], R], shards: Sequence[S], *, progress: Progress | None = None) -> list[R]:
        out: list[R] = []
        for index, shard in enumerate(shards):
            out.append(fn(shard))
            if progress:
                progress(index + 1, len(shards))
        return out


@dataclass
class ProcessExecutor:
    """A local process pool (forkserver start: no inherited threads or open connections).

    A worker process that dies breaks the whole pool (``BrokenProcessPool``); the shards without a result are
    then run again in a fresh pool, up to ``retries`` times. Finished shards keep their one result.
    """

    workers: int = max(1, os.cpu_count() or 1)
    retries: int = 2
    kind: str = "processes"

    def run(self, fn: Callable[[S], R], shards: Sequence[S], *, progress: Progress | None = None) -> list[R]:
        results: dict[int, R] = {}
        for attempt in range(self.retries + 1):
            todo = [i for i in range(len(shards)) if i not in results]
            if not todo:
                break
            try:
                self._pool_run(fn, shards, todo, results, progress)
            except BrokenProcessPool:
                if attempt == self.retries:
                    raise
        return [results[i] for i in range(len(shards))]

    def _pool_run(
        self,
        fn: Callable[[S], R],
        shards: Sequence[S],
        todo: list[int],
        results: dict[int, R],
        progress: Progress | None,
    ) -> None:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures: dict[Future[R], int] = {pool.submit(fn, shards[i]): i for i in todo}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        value = future.result()
                    except BrokenProcessPool:
                        continue  # this shard had no result: the next attempt runs it again
                    results[futures[future]] = value
                    if progress:
                        progress(len(results), len(shards))
            if len(results) < len(shards) and any(futures[f] not in results for f in futures):
                raise BrokenProcessPool("a worker process died")


def worker_environment() -> dict[str, Any]:
    """The nanny's pre-spawn environment without ``MALLOC_TRIM_THRESHOLD_`` (other keys kept)."""
    import dask
    import distributed  # noqa: F401  (importing distributed installs its defaults, which we then edit)

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop(TRIM_VARIABLE, None)
    return environ


@contextmanager
def numpy_friendly_dask_config() -> Iterator[None]:
    """Dask config under which new nannies spawn workers without the malloc-trim setting."""
    import dask

    with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environment()}):
        yield


def _worker_trim_setting() -> str | None:
    return os.environ.get(TRIM_VARIABLE)


@dataclass
class DaskExecutor:
    """A Dask distributed cluster: ``scheduler`` (``tcp://host:8786``) or a LocalCluster of ``workers`` processes.

    ``retries`` re-runs a shard whose function raised; a shard whose worker died is rescheduled by Dask itself
    (``distributed.scheduler.allowed-failures`` times).
    """

    scheduler: str | None = None
    workers: int = 2
    threads_per_worker: int = 1
    retries: int = 2
    kind: str = "dask"
    name: str = "shard"
    _client: Any = field(default=None, init=False, repr=False)
    _cluster: Any = field(default=None, init=False, repr=False)

    def __enter__(self) -> DaskExecutor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> Any:
        if self._client is not None:
            return self._client
        from distributed import Client, LocalCluster

        with numpy_friendly_dask_config():
            if self.scheduler:
                self._client = Client(self.scheduler)  # type: ignore[no-untyped-call]
            else:
                self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers,
                    threads_per_worker=self.threads_per_worker,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
                self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def worker_trim_settings(self) -> dict[str, str | None]:
        """``MALLOC_TRIM_THRESHOLD_`` as each worker sees it (None = unset, glibc's adaptive default)."""
        result: dict[str, str | None] = self.start().run(_worker_trim_setting)
        return result

    def run(self, fn: Callable[[S], R], shards: Sequence[S], *, progress: Progress | None = None) -> list[R]:
        from distributed import as_completed

        client = self.start()
        stamp = f"{self.name}-{time.monotonic_ns()}"
        futures = [
            client.submit(fn, shard, key=f"{stamp}-{i}", retries=self.retries, pure=False)
            for i, shard in enumerate(shards)
        ]
        index = {future.key: i for i, future in enumerate(futures)}
        results: dict[int, R] = {}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            results[index[future.key]] = future.result()
            if progress:
                progress(len(results), len(shards))
        return [results[i] for i in range(len(shards))]


def make_executor(kind: ExecutorKind, *, workers: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor for a CLI choice; ``scheduler`` implies Dask."""
    if scheduler or kind == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers or 2)
    if kind == "processes":
        return ProcessExecutor(workers=workers or max(1, os.cpu_count() or 1))
    return SerialExecutor()


def close(executor: Executor) -> None:
    """Release a Dask client/cluster (no-op for the others)."""
    if isinstance(executor, DaskExecutor):
        executor.close()
