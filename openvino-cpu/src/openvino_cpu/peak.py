"""The machine's FMA peak, measured: a register-only loop of fused multiply-adds at the
kernels' vector width on every core (``kernels/peak.c``). Benchmarks state convolution
and matmul throughput as a share of it (``bench/bench_cpu.py``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ._native import Pool, ffi, isa, lib

__all__ = ["FmaPeak", "fma_peak"]


@dataclass(frozen=True)
class FmaPeak:
    """One measurement. ``gflops`` is the peak of ``threads`` cores: the per-core rate
    (flops per CPU second of the loop, which other processes on the machine do not
    change) times the threads; ``wall_gflops`` is what the threads delivered together in
    wall time, lower when the machine is busy."""

    gflops: float
    per_core_gflops: float
    wall_gflops: float
    threads: int
    isa: str


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def fma_peak(threads: int = 0, seconds: float = 0.25, repeats: int = 3) -> FmaPeak:
    """Measure the FMA peak on ``threads`` threads (0: one per core this process may run
    on), each repeat lasting about ``seconds``; the best repeat counts."""
    if threads < 0:
        raise ValueError(f"threads must be >= 0, got {threads}")
    if seconds <= 0 or repeats < 1:
        raise ValueError(f"seconds must be > 0 and repeats >= 1, got {seconds}, {repeats}")
    n = int(threads) or _cores()
    pool = Pool(n)
    wall, cpu = ffi.new("double *"), ffi.new("double *")
    try:
        # calibrate: iterations that take about 2 ms on one core
        iters = 1 << 14
        while True:
            lib.ov_fma_peak(pool.handle, 1, iters, wall, cpu)
            if cpu[0] >= 2e-3 or iters >= 1 << 30:
                break
            iters *= 4
        per_task = max(cpu[0], 1e-6)
        ntasks = max(4 * n, int(seconds * n / per_task))
        best_core = best_wall = 0.0
        for _ in range(repeats):
            flops = lib.ov_fma_peak(pool.handle, ntasks, iters, wall, cpu)
            best_core = max(best_core, flops / max(cpu[0], 1e-9) / 1e9)
            best_wall = max(best_wall, flops / max(wall[0], 1e-9) / 1e9)
    finally:
        pool.close()
    return FmaPeak(gflops=best_core * n, per_core_gflops=best_core, wall_gflops=best_wall,
                   threads=n, isa=isa())
