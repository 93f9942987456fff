/* Matrix multiplication: BLIS-style blocking (NC x KC panels of B, MC x KC panels of A)
 * around a register-blocked micro-kernel of MR x NR outputs; AVX-512 (6 x 32),
 * AVX2+FMA (6 x 16) and a portable one (6 x 16), chosen at run time.
 *
 * Packed layouts (the compiler pre-packs constant operands in them):
 *   A packed: panels of MR rows, each K x MR (row i of panel p is row p*MR + i), rows
 *             past M are zero.
 *   B packed: panels of NR columns, each K x NR, columns past N are zero.
 *   B quant:  the same panel order for codes (one byte per element, or two per byte for
 *             4-bit codes, element 2j in the low nibble of byte j of a panel row), with
 *             f32 scale and zero-point*scale per (K / group, column): w = q*s - zs.
 *             OV_Q_F16 codes are IEEE half values (two bytes), no scale.
 */
#include <stdlib.h>

#include "ov_internal.h"

enum { MR = 6, NR_MAX = 32, KC = 384, MC = 120, NC = 1024 };
/* the deepest K an in-place A times pre-packed B takes in one depth block */
enum { KDEEP = 1536 };
/* A's block in the scratch: MC rows of a packed or row-copied block, then one zero-padded
 * MR-row panel for the last rows of an in-place block (up to KDEEP deep) */
enum { A_LD = KC + 16, ABUF = MC * A_LD + MR * KDEEP };

static inline int32_t cur_nr(void) { return ov_isa_level >= 2 ? 32 : 16; }



int32_t ov_gemm_mr(void) {
    ov_isa_init();
    return MR;
}

int32_t ov_gemm_nr(void) {
    ov_isa_init();
    return cur_nr();
}

int64_t ov_scratch_bytes(void) {
    return (int64_t)(ABUF + KC * NC + 2 * MR * NR_MAX + 64) * 4 + 64 * 1024;
}

/* ---------------------------------------------------------------------------------------- */
/* micro-kernels: C[0:MR, 0:NR] (+)= Ap (kc x MR) * Bp (kc x NR)                              */

/* Every micro-kernel reads B either from a packed panel (b + k * NR) or, for direct
 * convolution, from one row pointer per k (rows[k] + off): the body is shared and each
 * variant is specialised at compile time. */

static inline __attribute__((always_inline)) void ukr_generic_body(
    int64_t kc, const float *OV_RESTRICT a, const float *OV_RESTRICT b,
    const float *const *rows, int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep, const int nrv) {
    float t[MR][NR_MAX] = {{0.0f}};
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = rows ? rows[k] + off : b + k * nrv;
        for (int i = 0; i < MR; i++) {
            float av = a[i];
            for (int j = 0; j < nrv; j++) t[i][j] += av * bk[j];
        }
        a += MR;
    }
    for (int i = 0; i < MR; i++) {
        for (int j = 0; j < nrv; j++) {
            float v = acc ? c[i * ldc + j] + t[i][j] : t[i][j];
            if (ep) {
                if (ep->rowb) v += ep->rowb[i];
                if (ep->colb) v += ep->colb[j];
                if (ep->tadd) v += ep->tadd[i * ep->tadd_ld + j];
                if (ep->act == 1) v = v > 0.0f ? v : (v != v ? v : 0.0f);
                if (ep->act == 2) v = v < ep->lo ? ep->lo : (v > ep->hi ? ep->hi : v);
                if (ep->act == 3) v = 0.5f * v * (1.0f + ov_erf(v * 0.70710678118654752f));
                if (ep->act == 4)
                    v = 0.5f * v *
                        (1.0f + ov_tanh(0.79788456080286536f * (v + 0.044715f * v * v * v)));
            }
            c[i * ldc + j] = v;
        }
    }
}

static void ukr_generic(int64_t kc, const float *OV_RESTRICT a, const float *OV_RESTRICT b,
                        float *OV_RESTRICT c, int64_t ldc, int acc, const ov_ep *ep) {
    ukr_generic_body(kc, a, b, NULL, 0, c, ldc, acc, ep, 16);
}

static void ukr_rows_generic(int64_t kc, const float *OV_RESTRICT a, const float *const *rows,
                             int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
                             const ov_ep *ep) {
    ukr_generic_body(kc, a, NULL, rows, off, c, ldc, acc, ep, 16);
}

/* the AVX-512 geometry (NR = 32) in portable code: level 3, for testing that geometry on
 * machines without AVX-512 */
static void ukr_generic32(int64_t kc, const float *OV_RESTRICT a, const float *OV_RESTRICT b,
                          float *OV_RESTRICT c, int64_t ldc, int acc, const ov_ep *ep) {
    ukr_generic_body(kc, a, b, NULL, 0, c, ldc, acc, ep, 32);
}

static void ukr_rows_generic32(int64_t kc, const float *OV_RESTRICT a, const float *const *rows,
                               int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
                               const ov_ep *ep) {
    ukr_generic_body(kc, a, NULL, rows, off, c, ldc, acc, ep, 32);
}

#if OV_X86
#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

/* GELU in the epilogue (ov_ep act 3: erf form, 4: tanh form): the vector forms of ov_tanh
 * and ov_exp (ov_internal.h), same polynomials, same flush to zero; erf as a rational
 * function (P##_erf_rational), within 2.2e-7 of ov_erf. */
#define OV_GELU_VECTOR(P, V, VI, TGT, SET1, ADD, SUB, MUL, DIV, FMADD, FNMADD, MIN, MAX,    \
                       AND, OR, FLOORF, CVT, SLLI, ADDI, SET1I, CASTIF, LT, GT, BLEND)       \
    TGT static inline V P##_exp(V x) {                                                      \
        const V lo = SET1(OV_EXP_MIN), hi = SET1(OV_EXP_MAX);                              \
        const __typeof__(LT(x, lo)) under = LT(x, lo), over = GT(x, hi);                   \
        x = MIN(MAX(x, lo), hi);                                                           \
        const V n = FLOORF(FMADD(x, SET1(OV_EXP_LOG2E), SET1(0.5f)));                      \
        V r = FNMADD(n, SET1(OV_EXP_LN2_HI), x);                                           \
        r = FNMADD(n, SET1(OV_EXP_LN2_LO), r);                                             \
        V p = SET1(OV_EXP_P6);                                                             \
        p = FMADD(p, r, SET1(OV_EXP_P5));                                                  \
        p = FMADD(p, r, SET1(OV_EXP_P4));                                                  \
        p = FMADD(p, r, SET1(OV_EXP_P3));                                                  \
        p = FMADD(p, r, SET1(OV_EXP_P2));                                                  \
        p = FMADD(p, r, SET1(OV_EXP_P1));                                                  \
        p = ADD(FMADD(MUL(p, r), r, r), SET1(1.0f));                                       \
        const V sc = CASTIF(SLLI(ADDI(CVT(n), SET1I(127)), 23));                            \
        V out = MUL(p, sc);                                                                \
        out = BLEND(out, SET1(0.0f), under);                                               \
        return BLEND(out, SET1(INFINITY), over);                                           \
    }                                                                                      \
    TGT static inline V P##_tanh(V x) {                                                     \
        const V sign = SET1(-0.0f);                                                        \
        const V a = _mm##VI##_andnot_ps(sign, x);                                          \
        const V e = P##_exp(MUL(SET1(-2.0f), a));                                          \
        const V big = DIV(SUB(SET1(1.0f), e), ADD(SET1(1.0f), e));                         \
        const V z = MUL(x, x);                                                             \
        V q = SET1(-5.70498872745e-3f);                                                    \
        q = FMADD(q, z, SET1(2.06390887954e-2f));                                          \
        q = FMADD(q, z, SET1(-5.37397155531e-2f));                                         \
        q = FMADD(q, z, SET1(1.33314422036e-1f));                                          \
        q = FMADD(q, z, SET1(-3.33332819422e-1f));                                         \
        const V small = FMADD(MUL(a, z), q, a);                                            \
        const V r = BLEND(big, small, LT(a, SET1(0.625f)));                                \
        return OR(r, AND(x, sign));                                                        \
    }                                                                                      \
    /* erf for GELU: odd rational minimax x P(x^2) / Q(x^2) on [-4, 4] (|error| < 2.2e-7, \
     * half the instructions of P##_erf), exactly +-1 past |x| = 3.92 where erf rounds to   \
     * +-1 in f32 (so GELU of a very negative input is exactly 0). */                        \
    TGT static inline V P##_erf_rational(V x) {                                             \
        const V sign = SET1(-0.0f);                                                        \
        const V c = MIN(MAX(x, SET1(-4.0f)), SET1(4.0f));                                  \
        const V z = MUL(c, c);                                                             \
        V p = SET1(-2.72614225801306e-10f);                                                \
        p = FMADD(p, z, SET1(2.77068142495902e-08f));                                      \
        p = FMADD(p, z, SET1(-2.10102402082508e-06f));                                     \
        p = FMADD(p, z, SET1(-5.69250639462346e-05f));                                     \
        p = FMADD(p, z, SET1(-7.34990630326855e-04f));                                     \
        p = FMADD(p, z, SET1(-2.95459980854025e-03f));                                     \
        p = FMADD(p, z, SET1(-1.60960333262415e-02f));                                     \
        V q = SET1(-1.45660718464996e-05f);                                                \
        q = FMADD(q, z, SET1(-2.13374055278905e-04f));                                     \
        q = FMADD(q, z, SET1(-1.68282697438203e-03f));                                     \
        q = FMADD(q, z, SET1(-7.37332916720468e-03f));                                     \
        q = FMADD(q, z, SET1(-1.42647390514189e-02f));                                     \
        const V r = DIV(MUL(c, p), q);                                                     \
        const V one = OR(SET1(1.0f), AND(x, sign));                                        \
        return BLEND(r, one, LT(SET1(3.92f), _mm##VI##_andnot_ps(sign, x)));               \
    }                                                                                      \
    TGT static inline V P##_gelu(V v, int act) {                                            \
        const V half = MUL(SET1(0.5f), v);                                                 \
        if (act == 3)                                                                      \
            return FMADD(half, P##_erf_rational(MUL(v, SET1(0.70710678118654752f))), half); \
        const V u = MUL(SET1(0.79788456080286536f),                                        \
                        FMADD(MUL(MUL(SET1(0.044715f), v), v), v, v));                    \
        return FMADD(half, P##_tanh(u), half);                                             \
    }

#define G256_LT(a, b) _mm256_cmp_ps(a, b, _CMP_LT_OQ)
#define G256_GT(a, b) _mm256_cmp_ps(a, b, _CMP_GT_OQ)
#define G256_BLEND(a, b, m) _mm256_blendv_ps(a, b, m)
#define G256_FLOOR(x) _mm256_floor_ps(x)
OV_GELU_VECTOR(g256, __m256, 256, AVX2_TARGET, _mm256_set1_ps, _mm256_add_ps, _mm256_sub_ps,
               _mm256_mul_ps, _mm256_div_ps, _mm256_fmadd_ps, _mm256_fnmadd_ps, _mm256_min_ps,
               _mm256_max_ps, _mm256_and_ps, _mm256_or_ps, G256_FLOOR, _mm256_cvtps_epi32,
               _mm256_slli_epi32, _mm256_add_epi32, _mm256_set1_epi32, _mm256_castsi256_ps,
               G256_LT, G256_GT, G256_BLEND)

/* a / b as a times the reciprocal estimate refined by one Newton step (~1 ulp; a divide
 * would be the slowest instruction of the epilogue) */
AVX512_TARGET static inline __m512 g512_div(__m512 a, __m512 b) {
    __m512 r = _mm512_rcp14_ps(b);
    r = _mm512_mul_ps(r, _mm512_fnmadd_ps(b, r, _mm512_set1_ps(2.0f)));
    return _mm512_mul_ps(a, r);
}
#define G512_LT(a, b) _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ)
#define G512_GT(a, b) _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ)
#define G512_BLEND(a, b, m) _mm512_mask_blend_ps(m, a, b)
#define G512_FLOOR(x) _mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)
OV_GELU_VECTOR(g512, __m512, 512, AVX512_TARGET, _mm512_set1_ps, _mm512_add_ps, _mm512_sub_ps,
               _mm512_mul_ps, g512_div, _mm512_fmadd_ps, _mm512_fnmadd_ps, _mm512_min_ps,
               _mm512_max_ps, _mm512_and_ps, _mm512_or_ps, G512_FLOOR, _mm512_cvtps_epi32,
               _mm512_slli_epi32, _mm512_add_epi32, _mm512_set1_epi32, _mm512_castsi512_ps,
               G512_LT, G512_GT, G512_BLEND)

AVX512_TARGET static void gelu16_avx512(float *p, int32_t act) {
    _mm512_storeu_ps(p, g512_gelu(_mm512_loadu_ps(p), act));
}

AVX2_TARGET static void gelu8_avx2(float *p, int32_t act) {
    _mm256_storeu_ps(p, g256_gelu(_mm256_loadu_ps(p), act));
}
AVX2_TARGET static inline __attribute__((always_inline)) void ukr_avx2_body(
    int64_t kc, const float *OV_RESTRICT a, const float *OV_RESTRICT b,
    const float *const *rows, int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
#define AVX2_STEP(o)                                                        \
    {                                                                       \
        const float *bk = rows ? rows[k + (o)] + off : b + (o) * 16;        \
        __m256 b0 = _mm256_loadu_ps(bk);                                    \
        __m256 b1 = _mm256_loadu_ps(bk + 8);                                \
        __m256 av = _mm256_broadcast_ss(a + (o) * MR + 0);                  \
        c00 = _mm256_fmadd_ps(av, b0, c00);                                 \
        c01 = _mm256_fmadd_ps(av, b1, c01);                                 \
        av = _mm256_broadcast_ss(a + (o) * MR + 1);                         \
        c10 = _mm256_fmadd_ps(av, b0, c10);                                 \
        c11 = _mm256_fmadd_ps(av, b1, c11);                                 \
        av = _mm256_broadcast_ss(a + (o) * MR + 2);                         \
        c20 = _mm256_fmadd_ps(av, b0, c20);                                 \
        c21 = _mm256_fmadd_ps(av, b1, c21);                                 \
        av = _mm256_broadcast_ss(a + (o) * MR + 3);                         \
        c30 = _mm256_fmadd_ps(av, b0, c30);                                 \
        c31 = _mm256_fmadd_ps(av, b1, c31);                                 \
        av = _mm256_broadcast_ss(a + (o) * MR + 4);                         \
        c40 = _mm256_fmadd_ps(av, b0, c40);                                 \
        c41 = _mm256_fmadd_ps(av, b1, c41);                                 \
        av = _mm256_broadcast_ss(a + (o) * MR + 5);                         \
        c50 = _mm256_fmadd_ps(av, b0, c50);                                 \
        c51 = _mm256_fmadd_ps(av, b1, c51);                                 \
    }
    int64_t k = 0;
    for (; k + 4 <= kc; k += 4) {
        if (!rows) _mm_prefetch((const char *)(b + 64 * 4), _MM_HINT_T0);
        AVX2_STEP(0)
        AVX2_STEP(1)
        AVX2_STEP(2)
        AVX2_STEP(3)
        a += 4 * MR;
        b += 4 * 16;
    }
    for (; k < kc; k++) {
        AVX2_STEP(0)
        a += MR;
        b += 16;
    }
#undef AVX2_STEP
    __m256 cb0 = _mm256_setzero_ps(), cb1 = _mm256_setzero_ps();
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    if (ep) {
        if (ep->colb) {
            cb0 = _mm256_loadu_ps(ep->colb);
            cb1 = _mm256_loadu_ps(ep->colb + 8);
        }
        lo = _mm256_set1_ps(ep->lo);
        hi = _mm256_set1_ps(ep->hi);
    }
#define AVX2_OUT(i, r0, r1)                                                  \
    if (acc) {                                                               \
        r0 = _mm256_add_ps(r0, _mm256_loadu_ps(c + (i) * ldc));              \
        r1 = _mm256_add_ps(r1, _mm256_loadu_ps(c + (i) * ldc + 8));          \
    }                                                                        \
    if (ep) {                                                                \
        if (ep->rowb) {                                                      \
            __m256 bv = _mm256_broadcast_ss(ep->rowb + (i));                 \
            r0 = _mm256_add_ps(r0, bv);                                      \
            r1 = _mm256_add_ps(r1, bv);                                      \
        }                                                                    \
        if (ep->colb) {                                                      \
            r0 = _mm256_add_ps(r0, cb0);                                     \
            r1 = _mm256_add_ps(r1, cb1);                                     \
        }                                                                    \
        if (ep->tadd) {                                                      \
            r0 = _mm256_add_ps(r0, _mm256_loadu_ps(ep->tadd + (i) * ep->tadd_ld));     \
            r1 = _mm256_add_ps(r1, _mm256_loadu_ps(ep->tadd + (i) * ep->tadd_ld + 8)); \
        }                                                                    \
        if (ep->act == 1) {                                                  \
            r0 = _mm256_max_ps(_mm256_setzero_ps(), r0);                     \
            r1 = _mm256_max_ps(_mm256_setzero_ps(), r1);                     \
        } else if (ep->act == 2) {                                           \
            r0 = _mm256_min_ps(hi, _mm256_max_ps(lo, r0));                   \
            r1 = _mm256_min_ps(hi, _mm256_max_ps(lo, r1));                   \
        } else if (ep->act >= 3) {                                           \
            r0 = g256_gelu(r0, ep->act);                                     \
            r1 = g256_gelu(r1, ep->act);                                     \
        }                                                                    \
    }                                                                        \
    _mm256_storeu_ps(c + (i) * ldc, r0);                                     \
    _mm256_storeu_ps(c + (i) * ldc + 8, r1);
    AVX2_OUT(0, c00, c01)
    AVX2_OUT(1, c10, c11)
    AVX2_OUT(2, c20, c21)
    AVX2_OUT(3, c30, c31)
    AVX2_OUT(4, c40, c41)
    AVX2_OUT(5, c50, c51)
#undef AVX2_OUT
}

AVX2_TARGET static void ukr_avx2(int64_t kc, const float *OV_RESTRICT a,
                                 const float *OV_RESTRICT b, float *OV_RESTRICT c, int64_t ldc,
                                 int acc, const ov_ep *ep) {
    ukr_avx2_body(kc, a, b, NULL, 0, c, ldc, acc, ep);
}

AVX2_TARGET static void ukr_rows_avx2(int64_t kc, const float *OV_RESTRICT a,
                                      const float *const *rows, int64_t off,
                                      float *OV_RESTRICT c, int64_t ldc, int acc,
                                      const ov_ep *ep) {
    ukr_avx2_body(kc, a, NULL, rows, off, c, ldc, acc, ep);
}

/* Row i of a 32-column tile (r0, r1) into C: + C when acc, then the epilogue (row and column
 * bias, tensor add, activation), stored */
AVX512_TARGET static inline __attribute__((always_inline)) void out_row_avx512(
    __m512 r0, __m512 r1, int64_t i, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep, __m512 cb0, __m512 cb1, __m512 lo, __m512 hi) {
    if (acc) {
        r0 = _mm512_add_ps(r0, _mm512_loadu_ps(c + i * ldc));
        r1 = _mm512_add_ps(r1, _mm512_loadu_ps(c + i * ldc + 16));
    }
    if (ep) {
        ov_ep_row_avx512(ep, i, 0xFFFF, 0xFFFF, cb0, cb1, lo, hi, &r0, &r1);
        if (ep->act >= 3) {
            r0 = g512_gelu(r0, ep->act);
            r1 = g512_gelu(r1, ep->act);
        }
    }
    _mm512_storeu_ps(c + i * ldc, r0);
    _mm512_storeu_ps(c + i * ldc + 16, r1);
}

/* lda > 0: A is read in place, row i of the tile at a + i * lda (no packing); else a is
 * a packed MR-row panel. */
AVX512_TARGET static inline __attribute__((always_inline)) void ukr_avx512_body(
    int64_t kc, const float *OV_RESTRICT a, int64_t lda, const float *OV_RESTRICT b,
    const float *const *rows, int64_t off, float *OV_RESTRICT c, int64_t ldc, int acc,
    const ov_ep *ep) {
    __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
    __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
    __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
    __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
    __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
    __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
#define AV(o, i) (lda ? a[(i) * lda + (o)] : a[(o) * MR + (i)])
#define AVX512_STEP(o)                                                      \
    {                                                                       \
        const float *bk = rows ? rows[k + (o)] + off : b + (o) * 32;        \
        __m512 b0 = _mm512_loadu_ps(bk);                                    \
        __m512 b1 = _mm512_loadu_ps(bk + 16);                               \
        __m512 av = _mm512_set1_ps(AV(o, 0));                        \
        c00 = _mm512_fmadd_ps(av, b0, c00);                                 \
        c01 = _mm512_fmadd_ps(av, b1, c01);                                 \
        av = _mm512_set1_ps(AV(o, 1));                               \
        c10 = _mm512_fmadd_ps(av, b0, c10);                                 \
        c11 = _mm512_fmadd_ps(av, b1, c11);                                 \
        av = _mm512_set1_ps(AV(o, 2));                               \
        c20 = _mm512_fmadd_ps(av, b0, c20);                                 \
        c21 = _mm512_fmadd_ps(av, b1, c21);                                 \
        av = _mm512_set1_ps(AV(o, 3));                               \
        c30 = _mm512_fmadd_ps(av, b0, c30);                                 \
        c31 = _mm512_fmadd_ps(av, b1, c31);                                 \
        av = _mm512_set1_ps(AV(o, 4));                               \
        c40 = _mm512_fmadd_ps(av, b0, c40);                                 \
        c41 = _mm512_fmadd_ps(av, b1, c41);                                 \
        av = _mm512_set1_ps(AV(o, 5));                               \
        c50 = _mm512_fmadd_ps(av, b0, c50);                                 \
        c51 = _mm512_fmadd_ps(av, b1, c51);                                 \
    }
    int64_t k = 0;
    if (!rows && kc >= 4 && !lda) {
        /* the packed loops in assembly: GCC's allocation of the intrinsics version adds
         * register moves that cost ~10% of the FMA rate */
        int64_t n4 = kc / 4;
        __asm__(
                "1:\n\t"
                "prefetcht0 512(%[b])\n\t"
                "prefetcht0 576(%[b])\n\t"
                "vmovups 0(%[b]), %%zmm30\n\t"
                "vmovups 64(%[b]), %%zmm31\n\t"
                "vbroadcastss 0(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 4(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 8(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 12(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 16(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 20(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 128(%[b]), %%zmm30\n\t"
                "vmovups 192(%[b]), %%zmm31\n\t"
                "vbroadcastss 24(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 28(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 32(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 36(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 40(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 44(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 256(%[b]), %%zmm30\n\t"
                "vmovups 320(%[b]), %%zmm31\n\t"
                "vbroadcastss 48(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 52(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 56(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 60(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 64(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 68(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 384(%[b]), %%zmm30\n\t"
                "vmovups 448(%[b]), %%zmm31\n\t"
                "vbroadcastss 72(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 76(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 80(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 84(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 88(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 92(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "add $96, %[a]\n\t"
                "add $512, %[b]\n\t"
                "dec %[n]\n\t"
                "jnz 1b\n\t"
                : [a] "+r"(a), [b] "+r"(b), [n] "+r"(n4),
                  [c00] "+v"(c00), [c01] "+v"(c01), [c10] "+v"(c10), [c11] "+v"(c11), [c20] "+v"(c20), [c21] "+v"(c21), [c30] "+v"(c30), [c31] "+v"(c31), [c40] "+v"(c40), [c41] "+v"(c41), [c50] "+v"(c50), [c51] "+v"(c51)
                :
                : "xmm29", "xmm30", "xmm31", "cc", "memory");
        k = kc / 4 * 4;
    } else if (!rows && kc >= 4) {
        /* A in place: rows 0-2 at a + {0, 1, 2} * lda, rows 3-5 the same from r11 = a +
         * 3 * lda (operands are at GCC's limit of 30) */
        const float *aend = a + kc / 4 * 4;
        const int64_t ldb = lda * 4;
        __asm__(
                "lea (%[a],%[r],2), %%r11\n\t"
                "add %[r], %%r11\n\t"
                "1:\n\t"
                "prefetcht0 512(%[b])\n\t"
                "prefetcht0 576(%[b])\n\t"
                "vmovups 0(%[b]), %%zmm30\n\t"
                "vmovups 64(%[b]), %%zmm31\n\t"
                "vbroadcastss 0(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 0(%[a],%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 0(%[a],%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 0(%%r11), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 0(%%r11,%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 0(%%r11,%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 128(%[b]), %%zmm30\n\t"
                "vmovups 192(%[b]), %%zmm31\n\t"
                "vbroadcastss 4(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 4(%[a],%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 4(%[a],%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 4(%%r11), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 4(%%r11,%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 4(%%r11,%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 256(%[b]), %%zmm30\n\t"
                "vmovups 320(%[b]), %%zmm31\n\t"
                "vbroadcastss 8(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 8(%[a],%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 8(%[a],%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 8(%%r11), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 8(%%r11,%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 8(%%r11,%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "vmovups 384(%[b]), %%zmm30\n\t"
                "vmovups 448(%[b]), %%zmm31\n\t"
                "vbroadcastss 12(%[a]), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c00]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c01]\n\t"
                "vbroadcastss 12(%[a],%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c10]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c11]\n\t"
                "vbroadcastss 12(%[a],%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c20]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c21]\n\t"
                "vbroadcastss 12(%%r11), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c30]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c31]\n\t"
                "vbroadcastss 12(%%r11,%[r],1), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c40]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c41]\n\t"
                "vbroadcastss 12(%%r11,%[r],2), %%zmm29\n\t"
                "vfmadd231ps %%zmm30, %%zmm29, %[c50]\n\t"
                "vfmadd231ps %%zmm31, %%zmm29, %[c51]\n\t"
                "add $16, %[a]\n\t"
                "add $16, %%r11\n\t"
                "add $512, %[b]\n\t"
                "cmp %[e], %[a]\n\t"
                "jne 1b\n\t"
                : [a] "+r"(a), [b] "+r"(b),
                  [c00] "+v"(c00), [c01] "+v"(c01), [c10] "+v"(c10), [c11] "+v"(c11), [c20] "+v"(c20), [c21] "+v"(c21), [c30] "+v"(c30), [c31] "+v"(c31), [c40] "+v"(c40), [c41] "+v"(c41), [c50] "+v"(c50), [c51] "+v"(c51)
                : [r] "r"(ldb), [e] "r"(aend)
                : "r11", "xmm29", "xmm30", "xmm31", "cc", "memory");
        k = kc / 4 * 4;
    }
    for (; k + 4 <= kc; k += 4) {
        AVX512_STEP(0)
        AVX512_STEP(1)
        AVX512_STEP(2)
        AVX512_STEP(3)
        a += lda ? 4 : 4 * MR;
        b += 4 * 32;
    }
    for (; k < kc; k++) {
        AVX512_STEP(0)
        a += lda ? 1 : MR;
        b += 32;
    }
#undef AVX512_STEP
#undef AV
    __m512 cb0, cb1, lo, hi;
    ov_ep_consts_avx512(ep, 0xFFFF, 0xFFFF, &cb0, &cb1, &lo, &hi);
#define AVX512_OUT(i, r0, r1) out_row_avx512(r0, r1, i, c, ldc, acc, ep, cb0, cb1, lo, hi);
    AVX512_OUT(0, c00, c01)
    AVX512_OUT(1, c10, c11)
    AVX512_OUT(2, c20, c21)
    AVX512_OUT(3, c30, c31)
    AVX512_OUT(4, c40, c41)
    AVX512_OUT(5, c50, c51)
#undef AVX512_OUT
}

AVX512_TARGET static void ukr_avx512(int64_t kc, const float *OV_RESTRICT a,
                                     const float *OV_RESTRICT b, float *OV_RESTRICT c,
                                     int64_t ldc, int acc, const ov_ep *ep) {
    ukr_avx512_body(kc, a, 0, b, NULL, 0, c, ldc, acc, ep);
}

/* A read in place (row stride lda elements), B a packed panel */
AVX512_TARGET static void ukr_adirect_avx512(int64_t kc, const float *OV_RESTRICT a, int64_t lda,
                                             const float *OV_RESTRICT b, float *OV_RESTRICT c,
                                             int64_t ldc, int acc, const ov_ep *ep) {
    ukr_avx512_body(kc, a, lda, b, NULL, 0, c, ldc, acc, ep);
}

/* One k step of the 12-row kernel: row i of A (at byte offset AOFF of its row pointer)
 * broadcast into zmm28 / zmm29 in turn, times the B vectors in zmm BR0 / BR1, added to the
 * accumulators zmm(2i) and zmm(2i+1). Rows 0-2 are at a, a + r, a + 2r; r8, r9 and r10
 * point at rows 3, 6 and 9. */
#define K12_ROW(AOFF, ADDR, BR0, BR1, T, C0, C1)                   \
    "vbroadcastss " AOFF "(" ADDR "), %%zmm" T "\n\t"             \
    "vfmadd231ps %%zmm" BR0 ", %%zmm" T ", %%zmm" C0 "\n\t"       \
    "vfmadd231ps %%zmm" BR1 ", %%zmm" T ", %%zmm" C1 "\n\t"
#define K12_STEP(AOFF, BR0, BR1)                                   \
    K12_ROW(AOFF, "%[a]", BR0, BR1, "28", "0", "1")                \
    K12_ROW(AOFF, "%[a],%[r],1", BR0, BR1, "29", "2", "3")         \
    K12_ROW(AOFF, "%[a],%[r],2", BR0, BR1, "28", "4", "5")         \
    K12_ROW(AOFF, "%%r8", BR0, BR1, "29", "6", "7")                \
    K12_ROW(AOFF, "%%r8,%[r],1", BR0, BR1, "28", "8", "9")         \
    K12_ROW(AOFF, "%%r8,%[r],2", BR0, BR1, "29", "10", "11")       \
    K12_ROW(AOFF, "%%r9", BR0, BR1, "28", "12", "13")              \
    K12_ROW(AOFF, "%%r9,%[r],1", BR0, BR1, "29", "14", "15")       \
    K12_ROW(AOFF, "%%r9,%[r],2", BR0, BR1, "28", "16", "17")       \
    K12_ROW(AOFF, "%%r10", BR0, BR1, "29", "18", "19")             \
    K12_ROW(AOFF, "%%r10,%[r],1", BR0, BR1, "28", "20", "21")      \
    K12_ROW(AOFF, "%%r10,%[r],2", BR0, BR1, "29", "22", "23")

/* 12 rows x 32 columns with A read in place (row i at a + i * lda) and B a packed panel:
 * 24 accumulators (the 6-row kernel's 12 leave the FMA ports waiting on loads). The raw
 * sums go to t (12 rows of 32); tile_out_avx512 adds and stores them. */
AVX512_TARGET static void ukr12_core_avx512(int64_t kc, const float *a, int64_t lda,
                                            const float *b, float *OV_RESTRICT t) {
    int64_t n4 = kc / 4, m = kc % 4;
    const int64_t r = lda * 4;
    __asm__ volatile(
        "lea (%[a],%[r],2), %%r8\n\t"
        "add %[r], %%r8\n\t"
        "lea (%%r8,%[r],2), %%r9\n\t"
        "add %[r], %%r9\n\t"
        "lea (%%r9,%[r],2), %%r10\n\t"
        "add %[r], %%r10\n\t"
        "vpxord %%zmm0, %%zmm0, %%zmm0\n\t"
        "vpxord %%zmm1, %%zmm1, %%zmm1\n\t"
        "vpxord %%zmm2, %%zmm2, %%zmm2\n\t"
        "vpxord %%zmm3, %%zmm3, %%zmm3\n\t"
        "vpxord %%zmm4, %%zmm4, %%zmm4\n\t"
        "vpxord %%zmm5, %%zmm5, %%zmm5\n\t"
        "vpxord %%zmm6, %%zmm6, %%zmm6\n\t"
        "vpxord %%zmm7, %%zmm7, %%zmm7\n\t"
        "vpxord %%zmm8, %%zmm8, %%zmm8\n\t"
        "vpxord %%zmm9, %%zmm9, %%zmm9\n\t"
        "vpxord %%zmm10, %%zmm10, %%zmm10\n\t"
        "vpxord %%zmm11, %%zmm11, %%zmm11\n\t"
        "vpxord %%zmm12, %%zmm12, %%zmm12\n\t"
        "vpxord %%zmm13, %%zmm13, %%zmm13\n\t"
        "vpxord %%zmm14, %%zmm14, %%zmm14\n\t"
        "vpxord %%zmm15, %%zmm15, %%zmm15\n\t"
        "vpxord %%zmm16, %%zmm16, %%zmm16\n\t"
        "vpxord %%zmm17, %%zmm17, %%zmm17\n\t"
        "vpxord %%zmm18, %%zmm18, %%zmm18\n\t"
        "vpxord %%zmm19, %%zmm19, %%zmm19\n\t"
        "vpxord %%zmm20, %%zmm20, %%zmm20\n\t"
        "vpxord %%zmm21, %%zmm21, %%zmm21\n\t"
        "vpxord %%zmm22, %%zmm22, %%zmm22\n\t"
        "vpxord %%zmm23, %%zmm23, %%zmm23\n\t"
        "test %[n], %[n]\n\t"
        "jz 2f\n\t"
        "1:\n\t"
        "prefetcht0 512(%[b])\n\t"
        "prefetcht0 576(%[b])\n\t"
        "prefetcht0 640(%[b])\n\t"
        "prefetcht0 704(%[b])\n\t"
        "vmovups 0(%[b]), %%zmm24\n\t"
        "vmovups 64(%[b]), %%zmm25\n\t"
        K12_STEP("0", "24", "25")
        "vmovups 128(%[b]), %%zmm26\n\t"
        "vmovups 192(%[b]), %%zmm27\n\t"
        K12_STEP("4", "26", "27")
        "vmovups 256(%[b]), %%zmm24\n\t"
        "vmovups 320(%[b]), %%zmm25\n\t"
        K12_STEP("8", "24", "25")
        "vmovups 384(%[b]), %%zmm26\n\t"
        "vmovups 448(%[b]), %%zmm27\n\t"
        K12_STEP("12", "26", "27")
        "add $16, %[a]\n\t"
        "add $16, %%r8\n\t"
        "add $16, %%r9\n\t"
        "add $16, %%r10\n\t"
        "add $512, %[b]\n\t"
        "dec %[n]\n\t"
        "jnz 1b\n\t"
        "2:\n\t"
        "test %[m], %[m]\n\t"
        "jz 4f\n\t"
        "3:\n\t"
        "vmovups 0(%[b]), %%zmm24\n\t"
        "vmovups 64(%[b]), %%zmm25\n\t"
        K12_STEP("0", "24", "25")
        "add $4, %[a]\n\t"
        "add $4, %%r8\n\t"
        "add $4, %%r9\n\t"
        "add $4, %%r10\n\t"
        "add $128, %[b]\n\t"
        "dec %[m]\n\t"
        "jnz 3b\n\t"
        "4:\n\t"
        "vmovups %%zmm0, 0(%[t])\n\t"
        "vmovups %%zmm1, 64(%[t])\n\t"
        "vmovups %%zmm2, 128(%[t])\n\t"
        "vmovups %%zmm3, 192(%[t])\n\t"
        "vmovups %%zmm4, 256(%[t])\n\t"
        "vmovups %%zmm5, 320(%[t])\n\t"
        "vmovups %%zmm6, 384(%[t])\n\t"
        "vmovups %%zmm7, 448(%[t])\n\t"
        "vmovups %%zmm8, 512(%[t])\n\t"
        "vmovups %%zmm9, 576(%[t])\n\t"
        "vmovups %%zmm10, 640(%[t])\n\t"
        "vmovups %%zmm11, 704(%[t])\n\t"
        "vmovups %%zmm12, 768(%[t])\n\t"
        "vmovups %%zmm13, 832(%[t])\n\t"
        "vmovups %%zmm14, 896(%[t])\n\t"
        "vmovups %%zmm15, 960(%[t])\n\t"
        "vmovups %%zmm16, 1024(%[t])\n\t"
        "vmovups %%zmm17, 1088(%[t])\n\t"
        "vmovups %%zmm18, 1152(%[t])\n\t"
        "vmovups %%zmm19, 1216(%[t])\n\t"
        "vmovups %%zmm20, 1280(%[t])\n\t"
        "vmovups %%zmm21, 1344(%[t])\n\t"
        "vmovups %%zmm22, 1408(%[t])\n\t"
        "vmovups %%zmm23, 1472(%[t])\n\t"
        : [a] "+r"(a), [b] "+r"(b), [n] "+r"(n4), [m] "+r"(m)
        : [r] "r"(r), [t] "r"(t)
        : "r8", "r9", "r10", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "cc", "memory");
}
#undef K12_STEP
#undef K12_ROW

/* rows of a raw tile t (row stride 32) into C: (+ C when acc), then the epilogue, as the
 * register epilogue of ukr_avx512_body does */
AVX512_TARGET static void tile_out_avx512(const float *OV_RESTRICT t, int64_t rows,
                                          float *OV_RESTRICT c, int64_t ldc, int acc,
                                          const ov_ep *ep) {
    __m512 cb0, cb1, lo, hi;
    ov_ep_consts_avx512(ep, 0xFFFF, 0xFFFF, &cb0, &cb1, &lo, &hi);
    for (int64_t i = 0; i < rows; i++)
        out_row_avx512(_mm512_loadu_ps(t + i * 32), _mm512_loadu_ps(t + i * 32 + 16), i, c,
                       ldc, acc, ep, cb0, cb1, lo, hi);
}

AVX512_TARGET static void ukr_rows_avx512(int64_t kc, const float *OV_RESTRICT a,
                                          const float *const *rows, int64_t off,
                                          float *OV_RESTRICT c, int64_t ldc, int acc,
                                          const ov_ep *ep) {
    ukr_avx512_body(kc, a, 0, NULL, rows, off, c, ldc, acc, ep);
}
#endif

typedef void (*ukr_fn)(int64_t, const float *, const float *, float *, int64_t, int,
                       const ov_ep *);

/* The register epilogue for a post-op chain, or 0 when the chain needs the generic path.
 * Base pointers are at (row 0, column 0) of batch `batch`. */
int ov_make_ep(const ov_posts *posts, int64_t batch, ov_ep *ep) {
    memset(ep, 0, sizeof(*ep));
    if (!posts || posts->n == 0) return 0;
    int stage = 0; /* rowb, colb, tadd, act must come in this order */
    for (int32_t i = 0; i < posts->n; i++) {
        const ov_post_rt *po = &posts->po[i];
        if (po->kind == OV_PO_BIN && po->op == OV_BIN_ADD) {
            const float *p = po->ptr + batch * po->bstride;
            if (po->ld_n == 0 && po->ld_m == 1 && stage < 1) {
                ep->rowb = p;
                stage = 1;
            } else if (po->ld_m == 0 && po->ld_n == 1 && stage < 2) {
                ep->colb = p;
                stage = 2;
            } else if (po->ld_n == 1 && stage < 3) {
                ep->tadd = p;
                ep->tadd_ld = po->ld_m;
                stage = 3;
            } else {
                return 0;
            }
        } else if (po->kind == OV_PO_ACT && stage < 4 &&
                   (po->op == OV_ACT_RELU || po->op == OV_ACT_CLAMP)) {
            ep->act = po->op == OV_ACT_RELU ? 1 : 2;
            ep->lo = po->alpha;
            ep->hi = po->beta;
            stage = 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* ov_make_ep, and also a chain ending in GELU (erf or tanh form) after the adds: act 3 / 4,
 * which only the GEMM micro-kernels apply (the convolution's keep ov_make_ep's). */
int ov_make_ep_gemm(const ov_posts *posts, int64_t batch, ov_ep *ep) {
    if (ov_make_ep(posts, batch, ep)) return 1;
    if (!posts || posts->n == 0) return 0;
    const ov_post_rt *last = &posts->po[posts->n - 1];
    if (last->kind != OV_PO_ACT || (last->op != OV_ACT_GELU_ERF && last->op != OV_ACT_GELU_TANH))
        return 0;
    ov_posts head = *posts;
    head.n--;
    if (head.n > 0) {
        if (!ov_make_ep(&head, batch, ep) || ep->act) return 0;
    } else {
        memset(ep, 0, sizeof(*ep));
    }
    ep->act = last->op == OV_ACT_GELU_ERF ? 3 : 4;
    return 1;
}

void ov_gelu_tile(float *c, int64_t ldc, int64_t rows, int64_t cols, int32_t act) {
#if OV_X86
    if (ov_isa_level == 2 && cols % 16 == 0) {
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j += 16) gelu16_avx512(c + i * ldc + j, act);
        return;
    }
    if (ov_isa_level >= 1 && cols % 8 == 0) {
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j += 8) gelu8_avx2(c + i * ldc + j, act);
        return;
    }
#endif
    for (int64_t i = 0; i < rows; i++)
        ov_act_apply(act == 3 ? OV_ACT_GELU_ERF : OV_ACT_GELU_TANH, 0.0f, 0.0f, c + i * ldc,
                     cols);
}

static ukr_fn pick_ukr(void) {
    if (ov_isa_level == 3) return ukr_generic32;
#if OV_X86
    if (ov_isa_level == 2) return ukr_avx512;
    if (ov_isa_level == 1) return ukr_avx2;
#endif
    return ukr_generic;
}

/* The AVX-512 micro-kernels against the portable ones of the same geometry on a small
 * fixed problem (packed and row-pointer B, with and without accumulation and epilogue):
 * 1 when they agree. Run once before the AVX-512 kernels are used. */
int ov_gemm_selftest_avx512(void) {
#if OV_X86
    enum { KT = 37, LD = 40 };
    float a[KT * MR], b[KT * 32], res[MR * LD], tadd[MR * LD];
    float c1[MR * LD], c2[MR * LD];
    const float *rows[KT];
    for (int i = 0; i < KT * MR; i++) a[i] = (float)((i * 7) % 13) * 0.25f - 1.5f;
    for (int i = 0; i < KT * 32; i++) b[i] = (float)((i * 5) % 11) * 0.5f - 2.0f;
    for (int i = 0; i < MR * LD; i++) {
        res[i] = (float)(i % 9) - 4.0f;
        tadd[i] = (float)(i % 5) * 0.5f;
    }
    for (int k = 0; k < KT; k++) rows[k] = b + k * 32;
    float rowb[MR] = {1.0f, -2.0f, 0.5f, 3.0f, -1.0f, 0.25f};
    ov_ep ep = {rowb, NULL, tadd, LD, 1, 0.0f, 0.0f};
    for (int variant = 0; variant < 4; variant++) {
        const int acc = variant & 1;
        const ov_ep *use = (variant & 2) ? &ep : NULL;
        memcpy(c1, res, sizeof(c1));
        memcpy(c2, res, sizeof(c2));
        if (variant < 2) {
            ukr_avx512(KT, a, b, c1, LD, acc, use);
            float ad[MR * (KT + 3)]; /* the same A rows, read in place with a row stride */
            float c3[MR * LD];
            for (int i = 0; i < MR; i++)
                for (int k = 0; k < KT; k++) ad[i * (KT + 3) + k] = a[k * MR + i];
            memcpy(c3, res, sizeof(c3));
            ukr_adirect_avx512(KT, ad, KT + 3, b, c3, LD, acc, use);
            for (int i = 0; i < MR * LD; i++)
                if (c3[i] != c1[i]) return 0;
        } else {
            ukr_rows_avx512(KT, a, rows, 0, c1, LD, acc, use);
        }
        ukr_generic32(KT, a, b, c2, LD, acc, use);
        for (int i = 0; i < MR * LD; i++) {
            float d = c1[i] - c2[i];
            if (d > 1e-3f || d < -1e-3f) return 0;
        }
    }
    return 1;
#else
    return 0;
#endif
}

ov_ukr_rows_fn ov_pick_ukr_rows(void) {
    ov_isa_init();
    if (ov_isa_level == 3) return ukr_rows_generic32;
#if OV_X86
    if (ov_isa_level == 2) return ukr_rows_avx512;
    if (ov_isa_level == 1) return ukr_rows_avx2;
#endif
    return ukr_rows_generic;
}

/* ---------------------------------------------------------------------------------------- */
/* packing                                                                                    */

OV_VEC static void pack_a_dense(const ov_mat *A, int64_t i0, int64_t mlen, int64_t k0,
                                int64_t kc, float *OV_RESTRICT dst) {
    for (int64_t p = 0; p < mlen; p += MR) {
        int64_t rows = OV_MIN(MR, mlen - p);
        const float *src[MR];
        for (int i = 0; i < MR; i++)
            src[i] = A->p + (i0 + p + (i < rows ? i : 0)) * A->rs + k0 * A->cs;
        if (A->cs == 1) {
            for (int64_t k = 0; k < kc; k++)
                for (int i = 0; i < MR; i++) dst[k * MR + i] = i < rows ? src[i][k] : 0.0f;
        } else {
            int64_t cs = A->cs;
            for (int64_t k = 0; k < kc; k++)
                for (int i = 0; i < MR; i++) dst[k * MR + i] = i < rows ? src[i][k * cs] : 0.0f;
        }
        dst += kc * MR;
    }
}

#if OV_X86
/* a full panel of 32 columns from a transposed source (B[k][t] at col t * cs + k): each
 * row of the panel two gathers, instead of 32 scalar stores a cache line apart */
AVX512_TARGET static void pack_b_gather32_avx512(const float *base, int64_t cs, int64_t kc,
                                                 float *OV_RESTRICT dst) {
    const __m512i idx = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
        _mm512_set1_epi32((int32_t)cs));
    const float *hi = base + 16 * cs;
    for (int64_t k = 0; k < kc; k++) {
        _mm512_storeu_ps(dst + k * 32, _mm512_i32gather_ps(idx, base + k, 4));
        _mm512_storeu_ps(dst + k * 32 + 16, _mm512_i32gather_ps(idx, hi + k, 4));
    }
}
#endif

OV_VEC static void pack_b_dense(const ov_mat *B, int64_t k0, int64_t kc, int64_t n0,
                                int64_t nlen, int32_t nr, float *OV_RESTRICT dst) {
    for (int64_t j = 0; j < nlen; j += nr) {
        int64_t cols = OV_MIN(nr, nlen - j);
        const float *base = B->p + k0 * B->rs + (n0 + j) * B->cs;
#if OV_X86
        /* (indices 15 * cs within int32) */
        if (B->rs == 1 && B->cs > 1 && cols == nr && nr == 32 && ov_isa_level == 2 &&
            B->cs <= INT32_MAX / 16) {
            pack_b_gather32_avx512(base, B->cs, kc, dst);
            dst += kc * nr;
            continue;
        }
#endif
        if (B->cs == 1 && cols == nr) {
            for (int64_t k = 0; k < kc; k++) memcpy(dst + k * nr, base + k * B->rs, (size_t)nr * 4);
        } else if (B->cs == 1) {
            for (int64_t k = 0; k < kc; k++) {
                const float *row = base + k * B->rs;
                for (int64_t t = 0; t < nr; t++) dst[k * nr + t] = t < cols ? row[t] : 0.0f;
            }
        } else {
            /* transposed source: walk each column contiguously */
            for (int64_t t = 0; t < nr; t++) {
                if (t < cols) {
                    const float *col = base + t * B->cs;
                    for (int64_t k = 0; k < kc; k++) dst[k * nr + t] = col[k * B->rs];
                } else {
                    for (int64_t k = 0; k < kc; k++) dst[k * nr + t] = 0.0f;
                }
            }
        }
        dst += kc * nr;
    }
}

/* All of a dense B (K x N) as the panels OV_SRC_PACKED reads: ceil(N / ov_gemm_nr())
 * panels of K rows, the last zero-padded. */
void ov_gemm_pack_b(const ov_mat *B, int64_t K, int64_t N, float *dst) {
    pack_b_dense(B, 0, K, 0, N, cur_nr(), dst);
}

OV_VEC static void pack_b_im2col(const ov_mat *B, int64_t k0, int64_t kc, int64_t n0,
                                 int64_t nlen, int32_t nr, float *OV_RESTRICT dst) {
    const ov_im2col *g = &B->im;
    const int64_t khw = g->KH * g->KW;
    const int64_t H = g->H, W = g->W, SW = g->SW;
    const int64_t We = (W + 1) / 2, Wo = W / 2;
    /* per row k of the block: channel plane, vertical and horizontal tap offsets
     * (divisions once per block, not once per panel) */
    int64_t kplane[KC], kdy[KC], kdx[KC];
    for (int64_t k = 0; k < kc; k++) {
        int64_t kk = k0 + k;
        int64_t c = kk / khw, r = kk % khw;
        kplane[k] = c * H * W;
        kdy[k] = (r / g->KW) * g->DH;
        kdx[k] = (r % g->KW) * g->DW;
    }
    /* the panel's columns split into runs on one output row each */
    int64_t run_t[NR_MAX], run_len[NR_MAX], run_iy[NR_MAX], run_ix[NR_MAX];
    for (int64_t j = 0; j < nlen; j += nr) {
        int64_t cols = OV_MIN(nr, nlen - j);
        int nruns = 0;
        for (int64_t t = 0, n = n0 + j; t < cols; nruns++) {
            int64_t oy = n / g->OW, ox = n % g->OW;
            int64_t len = OV_MIN(cols - t, g->OW - ox);
            run_t[nruns] = t;
            run_len[nruns] = len;
            run_iy[nruns] = oy * g->SH - g->PH;
            run_ix[nruns] = ox * SW - g->PW;
            t += len;
            n += len;
        }
        for (int64_t k = 0; k < kc; k++) {
            const float *plane = g->img + kplane[k];
            const int64_t dy = kdy[k], dx = kdx[k];
            float *d = dst + k * nr;
            for (int q = 0; q < nruns; q++) {
                float *OV_RESTRICT o = d + run_t[q];
                const int64_t len = run_len[q];
                const int64_t iy = run_iy[q] + dy;
                if (iy < 0 || iy >= H) {
                    for (int64_t e = 0; e < len; e++) o[e] = 0.0f;
                    continue;
                }
                const int64_t ixs = run_ix[q] + dx; /* ix of element e: ixs + e * SW */
                int64_t lo = ixs >= 0 ? 0 : (-ixs + SW - 1) / SW;
                int64_t hi = ixs > W - 1 ? 0 : (W - 1 - ixs) / SW + 1; /* one past last */
                if (lo > len) lo = len;
                if (hi > len) hi = len;
                if (hi < lo) hi = lo;
                const float *OV_RESTRICT src;
                int64_t step = SW;
                if (g->split) {
                    /* column ixs + 2e lies in the plane of its parity, at (ixs - par) / 2 + e */
                    const int64_t par = ixs & 1;
                    src = plane + (par ? H * We + iy * Wo : iy * We) + (ixs - par) / 2;
                    step = 1;
                } else {
                    src = plane + iy * W + ixs;
                }
                for (int64_t e = 0; e < lo; e++) o[e] = 0.0f;
                if (step == 1) {
                    for (int64_t e = lo; e < hi; e++) o[e] = src[e];
                } else {
                    for (int64_t e = lo; e < hi; e++) o[e] = src[e * step];
                }
                for (int64_t e = hi; e < len; e++) o[e] = 0.0f;
            }
            for (int64_t t = cols; t < nr; t++) d[t] = 0.0f;
        }
        dst += kc * nr;
    }
}

__attribute__((unused)) static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t man = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0x1Fu) {
        bits = sign | 0x7F800000u | (man << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    } else {
        float f = (float)man * 5.9604644775390625e-8f; /* 2^-24 */
        memcpy(&bits, &f, 4);
        bits |= sign;
    }
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

/* One decoded row (k = kk) of panel `panel`: nr weights into d. */
static inline __attribute__((always_inline)) void decode_row(const ov_mat *B, int64_t panel,
                                                             int64_t kk, int32_t nr, int64_t K,
                                                             int64_t col0, float *OV_RESTRICT d) {
    const float *s = B->scale ? B->scale + (kk / B->group) * B->npad + col0 : NULL;
    const float *z = B->zs ? B->zs + (kk / B->group) * B->npad + col0 : NULL;
    switch (B->qtype) {
        case OV_Q_U8: {
            const uint8_t *q = B->q + (panel * K + kk) * nr;
            for (int64_t t = 0; t < nr; t++) d[t] = (float)q[t];
            break;
        }
        case OV_Q_I8: {
            const int8_t *q = (const int8_t *)B->q + (panel * K + kk) * nr;
            for (int64_t t = 0; t < nr; t++) d[t] = (float)q[t];
            break;
        }
        case OV_Q_U4: {
            const uint8_t *q = B->q + (panel * K + kk) * (nr / 2);
            for (int64_t t = 0; t < nr / 2; t++) {
                d[2 * t] = (float)(q[t] & 15);
                d[2 * t + 1] = (float)(q[t] >> 4);
            }
            break;
        }
        case OV_Q_I4: {
            const uint8_t *q = B->q + (panel * K + kk) * (nr / 2);
            for (int64_t t = 0; t < nr / 2; t++) {
                int lo = q[t] & 15, hi = q[t] >> 4;
                d[2 * t] = (float)(lo - ((lo & 8) << 1));
                d[2 * t + 1] = (float)(hi - ((hi & 8) << 1));
            }
            break;
        }
        default: { /* OV_Q_F16 */
#if OV_X86 && defined(__FLT16_MAX__)
            /* _Float16 -> float is one vcvtph2ps per 8 values where F16C exists */
            const _Float16 *q = (const _Float16 *)B->q + (panel * K + kk) * nr;
            for (int64_t t = 0; t < nr; t++) d[t] = (float)q[t];
#else
            const uint16_t *q = (const uint16_t *)B->q + (panel * K + kk) * nr;
            for (int64_t t = 0; t < nr; t++) d[t] = half_to_float(q[t]);
#endif
            break;
        }
    }
    if (s && z) {
        for (int64_t t = 0; t < nr; t++) d[t] = d[t] * s[t] - z[t];
    } else if (s) {
        for (int64_t t = 0; t < nr; t++) d[t] = d[t] * s[t];
    }
}

#if OV_X86
/* AVX2 decoding of 16 consecutive weights of a panel row (half h of an nr-wide row). */
__attribute__((target("avx2,fma,f16c"))) static inline void decode16_avx2(
    const ov_mat *B, int64_t panel, int64_t kk, int32_t nr, int64_t K, int64_t col0, int h,
    __m256 *w0, __m256 *w1) {
    switch (B->qtype) {
        case OV_Q_U8:
        case OV_Q_I8: {
            const uint8_t *q = B->q + (panel * K + kk) * nr + 16 * h;
            __m128i b = _mm_loadu_si128((const __m128i *)q);
            if (B->qtype == OV_Q_U8) {
                *w0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(b));
                *w1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(b, 8)));
            } else {
                *w0 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b));
                *w1 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(b, 8)));
            }
            break;
        }
        case OV_Q_U4:
        case OV_Q_I4: {
            const uint8_t *q = B->q + (panel * K + kk) * (nr / 2) + 8 * h;
            __m128i b = _mm_loadl_epi64((const __m128i *)q);
            __m128i mask = _mm_set1_epi8(15);
            __m128i lo = _mm_and_si128(b, mask);
            __m128i hi = _mm_and_si128(_mm_srli_epi16(b, 4), mask);
            __m128i v = _mm_unpacklo_epi8(lo, hi); /* element order 0, 1, 2, ... */
            __m256i a0 = _mm256_cvtepu8_epi32(v);
            __m256i a1 = _mm256_cvtepu8_epi32(_mm_srli_si128(v, 8));
            if (B->qtype == OV_Q_I4) {
                __m256i eight = _mm256_set1_epi32(8);
                a0 = _mm256_sub_epi32(_mm256_xor_si256(a0, eight), eight);
                a1 = _mm256_sub_epi32(_mm256_xor_si256(a1, eight), eight);
            }
            *w0 = _mm256_cvtepi32_ps(a0);
            *w1 = _mm256_cvtepi32_ps(a1);
            break;
        }
        default: { /* OV_Q_F16 */
            const uint16_t *q = (const uint16_t *)B->q + (panel * K + kk) * nr + 16 * h;
            *w0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)q));
            *w1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(q + 8)));
            break;
        }
    }
    if (B->scale) {
        const float *s = B->scale + (kk / B->group) * B->npad + col0 + 16 * h;
        __m256 s0 = _mm256_loadu_ps(s), s1 = _mm256_loadu_ps(s + 8);
        if (B->zs) {
            const float *z = B->zs + (kk / B->group) * B->npad + col0 + 16 * h;
            *w0 = _mm256_fmsub_ps(*w0, s0, _mm256_loadu_ps(z));
            *w1 = _mm256_fmsub_ps(*w1, s1, _mm256_loadu_ps(z + 8));
        } else {
            *w0 = _mm256_mul_ps(*w0, s0);
            *w1 = _mm256_mul_ps(*w1, s1);
        }
    }
}

__attribute__((target("avx2,fma,f16c"))) static void pack_b_quant_avx2(
    const ov_mat *B, int64_t k0, int64_t kc, int64_t n0, int64_t nlen, int32_t nr, int64_t K,
    float *OV_RESTRICT dst) {
    for (int64_t j = 0; j < nlen; j += nr) {
        const int64_t panel = (n0 + j) / nr;
        for (int64_t k = 0; k < kc; k++) {
            for (int h = 0; h < nr / 16; h++) {
                __m256 w0, w1;
                decode16_avx2(B, panel, k0 + k, nr, K, n0 + j, h, &w0, &w1);
                _mm256_storeu_ps(dst + k * nr + 16 * h, w0);
                _mm256_storeu_ps(dst + k * nr + 16 * h + 8, w1);
            }
        }
        dst += kc * nr;
    }
}

/* rows [m0, m1) (at most 4) of A times compressed B, columns [n0, n1), 16 at a time */
__attribute__((target("avx2,fma,f16c"))) static void gemv_quant_avx2(
    const ov_mat *A, const ov_mat *B, float *C, int64_t ldc, int64_t K, int64_t m0, int64_t m1,
    int64_t n0, int64_t n1, int32_t nr, float *OV_RESTRICT tmp) {
    const int64_t rows = m1 - m0;
    for (int64_t j = n0; j < n1; j += nr) {
        const int64_t panel = j / nr;
        for (int h = 0; h < nr / 16; h++) {
            __m256 acc[4][2];
            for (int m = 0; m < 4; m++) acc[m][0] = acc[m][1] = _mm256_setzero_ps();
            for (int64_t k = 0; k < K; k++) {
                __m256 w0, w1;
                decode16_avx2(B, panel, k, nr, K, j, h, &w0, &w1);
                for (int64_t m = 0; m < rows; m++) {
                    __m256 a = _mm256_set1_ps(A->p[(m0 + m) * A->rs + k * A->cs]);
                    acc[m][0] = _mm256_fmadd_ps(a, w0, acc[m][0]);
                    acc[m][1] = _mm256_fmadd_ps(a, w1, acc[m][1]);
                }
            }
            const int64_t c0 = j + 16 * h;
            for (int64_t m = 0; m < rows; m++) {
                _mm256_storeu_ps(tmp, acc[m][0]);
                _mm256_storeu_ps(tmp + 8, acc[m][1]);
                for (int64_t t = 0; t < 16 && c0 + t < n1; t++) C[(m0 + m) * ldc + c0 + t] = tmp[t];
            }
        }
    }
}
#endif

OV_VEC static void pack_b_quant(const ov_mat *B, int64_t k0, int64_t kc, int64_t n0,
                                int64_t nlen, int32_t nr, int64_t K, float *OV_RESTRICT dst) {
    for (int64_t j = 0; j < nlen; j += nr) {
        const int64_t panel = (n0 + j) / nr;
        for (int64_t k = 0; k < kc; k++) decode_row(B, panel, k0 + k, nr, K, n0 + j, dst + k * nr);
        dst += kc * nr;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* driver                                                                                     */

/* Few rows times compressed weights: decode each panel row once and use it for every row of
 * A at once (no packed copy of B). Rows [m0, m1) (at most GEMV_ROWS), columns [n0, n1). */
enum { GEMV_ROWS = 4 };

OV_VEC static void gemv_quant(const ov_mat *A, const ov_mat *B, float *C, int64_t ldc,
                              int64_t K, int64_t m0, int64_t m1, int64_t n0, int64_t n1,
                              int32_t nr, float *OV_RESTRICT wrow) {
    const int64_t rows = m1 - m0;
    for (int64_t j = n0; j < n1; j += nr) {
        float acc[GEMV_ROWS][NR_MAX];
        for (int64_t m = 0; m < GEMV_ROWS; m++)
            for (int64_t t = 0; t < NR_MAX; t++) acc[m][t] = 0.0f;
        for (int64_t k = 0; k < K; k++) {
            decode_row(B, j / nr, k, nr, K, j, wrow);
            for (int64_t m = 0; m < rows; m++) {
                const float a = A->p[(m0 + m) * A->rs + k * A->cs];
                for (int64_t t = 0; t < nr; t++) acc[m][t] += a * wrow[t];
            }
        }
        const int64_t cols = OV_MIN(nr, n1 - j);
        for (int64_t m = 0; m < rows; m++)
            for (int64_t t = 0; t < cols; t++) C[(m0 + m) * ldc + j + t] = acc[m][t];
    }
}

/* gemv_packed_avx512 / _avx2 prefetch this many floats (4 KB) ahead in the panel: ResNet-50's
 * 2048 x 1000 layer in the model, 2 threads, 0.47-0.49 -> 0.36-0.39 ms (8 KB: 0.44-0.47) */
enum { GEMV_PREFETCH = 1024 };
#if OV_X86
/* One row of dense A times pre-packed B (panels of 2 x L columns over the full depth K):
 * the product of a fully connected layer at batch 1, bound by reading B. Each panel is
 * read once, front to back (one sequential stream the prefetchers follow), with four pairs
 * of accumulators over k, where the blocked driver walked KC-row slices of every panel in
 * turn and ran the six-row micro-kernel on five rows of zeros (2048 x 1000 alone, AVX-512,
 * 1 thread: 621 -> 413 us without the prefetch). Columns [n0, n1), n0 a multiple of 2 L. */
#define OV_GEMV_PACKED(NAME, V, L, TGT, SETZERO, SET1, LOADU, STOREU, FMADD, ADD)              \
    TGT static void NAME(const float *a, int64_t acs, const float *B, int64_t K, float *c,    \
                         int64_t n0, int64_t n1) {                                             \
        for (int64_t j = n0; j < n1; j += 2 * L) {                                            \
            const float *b = B + (j / (2 * L)) * K * (2 * L);                                  \
            V s[8];                                                                            \
            for (int i = 0; i < 8; i++) s[i] = SETZERO();                                      \
            int64_t k = 0;                                                                     \
            for (; k + 4 <= K; k += 4) {                                                       \
                const float *bk = b + k * (2 * L);                                             \
                for (int l = 0; l < L / 2; l++) /* (a prefetch past the end never faults) */   \
                    _mm_prefetch((const char *)(bk + GEMV_PREFETCH + 16 * l), _MM_HINT_T0);    \
                for (int r = 0; r < 4; r++) {                                                  \
                    const V ar = SET1(a[(k + r) * acs]);                                       \
                    s[2 * r] = FMADD(ar, LOADU(bk + 2 * L * r), s[2 * r]);                     \
                    s[2 * r + 1] = FMADD(ar, LOADU(bk + 2 * L * r + L), s[2 * r + 1]);         \
                }                                                                              \
            }                                                                                  \
            for (; k < K; k++) {                                                               \
                const V ar = SET1(a[k * acs]);                                                 \
                s[0] = FMADD(ar, LOADU(b + k * (2 * L)), s[0]);                                \
                s[1] = FMADD(ar, LOADU(b + k * (2 * L) + L), s[1]);                            \
            }                                                                                  \
            float out[2 * L];                                                                  \
            STOREU(out, ADD(ADD(s[0], s[2]), ADD(s[4], s[6])));                                \
            STOREU(out + L, ADD(ADD(s[1], s[3]), ADD(s[5], s[7])));                            \
            const int64_t cols = OV_MIN(2 * L, n1 - j);                                        \
            for (int64_t i = 0; i < cols; i++) c[j + i] = out[i];                              \
        }                                                                                      \
    }
OV_GEMV_PACKED(gemv_packed_avx512, __m512, 16, AVX512_TARGET, _mm512_setzero_ps,
               _mm512_set1_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_fmadd_ps,
               _mm512_add_ps)
OV_GEMV_PACKED(gemv_packed_avx2, __m256, 8, AVX2_TARGET, _mm256_setzero_ps, _mm256_set1_ps,
               _mm256_loadu_ps, _mm256_storeu_ps, _mm256_fmadd_ps, _mm256_add_ps)
#undef OV_GEMV_PACKED
#endif

void ov_gemm_region(const ov_mat *A, const ov_mat *B, float *C, int64_t ldc, int64_t K,
                    int64_t m0, int64_t m1, int64_t n0, int64_t n1, const ov_posts *posts,
                    int64_t post_m, int64_t batch, float *scratch) {
    if (m1 <= m0 || n1 <= n0) return;
    const int32_t nr = cur_nr();
    ukr_fn ukr = pick_ukr();
    float *abuf = scratch;
    float *atail = abuf + MC * A_LD;
    float *bbuf = abuf + ABUF;
    float *tmp = bbuf + KC * NC;
    if (K == 0) {
        for (int64_t i = m0; i < m1; i++)
            for (int64_t j = n0; j < n1; j++) C[i * ldc + j] = 0.0f;
        if (posts) ov_posts_apply(posts, C + m0 * ldc + n0, ldc, m0 + post_m, n0, m1 - m0,
                                  n1 - n0, batch);
        return;
    }
#if OV_X86
    if (m1 - m0 == 1 && B->src == OV_SRC_PACKED && A->src == OV_SRC_DENSE &&
        ((ov_isa_level == 2 && nr == 32) || (ov_isa_level == 1 && nr == 16)) && n0 % nr == 0) {
        if (nr == 32)
            gemv_packed_avx512(A->p + m0 * A->rs, A->cs, B->p, K, C + m0 * ldc, n0, n1);
        else
            gemv_packed_avx2(A->p + m0 * A->rs, A->cs, B->p, K, C + m0 * ldc, n0, n1);
        if (posts && posts->n)
            ov_posts_apply(posts, C + m0 * ldc + n0, ldc, m0 + post_m, n0, 1, n1 - n0, batch);
        return;
    }
#endif
    if (B->src == OV_SRC_QUANT && A->src == OV_SRC_DENSE && m1 - m0 <= GEMV_ROWS) {
#if OV_X86
        if (ov_isa_level >= 1)
            gemv_quant_avx2(A, B, C, ldc, K, m0, m1, n0, n1, nr, tmp);
        else
#endif
            gemv_quant(A, B, C, ldc, K, m0, m1, n0, n1, nr, tmp);
        if (posts && posts->n)
            ov_posts_apply(posts, C + m0 * ldc + n0, ldc, m0 + post_m, n0, m1 - m0, n1 - n0,
                           batch);
        return;
    }
    ov_ep ep_base, ep;
    const int fast_ep = ov_make_ep_gemm(posts, batch, &ep_base);
    /* dense B with unit column stride: full panels are read in place, row by row, when
     * the rows do not all fall into a few L1 sets (strides of many cache lines that share
     * a large power of two would evict each other) */
    int rows_mode = 0;
    if (B->src == OV_SRC_DENSE && B->cs == 1 && B->rows_ok) {
        const int64_t bytes = B->rs * 4;
        if (bytes % 64 != 0) {
            rows_mode = 1;
        } else {
            int64_t lines = bytes / 64, g = 64;
            while (lines % 2 == 0 && g > 1) {
                lines /= 2;
                g /= 2;
            }
            rows_mode = g * 8 >= KC; /* distinct L1 sets x 8 ways hold a block's rows */
        }
    }
    ov_ukr_rows_fn ukr_rows = rows_mode ? ov_pick_ukr_rows() : NULL;
    /* AVX-512 reads dense A in place (six row streams) instead of packing its panels */
#if OV_X86
    const int adirect = ov_isa_level == 2 && A->src == OV_SRC_DENSE && A->cs == 1 &&
                        A->rs > 0 && !rows_mode;
#else
    const int adirect = 0;
#endif
    /* rows a multiple of 4 KB apart all fall into one L1 set: the 12 row streams would
     * miss L1 on every broadcast (8 ways), so such a block is copied once per K block to
     * rows A_LD apart (an odd number of cache lines) and read there */
    const int acopy = adirect && (A->rs * 4) % 4096 == 0;
    /* an in-place A times pre-packed weights (each packed panel contiguous over K):
     * - one depth block (K <= KC): one twelve-row tile of A at a time (it stays in L1)
     *   across a column block whose packed slice stays in L2 (384 x 512: 768 KB), rather
     *   than a 120-row block of A in L2 against a slice too large for a 1 MB L2 (FFN input,
     *   512 x 384 x 1536: ~1.3% on that GEMM);
     * - K up to KDEEP: all of K in one depth block, so the tile's sums stay in registers
     *   instead of going through C once per block (BERT-style FFN output, K = 1536: ~2% on
     *   that GEMM). A's block takes 184 KB (MC x KC floats) per MB of L2, in rows of
     *   twelve (at least twelve): each column panel (K x 32, 192 KB at K = 1536) is read
     *   from L2 by all of them before the next one streams in. That is 24 rows at
     *   K = 1536 on a 1 MB L2, where the rule was tuned (AMD EPYC); on a 2 MB L2 (an
     *   Intel Xeon) it is 60, and 48 to 96 rows made that GEMM 4-5% faster in MiniLM than
     *   24 (in the model, alternating configurations). */
    int64_t kcb = KC, mcb = MC, ncb = NC;
    if (adirect && !acopy && B->src == OV_SRC_PACKED) {
        if (K <= KC) {
            mcb = 2 * MR;
            ncb = NC / 2;
        } else if (K <= KDEEP) {
            kcb = K;
            const int64_t rows = MC * KC * (ov_l2_bytes() / 1024) / 1024 / K;
            mcb = OV_MAX(2 * MR, rows / (2 * MR) * (2 * MR));
        }
    }
    const float *brows[KC];
    for (int64_t jc = n0; jc < n1; jc += ncb) {
        int64_t nc = OV_MIN(ncb, n1 - jc);
        for (int64_t pc = 0; pc < K; pc += kcb) {
            int64_t kc = OV_MIN(kcb, K - pc);
            int last = pc + kc >= K;
            const int64_t full = rows_mode ? nc / nr * nr : 0; /* columns read in place */
            if (rows_mode)
                for (int64_t k = 0; k < kc; k++) brows[k] = B->p + (pc + k) * B->rs + jc;
            switch (B->src) {
                case OV_SRC_DENSE:
                    if (full < nc)
                        pack_b_dense(B, pc, kc, jc + full, nc - full, nr,
                                     bbuf + (full / nr) * kc * nr);
                    break;
                case OV_SRC_IM2COL: pack_b_im2col(B, pc, kc, jc, nc, nr, bbuf); break;
                case OV_SRC_QUANT:
#if OV_X86
                    if (ov_isa_level >= 1) {
                        pack_b_quant_avx2(B, pc, kc, jc, nc, nr, K, bbuf);
                        break;
                    }
#endif
                    pack_b_quant(B, pc, kc, jc, nc, nr, K, bbuf);
                    break;
                default: break;
            }
            for (int64_t ic = m0; ic < m1; ic += mcb) {
                int64_t mc = OV_MIN(mcb, m1 - ic);
                if (A->src == OV_SRC_DENSE && !adirect) pack_a_dense(A, ic, mc, pc, kc, abuf);
                const float *arow = adirect ? A->p + ic * A->rs + pc : NULL;
                int64_t ald = A->rs;
                if (acopy) {
                    for (int64_t i = 0; i < mc; i++)
                        memcpy(abuf + i * A_LD, arow + i * A->rs, (size_t)kc * 4);
                    arow = abuf;
                    ald = A_LD;
                }
                for (int64_t jr = 0; jr < nc; jr += nr) {
                    const float *bp = B->src == OV_SRC_PACKED
                                          ? B->p + ((jc + jr) / nr) * K * nr + pc * nr
                                          : bbuf + (jr / nr) * kc * nr;
                    int64_t ncols = OV_MIN(nr, nc - jr);
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        const float *ap = A->src == OV_SRC_PACKED
                                              ? A->p + ((ic + ir) / MR) * K * MR + pc * MR
                                              : abuf + (ir / MR) * kc * MR;
                        int64_t nrows = OV_MIN(MR, mc - ir);
                        float *cp = C + (ic + ir) * ldc + jc + jr;
                        const int in_place = jr < full;
#if OV_X86
                        if (adirect && mc - ir >= 2 * MR && ncols == nr) {
                            /* twelve rows at once */
                            const ov_ep *use = NULL;
                            if (last && fast_ep) {
                                ep = ov_ep_at(&ep_base, ic + ir + post_m, jc + jr);
                                use = &ep;
                            }
                            /* the tile's partial sums (later K blocks) and residual rows
                             * into L2 while the kernel runs: 24 + 24 lines that otherwise
                             * come from L3 at the store, after the B panel's stream has
                             * pushed them out (BERT-style FFN output, K = 1536: -3.5%) */
                            if (pc > 0) ov_prefetch_tile(cp, ldc, 2 * MR, 32);
                            if (use && use->tadd)
                                ov_prefetch_tile(use->tadd, use->tadd_ld, 2 * MR, 32);
                            ukr12_core_avx512(kc, arow + ir * ald, ald, bp, tmp);
                            tile_out_avx512(tmp, 2 * MR, cp, ldc, pc > 0, use);
                            if (last && !fast_ep && posts && posts->n)
                                ov_posts_apply(posts, cp, ldc, ic + ir + post_m, jc + jr,
                                               2 * MR, ncols, batch);
                            ir += MR; /* and MR more by the loop */
                            continue;
                        }
#endif
                        if (nrows == MR && ncols == nr) {
                            const ov_ep *use = NULL;
                            if (last && fast_ep) {
                                const int64_t m = ic + ir + post_m, n = jc + jr;
                                ep = ov_ep_at(&ep_base, m, n);
                                use = &ep;
                            }
                            if (in_place)
                                ukr_rows(kc, ap, brows, jr, cp, ldc, pc > 0, use);
#if OV_X86
                            else if (adirect)
                                ukr_adirect_avx512(kc, arow + ir * ald, ald, bp, cp, ldc,
                                                   pc > 0, use);
#endif
                            else
                                ukr(kc, ap, bp, cp, ldc, pc > 0, use);
                            if (last && !fast_ep && posts && posts->n)
                                ov_posts_apply(posts, cp, ldc, ic + ir + post_m, jc + jr, nrows,
                                               ncols, batch);
                        } else {
                            if (in_place) {
                                ukr_rows(kc, ap, brows, jr, tmp, nr, 0, NULL);
#if OV_X86
                            } else if (adirect && nrows == MR) {
                                ukr_adirect_avx512(kc, arow + ir * ald, ald, bp, tmp, nr, 0,
                                                   NULL);
#endif
                            } else {
                                if (adirect) { /* the last rows: a zero-padded panel */
                                    pack_a_dense(A, ic + ir, nrows, pc, kc, atail);
                                    ap = atail;
                                }
                                ukr(kc, ap, bp, tmp, nr, 0, NULL);
                            }
                            for (int64_t i = 0; i < nrows; i++)
                                for (int64_t j = 0; j < ncols; j++)
                                    cp[i * ldc + j] = pc > 0 ? cp[i * ldc + j] + tmp[i * nr + j]
                                                             : tmp[i * nr + j];
                            if (last && posts && posts->n)
                                ov_posts_apply(posts, cp, ldc, ic + ir + post_m, jc + jr, nrows,
                                               ncols, batch);
                        }
                    }
                }
            }
        }
    }
}

typedef struct {
    const ov_mat *A, *B;
    float *C;
    int64_t ldc, M, N, K, tm, tn, post_m, batch;
    const ov_posts *posts;
    ov_pool *pool;
} gemm_job;

static void gemm_task(void *ctx, int64_t t, int32_t tid) {
    gemm_job *j = (gemm_job *)ctx;
    int64_t mi = t / j->tn, ni = t % j->tn;
    int32_t nr = cur_nr();
    int64_t m0 = ov_split(j->M, j->tm, mi, MR), m1 = ov_split(j->M, j->tm, mi + 1, MR);
    int64_t n0 = ov_split(j->N, j->tn, ni, nr), n1 = ov_split(j->N, j->tn, ni + 1, nr);
    ov_gemm_region(j->A, j->B, j->C, j->ldc, j->K, m0, m1, n0, n1, j->posts, j->post_m,
                   j->batch, ov_pool_scratch(j->pool, tid));
}

void ov_gemm(ov_pool *pool, const ov_mat *A, const ov_mat *B, float *C, int64_t ldc,
             int64_t M, int64_t N, int64_t K, const ov_posts *posts, int64_t post_m,
             int64_t batch) {
    int32_t T = ov_pool_width(pool);
    int32_t nr = cur_nr();
    if (T > 1 && (double)M * (double)N * (double)(K + 1) < 48.0 * 48.0 * 48.0) T = 1;
    if (T == 1) {
        ov_gemm_region(A, B, C, ldc, K, 0, M, 0, N, posts, post_m, batch,
                       ov_pool_scratch(pool, ov_current_tid()));
        return;
    }
    /* about 4 tasks per thread (taken dynamically, so a thread the OS delays costs one
     * small task, not half the product), on the grid of M x N blocks whose compute plus
     * packing (A when dense, B unless pre-packed or quantized-GEMV) costs least */
    const int64_t mp = (M + MR - 1) / MR, np = (N + nr - 1) / nr;
    const double flops = 2.0 * (double)M * (double)N * (double)K;
    int64_t target = 4 * (int64_t)T;
    while (target > T && flops / (double)target < 2e6) target -= T; /* >= ~2 MFLOP each */
    const double pack_a = A->src == OV_SRC_DENSE ? 4.0 : 0.0;
    const double pack_b = B->src == OV_SRC_PACKED ? 0.0 : 4.0;
    int64_t best_tm = 1, best_tn = OV_MIN(np, target);
    double best = 1e300;
    for (int64_t tm = 1; tm <= OV_MIN(mp, target); tm++) {
        int64_t tn = OV_MIN(np, (target + tm - 1) / tm);
        const double rows = (double)((mp + tm - 1) / tm * MR);
        const double cols = (double)((np + tn - 1) / tn * nr);
        const double per_task = 2.0 * rows * cols + pack_a * rows + pack_b * cols;
        const double tasks = (double)(tm * tn);
        const double rounds = (double)((tm * tn + T - 1) / T);
        const double cost = rounds * per_task + 1e-3 * tasks * per_task;
        if (cost < best) {
            best = cost;
            best_tm = tm;
            best_tn = tn;
        }
    }
    gemm_job j = {A, B, C, ldc, M, N, K, best_tm, best_tn, post_m, batch, posts, pool};
    ov_parallel(pool, best_tm * best_tn, gemm_task, &j);
}

/* ---------------------------------------------------------------------------------------- */
/* OV_K_GEMM                                                                                  */
/* p: 0 M, 1 N, 2 K, 3 a_src, 4 a_rs, 5 a_cs, 6 b_src, 7 b_rs, 8 b_cs, 9 ldc,
 *    10 batch rank (<= 4), 11..14 batch shape, 15..18 A batch strides, 19..22 B batch
 *    strides, 23..26 C batch strides (elements; B strides in codes for quant),
 *    27 qtype, 28 group, 29 npad, 30 NR packed for, 31 MR packed for, 32 has scale,
 *    33 has zero point, 34 dynamic quantisation group (0: none; else B is packed for
 *    gemm_int8.c), 35 K padded for it, 36 ov_gemm_dq_isa() packed for.
 * bufs: 0 A, 1 B, 2 C, 3 scale, 4 zs, then post-op operands.                            */

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_posts posts;
    ov_pool *pool;
    int64_t nb;
} gemm_batch_job;

static void batch_offsets(const ov_step *s, int64_t b, int64_t *oa, int64_t *ob, int64_t *oc) {
    int64_t rank = s->p[10];
    *oa = *ob = *oc = 0;
    for (int64_t d = rank - 1; d >= 0; d--) {
        int64_t dim = s->p[11 + d];
        int64_t i = b % dim;
        b /= dim;
        *oa += i * s->p[15 + d];
        *ob += i * s->p[19 + d];
        *oc += i * s->p[23 + d];
    }
}

static void setup_mats(const ov_step *s, char *const *ptr, int64_t b, ov_mat *A, ov_mat *B,
                       float **C) {
    int64_t oa, ob, oc;
    batch_offsets(s, b, &oa, &ob, &oc);
    memset(A, 0, sizeof(*A));
    memset(B, 0, sizeof(*B));
    A->src = (int32_t)s->p[3];
    A->p = (const float *)ptr[0] + oa;
    A->rs = s->p[4];
    A->cs = s->p[5];
    B->src = (int32_t)s->p[6];
    B->rs = s->p[7];
    B->cs = s->p[8];
    if (B->src == OV_SRC_QUANT) {
        int32_t qt = (int32_t)s->p[27];
        int64_t bytes = qt == OV_Q_F16 ? ob * 2 : (qt == OV_Q_U4 || qt == OV_Q_I4) ? ob / 2 : ob;
        B->q = (const uint8_t *)ptr[1] + bytes;
        B->qtype = qt;
        B->group = s->p[28] > 0 ? s->p[28] : 1;
        B->npad = s->p[29];
        B->scale = s->p[32] ? (const float *)ptr[3] : NULL;
        B->zs = s->p[33] ? (const float *)ptr[4] : NULL;
    } else {
        B->p = (const float *)ptr[1] + ob;
    }
    *C = (float *)ptr[2] + oc;
}

static void gemm_batch_task(void *ctx, int64_t b, int32_t tid) {
    gemm_batch_job *j = (gemm_batch_job *)ctx;
    const ov_step *s = j->s;
    ov_mat A, B;
    float *C;
    setup_mats(s, j->ptr, b, &A, &B, &C);
    ov_gemm_region(&A, &B, C, s->p[9], s->p[2], 0, s->p[0], 0, s->p[1], &j->posts, 0, b,
                   ov_pool_scratch(j->pool, tid));
}

int32_t ov_k_gemm(const ov_step *s, char *const *ptr, ov_pool *pool) {
    if ((s->p[3] == OV_SRC_PACKED && s->p[31] != MR) ||
        ((s->p[6] == OV_SRC_PACKED || s->p[6] == OV_SRC_QUANT) && s->p[30] != cur_nr())) {
        ov_set_error("gemm: constants were packed for another instruction set");
        return 1;
    }
    if (s->p[34] > 0) {
        if (s->p[36] != ov_gemm_dq_isa()) {
            ov_set_error("gemm: constants were packed for another instruction set");
            return 1;
        }
        ov_posts posts;
        ov_posts_init(&posts, s, ptr);
        int64_t nb = 1;
        for (int64_t d = 0; d < s->p[10]; d++) nb *= s->p[11 + d];
        for (int64_t b = 0; b < nb; b++) {
            ov_mat A, B;
            float *C;
            setup_mats(s, ptr, b, &A, &B, &C);
            if (ov_gemm_dq(pool, &A, &B, C, s->p[9], s->p[0], s->p[1], s->p[2], s->p[34],
                           s->p[35], &posts, 0, b))
                return 1;
        }
        return 0;
    }
    gemm_batch_job j;
    j.s = s;
    j.ptr = ptr;
    j.pool = pool;
    ov_posts_init(&j.posts, s, ptr);
    int64_t nb = 1;
    for (int64_t d = 0; d < s->p[10]; d++) nb *= s->p[11 + d];
    j.nb = nb;
    int32_t T = ov_pool_width(pool);
    double work = (double)s->p[0] * (double)s->p[1] * (double)s->p[2];
    if (nb > 1 && T > 1 && (nb >= 2 * T || work < 64.0 * 64.0 * 64.0)) {
        ov_parallel(pool, nb, gemm_batch_task, &j);
        return 0;
    }
    for (int64_t b = 0; b < nb; b++) {
        ov_mat A, B;
        float *C;
        setup_mats(s, ptr, b, &A, &B, &C);
        ov_gemm(pool, &A, &B, C, s->p[9], s->p[0], s->p[1], s->p[2], &j.posts, 0, b);
    }
    return 0;
}
