/* MVN (mean-variance normalization; LayerNorm's core) and NormalizeL2 (at the end) over a
 * contiguous block of axes:
 * the tensor viewed as [outer, L, inner], each (outer, inner) row normalized over L.
 *
 * mvn_rows (inner == 1): one work group per row, sums combined in local memory (scratch:
 *   one float per item; local size a power of two).
 * mvn_strided: one work item per row.
 * Arguments: normalize_variance, eps, eps_inside (1: 1/sqrt(var + eps), 0: 1/(sqrt(var) +
 * eps)). The variance is the mean of squared deviations (two passes, no cancellation). */
#include "common.h"

inline float norm_group_sum(float v, __local float* scratch) {
    int lid = get_local_id(0), n = get_local_size(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = n / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float inv_std(float var, float eps, int eps_inside) {
    return eps_inside ? rsqrt(var + eps) : 1.0f / (sqrt(var) + eps);
}

__kernel void mvn_rows(__global const FTYPE* x, __global FTYPE* y, int L,
                       int normalize_variance, float eps, int eps_inside,
                       __local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), n = get_local_size(0);
    int base = row * L;
    float s = 0.0f;
    for (int i = lid; i < L; i += n) s += LOAD(x, base + i);
    float mean = norm_group_sum(s, scratch) / (float)L;
    float scale = 1.0f;
    if (normalize_variance) {
        float q = 0.0f;
        for (int i = lid; i < L; i += n) {
            float d = LOAD(x, base + i) - mean;
            q += d * d;
        }
        scale = inv_std(norm_group_sum(q, scratch) / (float)L, eps, eps_inside);
    }
    for (int i = lid; i < L; i += n) STORE((LOAD(x, base + i) - mean) * scale, y, base + i);
}

__kernel void mvn_strided(__global const FTYPE* x, __global FTYPE* y, int outer, int L,
                          int inner, int normalize_variance, float eps, int eps_inside) {
    int r = get_global_id(0);
    if (r >= outer * inner) return;
    int base = (r / inner) * L * inner + r % inner;
    float s = 0.0f;
    for (int i = 0; i < L; ++i) s += LOAD(x, base + i * inner);
    float mean = s / (float)L;
    float scale = 1.0f;
    if (normalize_variance) {
        float q = 0.0f;
        for (int i = 0; i < L; ++i) {
            float d = LOAD(x, base + i * inner) - mean;
            q += d * d;
        }
        scale = inv_std(q / (float)L, eps, eps_inside);
    }
    for (int i = 0; i < L; ++i)
        STORE((LOAD(x, base + i * inner) - mean) * scale, y, base + i * inner);
}

/* NormalizeL2 over a block of axes: y = x / sqrt(sum(x^2) + eps) (EPS_ADD 1) or
 * x / sqrt(max(sum(x^2), eps)); rows as for MVN. */
inline float l2_scale(float sq, float eps, int eps_add) {
    return rsqrt(eps_add ? sq + eps : fmax(sq, eps));
}

__kernel void l2_rows(__global const FTYPE* x, __global FTYPE* y, int L, float eps, int eps_add,
                      __local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), n = get_local_size(0);
    int base = row * L;
    float q = 0.0f;
    for (int i = lid; i < L; i += n) {
        float v = LOAD(x, base + i);
        q += v * v;
    }
    float scale = l2_scale(norm_group_sum(q, scratch), eps, eps_add);
    for (int i = lid; i < L; i += n) STORE(LOAD(x, base + i) * scale, y, base + i);
}

__kernel void l2_strided(__global const FTYPE* x, __global FTYPE* y, int outer, int L,
                         int inner, float eps, int eps_add) {
    int r = get_global_id(0);
    if (r >= outer * inner) return;
    int base = (r / inner) * L * inner + r % inner;
    float q = 0.0f;
    for (int i = 0; i < L; ++i) {
        float v = LOAD(x, base + i * inner);
        q += v * v;
    }
    float scale = l2_scale(q, eps, eps_add);
    for (int i = 0; i < L; ++i) STORE(LOAD(x, base + i * inner) * scale, y, base + i * inner);
}

/* LRN: y = x / (bias + alpha / size^A * sum of x^2 over [i - r, i + r] along each of
 * the A axes (clipped to the tensor))^beta. meta: rank R (<= 8), dims[8], A (<= 4),
 * axes[4], r. One output element per work item. */
__kernel void lrn(__global const FTYPE* x, __global FTYPE* y, __global const int* meta,
                  int n, float bias, float scale, float beta) {
    int i = get_global_id(0);
    if (i >= n) return;
    int rank = meta[0], A = meta[9], radius = meta[14];
    int coord[8], stride[8];
    int r = i, s = 1;
    for (int d = rank - 1; d >= 0; --d) {
        coord[d] = r % meta[1 + d];
        r /= meta[1 + d];
        stride[d] = s;
        s *= meta[1 + d];
    }
    int width = 2 * radius + 1;
    int combos = 1;
    for (int a = 0; a < A; ++a) combos *= width;
    float sq = 0.0f;
    for (int c = 0; c < combos; ++c) {
        int rest = c, off = 0, ok = 1;
        for (int a = 0; a < A && ok; ++a) {
            int ax = meta[10 + a];
            int pos = coord[ax] + rest % width - radius;
            rest /= width;
            if (pos < 0 || pos >= meta[1 + ax]) ok = 0;
            off += (pos - coord[ax]) * stride[ax];
        }
        if (ok) {
            float v = LOAD(x, i + off);
            sq += v * v;
        }
    }
    STORE(LOAD(x, i) / pow(bias + scale * sq, beta), y, i);
}
