/* TopK over one axis of a tensor viewed as [outer, L, inner]: one work item per
 * (outer, inner) row selects its K elements in order, each pass taking the best element
 * that comes after the previous pick in the total order (value, then lower index first),
 * so ties keep their input order (v11 stable) and no scratch memory is needed.
 * MODE_MAX 1: largest first; SORT_INDEX 1: the K picks written in index order (a last
 * pass writes every element not after the K-th pick).
 * IS_FLOAT 1: float tensor (LOAD/STORE), else DT (C type) compared as long.
 * Outputs values [outer, K, inner] and indices (IDX_T) of the same shape. */
#include "common.h"

#ifndef IS_FLOAT
#define IS_FLOAT 1
#endif
#if IS_FLOAT
#define VT float
#define DPTR __global const FTYPE*
#define OPTR __global FTYPE*
#define READ(p, i) LOAD(p, i)
#define WRITE(v, p, i) STORE(v, p, i)
#else
#define VT long
#define DPTR __global const DT*
#define OPTR __global DT*
#define READ(p, i) ((VT)(p)[(i)])
#define WRITE(v, p, i) ((p)[(i)] = (DT)(v))
#endif

/* whether (v, i) comes before (w, j) in the selection order */
inline int before(VT v, int i, VT w, int j) {
#if MODE_MAX
    return v > w || (v == w && i < j);
#else
    return v < w || (v == w && i < j);
#endif
}

__kernel void topk(DPTR x, OPTR values, __global IDX_T* indices, int outer, int L, int inner,
                   int K) {
    int r = get_global_id(0);
    if (r >= outer * inner) return;
    int o = r / inner, in = r % inner;
    int base = o * L * inner + in;
    int obase = o * K * inner + in;
    VT pv = 0;
    int pi = -1;
    for (int j = 0; j < K; ++j) {
        VT bv = 0;
        int bi = -1;
        for (int i = 0; i < L; ++i) {
            VT v = READ(x, base + i * inner);
            if (pi >= 0 && !before(pv, pi, v, i)) continue;  /* already taken */
            if (bi < 0 || before(v, i, bv, bi)) {
                bv = v;
                bi = i;
            }
        }
        if (bi < 0) bi = pi < 0 ? 0 : pi;  /* only unordered values (NaN) left */
#if !SORT_INDEX
        WRITE(bv, values, obase + j * inner);
        indices[obase + j * inner] = (IDX_T)bi;
#endif
        pv = bv;
        pi = bi;
    }
#if SORT_INDEX
    /* (pv, pi) is the K-th pick: the picks are the elements not after it, written in
     * index order (no read-back of the outputs) */
    int j = 0;
    for (int i = 0; i < L && j < K; ++i) {
        VT v = READ(x, base + i * inner);
        if (before(pv, pi, v, i)) continue;
        WRITE(v, values, obase + j * inner);
        indices[obase + j * inner] = (IDX_T)i;
        ++j;
    }
    for (; j < K; ++j) {  /* unordered values (NaN) left the picks short */
        WRITE(pv, values, obase + j * inner);
        indices[obase + j * inner] = (IDX_T)pi;
    }
#endif
}
