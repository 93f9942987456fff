/* Convolution and GroupConvolution on NC[D]HW tensors (1-D and 2-D run as 3-D with unit
 * dims). Weights are [OC, ICg * KD * KH * KW] rows (GroupConvolution's [G, OCg, ICg, ...]
 * has the same memory), output [N, OC, OD, OH, OW].
 *
 * p (ints): 0 N, 1 IC, 2 ID, 3 IH, 4 IW, 5 OC, 6 OD, 7 OH, 8 OW, 9 KD, 10 KH, 11 KW,
 *   12-14 strides d/h/w, 15-17 dilations, 18-20 pads begin, 21 G (groups).
 * Input positions outside the tensor read as zero (padding). A fused elementwise tail
 * (postops.h) runs on each result of conv_direct and conv_igemm.
 *
 * conv_direct: one output element per work item (depthwise and small convolutions).
 * conv_igemm: implicit GEMM per (image, group): C[m, s] = W[m, k] * X[k, s] with
 *   k = (ic, kd, kh, kw) and s the output position, the X tile gathered from the input in
 *   local memory (im2col on the fly); the tiles of gemm_tiled (tile.h). */
#include "common.h"
#include "postops.h"
#include "tile.h"

#define P_N p[0]
#define P_IC p[1]
#define P_ID p[2]
#define P_IH p[3]
#define P_IW p[4]
#define P_OC p[5]
#define P_OD p[6]
#define P_OH p[7]
#define P_OW p[8]
#define P_KD p[9]
#define P_KH p[10]
#define P_KW p[11]
#define P_G p[21]

inline float conv_input(__global const FTYPE* x, __global const int* p, int n, int c, int od,
                        int oh, int ow, int kd, int kh, int kw) {
    int id = od * p[12] - p[18] + kd * p[15];
    int ih = oh * p[13] - p[19] + kh * p[16];
    int iw = ow * p[14] - p[20] + kw * p[17];
    if (id < 0 || id >= P_ID || ih < 0 || ih >= P_IH || iw < 0 || iw >= P_IW) return 0.0f;
    return LOAD(x, (((n * P_IC + c) * P_ID + id) * P_IH + ih) * P_IW + iw);
}

__kernel void conv_direct(__global const FTYPE* x, __global const FTYPE* w, OUT_PTR y,
                          __global const int* p POST_PARAMS) {
    int s = get_global_id(0), oc = get_global_id(1), n = get_global_id(2);
    int spatial = P_OD * P_OH * P_OW;
    if (s >= spatial || oc >= P_OC) return;
    int ow = s % P_OW, oh = (s / P_OW) % P_OH, od = s / (P_OW * P_OH);
    int icg = P_IC / P_G, ocg = P_OC / P_G;
    int g = oc / ocg;
    int ksize = P_KD * P_KH * P_KW;
    __global const FTYPE* wrow = w + oc * icg * ksize;
    float acc = 0.0f;
    for (int ic = 0; ic < icg; ++ic)
        for (int kd = 0; kd < P_KD; ++kd)
            for (int kh = 0; kh < P_KH; ++kh)
                for (int kw = 0; kw < P_KW; ++kw) {
                    float v = conv_input(x, p, n, g * icg + ic, od, oh, ow, kd, kh, kw);
                    acc = fma(v, LOAD(wrow, ((ic * P_KD + kd) * P_KH + kh) * P_KW + kw), acc);
                }
    STORE_OUT(acc, y, (n * P_OC + oc) * spatial + s);
}

/* conv_igemm's tile elements: W[m, k] (the group's weight rows), X[k, s] (im2col) */
#define W_AT(mm, kk) ((m0 + (mm) < ocg && k0 + (kk) < K) \
    ? LOAD(w, (g * ocg + m0 + (mm)) * K + k0 + (kk)) : 0.0f)
#define X_AT(ss, kk) igemm_input(x, p, n, g * icg, s0 + (ss), k0 + (kk), S, K, ksize)
#define Y_AT(m, s, v) STORE_OUT(v, y, (n * P_OC + g * ocg + (m)) * S + (s))

inline float igemm_input(__global const FTYPE* x, __global const int* p, int n, int c0,
                         int s, int k, int S, int K, int ksize) {
    if (s >= S || k >= K) return 0.0f;
    int kw = k % P_KW, kh = (k / P_KW) % P_KH, kd = (k / (P_KW * P_KH)) % P_KD;
    int ic = k / ksize;
    int ow = s % P_OW, oh = (s / P_OW) % P_OH, od = s / (P_OW * P_OH);
    return conv_input(x, p, n, c0 + ic, od, oh, ow, kd, kh, kw);
}

__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void conv_igemm(__global const FTYPE* x, __global const FTYPE* w, OUT_PTR y,
                __global const int* p POST_PARAMS) {
    __local float Ws[TK][TS + 1];
    __local float Xs[TK][TS + 1];
    int tx = get_local_id(0), ty = get_local_id(1);
    int s0 = get_group_id(0) * TS, m0 = get_group_id(1) * TS;
    int ng = get_global_id(2);
    int G = P_G;
    int n = ng / G, g = ng % G;
    int icg = P_IC / G, ocg = P_OC / G;
    int ksize = P_KD * P_KH * P_KW;
    int K = icg * ksize;
    int S = P_OD * P_OH * P_OW;
    int tid = ty * 16 + tx;
    float acc[WPT][WPT];
    tile_zero(acc);
    for (int k0 = 0; k0 < K; k0 += TK) {
        TILE_STAGE(Ws, tid, 1, W_AT)
        TILE_STAGE(Xs, tid, 0, X_AT)
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_multiply(Ws, Xs, acc, tx, ty);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    TILE_STORE(acc, m0, s0, ocg, S, tx, ty, Y_AT)
}

/* ConvolutionBackpropData / GroupConvolutionBackpropData (transposed convolution), one
 * output element per work item: y[n, oc, o] = sum over ic of the group and kernel taps k
 * with o = i * stride - pad + k * dilation of x[n, ic, i] * w[g, icg, ocg, k].
 * p as for conv_direct, with 1 IC / 5 OC the data / output channels and 2-4 the input
 * (data) spatial dims, 6-8 the output spatial dims. Weights [G, ICg, OCg, KD*KH*KW]. */
__kernel void deconv_direct(__global const FTYPE* x, __global const FTYPE* w,
                            __global FTYPE* y, __global const int* p) {
    int s = get_global_id(0), oc = get_global_id(1), n = get_global_id(2);
    int spatial = P_OD * P_OH * P_OW;
    if (s >= spatial || oc >= P_OC) return;
    int ow = s % P_OW, oh = (s / P_OW) % P_OH, od = s / (P_OW * P_OH);
    int icg = P_IC / P_G, ocg = P_OC / P_G;
    int g = oc / ocg, ocl = oc % ocg;
    int ksize = P_KD * P_KH * P_KW;
    float acc = 0.0f;
    for (int kd = 0; kd < P_KD; ++kd) {
        int td = od + p[18] - kd * p[15];
        if (td < 0 || td % p[12]) continue;
        int id = td / p[12];
        if (id >= P_ID) continue;
        for (int kh = 0; kh < P_KH; ++kh) {
            int th = oh + p[19] - kh * p[16];
            if (th < 0 || th % p[13]) continue;
            int ih = th / p[13];
            if (ih >= P_IH) continue;
            for (int kw = 0; kw < P_KW; ++kw) {
                int tw = ow + p[20] - kw * p[17];
                if (tw < 0 || tw % p[14]) continue;
                int iw = tw / p[14];
                if (iw >= P_IW) continue;
                int k = (kd * P_KH + kh) * P_KW + kw;
                for (int icl = 0; icl < icg; ++icl) {
                    int ic = g * icg + icl;
                    float v = LOAD(x, (((n * P_IC + ic) * P_ID + id) * P_IH + ih) * P_IW + iw);
                    acc = fma(v, LOAD(w, (ic * ocg + ocl) * ksize + k), acc);
                }
            }
        }
    }
    STORE(acc, y, (n * P_OC + oc) * spatial + s);
}
