"""Weight-compressed transformer encoders for the interop check, built with the REAL
OpenVINO and NNCF (run in the real runtime's venv; NNCF imports the real ``openvino``).

``encoder()`` is a 6-layer encoder of MiniLM's shape: hidden 384, 12 heads of 32, FFN 1536,
LayerNorm as MVN + gamma/beta, GELU, a token-embedding Gather, an additive attention mask;
inputs ``input_ids`` and ``attention_mask`` ([batch, sequence] i64, both dynamic). Its
weights are random with a fixed seed (the numbers of the decompression do not depend on
training). ``compressed(mode)`` gives it compressed by ``nncf.compress_weights`` in one of
``MODES`` (f32 is the uncompressed model; ``save_fp16(mode)`` says whether it is saved with
f16 weights).
"""

from __future__ import annotations

import numpy as np

HIDDEN, HEADS, FFN, LAYERS, VOCAB = 384, 12, 1536, 6, 1000

#: mode name -> keyword arguments of nncf.compress_weights (None: not compressed by NNCF;
#: ``f16_ir`` is the f32 model saved with ``compress_to_fp16=True``: f16 weights, each
#: with a decompression Convert to f32)
MODES: dict[str, dict | None] = {
    "f32": None,
    "f16_ir": None,
    "int8_asym": {"mode": "INT8_ASYM"},
    "int8_sym": {"mode": "INT8_SYM"},
    "int4_asym_g32": {"mode": "INT4_ASYM", "group_size": 32, "ratio": 1.0},
    "int4_sym_g32": {"mode": "INT4_SYM", "group_size": 32, "ratio": 1.0},
    "int4_asym_g64": {"mode": "INT4_ASYM", "group_size": 64, "ratio": 1.0},
    "int4_sym_g128": {"mode": "INT4_SYM", "group_size": 128, "ratio": 1.0},
    "int4_asym_g128_r06": {"mode": "INT4_ASYM", "group_size": 128, "ratio": 0.6},
    "int4_sym_g64_r05": {"mode": "INT4_SYM", "group_size": 64, "ratio": 0.5},
}

#: (batch, sequence) of the runs: MiniLM's 4 x 128 and a short 1 x 16
SHAPES_FULL = [(4, 128), (1, 16)]


def inputs_for(batch: int, seq: int, seed: int) -> list[np.ndarray]:
    """``input_ids`` and ``attention_mask`` of one run (the last rows padded)."""
    rng = np.random.RandomState(seed)
    ids = rng.randint(0, VOCAB, (batch, seq)).astype(np.int64)
    mask = np.ones((batch, seq), np.int64)
    for b in range(1, batch):
        mask[b, seq - seq * b // (2 * batch):] = 0
    return [ids, mask]


def encoder():
    """The f32 encoder (a real ``openvino.Model``)."""
    import openvino as ov
    import openvino.opset15 as ops

    rng = np.random.RandomState(2026)

    def weight(*shape: int, scale: float = 0.05):
        return ops.constant((rng.randn(*shape) * scale).astype(np.float32))

    def i64(*values: int):
        return ops.constant(np.array(values, np.int64))

    def layer_norm(x, name: str):
        norm = ops.mvn(x, i64(-1), True, 1e-12, "inside_sqrt")
        gamma = ops.constant((1.0 + rng.randn(HIDDEN) * 0.1).astype(np.float32))
        beta = ops.constant((rng.randn(HIDDEN) * 0.1).astype(np.float32))
        out = ops.add(ops.multiply(norm, gamma), beta)
        out.set_friendly_name(name)
        return out

    def dense(x, n_in: int, n_out: int, name: str):
        mm = ops.matmul(x, weight(n_out, n_in), False, True)
        mm.set_friendly_name(name)
        return ops.add(mm, weight(n_out, scale=0.02))

    ids = ops.parameter([-1, -1], np.int64, name="input_ids")
    mask = ops.parameter([-1, -1], np.int64, name="attention_mask")
    table = weight(VOCAB, HIDDEN, scale=0.5)
    h = ops.gather(table, ids, ops.constant(np.array(0, np.int64)), 0)
    h = layer_norm(h, "embeddings.norm")
    # [B, S] -> additive [B, 1, 1, S]
    m = ops.convert(ops.unsqueeze(mask, i64(1, 2)), np.float32)
    bias = ops.multiply(ops.subtract(ops.constant(np.float32(1.0)), m),
                        ops.constant(np.float32(-10000.0)))
    head = HIDDEN // HEADS
    for n in range(LAYERS):
        def heads(x):
            split = ops.reshape(x, i64(0, 0, HEADS, head), True)
            return ops.transpose(split, i64(0, 2, 1, 3))
        q = heads(dense(h, HIDDEN, HIDDEN, f"layer{n}.q"))
        k = heads(dense(h, HIDDEN, HIDDEN, f"layer{n}.k"))
        v = heads(dense(h, HIDDEN, HIDDEN, f"layer{n}.v"))
        scores = ops.matmul(q, k, False, True)
        scores = ops.add(ops.multiply(scores, ops.constant(np.float32(1 / np.sqrt(head)))),
                         bias)
        ctx = ops.matmul(ops.softmax(scores, -1), v, False, False)
        ctx = ops.reshape(ops.transpose(ctx, i64(0, 2, 1, 3)), i64(0, 0, HIDDEN), True)
        h = layer_norm(ops.add(h, dense(ctx, HIDDEN, HIDDEN, f"layer{n}.out")),
                       f"layer{n}.norm1")
        ff = ops.gelu(dense(h, HIDDEN, FFN, f"layer{n}.ffn_in"), "erf")
        h = layer_norm(ops.add(h, dense(ff, FFN, HIDDEN, f"layer{n}.ffn_out")),
                       f"layer{n}.norm2")
    h.output(0).set_names({"last_hidden_state"})
    return ov.Model([h], [ids, mask], "minilm_encoder")


def compressed(mode: str):
    """The encoder compressed by NNCF in ``mode`` (a key of ``MODES``)."""
    model = encoder()
    kwargs = MODES[mode]
    if kwargs is None:
        return model
    import nncf

    kwargs = dict(kwargs)
    kwargs["mode"] = getattr(nncf.CompressWeightsMode, kwargs["mode"])
    return nncf.compress_weights(model, **kwargs)


def save_fp16(mode: str) -> bool:
    """Whether ``mode``'s model is saved with ``compress_to_fp16=True``."""
    return mode == "f16_ir"
