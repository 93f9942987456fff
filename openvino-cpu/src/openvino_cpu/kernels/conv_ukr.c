/* Micro-kernels of the direct convolution (kernels/conv.c): a tile of up to OV_CONV_MR
 * output channels x NR output positions (NR = ov_gemm_nr(): 32 with AVX-512, 16
 * otherwise),
 *
 *   C[i, j] (+)= sum_k A[k, i] * rows[k][off + j]     (i < r, j < nc)
 *
 * then the register epilogue (row bias, column bias, tensor add, ReLU / clamp). A is a
 * weight panel: element (k, i) at a[k * OV_CONV_MR + i] (rows past the channel count are
 * zero and never computed). Row k of B is read in place at rows[k] + off: a run of the
 * (padded) input plane of one input channel shifted by one filter tap, or a channel plane
 * of the input itself for a 1x1 convolution.
 *
 * Twelve channels per panel, twice the GEMM's six: with AVX-512 a 12 x 32 tile keeps 24
 * accumulators in registers and needs 14 loads (2 B vectors, 12 broadcasts) per 24 FMAs
 * instead of 8 per 12 (measured on the ResNet-50 3x3 layers: ~83% of the FMA peak
 * against ~72%). AVX2 (16 registers) takes a 12-channel panel in two passes of 6 x 16.
 * Only columns j < nc are read or written (masked loads and stores), so a partial last
 * tile needs no copy and never reads past the end of a plane; a panel's r < 12 rows run
 * a kernel compiled for exactly r rows, so no FMA is spent on zero weights.
 */
#include "ov_internal.h"

int32_t ov_conv_mr(void) { return OV_CONV_MR; }

/* --- portable ------------------------------------------------------------------------- */

static void cukr_generic(int64_t kc, const float *OV_RESTRICT a, const float *const *rows,
                         int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
                         const ov_ep *ep, int32_t r, int32_t nc, const char *pf,
                         int64_t npf) {
    float t[OV_CONV_MR][32];
    for (int64_t l = 0; l < npf; l++) OV_PREFETCH_L2(pf + 64 * l);
    for (int32_t i = 0; i < r; i++)
        for (int32_t j = 0; j < nc; j++) t[i][j] = 0.0f;
    for (int64_t k = 0; k < kc; k++) {
        const float *b = rows[k] + off;
        for (int32_t i = 0; i < r; i++) {
            const float av = a[k * OV_CONV_MR + i];
            for (int32_t j = 0; j < nc; j++) t[i][j] += av * b[j];
        }
    }
    for (int32_t i = 0; i < r; i++) {
        float *ci = c + i * ldc;
        for (int32_t j = 0; j < nc; j++) {
            float v = t[i][j] + (acc ? ci[j] : 0.0f);
            if (ep) {
                if (ep->rowb) v += ep->rowb[i];
                if (ep->colb) v += ep->colb[j];
                if (ep->tadd) v += ep->tadd[i * ep->tadd_ld + j];
                if (ep->act == 1) v = v > 0.0f ? v : 0.0f;
                else if (ep->act == 2) v = v < ep->lo ? ep->lo : (v > ep->hi ? ep->hi : v);
            }
            ci[j] = v;
        }
    }
}

#if OV_X86
/* --- AVX-512: R x 32 ------------------------------------------------------------------- */

#define C512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

C512_TARGET static inline __attribute__((always_inline)) void c512_body(
    const int R, const int masked, int64_t kc, const float *OV_RESTRICT a,
    const float *const *rows, int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep, __mmask16 m0, __mmask16 m1, const char *pf, int64_t npf) {
    __m512 c0[OV_CONV_MR], c1[OV_CONV_MR];
#pragma GCC unroll 12
    for (int i = 0; i < R; i++) c0[i] = c1[i] = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k < kc; k++) {
        if (k < npf) OV_PREFETCH_L2(pf + 64 * k);
        const float *bk = rows[k] + off;
        __m512 b0, b1;
        if (masked) {
            b0 = _mm512_maskz_loadu_ps(m0, bk);
            b1 = _mm512_maskz_loadu_ps(m1, bk + 16);
        } else {
            b0 = _mm512_loadu_ps(bk);
            b1 = _mm512_loadu_ps(bk + 16);
        }
#pragma GCC unroll 12
        for (int i = 0; i < R; i++) {
            const __m512 av = _mm512_set1_ps(a[i]);
            c0[i] = _mm512_fmadd_ps(av, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(av, b1, c1[i]);
        }
        a += OV_CONV_MR;
    }
    __m512 cb0, cb1, lo, hi;
    ov_ep_consts_avx512(ep, m0, m1, &cb0, &cb1, &lo, &hi);
#pragma GCC unroll 12
    for (int i = 0; i < R; i++) {
        __m512 r0 = c0[i], r1 = c1[i];
        float *ci = c + i * ldc;
        if (acc) {
            r0 = _mm512_add_ps(r0, _mm512_maskz_loadu_ps(m0, ci));
            r1 = _mm512_add_ps(r1, _mm512_maskz_loadu_ps(m1, ci + 16));
        }
        if (ep) ov_ep_row_avx512(ep, i, m0, m1, cb0, cb1, lo, hi, &r0, &r1);
        _mm512_mask_storeu_ps(ci, m0, r0);
        _mm512_mask_storeu_ps(ci + 16, m1, r1);
    }
}

typedef void (*c512_fn)(int64_t, const float *, const float *const *, int64_t, float *,
                        int64_t, int, const ov_ep *, __mmask16, __mmask16, const char *,
                        int64_t);

#define C512_DEF(R)                                                                         \
    C512_TARGET static void c512_full_##R(int64_t kc, const float *a,                       \
                                          const float *const *rows, int64_t off, float *c,  \
                                          int64_t ldc, int acc, const ov_ep *ep,            \
                                          __mmask16 m0, __mmask16 m1, const char *pf,       \
                                          int64_t npf) {                                    \
        c512_body(R, 0, kc, a, rows, off, c, ldc, acc, ep, m0, m1, pf, npf);                \
    }                                                                                       \
    C512_TARGET static void c512_mask_##R(int64_t kc, const float *a,                       \
                                          const float *const *rows, int64_t off, float *c,  \
                                          int64_t ldc, int acc, const ov_ep *ep,            \
                                          __mmask16 m0, __mmask16 m1, const char *pf,       \
                                          int64_t npf) {                                    \
        c512_body(R, 1, kc, a, rows, off, c, ldc, acc, ep, m0, m1, pf, npf);                \
    }
C512_DEF(1)
C512_DEF(2)
C512_DEF(3)
C512_DEF(4)
C512_DEF(5)
C512_DEF(6)
C512_DEF(7)
C512_DEF(8)
C512_DEF(9)
C512_DEF(10)
C512_DEF(11)
C512_DEF(12)
#undef C512_DEF

static const c512_fn c512_full[OV_CONV_MR + 1] = {
    NULL, c512_full_1, c512_full_2, c512_full_3, c512_full_4, c512_full_5, c512_full_6,
    c512_full_7, c512_full_8, c512_full_9, c512_full_10, c512_full_11, c512_full_12};
static const c512_fn c512_mask[OV_CONV_MR + 1] = {
    NULL, c512_mask_1, c512_mask_2, c512_mask_3, c512_mask_4, c512_mask_5, c512_mask_6,
    c512_mask_7, c512_mask_8, c512_mask_9, c512_mask_10, c512_mask_11, c512_mask_12};

static void cukr_avx512(int64_t kc, const float *a, const float *const *rows, int64_t off,
                        float *c, int64_t ldc, int acc, const ov_ep *ep, int32_t r,
                        int32_t nc, const char *pf, int64_t npf) {
    if (nc >= 32) {
        c512_full[r](kc, a, rows, off, c, ldc, acc, ep, 0xFFFF, 0xFFFF, pf, npf);
        return;
    }
    const __mmask16 m0 = (__mmask16)(nc >= 16 ? 0xFFFF : (1u << nc) - 1u);
    const __mmask16 m1 = (__mmask16)(nc <= 16 ? 0 : (1u << (nc - 16)) - 1u);
    c512_mask[r](kc, a, rows, off, c, ldc, acc, ep, m0, m1, pf, npf);
}

/* --- AVX2: R x 16 (R <= 6; a 12-row panel in two passes) ------------------------------- */

#define C256_TARGET __attribute__((target("avx2,fma")))

C256_TARGET static inline __attribute__((always_inline)) void c256_body(
    const int R, const int masked, int64_t kc, const float *OV_RESTRICT a,
    const float *const *rows, int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep, __m256i m0, __m256i m1, const char *pf, int64_t npf) {
    __m256 c0[6], c1[6];
#pragma GCC unroll 6
    for (int i = 0; i < R; i++) c0[i] = c1[i] = _mm256_setzero_ps();
    for (int64_t k = 0; k < kc; k++) {
        if (k < npf) OV_PREFETCH_L2(pf + 64 * k);
        const float *bk = rows[k] + off;
        __m256 b0, b1;
        if (masked) {
            b0 = _mm256_maskload_ps(bk, m0);
            b1 = _mm256_maskload_ps(bk + 8, m1);
        } else {
            b0 = _mm256_loadu_ps(bk);
            b1 = _mm256_loadu_ps(bk + 8);
        }
#pragma GCC unroll 6
        for (int i = 0; i < R; i++) {
            const __m256 av = _mm256_broadcast_ss(a + i);
            c0[i] = _mm256_fmadd_ps(av, b0, c0[i]);
            c1[i] = _mm256_fmadd_ps(av, b1, c1[i]);
        }
        a += OV_CONV_MR;
    }
    __m256 cb0 = _mm256_setzero_ps(), cb1 = _mm256_setzero_ps();
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    if (ep) {
        if (ep->colb) {
            cb0 = _mm256_maskload_ps(ep->colb, m0);
            cb1 = _mm256_maskload_ps(ep->colb + 8, m1);
        }
        lo = _mm256_set1_ps(ep->lo);
        hi = _mm256_set1_ps(ep->hi);
    }
#pragma GCC unroll 6
    for (int i = 0; i < R; i++) {
        __m256 r0 = c0[i], r1 = c1[i];
        float *ci = c + i * ldc;
        if (acc) {
            r0 = _mm256_add_ps(r0, _mm256_maskload_ps(ci, m0));
            r1 = _mm256_add_ps(r1, _mm256_maskload_ps(ci + 8, m1));
        }
        if (ep) {
            if (ep->rowb) {
                const __m256 bv = _mm256_set1_ps(ep->rowb[i]);
                r0 = _mm256_add_ps(r0, bv);
                r1 = _mm256_add_ps(r1, bv);
            }
            if (ep->colb) {
                r0 = _mm256_add_ps(r0, cb0);
                r1 = _mm256_add_ps(r1, cb1);
            }
            if (ep->tadd) {
                const float *tp = ep->tadd + i * ep->tadd_ld;
                r0 = _mm256_add_ps(r0, _mm256_maskload_ps(tp, m0));
                r1 = _mm256_add_ps(r1, _mm256_maskload_ps(tp + 8, m1));
            }
            if (ep->act == 1) {
                r0 = _mm256_max_ps(_mm256_setzero_ps(), r0);
                r1 = _mm256_max_ps(_mm256_setzero_ps(), r1);
            } else if (ep->act == 2) {
                r0 = _mm256_min_ps(hi, _mm256_max_ps(lo, r0));
                r1 = _mm256_min_ps(hi, _mm256_max_ps(lo, r1));
            }
        }
        if (masked) {
            _mm256_maskstore_ps(ci, m0, r0);
            _mm256_maskstore_ps(ci + 8, m1, r1);
        } else {
            _mm256_storeu_ps(ci, r0);
            _mm256_storeu_ps(ci + 8, r1);
        }
    }
}

typedef void (*c256_fn)(int64_t, const float *, const float *const *, int64_t, float *,
                        int64_t, int, const ov_ep *, __m256i, __m256i, const char *, int64_t);

#define C256_DEF(R)                                                                         \
    C256_TARGET static void c256_full_##R(int64_t kc, const float *a,                       \
                                          const float *const *rows, int64_t off, float *c,  \
                                          int64_t ldc, int acc, const ov_ep *ep,            \
                                          __m256i m0, __m256i m1, const char *pf,           \
                                          int64_t npf) {                                    \
        c256_body(R, 0, kc, a, rows, off, c, ldc, acc, ep, m0, m1, pf, npf);                \
    }                                                                                       \
    C256_TARGET static void c256_mask_##R(int64_t kc, const float *a,                       \
                                          const float *const *rows, int64_t off, float *c,  \
                                          int64_t ldc, int acc, const ov_ep *ep,            \
                                          __m256i m0, __m256i m1, const char *pf,           \
                                          int64_t npf) {                                    \
        c256_body(R, 1, kc, a, rows, off, c, ldc, acc, ep, m0, m1, pf, npf);                \
    }
C256_DEF(1)
C256_DEF(2)
C256_DEF(3)
C256_DEF(4)
C256_DEF(5)
C256_DEF(6)
#undef C256_DEF

static const c256_fn c256_full[7] = {NULL,        c256_full_1, c256_full_2, c256_full_3,
                                     c256_full_4, c256_full_5, c256_full_6};
static const c256_fn c256_mask[7] = {NULL,        c256_mask_1, c256_mask_2, c256_mask_3,
                                     c256_mask_4, c256_mask_5, c256_mask_6};

C256_TARGET static void cukr_avx2(int64_t kc, const float *a, const float *const *rows,
                                  int64_t off, float *c, int64_t ldc, int acc,
                                  const ov_ep *ep, int32_t r, int32_t nc, const char *pf,
                                  int64_t npf) {
    const int full = nc >= 16;
    int32_t lane[16];
    for (int j = 0; j < 16; j++) lane[j] = j < nc ? -1 : 0;
    const __m256i m0 = _mm256_loadu_si256((const __m256i *)lane);
    const __m256i m1 = _mm256_loadu_si256((const __m256i *)(lane + 8));
    for (int32_t h = 0; h < r; h += 6) {
        const int32_t rr = OV_MIN(6, r - h);
        ov_ep sub;
        const ov_ep *use = ep;
        if (ep && h > 0) {
            sub = *ep;
            if (sub.rowb) sub.rowb += h;
            if (sub.tadd) sub.tadd += h * sub.tadd_ld;
            use = &sub;
        }
        /* (the prefetches ride with the first pass) */
        (full ? c256_full : c256_mask)[rr](kc, a + h, rows, off, c + h * ldc, ldc, acc, use,
                                           m0, m1, pf, h == 0 ? npf : 0);
    }
}
#endif

ov_conv_ukr_fn ov_pick_conv_ukr(void) {
#if OV_X86
    if (ov_isa_level == 2) return cukr_avx512;
    if (ov_isa_level == 1) return cukr_avx2;
#endif
    return cukr_generic;
}
