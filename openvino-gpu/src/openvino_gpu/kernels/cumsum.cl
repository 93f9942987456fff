/* CumSum over one axis of a tensor viewed as [outer, L, inner]: one work item per
 * (outer, inner) row runs the scan in order (EXCLUSIVE, REVERSE: the op's attributes,
 * passed as arguments). IS_FLOAT 1: float tensor (LOAD/STORE); else DT summed as long
 * and stored wrapped to its type. */
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
#else
#define CT long
#define DPTR __global const DT*
#define OPTR __global DT*
#define READ(p, i) ((CT)(p)[(i)])
#define WRITE(v, p, i) ((p)[(i)] = (DT)(v))
#endif

__kernel void cumsum(DPTR x, OPTR y, int outer, int L, int inner, int exclusive,
                     int reverse) {
    int r = get_global_id(0);
    if (r >= outer * inner) return;
    int base = (r / inner) * L * inner + r % inner;
    CT acc = 0;
    for (int t = 0; t < L; ++t) {
        int i = base + (reverse ? L - 1 - t : t) * inner;
        CT v = READ(x, i);
        if (exclusive) {
            WRITE(acc, y, i);
            acc += v;
        } else {
            acc += v;
            WRITE(acc, y, i);
        }
    }
}
