"""Documents in worker processes, each under a budget of time and memory.

Why processes: a rule loop in pure Python (or a regex in C) cannot be interrupted from a thread,
and a document that grows to gigabytes cannot be stopped by the code that allocates for it; a
process can be killed. So `extract` runs the pipeline in `n_workers` worker processes (1 by
default) while this process only reads, dispatches, watches and writes:

- **Tasks.** A task is a minibatch of `batch_size` documents (spaCy batches the model's step);
  the worker runs `annotate.annotate_tagged` over it and sends each record back as soon as it is
  made. Workers are forks of this process after it loaded the pipeline: the model loads once,
  and a replacement worker starts in milliseconds.
- **The watchdog.** A busy worker that sends nothing for `timeout` seconds (counted from its
  task's start or its last record), whose memory (RSS) passes `memory_mb`, or that dies (segfault,
  the kernel's OOM killer), is killed and replaced; the other workers go on meanwhile.
- **Which document was it?** spaCy runs the model's step on the whole minibatch before the rules
  run document by document, so once a task has sent a record, the document in work is the first
  one not yet sent: it becomes an error record (`timed out after 60 s`) and the rest of the task
  is queued again. Before a task's first record any of its documents may be the one (the model's
  step is shared), so each is queued again alone, first in line; a document alone in its task is
  charged directly. A document of `SOLO_CHARS` or more runs alone from the start (its model step
  alone may use up a budget), so a bad document costs one budget, or two in the rare case of a
  normal-length one that hangs first in its minibatch.
- **Order and memory.** Records are yielded in input order through a reorder buffer, with at most
  `window` documents between the oldest unfinished one and the newest read: memory stays flat
  in the corpus size, and a stuck document holds back the output by one budget at most.
- **No orphans.** A worker dies with this process (Linux `PR_SET_PDEATHSIG`, and a watch of the
  parent pid elsewhere), so a run killed with SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Generic, TypeVar

import psutil

from pipeline.records import error_record
from pipeline.schema import Article, ReadError

if TYPE_CHECKING:
    from spacy.language import Language

T = TypeVar("T")
POLL_S = 0.25  # how often the watchdog looks at the clock and at memory
SOLO_CHARS = 50_000  # a document this long is a task of its own (the longest of ../shared/news: 25,450)


def timeout_reason(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


def memory_reason(memory_mb: int) -> str:
    return f"used more than {memory_mb:,} MB of memory"


def death_reason(exitcode: int | None) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return f"the worker process died ({how})"


# --- the worker process -----------------------------------------------------------------------

def _die_with_parent(parent_pid: int) -> None:
    """Exit when the parent does: the kernel's parent-death signal on Linux, else a watch thread."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        def watch() -> None:
            while os.getppid() == parent_pid:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent_pid:  # it died before the signal was armed
        os._exit(1)


def _worker_main(conn: Connection, nlp: Language, batch_size: int, parent_pid: int) -> None:
    """Loop: a task (list of (seq, article)) in, one (seq, record) per article out, then None."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    from pipeline.annotate import annotate_tagged

    try:
        while (task := conn.recv()) is not None:
            for record, seq in annotate_tagged(nlp, ((article, seq) for seq, article in task), batch_size):
                conn.send((seq, record))
            conn.send(None)
    except (EOFError, OSError):  # the parent is gone
        pass


# --- the parent's side ------------------------------------------------------------------------

# One task per worker at a time: a task is sent only to an idle worker, blocked in `recv`, so the
# send never waits on a document. (A second task queued behind a stuck one can be larger than the
# pipe holds: its send would block this process, and the watchdog with it, for as long as the
# document hangs.)
TASKS_PER_WORKER = 1


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    tasks: deque[deque[int]] = field(default_factory=deque)  # seqs not yet returned, per task sent
    sent_any: bool = False  # the current (first) task has returned a record
    since: float = 0.0  # when the current task started or its last record came

    @property
    def busy(self) -> bool:
        return bool(self.tasks)

    def outstanding(self) -> list[int]:
        return [seq for task in self.tasks for seq in task]


@dataclass
class _Slot(Generic[T]):
    article: Article | None
    tag: T
    record: dict | None = None
    done: bool = False


@dataclass
class _Stream(Generic[T]):
    """The documents between reading and writing: the reorder buffer (`slots`, by input position)
    and the tasks waiting for a worker (`todo`, retries first)."""

    items: Iterator[tuple[Article | None, T]]
    batch_size: int
    window: int
    slots: dict[int, _Slot[T]] = field(default_factory=dict)
    todo: deque[list[int]] = field(default_factory=deque)
    forming: list[int] = field(default_factory=list)  # the next task, not full yet
    head: int = 0  # the oldest position not yet yielded
    next_seq: int = 0
    exhausted: bool = False

    @property
    def finished(self) -> bool:
        return self.exhausted and self.head == self.next_seq

    def read(self) -> None:
        """Read up to `window` positions past the oldest unfinished one; articles form tasks."""
        while not self.exhausted and self.next_seq - self.head < self.window:
            item = next(self.items, None)
            if item is None:
                self.exhausted = True
                break
            article, tag = item
            self.slots[self.next_seq] = _Slot(article, tag, done=article is None)
            if article is not None and len(article.text) >= SOLO_CHARS:
                self.todo.append([self.next_seq])
            elif article is not None:
                self.forming.append(self.next_seq)
                if len(self.forming) == self.batch_size:
                    self.flush()
            self.next_seq += 1

    def flush(self) -> None:
        if self.forming:
            self.todo.append(self.forming)
            self.forming = []

    def ready(self) -> Iterator[tuple[dict | None, T]]:
        """The finished items at the head, in input order."""
        while self.head in self.slots and self.slots[self.head].done:
            slot = self.slots.pop(self.head)
            self.head += 1
            yield slot.record, slot.tag

    def finish(self, seq: int, record: dict) -> None:
        self.slots[seq].record, self.slots[seq].done = record, True

    def charge(self, seq: int, reason: str) -> None:
        """The document at `seq` ran out of its budget: its error record."""
        article = self.slots[seq].article
        self.finish(seq, error_record(ReadError(article.id, article.meta.get("file", article.id), reason)))


class WorkerPool:
    """`with WorkerPool(nlp, ...) as pool: pool.annotate(items)`; see the module docstring."""

    def __init__(self, nlp: Language, n_workers: int = 1, batch_size: int = 16, timeout: float = 60.0,
                 memory_mb: int | None = None, window: int | None = None):
        self.nlp, self.n_workers, self.batch_size = nlp, max(1, n_workers), max(1, batch_size)
        self.timeout, self.memory_mb = timeout, memory_mb
        self.window = window or max(64, 2 * (TASKS_PER_WORKER + 1) * self.n_workers * self.batch_size)
        self._context = multiprocessing.get_context("fork")  # the loaded pipeline is inherited
        self._workers: list[_Worker] = []
        self._memory_checked = 0.0
        self.replaced = 0  # workers killed or dead, and replaced

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Idle workers are told to stop, busy ones (a run that ends by an exception) killed."""
        for worker in self._workers:
            if worker.busy:
                continue
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self._workers:
            if not worker.busy:
                worker.process.join(timeout=2)
            self._kill(worker)
        self._workers = []

    # -- workers

    def _start_worker(self) -> _Worker:
        parent_conn, child_conn = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child_conn, self.nlp, self.batch_size, os.getpid()),
                                        daemon=True, name="pipeline-worker")
        process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn)
        self._workers.append(worker)
        return worker

    @staticmethod
    def _kill(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._workers.remove(worker)
        self.replaced += 1
        self._start_worker()

    def _over_memory(self, worker: _Worker) -> bool:
        try:
            return psutil.Process(worker.process.pid).memory_info().rss > self.memory_mb * 2**20
        except psutil.Error:  # gone: its pipe says so
            return False

    # -- the stream

    def annotate(self, items: Iterable[tuple[Article | None, T]]) -> Iterator[tuple[dict | None, T]]:
        """(record, tag) for each (article, tag) in input order; None for an item without an article."""
        stream = _Stream(iter(items), self.batch_size, self.window)
        while self.n_workers > len(self._workers):
            self._start_worker()
        try:
            while True:
                stream.read()
                if stream.exhausted or (not stream.todo and any(not w.busy for w in self._workers)):
                    stream.flush()  # a short task rather than an idle worker
                yield from stream.ready()
                if stream.finished:
                    return
                for worker in sorted(self._workers, key=lambda w: len(w.tasks)):
                    while stream.todo and len(worker.tasks) < TASKS_PER_WORKER and worker in self._workers:
                        self._dispatch(worker, stream.todo.popleft(), stream)
                self._watch(stream)
        finally:
            self.close()

    def _dispatch(self, worker: _Worker, seqs: list[int], stream: _Stream) -> None:
        if not worker.tasks:
            worker.sent_any, worker.since = False, time.monotonic()
        worker.tasks.append(deque(seqs))
        try:
            worker.conn.send([(seq, stream.slots[seq].article) for seq in seqs])
        except OSError:  # it died while idle: nothing of this task was its doing
            worker.tasks.pop()
            self._fail(worker, death_reason(worker.process.exitcode), stream)
            stream.todo.appendleft(seqs)

    def _watch(self, stream: _Stream) -> None:
        """Take what the busy workers sent; replace those stuck, too big or dead."""
        busy = [w for w in self._workers if w.busy]
        if not busy:
            return
        ready = set(wait([w.conn for w in busy], timeout=POLL_S))
        now = time.monotonic()
        look_at_memory = self.memory_mb is not None and now - self._memory_checked >= POLL_S
        if look_at_memory:
            self._memory_checked = now
        for worker in busy:
            if worker.conn in ready and not self._receive(worker, stream):
                self._fail(worker, death_reason(worker.process.exitcode), stream)
            elif worker.busy and time.monotonic() - worker.since > self.timeout:
                self._fail(worker, timeout_reason(self.timeout), stream)
            elif worker.busy and look_at_memory and self._over_memory(worker):
                self._fail(worker, memory_reason(self.memory_mb), stream)

    def _receive(self, worker: _Worker, stream: _Stream) -> bool:
        """Every message waiting on the worker's pipe; False when the worker is gone."""
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if message is None:  # its current task is done: the next one (if any) starts now
                    worker.tasks.popleft()
                    worker.sent_any, worker.since = False, time.monotonic()
                    continue
                seq, record = message
                stream.finish(seq, record)
                worker.tasks[0].remove(seq)
                worker.sent_any, worker.since = True, time.monotonic()
        except (EOFError, OSError):
            worker.process.join(timeout=1)
            return False
        return True

    def _fail(self, worker: _Worker, reason: str, stream: _Stream) -> None:
        """Kill and replace the worker. Its current task's document in work is charged when known
        (see the module docstring), else each of that task's documents is queued again alone; its
        later tasks are queued again as they were."""
        current = list(worker.tasks[0]) if worker.tasks else []
        later = [list(task) for task in list(worker.tasks)[1:]]
        self._replace(worker)
        stream.todo.extendleft(reversed(later))
        if not current:  # its task had sent every record, not yet its end
            return
        if worker.sent_any or len(current) == 1:
            stream.charge(current[0], reason)
            current = current[1:]
            if current:
                stream.todo.appendleft(current)
        else:
            stream.todo.extendleft([seq] for seq in reversed(current))
