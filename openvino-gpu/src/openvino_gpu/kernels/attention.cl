/* ScaledDotProductAttention: y[b, l] = softmax(q[b, l] . k[b, s] * scale + mask[b, l, s])
 * @ v[b, s], one work group (WG items) per query row, keys taken WG at a time with an
 * online softmax (running maximum and sum, accumulators rescaled per chunk), so no score
 * matrix is stored. Item t owns output columns t, t + WG, ... (EPT of them, build option).
 *
 * meta (ints): 0 L, 1 S, 2 E, 3 Ev, 4 mask row stride, 5 mask column stride.
 * MASK_KIND (build option): 0 none, 1 boolean (false: -inf), 2 float (added), 3 causal
 *   (s > l masked). The scale is `scale`, or element 0 of scale_buf when scale_in_buf. q_off/k_off/v_off/m_off: element offset of each batch's matrix.
 * A row whose every key is masked gives NaN, as the reference's softmax. */
#include "common.h"

#define WG 64

#if MASK_KIND == 1
#define MPTR __global const uchar*
#elif MASK_KIND == 2
#define MPTR __global const FTYPE*
#else
#define MPTR __global const uchar*
#endif

inline float wg_reduce(float v, __local float* red, int is_max) {
    int lid = get_local_id(0);
    red[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) red[lid] = is_max ? fmax(red[lid], red[lid + s]) : red[lid] + red[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void sdpa(__global const FTYPE* q, __global const FTYPE* k, __global const FTYPE* v,
          __global FTYPE* y, MPTR mask, __global const int* meta,
          __global const int* q_off, __global const int* k_off, __global const int* v_off,
          __global const int* m_off, float scale, __global const FTYPE* scale_buf,
          int scale_in_buf, __local float* qs) {
    __local float sc[WG];
    __local float red[WG];
    int L = meta[0], S = meta[1], E = meta[2], Ev = meta[3];
    int row = get_group_id(0), lid = get_local_id(0);
    int b = row / L, l = row % L;
    int qo = q_off[b] + l * E, ko = k_off[b], vo = v_off[b];
    if (scale_in_buf) scale = LOAD(scale_buf, 0);
    for (int e = lid; e < E; e += WG) qs[e] = LOAD(q, qo + e);
    barrier(CLK_LOCAL_MEM_FENCE);
    float acc[EPT];
    for (int j = 0; j < EPT; ++j) acc[j] = 0.0f;
    float m = -INFINITY, total = 0.0f;
    for (int s0 = 0; s0 < S; s0 += WG) {
        int s = s0 + lid;
        float score = -INFINITY;
        if (s < S) {
            float dot = 0.0f;
            for (int e = 0; e < E; ++e) dot = fma(qs[e], LOAD(k, ko + s * E + e), dot);
            score = dot * scale;
#if MASK_KIND == 1
            if (!mask[m_off[b] + l * meta[4] + s * meta[5]]) score = -INFINITY;
#elif MASK_KIND == 2
            score += LOAD(mask, m_off[b] + l * meta[4] + s * meta[5]);
#elif MASK_KIND == 3
            if (s > l) score = -INFINITY;
#endif
        }
        float mnew = fmax(m, wg_reduce(score, red, 1));
        float p = (s < S && mnew != -INFINITY) ? exp(score - mnew) : 0.0f;
        sc[lid] = p;
        float csum = wg_reduce(p, red, 0);  /* its barriers also publish sc */
        float corr = (m == -INFINITY) ? 0.0f : exp(m - mnew);
        total = total * corr + csum;
        int count = min(WG, S - s0);
        for (int j = 0; j < EPT; ++j) {
            int e = lid + j * WG;
            if (e >= Ev) break;
            float a = acc[j] * corr;
            for (int t = 0; t < count; ++t) a = fma(sc[t], LOAD(v, vo + (s0 + t) * Ev + e), a);
            acc[j] = a;
        }
        m = mnew;
        barrier(CLK_LOCAL_MEM_FENCE);  /* sc is rewritten by the next chunk */
    }
    for (int j = 0; j < EPT; ++j) {
        int e = lid + j * WG;
        if (e < Ev) STORE(acc[j] / total, y, (b * L + l) * Ev + e);
    }
}
