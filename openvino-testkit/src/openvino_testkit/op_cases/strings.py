"""String ops: StringTensorUnpack and StringTensorPack, with empty strings, non-ASCII text,
scalars and empty tensors."""

from __future__ import annotations

import numpy as np

import openvino as ov

from ._case import Case, OpInfo, T, op_cases, param

_TEXT = np.array(["hello", "", "OpenVINO", "ünïcödé", "a b\tc", "中文"])


@op_cases("StringTensorUnpack", types=(T.string,))
def _unpack(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    return [
        Case("1d", [param([6], value=_TEXT)], lambda x: ops.string_tensor_unpack(x)),
        Case("2d", [param([2, 3], value=_TEXT.reshape(2, 3))],
             lambda x: ops.string_tensor_unpack(x)),
        Case("scalar", [param([], value=np.array("ünï"))], lambda x: ops.string_tensor_unpack(x)),
        Case("empty", [param([0], value=np.array([], dtype=str))],
             lambda x: ops.string_tensor_unpack(x)),
    ]


def _packed(strings: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings.reshape(-1)]
    ends = np.cumsum([len(e) for e in encoded]).astype(np.int64)
    begins = ends - np.array([len(e) for e in encoded], dtype=np.int64)
    symbols = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return begins.reshape(strings.shape), ends.reshape(strings.shape), symbols


@op_cases("StringTensorPack", types=(T.i32, T.i64))
def _pack(info: OpInfo, et: ov.Type) -> list[Case]:
    ops = info.opset
    cases = []
    for name, strings in (("1d", _TEXT), ("2d", _TEXT.reshape(3, 2)),
                          ("empty", np.array([], dtype=str))):
        begins, ends, symbols = _packed(strings)
        cases.append(Case(name, [param(begins.shape, value=begins),
                                 param(ends.shape, value=ends),
                                 param(symbols.shape, T.u8, value=symbols)],
                          lambda b, e, s: ops.string_tensor_pack(b, e, s)))
    # begins/ends need not be contiguous: pick substrings of one buffer
    symbols = np.frombuffer(b"abcdefgh", dtype=np.uint8).copy()
    cases.append(Case("overlapping", [param([3], value=[0, 2, 5]), param([3], value=[3, 2, 8]),
                                      param([8], T.u8, value=symbols)],
                      lambda b, e, s: ops.string_tensor_pack(b, e, s), dynamic=False))
    return cases
