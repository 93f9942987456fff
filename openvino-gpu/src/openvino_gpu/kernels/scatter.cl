/* Scatter ops written as gathers: each output element finds the updates that land on it
 * (the last one for overwriting, all of them for reductions), so no two work items write
 * the same element and the result does not depend on scheduling (duplicate indices: the
 * last update wins, as in the reference). ELEM moves raw element bits; the reducing
 * kernel works on float tensors (LOAD/STORE). Indices outside the axis update nothing.
 *
 * scatter_update (ScatterUpdate-3): data [outer, axis, inner], indices [count],
 *   updates [outer, count, inner].
 * scatter_elements / scatter_elements_reduce (ScatterElementsUpdate): meta = rank R
 *   (<= 8), output dims[8], indices dims[8], axis; updates have the indices' shape.
 *   REDUCTION 1 sum, 2 prod, 3 min, 4 max, 5 mean; init: use_init_val.
 * scatter_nd (ScatterNDUpdate, overwrite): data [positions, inner] with positions over
 *   the first K dims (meta: K, dims[8]), indices [count, K], updates [count, inner]. */
#include "common.h"

#ifndef ELEM
#define ELEM uint
#endif
#ifndef IDX_T
#define IDX_T long
#endif
#ifndef NEGATIVE_INDICES
#define NEGATIVE_INDICES 0
#endif

inline long norm_index(long idx, int dim) {
#if NEGATIVE_INDICES
    if (idx < 0) idx += dim;
#endif
    return idx;
}

__kernel void scatter_update(__global ELEM* y, __global const ELEM* data,
                             __global const IDX_T* indices, __global const ELEM* updates,
                             int n, int axis, int inner, int count) {
    int i = get_global_id(0);
    if (i >= n) return;
    int k = i % inner, r = i / inner;
    int a = r % axis, o = r / axis;
    int last = -1;
    for (int j = 0; j < count; ++j)
        if (norm_index((long)indices[j], axis) == a) last = j;
    y[i] = last >= 0 ? updates[(o * count + last) * inner + k] : data[i];
}

/* the indices/updates offset of output coordinate c with c[axis] = j, or -1 when c lies
 * outside the indices' shape */
inline int elements_offset(__global const int* meta, int i, int* c_axis) {
    int rank = meta[0], axis = meta[17];
    int off = 0, stride = 1, r = i;
    int coord[8];
    for (int d = rank - 1; d >= 0; --d) {
        coord[d] = r % meta[1 + d];
        r /= meta[1 + d];
    }
    *c_axis = coord[axis];
    for (int d = rank - 1; d >= 0; --d) {
        int dim = meta[9 + d];
        if (d != axis) {
            if (coord[d] >= dim) return -1;
            off += coord[d] * stride;
        }
        stride *= dim;
    }
    return off;
}

inline int axis_stride(__global const int* meta) {
    int s = 1;
    for (int d = meta[0] - 1; d > meta[17]; --d) s *= meta[9 + d];
    return s;
}

__kernel void scatter_elements(__global ELEM* y, __global const ELEM* data,
                               __global const IDX_T* indices, __global const ELEM* updates,
                               __global const int* meta, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int ca;
    int base = elements_offset(meta, i, &ca);
    ELEM v = data[i];
    if (base >= 0) {
        int dim = meta[1 + meta[17]], step = axis_stride(meta), count = meta[9 + meta[17]];
        for (int j = 0; j < count; ++j)
            if (norm_index((long)indices[base + j * step], dim) == ca)
                v = updates[base + j * step];
    }
    y[i] = v;
}

#ifdef REDUCTION
#if defined(cl_khr_fp64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define MEAN_T double  /* the reference's mean accumulates in double */
#else
#define MEAN_T float
#endif

#ifndef ROUND_HALF
#define ROUND_HALF 0
#endif

/* x rounded to the nearest f16 value (ties to even), kept in a float: an f16 tensor's
 * reduction rounds after every step, as the reference computing in f16 does */
inline float round_half(float x) {
    uint u = as_uint(x);
    uint e = (u >> 23) & 0xffu;
    if (e == 0xffu) return x;
    int shift = 13;
    if (e < 113u) {
        shift = 13 + (113 - (int)e);
        if (shift > 23) return as_float(u & 0x80000000u);
    }
    uint mask = (1u << shift) - 1u, halfway = 1u << (shift - 1);
    uint rem = u & mask;
    u &= ~mask;
    if (rem > halfway || (rem == halfway && (u & (mask + 1u)))) u += mask + 1u;
    if (as_float(u & 0x7fffffffu) > 65504.0f) u = (u & 0x80000000u) | 0x7f800000u;
    return as_float(u);
}

#if ROUND_HALF
#define STEP(v) round_half(v)
#else
#define STEP(v) (v)
#endif

/* the updates landing on output element i combined in index order, starting from its data
 * value (use_init_val) or the reduction's identity, as the reference applies them */
__kernel void scatter_elements_reduce(__global FTYPE* y, __global const FTYPE* data,
                                      __global const IDX_T* indices,
                                      __global const FTYPE* updates, __global const int* meta,
                                      int n, int use_init_val) {
    int i = get_global_id(0);
    if (i >= n) return;
    int ca;
    int base = elements_offset(meta, i, &ca);
    float init = LOAD(data, i);
    if (base < 0) {
        STORE(init, y, i);
        return;
    }
    int dim = meta[1 + meta[17]], step = axis_stride(meta), count = meta[9 + meta[17]];
    int hits = 0;
    for (int j = 0; j < count; ++j)
        hits += norm_index((long)indices[base + j * step], dim) == ca;
    if (!hits) {
        STORE(init, y, i);
        return;
    }
#if REDUCTION == 5
    MEAN_T acc = use_init_val ? (MEAN_T)init : (MEAN_T)0;
#elif REDUCTION == 2
    float acc = use_init_val ? init : 1.0f;
#elif REDUCTION == 3
    float acc = use_init_val ? init : INFINITY;
#elif REDUCTION == 4
    float acc = use_init_val ? init : -INFINITY;
#else
    float acc = use_init_val ? init : 0.0f;
#endif
    for (int j = 0; j < count; ++j) {
        int u = base + j * step;
        if (norm_index((long)indices[u], dim) != ca) continue;
        float v = LOAD(updates, u);
#if REDUCTION == 2
        acc = STEP(acc * v);
#elif REDUCTION == 3
        acc = fmin(acc, v);
#elif REDUCTION == 4
        acc = fmax(acc, v);
#elif REDUCTION == 5
        acc += v;
#else
        acc = STEP(acc + v);
#endif
    }
#if REDUCTION == 5
    acc /= (MEAN_T)(hits + (use_init_val ? 1 : 0));
#endif
    STORE((float)acc, y, i);
}
#endif

__kernel void scatter_nd(__global ELEM* y, __global const ELEM* data,
                         __global const IDX_T* indices, __global const ELEM* updates,
                         __global const int* meta, int n, int inner, int count) {
    int i = get_global_id(0);
    if (i >= n) return;
    int K = meta[0];
    int p = i / inner, k = i % inner;
    int coord[8];
    int r = p;
    for (int t = K - 1; t >= 0; --t) {
        coord[t] = r % meta[1 + t];
        r /= meta[1 + t];
    }
    int last = -1;
    for (int j = 0; j < count; ++j) {
        int match = 1;
        for (int t = 0; t < K && match; ++t)
            match = norm_index((long)indices[j * K + t], meta[1 + t]) == coord[t];
        if (match) last = j;
    }
    y[i] = last >= 0 ? updates[last * inner + k] : data[i];
}
