/* Softmax and LogSoftmax over one axis of a tensor viewed as [outer, L, inner].
 *
 * softmax_rows (inner == 1): one work group per row; its items stride over the row and
 *   combine their maximum and sum through local memory (scratch: one float per item).
 * softmax_strided: one work item per (outer, inner) pair, three passes over L.
 * LOG (build option) 1: LogSoftmax (x - max - log(sum)). */
#include "common.h"

#ifndef LOG
#define LOG 0
#endif

inline float group_max(float v, __local float* scratch) {
    int lid = get_local_id(0), n = get_local_size(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = n / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = fmax(scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float group_sum(float v, __local float* scratch) {
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

/* local size: a power of two */
__kernel void softmax_rows(__global const FTYPE* x, __global FTYPE* y, int L,
                           __local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), n = get_local_size(0);
    int base = row * L;
    float m = -INFINITY;
    for (int i = lid; i < L; i += n) m = fmax(m, LOAD(x, base + i));
    m = group_max(m, scratch);
    float s = 0.0f;
    for (int i = lid; i < L; i += n) s += exp(LOAD(x, base + i) - m);
    s = group_sum(s, scratch);
#if LOG
    float ls = log(s);
    for (int i = lid; i < L; i += n) STORE(LOAD(x, base + i) - m - ls, y, base + i);
#else
    float inv = 1.0f / s;
    for (int i = lid; i < L; i += n) STORE(exp(LOAD(x, base + i) - m) * inv, y, base + i);
#endif
}

__kernel void softmax_strided(__global const FTYPE* x, __global FTYPE* y, int outer, int L,
                              int inner) {
    int r = get_global_id(0);
    if (r >= outer * inner) return;
    int base = (r / inner) * L * inner + r % inner;
    float m = -INFINITY;
    for (int i = 0; i < L; ++i) m = fmax(m, LOAD(x, base + i * inner));
    float s = 0.0f;
    for (int i = 0; i < L; ++i) s += exp(LOAD(x, base + i * inner) - m);
#if LOG
    float ls = log(s);
    for (int i = 0; i < L; ++i) STORE(LOAD(x, base + i * inner) - m - ls, y, base + i * inner);
#else
    float inv = 1.0f / s;
    for (int i = 0; i < L; ++i)
        STORE(exp(LOAD(x, base + i * inner) - m) * inv, y, base + i * inner);
#endif
}
