"""Choosing the number of scoring processes from the CPU time counters (scoring.idle_cpus).

Readings are made up here, so nothing depends on how busy the test machine is.
"""
from __future__ import annotations

import os
import sys

import pytest

from credcheck.render import parallel as scoring
from credcheck.render.parallel import CpuTimes, cpu_times, idle_cpus

STAT = """cpu  300 0 100 1500 20 0 5 0 0 0
cpu0 100 0 50 800 10 0 5 0 0 0
cpu1 200 0 50 700 10 0 0 0 0 0
intr 12345 0 0
ctxt 999
"""


def reading(when: float, own: float, busy: int, total: int) -> CpuTimes:
    return CpuTimes(when, own, busy, total)


def test_a_reading_sums_the_cpus_this_process_may_use() -> None:
    both = cpu_times(STAT, allowed={0, 1})
    assert both is not None and (both.busy, both.total) == (405, 1925)  # idle and iowait are not busy
    first = cpu_times(STAT, allowed={0})
    assert first is not None and (first.busy, first.total) == (155, 965)


def test_no_counters_no_reading() -> None:
    assert cpu_times("intr 1 2 3\n", allowed={0}) is None
    assert cpu_times("cpu0 1 2 3 4 5 6 7 8\n", allowed={3}) is None


def test_idle_is_what_other_programs_left() -> None:
    # two CPUs for one second (200 ticks): 150 busy, of which this process used 0.5 s
    start, end = reading(10.0, 1.0, 1000, 5000), reading(11.0, 1.5, 1150, 5200)
    assert idle_cpus(2, start, end) == pytest.approx(2 - (1.5 - 0.5))


def test_this_process_alone_leaves_every_cpu_idle() -> None:
    start, end = reading(10.0, 1.0, 1000, 5000), reading(11.0, 2.0, 1100, 5200)
    assert idle_cpus(2, start, end) == pytest.approx(2.0)


def test_own_use_never_makes_more_than_every_cpu_idle() -> None:
    # the counters tick coarsely: this process may seem to have used more than was counted busy
    start, end = reading(10.0, 1.0, 1000, 5000), reading(10.1, 1.1, 1005, 5020)
    assert idle_cpus(2, start, end) == 2.0


def test_no_window_no_answer() -> None:
    start = reading(10.0, 1.0, 1000, 5000)
    assert idle_cpus(2, start, start) is None
    assert idle_cpus(2, None, start) is None


@pytest.mark.skipif(not scoring.can_fork(), reason="parallel scoring forks (Linux)")
@pytest.mark.parametrize("others, jobs", [(0.0, 2), (0.3, 2), (0.7, 1), (1.0, 1), (2.0, 1)])
def test_auto_jobs_counts_cpus_other_programs_use(monkeypatch: pytest.MonkeyPatch, others: float, jobs: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    # one second on two CPUs (200 ticks): this process busy all along, others for `others` CPUs
    start = reading(10.0, 1.0, 1000, 5000)
    end = reading(11.0, 2.0, 1000 + round(100 * (1 + others)), 5200)
    assert scoring.auto_jobs(10 * scoring.MIN_SLICE, start, end) == jobs
    assert scoring.auto_jobs(scoring.MIN_SLICE, start, end) == 1  # too few claims to share


@pytest.mark.skipif(not scoring.can_fork(), reason="parallel scoring forks (Linux)")
def test_auto_jobs_without_counters_uses_the_load_average(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(scoring, "idle_cpus", lambda cpus, since, now: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 1.0, 1.0))  # this process's own load
    assert scoring.auto_jobs(10 * scoring.MIN_SLICE) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (2.0, 2.0, 2.0))
    assert scoring.auto_jobs(10 * scoring.MIN_SLICE) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat")
def test_a_real_reading_and_window() -> None:
    now = cpu_times()
    assert now is not None and 0 <= now.busy <= now.total
    idle = idle_cpus(len(os.sched_getaffinity(0)))
    assert idle is not None and 0 <= idle <= len(os.sched_getaffinity(0))
