/* Interpolate as a separable weighted gather: along each resized axis a (up to 4), output
 * coordinate c reads taps[a] source indices tidx[toff[a] + c * taps[a] + t] with weights
 * tw[...] (index -1: a padding position, contributes nothing); the output element is the
 * sum over all tap combinations of the product of their weights times the source element.
 * Axes that are not resized keep their coordinate. One output element per work item.
 *
 * meta (ints): 0 rank R (<= 8), 1..8 input dims, 9..16 output dims, 17 number of resized
 *   axes A (<= 4), 18..21 the axes, 22..25 their tap counts, 26..29 their table offsets. */
#include "common.h"

__kernel void interpolate(__global const FTYPE* x, __global FTYPE* y, __global const int* meta,
                          __global const int* tidx, __global const float* tw, int n) {
    int o = get_global_id(0);
    if (o >= n) return;
    int R = meta[0], A = meta[17];
    int coord[8];
    int stride[8];
    int r = o;
    for (int d = R - 1; d >= 0; --d) {
        coord[d] = r % meta[9 + d];
        r /= meta[9 + d];
    }
    int s = 1, base = 0;
    for (int d = R - 1; d >= 0; --d) {
        stride[d] = s;
        s *= meta[1 + d];
    }
    int resized[8];
    for (int d = 0; d < R; ++d) resized[d] = 0;
    for (int a = 0; a < A; ++a) resized[meta[18 + a]] = 1;
    for (int d = 0; d < R; ++d)
        if (!resized[d]) base += coord[d] * stride[d];
    int combos = 1;
    for (int a = 0; a < A; ++a) combos *= meta[22 + a];
    float acc = 0.0f;
    for (int c = 0; c < combos; ++c) {
        int rest = c, off = base, skip = 0;
        float w = 1.0f;
        for (int a = A - 1; a >= 0; --a) {
            int taps = meta[22 + a];
            int t = rest % taps;
            rest /= taps;
            int ax = meta[18 + a];
            int e = meta[26 + a] + coord[ax] * taps + t;
            int i = tidx[e];
            if (i < 0) {
                skip = 1;
                break;
            }
            w *= tw[e];
            off += i * stride[ax];
        }
        if (!skip && w != 0.0f) acc = fma(w, LOAD(x, off), acc);
    }
    STORE(acc, y, o);
}
