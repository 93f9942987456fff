/* GEMM / MatMul: C[b, m, n] = sum_k A[b, m, k] * B[b, k, n], for every batch b of the
 * broadcast batch shape.
 *
 * A (float tensor) element (m, k) of batch b: A[a_off[b] + m * a_ms + k * a_ks].
 * B is chosen by WEIGHTS (build option):
 *   0  a float tensor like A: B[b_off[b] + k * b_ks + n * b_ns];
 *   1  f16 codes[n, k] (row stride b_ns, one half each): W = code;
 *   2  u8 / 3 i8 codes[n, k]: W = (code - zp[g * N + n]) * scale[g * N + n], g = k / group;
 *   4  u4 / 5 i4 codes[n, k] two per byte, low nibble first, b_ns bytes per row n:
 *      W as for u8/i8 (zp may be a zero buffer; scale and zp are float32).
 * C is contiguous [batch, M, N]; a fused elementwise tail (postops.h) runs on each result.
 *
 * gemm_tiled: 16x16 work items compute a 64x64 block of C (4x4 each), staging 16-deep
 *   slices of A and B in local memory (out-of-range elements staged as zeros; tile.h).
 * gemm_rows: one work item per element of C, a straight loop over K (small M, vectors,
 *   and devices whose work groups are smaller than 256). */
#include "common.h"
#include "postops.h"
#include "tile.h"

#ifndef WEIGHTS
#define WEIGHTS 0
#endif

#if WEIGHTS == 0
#define BTYPE FTYPE
#elif WEIGHTS == 1
#define BTYPE half
#elif WEIGHTS == 2 || WEIGHTS == 4
#define BTYPE uchar
#else
#define BTYPE char
#endif

inline float weight(__global const BTYPE* B, int bo, int k, int n, int N, int b_ks, int b_ns,
                    __global const float* scale, __global const float* zp, int group) {
#if WEIGHTS == 0
    return LOAD(B, bo + k * b_ks + n * b_ns);
#elif WEIGHTS == 1
    return vload_half((size_t)(n * b_ns + k), B);
#else
    int g = (k / group) * N + n;
#if WEIGHTS <= 3
    float code = (float)B[n * b_ns + k];
#else
    uchar byte = ((__global const uchar*)B)[n * b_ns + (k >> 1)];
    int nib = (k & 1) ? (byte >> 4) : (byte & 15);
#if WEIGHTS == 5
    if (nib > 7) nib -= 16;
#endif
    float code = (float)nib;
#endif
    return (code - zp[g]) * scale[g];
#endif
}

#define A_AT(mm, kk) ((m0 + (mm) < M && k0 + (kk) < K) \
    ? LOAD(A, ao + (m0 + (mm)) * a_ms + (k0 + (kk)) * a_ks) : 0.0f)
#define B_AT(nn, kk) ((n0 + (nn) < N && k0 + (kk) < K) \
    ? weight(B, bo, k0 + (kk), n0 + (nn), N, b_ks, b_ns, scale, zp, group) : 0.0f)
#define C_AT(m, n, v) STORE_OUT(v, C, (b * M + (m)) * N + (n))

__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void gemm_tiled(__global const FTYPE* A, __global const BTYPE* B, OUT_PTR C,
                int M, int N, int K, __global const int* a_off, __global const int* b_off,
                int a_ms, int a_ks, int b_ks, int b_ns,
                __global const float* scale, __global const float* zp, int group POST_PARAMS) {
    __local float As[TK][TS + 1];
    __local float Bs[TK][TS + 1];
    int tx = get_local_id(0), ty = get_local_id(1);
    int n0 = get_group_id(0) * TS, m0 = get_group_id(1) * TS;
    int b = get_global_id(2);
    int ao = a_off[b], bo = b_off[b];
    int tid = ty * 16 + tx;
    float acc[WPT][WPT];
    tile_zero(acc);
    for (int k0 = 0; k0 < K; k0 += TK) {
        TILE_STAGE(As, tid, 1, A_AT)
        /* float B: consecutive items read consecutive n; codes[n, k]: consecutive k */
        TILE_STAGE(Bs, tid, WEIGHTS != 0, B_AT)
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_multiply(As, Bs, acc, tx, ty);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    TILE_STORE(acc, m0, n0, M, N, tx, ty, C_AT)
}

__kernel void gemm_rows(__global const FTYPE* A, __global const BTYPE* B, OUT_PTR C,
                        int M, int N, int K, __global const int* a_off,
                        __global const int* b_off, int a_ms, int a_ks, int b_ks, int b_ns,
                        __global const float* scale, __global const float* zp,
                        int group POST_PARAMS) {
    int n = get_global_id(0), m = get_global_id(1), b = get_global_id(2);
    if (n >= N || m >= M) return;
    int ao = a_off[b] + m * a_ms, bo = b_off[b];
    float acc = 0.0f;
    for (int k = 0; k < K; ++k)
        acc = fma(LOAD(A, ao + k * a_ks), weight(B, bo, k, n, N, b_ks, b_ns, scale, zp, group),
                  acc);
    STORE_OUT(acc, C, (b * M + m) * N + n);
}
