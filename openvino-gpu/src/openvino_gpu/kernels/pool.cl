/* MaxPool and AvgPool on NC[D]HW tensors (1-D and 2-D as 3-D with unit dims), one output
 * element per work item.
 *
 * p (ints): 0 N*C, 1 ID, 2 IH, 3 IW, 4 OD, 5 OH, 6 OW, 7-9 kernel d/h/w, 10-12 strides,
 *   13-15 dilations, 16-18 pads begin, 19-21 pads end, 22 whole-window divisor (AvgPool),
 *   23 index modulus (MaxPool-8 indices: flat input index modulo the size of the dims from
 *   its axis on).
 * Window positions outside the input are skipped; AvgPool divides by the whole window
 * when padding counts and there is padding, else by its taps inside the input (as
 * OpenVINO's reference). */
#include "common.h"

#ifndef IDX_T
#define IDX_T int
#endif

/* The window of output element o (a flat [N*C, OD, OH, OW] index) and what both pools need
 * of it: the sum and count of its taps inside the input, and the first maximum with its
 * flat input index (-1 when no tap is inside). */
typedef struct {
    float sum;
    int inside;
    float best;
    int best_i;
} window_t;

inline window_t pool_window(__global const FTYPE* x, __global const int* p, int o) {
    int OD = p[4], OH = p[5], OW = p[6];
    int S = OD * OH * OW;
    int nc = o / S, s = o % S;
    int ow = s % OW, oh = (s / OW) % OH, od = s / (OW * OH);
    int ID = p[1], IH = p[2], IW = p[3];
    window_t w = {0.0f, 0, -INFINITY, -1};
    for (int kd = 0; kd < p[7]; ++kd) {
        int id = od * p[10] - p[16] + kd * p[13];
        if (id < 0 || id >= ID) continue;
        for (int kh = 0; kh < p[8]; ++kh) {
            int ih = oh * p[11] - p[17] + kh * p[14];
            if (ih < 0 || ih >= IH) continue;
            for (int kw = 0; kw < p[9]; ++kw) {
                int iw = ow * p[12] - p[18] + kw * p[15];
                if (iw < 0 || iw >= IW) continue;
                int i = ((nc * ID + id) * IH + ih) * IW + iw;
                float v = LOAD(x, i);
                w.sum += v;
                ++w.inside;
                if (w.best_i < 0 || v > w.best) {
                    w.best = v;
                    w.best_i = i;
                }
            }
        }
    }
    return w;
}

__kernel void max_pool(__global const FTYPE* x, __global FTYPE* y, __global IDX_T* indices,
                       __global const int* p, int with_indices) {
    int o = get_global_id(0);
    if (o >= p[0] * p[4] * p[5] * p[6]) return;
    window_t w = pool_window(x, p, o);
    STORE(w.best, y, o);
    if (with_indices) indices[o] = (IDX_T)(w.best_i < 0 ? 0 : w.best_i % p[23]);
}

__kernel void avg_pool(__global const FTYPE* x, __global FTYPE* y, __global const int* p) {
    int o = get_global_id(0);
    if (o >= p[0] * p[4] * p[5] * p[6]) return;
    window_t w = pool_window(x, p, o);
    int count = p[22] ? p[7] * p[8] * p[9] : w.inside;
    STORE(count > 0 ? w.sum / (float)count : 0.0f, y, o);
}

/* AdaptiveAvgPool / AdaptiveMaxPool: output position o of an axis of n inputs and m
 * outputs covers [floor(o * n / m), ceil((o + 1) * n / m)). p: 0 N*C, 1-3 input D/H/W,
 * 4-6 output D/H/W. Max: first maximum, its index in the flattened spatial input. */
__kernel void adaptive_pool(__global const FTYPE* x, __global FTYPE* y,
                            __global IDX_T* indices, __global const int* p, int is_max,
                            int with_indices) {
    int o = get_global_id(0);
    int OD = p[4], OH = p[5], OW = p[6];
    int S = OD * OH * OW;
    if (o >= p[0] * S) return;
    int nc = o / S, s = o % S;
    int ow = s % OW, oh = (s / OW) % OH, od = s / (OW * OH);
    int ID = p[1], IH = p[2], IW = p[3];
    int d0 = (od * ID) / OD, d1 = ((od + 1) * ID + OD - 1) / OD;
    int h0 = (oh * IH) / OH, h1 = ((oh + 1) * IH + OH - 1) / OH;
    int w0 = (ow * IW) / OW, w1 = ((ow + 1) * IW + OW - 1) / OW;
    float acc = 0.0f, best = 0.0f;
    int best_i = -1;
    for (int id = d0; id < d1; ++id)
        for (int ih = h0; ih < h1; ++ih)
            for (int iw = w0; iw < w1; ++iw) {
                int sp = (id * IH + ih) * IW + iw;
                float v = LOAD(x, nc * ID * IH * IW + sp);
                acc += v;
                if (best_i < 0 || v > best) {
                    best = v;
                    best_i = sp;
                }
            }
    int count = (d1 - d0) * (h1 - h0) * (w1 - w0);
    if (is_max) {
        STORE(best, y, o);
        if (with_indices) indices[o] = (IDX_T)(best_i < 0 ? 0 : best_i);
    } else {
        STORE(count > 0 ? acc / (float)count : 0.0f, y, o);
    }
}
