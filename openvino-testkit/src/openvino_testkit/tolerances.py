"""How far a device's op output may be from the reference: the one table of the suite.

A device passes an op for an element type when every output element satisfies
``|device - reference| <= atol + rtol * |reference|`` (NaN where the reference is NaN,
the same infinities). Integer, boolean and string outputs must match exactly, whatever
the op. For floating outputs the bound depends on what the op does:

* ``copy`` ops move or select values without arithmetic: bit-exact.
* ``rounding`` ops do one arithmetic step per element: one rounding of the output type.
* ``transcendental`` ops call exp/log/trig/erf...: a few units in the last place.
* ``accumulating`` ops sum many terms (matmul, convolution, reductions, normalisation,
  softmax, pooling averages): the order of the sum is the device's choice.
* ``iterative`` ops chain accumulations (recurrent cells and sequences, FFTs, detection
  post-processing with scores), where error compounds.

Op types not listed in ``OP_FAMILY`` are ``rounding``. To loosen or tighten one op for
one element type, add it to ``OVERRIDES``. A device that computes f32 models in f16 or
bf16 (its compiled model reports that ``INFERENCE_PRECISION_HINT``) is held to the row of
that type for f32 outputs (``compute_type``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Tolerance", "EXACT", "FAMILY_TOLERANCES", "OP_FAMILY", "OVERRIDES",
           "op_tolerance", "inference_precision", "dynamic_quantization", "compute_type"]


@dataclass(frozen=True)
class Tolerance:
    """``|actual - expected| <= atol + rtol * |expected|``; both zero means exact."""

    atol: float = 0.0
    rtol: float = 0.0

    @property
    def exact(self) -> bool:
        return self.atol == 0.0 and self.rtol == 0.0

    def __str__(self) -> str:
        return "exact" if self.exact else f"atol={self.atol:g}, rtol={self.rtol:g}"


EXACT = Tolerance()

_FLOATS = ("f64", "f32", "f16", "bf16", "f8e4m3", "f8e5m2", "nf4")

#: family -> element type -> tolerance (floating types only; the rest is exact)
FAMILY_TOLERANCES: dict[str, dict[str, Tolerance]] = {
    "copy": {t: EXACT for t in _FLOATS},
    "rounding": {
        "f64": Tolerance(1e-12, 1e-12), "f32": Tolerance(1e-6, 2e-6),
        "f16": Tolerance(1e-3, 1e-3), "bf16": Tolerance(8e-3, 8e-3),
        "f8e4m3": Tolerance(2e-2, 0.125), "f8e5m2": Tolerance(2e-2, 0.25),
        "nf4": Tolerance(1e-6, 0.0),
    },
    "transcendental": {
        "f64": Tolerance(1e-12, 1e-12), "f32": Tolerance(1e-5, 1e-5),
        "f16": Tolerance(2e-3, 2e-3), "bf16": Tolerance(1.6e-2, 1.6e-2),
        "f8e4m3": Tolerance(3e-2, 0.125), "f8e5m2": Tolerance(3e-2, 0.25),
        "nf4": Tolerance(1e-6, 0.0),
    },
    "accumulating": {
        "f64": Tolerance(1e-10, 1e-10), "f32": Tolerance(1e-4, 1e-4),
        "f16": Tolerance(5e-2, 1e-2), "bf16": Tolerance(2.5e-1, 5e-2),
        "f8e4m3": Tolerance(0.5, 0.25), "f8e5m2": Tolerance(0.5, 0.5),
        "nf4": Tolerance(1e-2, 1e-2),
    },
    "iterative": {
        "f64": Tolerance(1e-9, 1e-9), "f32": Tolerance(5e-4, 5e-4),
        "f16": Tolerance(1e-1, 2e-2), "bf16": Tolerance(5e-1, 1e-1),
        "f8e4m3": Tolerance(1.0, 0.5), "f8e5m2": Tolerance(1.0, 0.5),
        "nf4": Tolerance(5e-2, 5e-2),
    },
}

_COPY = """
    Assign BatchToSpace Broadcast Concat Constant DepthToSpace Gather GatherElements GatherND
    GatherTree Identity Parameter ReadValue Reshape Result Reverse ReverseSequence Roll
    ScatterElementsUpdate ScatterNDUpdate ScatterUpdate Select ShapeOf ShuffleChannels
    Slice SliceScatter SpaceToBatch SpaceToDepth Split Squeeze StridedSlice
    StringTensorPack StringTensorUnpack Tile Transpose Unsqueeze VariadicSplit Pad
    ExtractImagePatches Relu Abs Negative Maximum Minimum Ceiling Floor Sign Clamp
    MaxPool AdaptiveMaxPool ReduceMax ReduceMin TopK NonZero Unique Bucketize
    SearchSorted Equal NotEqual Less LessEqual Greater GreaterEqual IsFinite IsInf IsNaN
    LogicalAnd LogicalOr LogicalXor LogicalNot OneHot Eye Range Convert ConvertLike
    ConvertPromoteTypes Round ReduceLogicalAnd ReduceLogicalOr Col2Im SegmentMax
"""

_TRANSCENDENTAL = """
    Acos Acosh Asin Asinh Atan Atanh Cos Cosh Sin Sinh Tan Tanh Exp Log Erf Sigmoid Elu
    Selu Gelu Swish Mish SoftPlus SoftSign HSwish HSigmoid HardSigmoid Power Sqrt
    PRelu Divide Mod FloorMod SquaredDifference FakeQuantize FakeConvert
"""

_ACCUMULATING = """
    MatMul Convolution GroupConvolution ConvolutionBackpropData GroupConvolutionBackpropData
    DeformableConvolution BinaryConvolution AvgPool AdaptiveAvgPool ReduceSum ReduceMean
    ReduceProd ReduceL1 ReduceL2 SoftMax Softmax LogSoftmax MVN NormalizeL2 GRN LRN
    BatchNormInference GroupNormalization Einsum CumSum EmbeddingBagOffsetsSum
    EmbeddingBagPackedSum EmbeddingSegmentsSum EmbeddingBagOffsets EmbeddingBagPacked
    Interpolate GridSample ROIAlign ROIAlignRotated ROIPooling PSROIPooling
    DeformablePSROIPooling ScaledDotProductAttention Inverse RegionYolo ReorgYolo PriorBox
    PriorBoxClustered CTCLoss CTCGreedyDecoder CTCGreedyDecoderSeqLen NV12toRGB NV12toBGR
    I420toRGB I420toBGR
"""

_ITERATIVE = """
    RNNCell RNNSequence GRUCell GRUSequence LSTMCell LSTMSequence AUGRUCell AUGRUSequence
    TensorIterator Loop If DFT IDFT RDFT IRDFT STFT ISTFT DetectionOutput Proposal
    ExperimentalDetectronDetectionOutput ExperimentalDetectronGenerateProposalsSingleImage
    ExperimentalDetectronPriorGridGenerator ExperimentalDetectronROIFeatureExtractor
    ExperimentalDetectronTopKROIs GenerateProposals NonMaxSuppression MatrixNms
    MulticlassNms NMSRotated
"""

#: op type -> family (types not listed are ``rounding``)
OP_FAMILY: dict[str, str] = {
    **{name: "copy" for name in _COPY.split()},
    **{name: "transcendental" for name in _TRANSCENDENTAL.split()},
    **{name: "accumulating" for name in _ACCUMULATING.split()},
    **{name: "iterative" for name in _ITERATIVE.split()},
}

#: (op type, element type) -> tolerance, where the family's bound does not fit
OVERRIDES: dict[tuple[str, str], Tolerance] = {
    # x ** y amplifies the rounding of x by y: one f32 ulp of the input grows to a few
    ("Power", "f32"): Tolerance(1e-5, 5e-5),
    # tan near its poles and acosh near 1 amplify the argument's rounding
    ("Tan", "f16"): Tolerance(5e-3, 5e-3),
    ("Acosh", "f16"): Tolerance(5e-3, 5e-3),
    # the inverse of a matrix amplifies rounding by its condition number
    ("Inverse", "f32"): Tolerance(1e-3, 1e-3),
    ("Inverse", "f16"): Tolerance(2e-1, 5e-2),
}


def op_tolerance(op_type: str, element_type: str) -> Tolerance:
    """The bound for output elements of ``element_type`` produced by ``op_type``."""
    if element_type not in _FLOATS:
        return EXACT
    found = OVERRIDES.get((op_type, element_type))
    if found is not None:
        return found
    family = OP_FAMILY.get(op_type, "rounding")
    return FAMILY_TOLERANCES[family][element_type]


def inference_precision(compiled: Any) -> str | None:
    """``"f16"`` or ``"bf16"`` when ``compiled`` reports that ``INFERENCE_PRECISION_HINT``
    (it computes f32 work at that precision), else ``None``."""
    try:
        hint = compiled.get_property("INFERENCE_PRECISION_HINT")
    except Exception:
        return None
    name = (hint.get_type_name() if hasattr(hint, "get_type_name") else str(hint)).lower()
    return {"f16": "f16", "float16": "f16", "bf16": "bf16", "bfloat16": "bf16"}.get(name)


#: element types of compressed (integer) weights whose matmuls may quantise their input
_COMPRESSED_WEIGHTS = frozenset({"u8", "i8", "u4", "i4"})


def dynamic_quantization(compiled: Any, const_types: Any) -> bool:
    """True when ``compiled`` quantises the inputs of matmuls with compressed weights to
    int8 at run time (``DYNAMIC_QUANTIZATION_GROUP_SIZE`` > 0, OpenVINO's CPU default) and
    the model has integer weight constants (``const_types``: their element type names):
    its results are then held to the low-precision tolerance, as for f16/bf16."""
    if not _COMPRESSED_WEIGHTS.intersection(const_types or ()):
        return False
    try:
        return int(compiled.get_property("DYNAMIC_QUANTIZATION_GROUP_SIZE")) > 0
    except Exception:
        return False


def compute_type(output_type: str, precision: str | None) -> str:
    """The tolerance row for an output of ``output_type`` computed at ``precision``."""
    return precision if precision and output_type == "f32" else output_type
