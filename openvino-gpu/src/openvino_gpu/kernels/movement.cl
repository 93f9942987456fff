/* Data movement: strided copies (Transpose, Slice, StridedSlice, Split, Concat, Broadcast,
 * Tile...), copies through a source-index table (any movement op whose index map is not
 * affine) and Gather. Elements are moved as raw bits: ELEM (build option) is the unsigned
 * integer type of the element's size (uchar, ushort, uint, ulong), so every element type
 * moves with the same program.
 *
 * copy_strided: meta = rank R (<= 8), dims[8], src strides[8], dst strides[8], src base,
 *   dst base (elements; src strides may be negative). Work item i is the output coordinate
 *   of index i over dims. The lowering checks every reachable offset lies in its buffer.
 * copy_table: y[i] = x[table[i]], or fill[0] where table[i] < 0 (Pad's constant). The
 *   lowering checks the table against the source's size.
 * gather: data viewed [batch, outer, axis, inner], indices [batch, count], output
 *   [batch, outer, count, inner]; negative indices count from the end (NEGATIVE_INDICES,
 *   Gather-8) or are outside the axis (Gather-1/7); an index outside the axis gives zeros
 *   (it cannot raise on the device). */

#ifndef ELEM
#define ELEM uint
#endif
#ifndef IDX_T
#define IDX_T long
#endif

#define MAXR 8

__kernel void copy_strided(__global ELEM* y, __global const ELEM* x,
                           __global const int* meta, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int rank = meta[0];
    int s = meta[1 + 3 * MAXR];
    int d = meta[2 + 3 * MAXR];
    int r = i;
    for (int k = rank - 1; k >= 0; --k) {
        int dim = meta[1 + k];
        int c = r % dim;
        r /= dim;
        s += c * meta[1 + MAXR + k];
        d += c * meta[1 + 2 * MAXR + k];
    }
    y[d] = x[s];
}

__kernel void copy_table(__global ELEM* y, __global const ELEM* x,
                         __global const int* table, int n, __global const ELEM* fill) {
    int i = get_global_id(0);
    if (i >= n) return;
    int t = table[i];
    y[i] = t >= 0 ? x[t] : fill[0];
}

__kernel void gather(__global ELEM* y, __global const ELEM* x, __global const IDX_T* indices,
                     int n, int outer, int axis, int inner, int count) {
    int i = get_global_id(0);
    if (i >= n) return;
    int k = i % inner;
    int r = i / inner;
    int j = r % count;
    r /= count;
    int o = r % outer;
    int b = r / outer;
    long idx = (long)indices[b * count + j];
#if NEGATIVE_INDICES
    if (idx < 0) idx += axis;
#endif
    if (idx < 0 || idx >= axis) {
        y[i] = (ELEM)0;
        return;
    }
    y[i] = x[((b * outer + o) * axis + (int)idx) * inner + k];
}

/* gather_elements (GatherElements): output (and indices) coordinates c over rank R; the
 * source is c with c[axis] replaced by the index. meta: R (<= 8), indices dims[8], data
 * strides[8], axis. Negative indices count from the end; outside the axis: zeros. */
__kernel void gather_elements(__global ELEM* y, __global const ELEM* x,
                              __global const IDX_T* indices, __global const int* meta,
                              int n, int axis_dim) {
    int i = get_global_id(0);
    if (i >= n) return;
    int rank = meta[0], axis = meta[17];
    long idx = (long)indices[i];
    if (idx < 0) idx += axis_dim;
    if (idx < 0 || idx >= axis_dim) {
        y[i] = (ELEM)0;
        return;
    }
    int off = 0, r = i;
    for (int d = rank - 1; d >= 0; --d) {
        int c = r % meta[1 + d];
        r /= meta[1 + d];
        off += (d == axis ? (int)idx : c) * meta[9 + d];
    }
    y[i] = x[off];
}

/* gather_nd (GatherND-5/8): data [batch, d_0 .. d_{K-1}, inner], indices [batch, count, K],
 * output [batch, count, inner]. meta: K (<= 8), dims[8], strides[8] (elements of data).
 * Negative indices count from the end when NEGATIVE_INDICES; a tuple outside the data
 * gives zeros. */
#ifndef NEGATIVE_INDICES
#define NEGATIVE_INDICES 1
#endif
__kernel void gather_nd(__global ELEM* y, __global const ELEM* x, __global const IDX_T* indices,
                        __global const int* meta, int n, int count, int inner,
                        int batch_stride) {
    int i = get_global_id(0);
    if (i >= n) return;
    int k = i % inner, r = i / inner;
    int K = meta[0];
    int off = (r / count) * batch_stride + k;
    for (int t = 0; t < K; ++t) {
        long idx = (long)indices[r * K + t];
        int dim = meta[1 + t];
#if NEGATIVE_INDICES
        if (idx < 0) idx += dim;
#endif
        if (idx < 0 || idx >= dim) {
            y[i] = (ELEM)0;
            return;
        }
        off += (int)idx * meta[9 + t];
    }
    y[i] = x[off];
}

/* one_hot (OneHot-1/16): output [outer, depth, inner] over indices [outer, inner]:
 * on[0] where the index equals the position along the new axis, else off[0]. A negative
 * index counts from the end when NEGATIVE_INDICES, else it selects nothing. */
__kernel void one_hot(__global ELEM* y, __global const IDX_T* indices, __global const ELEM* on,
                      __global const ELEM* off, int n, int depth, int inner) {
    int i = get_global_id(0);
    if (i >= n) return;
    int k = i % inner, r = i / inner;
    int j = r % depth, o = r / depth;
    long idx = (long)indices[o * inner + k];
#if NEGATIVE_INDICES
    if (idx < 0) idx += depth;
#endif
    y[i] = idx == j ? on[0] : off[0];
}
