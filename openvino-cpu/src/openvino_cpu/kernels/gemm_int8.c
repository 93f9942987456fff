/* Dynamic quantisation of activations for compressed weights (the CPU property
 * DYNAMIC_QUANTIZATION_GROUP_SIZE): C = A (f32) x W, where W[k, n] = (u[k, n] - z'[n]) * s[n]
 * per weight group, u the unsigned codes (i8 / i4 codes stored shifted by 128 / 8).
 *
 * At run time every row of A is quantised to int8 per group of g consecutive k
 * (symmetric: qa = round(a * 127 / max|a|), sa = max|a| / 127); the products are integer
 * dot products of the u8 codes with the s8 activations (vpdpbusd: AVX512-VNNI, AVX-VNNI),
 * accumulated in i32 over one group and then in f32:
 *   C[m, n] = sum_groups sa[m, g] * s[wg(g), n] * dot_g[m, n]
 *           - sum_wg zs'[wg, n] * sum_{g in wg} sa[m, g] * sum_k qa[m, k]
 * with zs' = z' * s. A group never straddles two weight groups (g divides the weight group
 * size, or there is one weight group).
 *
 * Packed codes (the compiler packs them, see lower_compute.pack_dq), per panel of NR
 * columns, K padded to Kp (a multiple of g and of 8) with zero codes:
 *   8-bit: [Kp / 4][NR][4]  bytes: the 4 codes of k = 4i..4i+3 of a column in one dword;
 *   4-bit: [Kp / 8][NR][4]  bytes: low nibbles k = 8i..8i+3, high nibbles k = 8i+4..8i+7.
 * scale and zs' are [G][Npad] f32 (zs' may be NULL: no zero point and unsigned codes).
 * Columns past N have zero scale; rows past M are quantised as zeros.
 */
#include <stdlib.h>

#include "ov_internal.h"

enum { DQ_MR512 = 6, DQ_MR256 = 4, DQ_MR_MAX = 6, DQ_NR_MAX = 32, DQ_ROW_BLOCK = 48 };

static int32_t dq_detected = -1;

int32_t ov_gemm_dq_isa(void) {
    ov_isa_init();
    if (dq_detected < 0) {
        int32_t d = 0;
#if OV_X86
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avxvnni")) d |= 1;
        if (__builtin_cpu_supports("avx512vnni")) d |= 2;
#endif
        dq_detected = d;
    }
    if (ov_isa_level == 2 && (dq_detected & 2)) return 2;
    if (ov_isa_level == 1 && (dq_detected & 1)) return 1;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* quantisation of A                                                                          */

typedef struct {
    const ov_mat *A;
    int64_t M, K, Kp, g, ng, G, gpw, rows_per_task;
    int8_t *qa;   /* [Mp][Kp]  */
    float *sa;    /* [Mp][ng]  */
    float *aw;    /* [Mp][G]   sum over the weight group of sa * sum(qa) */
    int32_t failed, isa;
} dq_quant_job;

#if OV_X86
#define DQ512_TARGET \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,fma")))
#define DQ256_TARGET __attribute__((target("avx2,fma,avxvnni")))

/* One row of A: per group of g (a multiple of 16) the scale and int8 codes, zeros past K,
 * and the weight groups' sums of scale x sum(codes). A group holding NaN or infinity gets
 * a NaN scale, so the row's outputs are NaN (never silently finite). tmp: g floats for a
 * strided row. */
DQ512_TARGET static void quant_row_avx512(const float *a, int64_t cs, int64_t K, int64_t g,
                                          int64_t ng, int64_t gpw, int8_t *q, float *sa,
                                          float *aw, float *tmp, int64_t G) {
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
    for (int64_t w = 0; w < G; w++) aw[w] = 0.0f;
    for (int64_t gi = 0; gi < ng; gi++) {
        const int64_t k0 = gi * g, len = OV_MIN(g, K - k0);
        const float *src = a + k0 * cs;
        if (cs != 1) {
            for (int64_t k = 0; k < len; k++) tmp[k] = src[k * cs];
            src = tmp;
        }
        __m512 mx = _mm512_setzero_ps();
        __mmask16 bad = 0;
        for (int64_t k = 0; k < g; k += 16) {
            const int64_t rem = len - k;
            const __mmask16 m = rem >= 16 ? 0xFFFF : rem > 0 ? (__mmask16)((1u << rem) - 1) : 0;
            const __m512 v = _mm512_and_ps(_mm512_maskz_loadu_ps(m, src + k), absmask);
            bad |= _mm512_cmp_ps_mask(v, _mm512_set1_ps(INFINITY), _CMP_NLT_UQ);
            mx = _mm512_max_ps(mx, v);
        }
        const float amax = _mm512_reduce_max_ps(mx);
        int8_t *qg = q + k0;
        if (bad || !(amax > 0.0f)) {
            memset(qg, 0, (size_t)g);
            sa[gi] = bad ? NAN : 0.0f;
            if (bad) aw[gi / gpw] = NAN;
            continue;
        }
        const __m512 inv = _mm512_set1_ps(127.0f / amax);
        const __m512i lo = _mm512_set1_epi32(-127), hi = _mm512_set1_epi32(127);
        __m512i sum = _mm512_setzero_si512();
        for (int64_t k = 0; k < g; k += 16) {
            const int64_t rem = len - k;
            const __mmask16 m = rem >= 16 ? 0xFFFF : rem > 0 ? (__mmask16)((1u << rem) - 1) : 0;
            const __m512 v = _mm512_maskz_loadu_ps(m, src + k);
            __m512i iv = _mm512_cvtps_epi32(_mm512_mul_ps(v, inv)); /* round to nearest even */
            iv = _mm512_min_epi32(_mm512_max_epi32(iv, lo), hi);
            sum = _mm512_add_epi32(sum, iv);
            _mm_storeu_si128((__m128i *)(qg + k), _mm512_cvtepi32_epi8(iv));
        }
        sa[gi] = amax / 127.0f;
        aw[gi / gpw] += sa[gi] * (float)_mm512_reduce_add_epi32(sum);
    }
}

DQ256_TARGET static void quant_row_avx2(const float *a, int64_t cs, int64_t K, int64_t g,
                                        int64_t ng, int64_t gpw, int8_t *q, float *sa,
                                        float *aw, float *tmp, int64_t G) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int64_t w = 0; w < G; w++) aw[w] = 0.0f;
    for (int64_t gi = 0; gi < ng; gi++) {
        const int64_t k0 = gi * g, len = OV_MIN(g, K - k0);
        const float *src = a + k0 * cs;
        if (cs != 1) {
            for (int64_t k = 0; k < len; k++) tmp[k] = src[k * cs];
            src = tmp;
        }
        __m256 mx = _mm256_setzero_ps(), bad = _mm256_setzero_ps();
        for (int64_t k = 0; k < g; k += 8) {
            const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)OV_MAX(
                                                      OV_MIN(len - k, 8), 0)), lane);
            const __m256 v = _mm256_and_ps(_mm256_maskload_ps(src + k, m), absmask);
            bad = _mm256_or_ps(bad, _mm256_cmp_ps(v, _mm256_set1_ps(INFINITY), _CMP_NLT_UQ));
            mx = _mm256_max_ps(mx, v);
        }
        float lanes[8];
        _mm256_storeu_ps(lanes, mx);
        float amax = 0.0f;
        for (int t = 0; t < 8; t++) amax = lanes[t] > amax ? lanes[t] : amax;
        int8_t *qg = q + k0;
        const int is_bad = _mm256_movemask_ps(bad) != 0;
        if (is_bad || !(amax > 0.0f)) {
            memset(qg, 0, (size_t)g);
            sa[gi] = is_bad ? NAN : 0.0f;
            if (is_bad) aw[gi / gpw] = NAN;
            continue;
        }
        const __m256 inv = _mm256_set1_ps(127.0f / amax);
        const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
        __m256i sum = _mm256_setzero_si256();
        for (int64_t k = 0; k < g; k += 8) {
            const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)OV_MAX(
                                                      OV_MIN(len - k, 8), 0)), lane);
            const __m256 v = _mm256_maskload_ps(src + k, m);
            __m256i iv = _mm256_cvtps_epi32(_mm256_mul_ps(v, inv));
            iv = _mm256_min_epi32(_mm256_max_epi32(iv, lo), hi);
            sum = _mm256_add_epi32(sum, iv);
            int32_t out[8];
            _mm256_storeu_si256((__m256i *)out, iv);
            for (int t = 0; t < 8; t++) qg[k + t] = (int8_t)out[t];
        }
        int32_t parts[8];
        _mm256_storeu_si256((__m256i *)parts, sum);
        int32_t total = 0;
        for (int t = 0; t < 8; t++) total += parts[t];
        sa[gi] = amax / 127.0f;
        aw[gi / gpw] += sa[gi] * (float)total;
    }
}
#endif

/* rows [r0, r1) of A (r1 <= M) quantised */
static void dq_quant_rows(dq_quant_job *j, int64_t r0, int64_t r1) {
    /* a transposed A is gathered one group at a time */
    float *buf = j->A->cs != 1 ? (float *)malloc((size_t)j->g * 4) : NULL;
    if (j->A->cs != 1 && !buf) {
        j->failed = 1;
        return;
    }
#if OV_X86
    for (int64_t r = r0; r < r1; r++)
        (j->isa == 2 ? quant_row_avx512 : quant_row_avx2)(
            j->A->p + r * j->A->rs, j->A->cs, j->K, j->g, j->ng, j->gpw, j->qa + r * j->Kp,
            j->sa + r * j->ng, j->aw + r * j->G, buf, j->G);
#else
    (void)r0;
    (void)r1;
#endif
    free(buf);
}

static void dq_quant_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    dq_quant_job *j = (dq_quant_job *)ctx;
    const int64_t r0 = t * j->rows_per_task;
    dq_quant_rows(j, r0, OV_MIN(j->M, r0 + j->rows_per_task));
}

/* ---------------------------------------------------------------------------------------- */
/* micro-kernels: an MR x NR tile of C from MR quantised rows and one packed panel            */

typedef struct {
    const int8_t *qa; /* first row of the tile */
    const float *sa, *aw;
    int64_t Kp, g, ng, G, gpw, npad;
    const uint8_t *bp;  /* panel */
    const float *scale; /* + first column of the panel */
    const float *zs;    /* + first column, or NULL */
    int four_bit;
} dq_tile;

#if OV_X86
DQ512_TARGET static void ukr_dq_avx512(const dq_tile *t, float *c, int64_t ldc,
                                       const ov_ep *ep) {
    enum { MR = DQ_MR512 };
    __m512 tot[MR][2];
    for (int m = 0; m < MR; m++) tot[m][0] = tot[m][1] = _mm512_setzero_ps();
    const uint8_t *bp = t->bp;
    const __m512i low = _mm512_set1_epi8(0x0F);
    const int8_t *qa = t->qa;
    const int64_t Kp = t->Kp;
    for (int64_t gi = 0; gi < t->ng; gi++) {
        __m512i acc[MR][2];
#pragma GCC unroll 6
        for (int m = 0; m < MR; m++) acc[m][0] = acc[m][1] = _mm512_setzero_si512();
        const int64_t k1 = (gi + 1) * t->g;
        if (t->four_bit) {
            for (int64_t k = gi * t->g; k < k1; k += 8) {
                const __m512i x0 = _mm512_loadu_si512((const void *)bp);
                const __m512i x1 = _mm512_loadu_si512((const void *)(bp + 64));
                bp += 128;
                const __m512i l0 = _mm512_and_si512(x0, low);
                const __m512i l1 = _mm512_and_si512(x1, low);
                const __m512i h0 = _mm512_and_si512(_mm512_srli_epi16(x0, 4), low);
                const __m512i h1 = _mm512_and_si512(_mm512_srli_epi16(x1, 4), low);
#pragma GCC unroll 6
                for (int m = 0; m < MR; m++) {
                    int32_t lo4, hi4;
                    memcpy(&lo4, qa + m * Kp + k, 4);
                    memcpy(&hi4, qa + m * Kp + k + 4, 4);
                    const __m512i al = _mm512_set1_epi32(lo4), ah = _mm512_set1_epi32(hi4);
                    acc[m][0] = _mm512_dpbusd_epi32(acc[m][0], l0, al);
                    acc[m][1] = _mm512_dpbusd_epi32(acc[m][1], l1, al);
                    acc[m][0] = _mm512_dpbusd_epi32(acc[m][0], h0, ah);
                    acc[m][1] = _mm512_dpbusd_epi32(acc[m][1], h1, ah);
                }
            }
        } else {
            for (int64_t k = gi * t->g; k < k1; k += 4) {
                const __m512i b0 = _mm512_loadu_si512((const void *)bp);
                const __m512i b1 = _mm512_loadu_si512((const void *)(bp + 64));
                bp += 128;
#pragma GCC unroll 6
                for (int m = 0; m < MR; m++) {
                    int32_t a4;
                    memcpy(&a4, qa + m * Kp + k, 4);
                    const __m512i av = _mm512_set1_epi32(a4);
                    acc[m][0] = _mm512_dpbusd_epi32(acc[m][0], b0, av);
                    acc[m][1] = _mm512_dpbusd_epi32(acc[m][1], b1, av);
                }
            }
        }
        const int64_t w = gi / t->gpw;
        const __m512 s0 = _mm512_loadu_ps(t->scale + w * t->npad);
        const __m512 s1 = _mm512_loadu_ps(t->scale + w * t->npad + 16);
#pragma GCC unroll 6
        for (int m = 0; m < MR; m++) {
            const __m512 sa = _mm512_set1_ps(t->sa[m * t->ng + gi]);
            tot[m][0] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc[m][0]), sa), s0,
                                        tot[m][0]);
            tot[m][1] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc[m][1]), sa), s1,
                                        tot[m][1]);
        }
        if (t->zs && ((gi + 1) % t->gpw == 0 || gi == t->ng - 1)) {
            const __m512 z0 = _mm512_loadu_ps(t->zs + w * t->npad);
            const __m512 z1 = _mm512_loadu_ps(t->zs + w * t->npad + 16);
#pragma GCC unroll 6
            for (int m = 0; m < MR; m++) {
                const __m512 a = _mm512_set1_ps(t->aw[m * t->G + w]);
                tot[m][0] = _mm512_fnmadd_ps(z0, a, tot[m][0]);
                tot[m][1] = _mm512_fnmadd_ps(z1, a, tot[m][1]);
            }
        }
    }
    __m512 cb0, cb1, lo, hi;
    ov_ep_consts_avx512(ep, 0xFFFF, 0xFFFF, &cb0, &cb1, &lo, &hi);
    for (int m = 0; m < MR; m++) {
        __m512 r0 = tot[m][0], r1 = tot[m][1];
        if (ep) ov_ep_row_avx512(ep, m, 0xFFFF, 0xFFFF, cb0, cb1, lo, hi, &r0, &r1);
        _mm512_storeu_ps(c + m * ldc, r0);
        _mm512_storeu_ps(c + m * ldc + 16, r1);
    }
}

DQ256_TARGET static void ukr_dq_avx2(const dq_tile *t, float *c, int64_t ldc,
                                     const ov_ep *ep) {
    enum { MR = DQ_MR256 };
    __m256 tot[MR][2];
    for (int m = 0; m < MR; m++) tot[m][0] = tot[m][1] = _mm256_setzero_ps();
    const uint8_t *bp = t->bp;
    const __m256i low = _mm256_set1_epi8(0x0F);
    const int8_t *qa = t->qa;
    const int64_t Kp = t->Kp;
    for (int64_t gi = 0; gi < t->ng; gi++) {
        __m256i acc[MR][2];
#pragma GCC unroll 4
        for (int m = 0; m < MR; m++) acc[m][0] = acc[m][1] = _mm256_setzero_si256();
        const int64_t k1 = (gi + 1) * t->g;
        if (t->four_bit) {
            for (int64_t k = gi * t->g; k < k1; k += 8) {
                const __m256i x0 = _mm256_loadu_si256((const __m256i *)bp);
                const __m256i x1 = _mm256_loadu_si256((const __m256i *)(bp + 32));
                bp += 64;
                const __m256i l0 = _mm256_and_si256(x0, low);
                const __m256i l1 = _mm256_and_si256(x1, low);
                const __m256i h0 = _mm256_and_si256(_mm256_srli_epi16(x0, 4), low);
                const __m256i h1 = _mm256_and_si256(_mm256_srli_epi16(x1, 4), low);
#pragma GCC unroll 4
                for (int m = 0; m < MR; m++) {
                    int32_t lo4, hi4;
                    memcpy(&lo4, qa + m * Kp + k, 4);
                    memcpy(&hi4, qa + m * Kp + k + 4, 4);
                    const __m256i al = _mm256_set1_epi32(lo4), ah = _mm256_set1_epi32(hi4);
                    acc[m][0] = _mm256_dpbusd_avx_epi32(acc[m][0], l0, al);
                    acc[m][1] = _mm256_dpbusd_avx_epi32(acc[m][1], l1, al);
                    acc[m][0] = _mm256_dpbusd_avx_epi32(acc[m][0], h0, ah);
                    acc[m][1] = _mm256_dpbusd_avx_epi32(acc[m][1], h1, ah);
                }
            }
        } else {
            for (int64_t k = gi * t->g; k < k1; k += 4) {
                const __m256i b0 = _mm256_loadu_si256((const __m256i *)bp);
                const __m256i b1 = _mm256_loadu_si256((const __m256i *)(bp + 32));
                bp += 64;
#pragma GCC unroll 4
                for (int m = 0; m < MR; m++) {
                    int32_t a4;
                    memcpy(&a4, qa + m * Kp + k, 4);
                    const __m256i av = _mm256_set1_epi32(a4);
                    acc[m][0] = _mm256_dpbusd_avx_epi32(acc[m][0], b0, av);
                    acc[m][1] = _mm256_dpbusd_avx_epi32(acc[m][1], b1, av);
                }
            }
        }
        const int64_t w = gi / t->gpw;
        const __m256 s0 = _mm256_loadu_ps(t->scale + w * t->npad);
        const __m256 s1 = _mm256_loadu_ps(t->scale + w * t->npad + 8);
#pragma GCC unroll 4
        for (int m = 0; m < MR; m++) {
            const __m256 sa = _mm256_set1_ps(t->sa[m * t->ng + gi]);
            tot[m][0] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc[m][0]), sa), s0,
                                        tot[m][0]);
            tot[m][1] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc[m][1]), sa), s1,
                                        tot[m][1]);
        }
        if (t->zs && ((gi + 1) % t->gpw == 0 || gi == t->ng - 1)) {
            const __m256 z0 = _mm256_loadu_ps(t->zs + w * t->npad);
            const __m256 z1 = _mm256_loadu_ps(t->zs + w * t->npad + 8);
#pragma GCC unroll 4
            for (int m = 0; m < MR; m++) {
                const __m256 a = _mm256_set1_ps(t->aw[m * t->G + w]);
                tot[m][0] = _mm256_fnmadd_ps(z0, a, tot[m][0]);
                tot[m][1] = _mm256_fnmadd_ps(z1, a, tot[m][1]);
            }
        }
    }
    __m256 cb0 = _mm256_setzero_ps(), cb1 = _mm256_setzero_ps();
    if (ep && ep->colb) {
        cb0 = _mm256_loadu_ps(ep->colb);
        cb1 = _mm256_loadu_ps(ep->colb + 8);
    }
    for (int m = 0; m < MR; m++) {
        __m256 r0 = tot[m][0], r1 = tot[m][1];
        if (ep) {
            if (ep->rowb) {
                const __m256 bv = _mm256_set1_ps(ep->rowb[m]);
                r0 = _mm256_add_ps(r0, bv);
                r1 = _mm256_add_ps(r1, bv);
            }
            r0 = _mm256_add_ps(r0, cb0);
            r1 = _mm256_add_ps(r1, cb1);
            if (ep->tadd) {
                r0 = _mm256_add_ps(r0, _mm256_loadu_ps(ep->tadd + m * ep->tadd_ld));
                r1 = _mm256_add_ps(r1, _mm256_loadu_ps(ep->tadd + m * ep->tadd_ld + 8));
            }
            if (ep->act == 1) {
                r0 = _mm256_max_ps(_mm256_setzero_ps(), r0);
                r1 = _mm256_max_ps(_mm256_setzero_ps(), r1);
            } else if (ep->act == 2) {
                const __m256 lo = _mm256_set1_ps(ep->lo), hi = _mm256_set1_ps(ep->hi);
                r0 = _mm256_min_ps(hi, _mm256_max_ps(lo, r0));
                r1 = _mm256_min_ps(hi, _mm256_max_ps(lo, r1));
            }
        }
        _mm256_storeu_ps(c + m * ldc, r0);
        _mm256_storeu_ps(c + m * ldc + 8, r1);
    }
}
#endif

/* ---------------------------------------------------------------------------------------- */
/* driver                                                                                     */

typedef struct {
    const ov_mat *B;
    float *C;
    int64_t ldc, M, N, Kp, g, ng, G, gpw, npad, post_m, batch;
    int32_t isa, mr, nr, four_bit, fast_ep, gelu;
    const int8_t *qa;
    const float *sa, *aw;
    const ov_posts *posts;
    ov_ep ep_base;
    int64_t row_blocks, col_chunks, panels_per_chunk;
    dq_quant_job *quant; /* each task quantises its own rows first (col_chunks == 1) */
} dq_job;

static void dq_tile_run(const dq_job *j, int64_t r, int64_t panel, float *tmp) {
    const int32_t nr = j->nr, mr = j->mr;
    const int64_t panel_bytes = j->four_bit ? j->Kp * nr / 2 : j->Kp * nr;
    dq_tile t;
    t.qa = j->qa + r * j->Kp;
    t.sa = j->sa + r * j->ng;
    t.aw = j->aw + r * j->G;
    t.Kp = j->Kp;
    t.g = j->g;
    t.ng = j->ng;
    t.G = j->G;
    t.gpw = j->gpw;
    t.npad = j->npad;
    t.bp = j->B->q + panel * panel_bytes;
    t.scale = j->B->scale + panel * nr;
    t.zs = j->B->zs ? j->B->zs + panel * nr : NULL;
    t.four_bit = j->four_bit;
    const int64_t n0 = panel * nr;
    const int64_t rows = OV_MIN(mr, j->M - r), cols = OV_MIN(nr, j->N - n0);
    float *cp = j->C + r * j->ldc + n0;
    const int full = rows == mr && cols == nr;
    ov_ep ep;
    const ov_ep *use = NULL;
    if (full && j->fast_ep) {
        const int64_t m = r + j->post_m;
        ep = ov_ep_at(&j->ep_base, m, n0);
        use = &ep;
    }
    float *dst = full ? cp : tmp;
    const int64_t ldd = full ? j->ldc : nr;
#if OV_X86
    if (j->isa == 2)
        ukr_dq_avx512(&t, dst, ldd, use);
    else
        ukr_dq_avx2(&t, dst, ldd, use);
#else
    (void)t;
    (void)dst;
    (void)ldd;
#endif
    if (!full)
        for (int64_t i = 0; i < rows; i++)
            for (int64_t c = 0; c < cols; c++) cp[i * j->ldc + c] = tmp[i * nr + c];
    if (use && j->gelu) ov_gelu_tile(cp, j->ldc, rows, cols, j->gelu);
    if (!use && j->posts && j->posts->n)
        ov_posts_apply(j->posts, cp, j->ldc, r + j->post_m, n0, rows, cols, j->batch);
}

static void dq_task(void *ctx, int64_t t, int32_t tid) {
    const dq_job *j = (const dq_job *)ctx;
    (void)tid;
    float local[DQ_MR_MAX * DQ_NR_MAX];
    const int64_t rb = t % j->row_blocks, cc = t / j->row_blocks;
    const int64_t r0 = ov_split(j->M, j->row_blocks, rb, j->mr);
    const int64_t r1 = ov_split(j->M, j->row_blocks, rb + 1, j->mr);
    if (j->quant) dq_quant_rows(j->quant, r0, r1);
    const int64_t npanels = j->npad / j->nr;
    const int64_t p0 = cc * j->panels_per_chunk;
    const int64_t p1 = OV_MIN(npanels, p0 + j->panels_per_chunk);
    for (int64_t p = p0; p < p1; p++) {
        if (p * j->nr >= j->N) break;
        for (int64_t r = r0; r < r1; r += j->mr) dq_tile_run(j, r, p, local);
    }
}

int32_t ov_gemm_dq(ov_pool *pool, const ov_mat *A, const ov_mat *B, float *C, int64_t ldc,
                   int64_t M, int64_t N, int64_t K, int64_t g, int64_t Kp,
                   const ov_posts *posts, int64_t post_m, int64_t batch) {
    if (M <= 0 || N <= 0) return 0;
    const int32_t isa = ov_gemm_dq_isa();
    if (isa == 0) {
        ov_set_error("gemm: dynamic quantisation needs AVX512-VNNI or AVX-VNNI");
        return 1;
    }
    dq_job j;
    memset(&j, 0, sizeof(j));
    j.B = B;
    j.C = C;
    j.ldc = ldc;
    j.M = M;
    j.N = N;
    j.Kp = Kp;
    j.g = g;
    j.ng = Kp / g;
    j.npad = B->npad;
    j.G = (K + B->group - 1) / B->group;
    if (j.G < 1) j.G = 1;
    j.gpw = j.G > 1 ? B->group / g : j.ng;
    if (j.gpw < 1) j.gpw = 1;
    j.isa = isa;
    j.mr = isa == 2 ? DQ_MR512 : DQ_MR256;
    j.nr = isa == 2 ? 32 : 16;
    j.four_bit = B->qtype == OV_Q_U4 || B->qtype == OV_Q_I4;
    j.post_m = post_m;
    j.batch = batch;
    j.posts = posts;
    /* bias / residual / ReLU in the micro-kernels' registers, a GELU after them on the
     * stored tile */
    j.fast_ep = ov_make_ep_gemm(posts, batch, &j.ep_base);
    if (j.fast_ep && j.ep_base.act >= 3) {
        j.gelu = j.ep_base.act;
        j.ep_base.act = 0;
    }
    const int64_t Mp = (M + DQ_MR_MAX * 2 - 1) / (DQ_MR_MAX * 2) * (DQ_MR_MAX * 2);
    const size_t qbytes = ((size_t)Mp * (size_t)Kp + 63) / 64 * 64;
    const size_t sbytes = ((size_t)Mp * (size_t)j.ng * 4 + 63) / 64 * 64;
    const size_t abytes = ((size_t)Mp * (size_t)j.G * 4 + 63) / 64 * 64;
    char *mem = (char *)aligned_alloc(64, qbytes + sbytes + abytes);
    if (!mem) {
        ov_set_error("gemm: out of memory for the quantised activations");
        return 1;
    }
    int8_t *qa = (int8_t *)mem;
    float *sa = (float *)(mem + qbytes);
    float *aw = (float *)(mem + qbytes + sbytes);
    /* rows past M: zeros (their tiles are computed and dropped) */
    memset(qa + M * Kp, 0, (size_t)(Mp - M) * (size_t)Kp);
    memset(sa + M * j.ng, 0, (size_t)(Mp - M) * (size_t)j.ng * 4);
    memset(aw + M * j.G, 0, (size_t)(Mp - M) * (size_t)j.G * 4);
    dq_quant_job q = {A, M, K, Kp, g, j.ng, j.G, j.gpw, 16, qa, sa, aw, 0, isa};
    const int32_t T = ov_pool_width(pool);
    j.qa = qa;
    j.sa = sa;
    j.aw = aw;
    /* blocks of at most DQ_ROW_BLOCK rows (whole tiles), as many as make every thread
     * take the same number of them: 11 blocks on 2 threads would leave one thread a
     * block (9% of the product) alone at the end */
    const int64_t tiles = (M + j.mr - 1) / j.mr;
    j.row_blocks = (M + DQ_ROW_BLOCK - 1) / DQ_ROW_BLOCK;
    if (T > 1 && j.row_blocks >= T) j.row_blocks = (j.row_blocks + T - 1) / T * T;
    j.row_blocks = OV_MIN(j.row_blocks, tiles);
    const int64_t npanels = (N + j.nr - 1) / j.nr;
    /* about 4 tasks per thread, each a block of rows times a chunk of panels */
    int64_t want = OV_MAX(1, (int64_t)T * 4 / j.row_blocks);
    if (T == 1) want = 1;
    want = OV_MIN(want, npanels);
    j.panels_per_chunk = (npanels + want - 1) / want;
    j.col_chunks = (npanels + j.panels_per_chunk - 1) / j.panels_per_chunk;
    const int64_t ntasks = j.row_blocks * j.col_chunks;
    const double work = (double)M * (double)N * (double)Kp;
    const int par = T > 1 && ntasks > 1 && work >= 32.0 * 32.0 * 32.0;
    if (j.col_chunks == 1 && A->cs == 1) {
        /* each block's task quantises its rows: no pass of its own (nor its wait) */
        j.quant = &q;
    } else {
        const int64_t qtasks = (M + q.rows_per_task - 1) / q.rows_per_task;
        if (T > 1 && M * K >= 16384)
            ov_parallel(pool, qtasks, dq_quant_task, &q);
        else
            for (int64_t t = 0; t < qtasks; t++) dq_quant_task(&q, t, ov_current_tid());
        if (q.failed) {
            free(mem);
            ov_set_error("gemm: out of memory for the quantised activations");
            return 1;
        }
    }
    if (par)
        ov_parallel(pool, ntasks, dq_task, &j);
    else
        for (int64_t t = 0; t < ntasks; t++) dq_task(&j, t, ov_current_tid());
    free(mem);
    return 0;
}
