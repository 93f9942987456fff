"""openvino_cpu.peak: the FMA peak the benchmarks compare against."""

from __future__ import annotations

import pytest

from openvino_cpu._native import lib
from openvino_cpu.peak import fma_peak


@pytest.mark.parametrize("level", [0, 1, 2])
def test_fma_peak_measures_each_vector_width(level) -> None:
    detected = lib.ov_set_isa(2)
    used = lib.ov_set_isa(level)
    try:
        if used != level:
            pytest.skip(f"this CPU has no instruction set level {level}")
        peak = fma_peak(threads=1, seconds=0.02, repeats=1)
    finally:
        lib.ov_set_isa(detected)
    assert peak.threads == 1
    assert peak.isa == {0: "generic", 1: "avx2", 2: "avx512"}[level]
    # any machine this runs on does more than 0.1 GFLOP/s per core, and no core exceeds
    # 2 FMA units x 16 lanes x 2 flops x 6 GHz
    assert 0.1 < peak.per_core_gflops < 400
    assert peak.gflops == pytest.approx(peak.per_core_gflops)
    # wall time includes waiting for the CPU: never faster than the CPU-time rate (+ noise)
    assert peak.wall_gflops <= peak.per_core_gflops * 1.05


def test_fma_peak_scales_with_threads() -> None:
    peak = fma_peak(threads=2, seconds=0.02, repeats=1)
    assert peak.threads == 2
    assert peak.gflops == pytest.approx(2 * peak.per_core_gflops)


@pytest.mark.parametrize("kwargs", [{"threads": -1}, {"seconds": 0}, {"repeats": 0}])
def test_fma_peak_rejects_bad_arguments(kwargs) -> None:
    with pytest.raises(ValueError):
        fma_peak(**kwargs)
