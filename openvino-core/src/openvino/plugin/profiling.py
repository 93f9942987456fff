"""Profiling records a device shares with the core: nodes listed as not run.

OpenVINO lists every node of the runtime model in ``get_profiling_info()``: before the first
inference and without ``PERF_COUNT`` all of them as ``NOT_RUN`` with zero times, and with
``PERF_COUNT`` the Parameters and Results (which do no work) as ``NOT_RUN`` beside the
timed nodes. :func:`not_run_records` makes those records, so every device lists them the
same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from openvino._profiling import ProfilingInfo

if TYPE_CHECKING:
    from openvino._node import Node

__all__ = ["not_run_records"]

_ZERO = datetime.timedelta(0)
_SKIPPED = frozenset({"Constant", "Const"})


def not_run_records(nodes: Iterable[Node]) -> list[ProfilingInfo]:
    """One ``NOT_RUN`` record with zero times per node (constants left out).

    ``node_type`` and ``exec_type`` come from the ``layerType`` / ``primitiveType`` rt_info
    entries a device's runtime model may carry; otherwise they are the op type and
    ``"unknown_<element type>"`` for Parameters and Results, ``"undef"`` for other nodes.
    """
    out = []
    for node in nodes:
        type_name = node.get_type_name()
        rt = node.get_rt_info()
        if type_name in _SKIPPED or rt.get("layerType") in _SKIPPED:
            continue
        structural = type_name in ("Parameter", "Result")
        node_type = type_name if structural or "layerType" not in rt else str(rt["layerType"])
        if "primitiveType" in rt:
            exec_type = str(rt["primitiveType"])
        elif structural:
            exec_type = f"unknown_{node.get_output_element_type(0).get_type_name()}"
        else:
            exec_type = "undef"
        out.append(ProfilingInfo(node.get_friendly_name(), node_type, exec_type, _ZERO, _ZERO,
                                 ProfilingInfo.Status.NOT_RUN))
    return out
