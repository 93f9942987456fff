/* Reductions (ReduceSum, ReduceMean, ReduceProd, ReduceMax, ReduceMin, ReduceL1, ReduceL2,
 * ReduceLogicalAnd, ReduceLogicalOr), one output element per work item (reduce_nd) or one
 * work group per output row when the reduced axes are the innermost ones (reduce_rows).
 *
 * Build options: OP (1 sum, 2 mean, 3 prod, 4 max, 5 min, 6 L1, 7 L2, 8 and, 9 or);
 *   IS_FLOAT 1 for float tensors (read with LOAD, computed in float), else DT (C type of
 *   the tensor, DT_MIN/DT_MAX its limits) computed in CT (long; double is not required
 *   of the device).
 * reduce_nd meta (ints): rank R of the kept dims (<= 8), kept dims[8], their input
 *   strides[8], rank Q of the reduced dims (<= 8), reduced dims[8], their strides[8];
 *   count = number of reduced elements. */
#include "common.h"

#ifndef IS_FLOAT
#define IS_FLOAT 1
#endif
#if IS_FLOAT
#define CT float
#define DPTR __global const FTYPE*
#define OPTR __global FTYPE*
#define READ(p, i) LOAD(p, i)
#define WRITE(v, p, i) STORE(v, p, i)
#define CT_LOWEST (-INFINITY)
#define CT_HIGHEST INFINITY
#else
#ifndef CT
#define CT long
#endif
#define DPTR __global const DT*
#define OPTR __global DT*
#define READ(p, i) ((CT)(p)[(i)])
#define WRITE(v, p, i) ((p)[(i)] = (DT)(v))
#define CT_LOWEST ((CT)DT_MIN)  /* the type's limits (build options) */
#define CT_HIGHEST ((CT)DT_MAX)
#endif

#if OP == 3
#define INIT ((CT)1)
#elif OP == 4
#define INIT CT_LOWEST
#elif OP == 5
#define INIT CT_HIGHEST
#elif OP == 8
#define INIT ((CT)1)
#else
#define INIT ((CT)0)
#endif

inline CT combine(CT a, CT v) {
#if OP == 3
    return a * v;
#elif OP == 4
    return v > a ? v : a;
#elif OP == 5
    return v < a ? v : a;
#elif OP == 6
    return a + (v < 0 ? -v : v);
#elif OP == 7
    return a + v * v;
#elif OP == 8
    return (a != 0 && v != 0) ? 1 : 0;
#elif OP == 9
    return (a != 0 || v != 0) ? 1 : 0;
#else
    return a + v;
#endif
}

/* combining two partial results (the same as combine except for L1/L2) */
inline CT merge(CT a, CT b) {
#if OP == 6 || OP == 7
    return a + b;
#else
    return combine(a, b);
#endif
}

inline CT finish(CT a, int count) {
#if OP == 2 && IS_FLOAT
    return count ? a / (CT)count : a;
#elif OP == 2  /* the sum in the tensor's type, divided truncating toward zero */
    return count ? (CT)(DT)a / (CT)count : (CT)0;
#elif OP == 7 && IS_FLOAT
    return sqrt(a);
#elif OP == 7  /* integers: rounded half away from zero */
    return (CT)round(sqrt((float)a));
#else
    return a;
#endif
}

__kernel void reduce_nd(DPTR x, OPTR y, __global const int* meta, int n, int count) {
    int o = get_global_id(0);
    if (o >= n) return;
    int base = 0, r = o;
    for (int d = meta[0] - 1; d >= 0; --d) {
        int dim = meta[1 + d];
        base += (r % dim) * meta[9 + d];
        r /= dim;
    }
    CT acc = INIT;
    int q = meta[17];
    for (int j = 0; j < count; ++j) {
        int off = base, t = j;
        for (int d = q - 1; d >= 0; --d) {
            int dim = meta[18 + d];
            off += (t % dim) * meta[26 + d];
            t /= dim;
        }
        acc = combine(acc, READ(x, off));
    }
    WRITE(finish(acc, count), y, o);
}

/* local size: a power of two; scratch: one CT per item */
__kernel void reduce_rows(DPTR x, OPTR y, int L, __local CT* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), n = get_local_size(0);
    CT acc = INIT;
    for (int i = lid; i < L; i += n) acc = combine(acc, READ(x, row * L + i));
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = n / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = merge(scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) WRITE(finish(scratch[0], L), y, row);
}
