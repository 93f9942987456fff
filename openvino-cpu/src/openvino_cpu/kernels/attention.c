/* Scaled dot-product attention, fused:
 *   out[b, i, :] = softmax(q[b, i] . k[b, j] * scale + bias[b, i, j]) @ v[b, j, :]
 * One task is a block of query rows of one batch. It packs k transposed and v once (when
 * they fit SDPA_PACK_FLOATS; else the GEMMs pack them block by block), then walks its rows
 * in sub-blocks whose scores fit L1: the scores (sub-block x S) are a GEMM of the q rows
 * with k transposed, scaled, masked and exponentiated in place, then a second GEMM of
 * them with v writes the output rows, each scaled by 1 / its row's sum. The score matrix
 * of the whole batch is never written.
 * A row whose every score is masked out (or with S = 0) gives NaN, as the reference.
 *
 * p: 0 batches (flattened), 1 L, 2 S, 3 E, 4 Ev, 5 mask (0 none, 1 additive f32,
 *    2 boolean), 6 causal, 7 batch rank (1..4), 8..11 batch shape, 12..15 q batch
 *    strides, 16..19 k batch strides, 20..23 v batch strides, 24..27 mask batch strides,
 *    28 mask row stride, 29 mask column stride, 30 scale from buffer 5 (else f[0]),
 *    31 q row stride, 32 k row stride, 33 v row stride, 34 out row stride, 35..38 out
 *    batch strides (all in elements).
 * Rows are contiguous along E (q, k) and Ev (v, out) but may be strided across rows and
 * batches: a head split / merge Transpose around the attention is read / written in place.
 * bufs: 0 q, 1 k, 2 v, 3 out, 4 mask, 5 scale. */
#include <stdlib.h>

#include "ov_internal.h"

enum { SDPA_MAX_ROWS = 256, SDPA_TILE_FLOATS = 262144, SDPA_PACK_FLOATS = 1 << 20 };
#ifndef SDPA_BLOCK_FLOATS
#define SDPA_BLOCK_FLOATS 6144 /* scores of one sub-block: 24 KB, half of L1 */
#endif

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_pool *pool;
    float scale;
    int64_t rows;   /* query rows per task */
    int64_t blocks; /* tasks per batch     */
    int64_t sub;    /* rows per sub-block (scores in L1) */
    int64_t tile_rows; /* sub rounded up to twelve: the fused scores write whole groups */
    int64_t kt_floats, v_floats; /* packed k^T and v per thread, 0: not packed */
    float *tiles;   /* per thread: sub x S scores, then packed k^T and v */
    int64_t per_thread;
    int32_t nthreads;
} sdpa_job;

/* scale, mask and exp(score - max) of one score row in place, in two passes; *inv gets
 * 1 / the row's sum (the output row is scaled by it after the second GEMM, which saves a
 * pass over the scores). 0 when every score is masked out. */
OV_VEC static int score_row(float *OV_RESTRICT row, int64_t S, float scale, int64_t causal_i,
                            int64_t mask, const char *mrow, int64_t mcol, float *inv) {
    float mx = -INFINITY;
    const int64_t n = causal_i >= 0 ? OV_MIN(S, causal_i + 1) : S;
    if (mask == 1 && mcol == 1) {
        const float *OV_RESTRICT m = (const float *)mrow;
#pragma omp simd reduction(max : mx)
        for (int64_t c = 0; c < n; c++) {
            const float v = row[c] * scale + m[c];
            row[c] = v;
            mx = v > mx ? v : mx;
        }
    } else if (mask == 1) {
        const float *m = (const float *)mrow;
        for (int64_t c = 0; c < n; c++) row[c] = row[c] * scale + m[c * mcol];
#pragma omp simd reduction(max : mx)
        for (int64_t c = 0; c < n; c++) mx = row[c] > mx ? row[c] : mx;
    } else if (mask == 2) {
        const uint8_t *m = (const uint8_t *)mrow;
        for (int64_t c = 0; c < n; c++) row[c] = m[c * mcol] ? row[c] * scale : -INFINITY;
#pragma omp simd reduction(max : mx)
        for (int64_t c = 0; c < n; c++) mx = row[c] > mx ? row[c] : mx;
    } else {
#pragma omp simd reduction(max : mx)
        for (int64_t c = 0; c < n; c++) {
            const float v = row[c] * scale;
            row[c] = v;
            mx = v > mx ? v : mx;
        }
    }
    for (int64_t c = n; c < S; c++) row[c] = 0.0f; /* causal: exp(-inf) */
    if (mx == -INFINITY) return 0;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t c = 0; c < n; c++) {
        float e = ov_exp(row[c] - mx);
        row[c] = e;
        sum += e;
    }
    *inv = 1.0f / sum;
    return 1;
}

#if OV_X86
#define SDPA512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

/* ov_exp on 16 lanes of x <= 0 (a score less its row's maximum) or NaN: the same
 * reduction and polynomial (OV_EXP_*), the power of two applied by vscalefps; results
 * below the smallest normal float are 0 as ov_exp's, NaN stays NaN (gemm.c's epilogue exp
 * clamps first, which turns a NaN into a number: not for softmax rows) */
SDPA512_TARGET static inline __m512 exp_nonpos_avx512(__m512 x) {
    const __mmask16 keep = _mm512_cmp_ps_mask(x, _mm512_set1_ps(OV_EXP_MIN), _CMP_NLT_UQ);
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(OV_EXP_LOG2E)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(OV_EXP_LN2_HI), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(OV_EXP_LN2_LO), r);
    __m512 p = _mm512_set1_ps(OV_EXP_P6);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(OV_EXP_P5));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(OV_EXP_P4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(OV_EXP_P3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(OV_EXP_P2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(OV_EXP_P1));
    p = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return _mm512_maskz_scalef_ps(keep, p, n);
}

/* exp(row - mx) in place for a row of scaled, masked scores whose maximum is mx (finite);
 * *inv gets 1 / the row's sum */
SDPA512_TARGET static void exp_row_avx512(float *OV_RESTRICT row, int64_t S, float mx,
                                          float *inv) {
    const __m512 vm = _mm512_set1_ps(mx);
    __m512 sum = _mm512_setzero_ps();
    for (int64_t c = 0; c < S; c += 16) {
        const __mmask16 k = S - c >= 16 ? 0xFFFF : (__mmask16)((1u << (S - c)) - 1);
        const __m512 e = exp_nonpos_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, row + c), vm));
        _mm512_mask_storeu_ps(row + c, k, e);
        sum = _mm512_mask_add_ps(sum, k, sum, e);
    }
    *inv = 1.0f / _mm512_reduce_add_ps(sum);
}

/* score_row for a row without a causal limit and an additive mask of unit column stride
 * (m) or none (m NULL), 16 lanes at a time */
SDPA512_TARGET static int score_row_avx512(float *OV_RESTRICT row, int64_t S, float scale,
                                           const float *OV_RESTRICT m, float *inv) {
    const __m512 vs = _mm512_set1_ps(scale);
    __m512 vmx = _mm512_set1_ps(-INFINITY);
    for (int64_t c = 0; c < S; c += 16) {
        const __mmask16 k = S - c >= 16 ? 0xFFFF : (__mmask16)((1u << (S - c)) - 1);
        __m512 x = _mm512_maskz_loadu_ps(k, row + c);
        x = m ? _mm512_fmadd_ps(x, vs, _mm512_maskz_loadu_ps(k, m + c)) : _mm512_mul_ps(x, vs);
        _mm512_mask_storeu_ps(row + c, k, x);
        vmx = _mm512_mask_max_ps(vmx, k, x, vmx); /* a NaN score never becomes the max */
    }
    const float mx = _mm512_reduce_max_ps(vmx);
    if (mx == -INFINITY) return 0;
    exp_row_avx512(row, S, mx, inv);
    return 1;
}

/* Scaled, masked scores of twelve query rows against all S keys, and each row's running
 * maximum: row i of the queries at a + i * lda (E floats), kt k^T packed in panels of 32
 * keys (E x 32 each), mrows[i] the mask row of row i (all NULL: no mask). Row i of the
 * scores goes to tile + i * S; rmax[i] gets the lane-wise maximum. */
SDPA512_TARGET static void qk_rows12_avx512(const float *OV_RESTRICT a, int64_t lda,
                                            const float *OV_RESTRICT kt, int64_t E, int64_t S,
                                            float scale, const float *const *mrows,
                                            float *OV_RESTRICT tile, __m512 *rmax) {
    const __m512 vs = _mm512_set1_ps(scale);
    for (int64_t i = 0; i < 12; i++) rmax[i] = _mm512_set1_ps(-INFINITY);
    for (int64_t p = 0; p < S; p += 32) {
        const float *b = kt + p * E;
        __m512 c[24];
#pragma GCC unroll 24
        for (int i = 0; i < 24; i++) c[i] = _mm512_setzero_ps();
        for (int64_t e = 0; e < E; e++) {
            const __m512 b0 = _mm512_loadu_ps(b + e * 32), b1 = _mm512_loadu_ps(b + e * 32 + 16);
#pragma GCC unroll 12
            for (int i = 0; i < 12; i++) {
                const __m512 x = _mm512_set1_ps(a[i * lda + e]);
                c[2 * i] = _mm512_fmadd_ps(x, b0, c[2 * i]);
                c[2 * i + 1] = _mm512_fmadd_ps(x, b1, c[2 * i + 1]);
            }
        }
        const int64_t n = OV_MIN(32, S - p);
        const __mmask16 k0 = n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1);
        const __mmask16 k1 = n >= 32 ? 0xFFFF : n <= 16 ? 0 : (__mmask16)((1u << (n - 16)) - 1);
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) {
            __m512 x0, x1;
            if (mrows[i]) {
                x0 = _mm512_fmadd_ps(c[2 * i], vs, _mm512_maskz_loadu_ps(k0, mrows[i] + p));
                x1 = _mm512_fmadd_ps(c[2 * i + 1], vs,
                                     _mm512_maskz_loadu_ps(k1, mrows[i] + p + 16));
            } else {
                x0 = _mm512_mul_ps(c[2 * i], vs);
                x1 = _mm512_mul_ps(c[2 * i + 1], vs);
            }
            _mm512_mask_storeu_ps(tile + i * S + p, k0, x0);
            _mm512_mask_storeu_ps(tile + i * S + p + 16, k1, x1);
            /* a NaN score never becomes the max */
            rmax[i] = _mm512_mask_max_ps(rmax[i], k0, x0, rmax[i]);
            rmax[i] = _mm512_mask_max_ps(rmax[i], k1, x1, rmax[i]);
        }
    }
}
#endif

#if OV_X86
/* The scores of query rows [i, i + rb) of one batch (at q, row stride qrs; mask rows at
 * mbase + om + row * the mask row stride floats, or none) into tile (rb x S), exponentiated
 * as score_row does, in twelve-row groups (aq: 12 x E floats for the last group's rows,
 * zero-padded); inv[r] and bit r0 + r of dead as score_row gives them. */
SDPA512_TARGET static void scores_fused(const sdpa_job *j, float *OV_RESTRICT aq,
                                        const float *q, int64_t qrs, const char *mbase,
                                        int64_t om, int64_t i, int64_t rb, const float *kt,
                                        float *tile, uint64_t *dead, float *inv, int64_t r0) {
    const ov_step *s = j->s;
    const int64_t S = s->p[2], E = s->p[3];
    __m512 rmax[12];
    const float *mrows[12];
    for (int64_t g = 0; g < rb; g += 12) {
        const int64_t n = OV_MIN(12, rb - g);
        const float *a = q + g * qrs;
        int64_t lda = qrs;
        if (n < 12) {
            for (int64_t r = 0; r < 12; r++)
                for (int64_t e = 0; e < E; e++) aq[r * E + e] = r < n ? a[r * qrs + e] : 0.0f;
            a = aq;
            lda = E;
        }
        for (int64_t r = 0; r < 12; r++) {
            mrows[r] = mbase ? (const float *)mbase + om + (i + g + OV_MIN(r, n - 1)) * s->p[28]
                             : NULL;
        }
        qk_rows12_avx512(a, lda, kt, E, S, j->scale, mrows, tile + g * S, rmax);
        for (int64_t r = 0; r < n; r++) {
            float *row = tile + (g + r) * S;
            const float mx = _mm512_reduce_max_ps(rmax[r]);
            if (mx == -INFINITY) {
                dead[(r0 + g + r) / 64] |= (uint64_t)1 << ((r0 + g + r) % 64);
                for (int64_t c = 0; c < S; c++) row[c] = 0.0f;
            } else {
                exp_row_avx512(row, S, mx, &inv[g + r]);
            }
        }
    }
}
#endif

/* The scores of query rows [r0, r0 + rb) of the task into tile (rb x S) by the GEMM, then
 * score_row (its AVX-512 form where vec) on each: inv[r] and bit r of dead as it gives. */
static void scores_gemm(const sdpa_job *j, ov_mat *A, const ov_mat *KT, const float *q,
                        int64_t qrs, int64_t om, int64_t i0, int64_t r0, int64_t rb, int vec,
                        float *tile, uint64_t *dead, float *inv, float *scratch) {
    const ov_step *s = j->s;
    const int64_t S = s->p[2], E = s->p[3], mask = s->p[5], causal = s->p[6];
    ov_posts none;
    memset(&none, 0, sizeof(none));
    A->p = q + r0 * qrs;
    A->rs = qrs;
    ov_gemm_region(A, KT, tile, S, E, 0, rb, 0, S, &none, 0, 0, scratch);
    for (int64_t r = r0; r < r0 + rb; r++) {
        const int64_t i = i0 + r;
        const char *mrow = NULL;
        if (!causal && mask) {
            const int64_t esz = mask == 2 ? 1 : 4;
            mrow = j->ptr[4] + (om + i * s->p[28]) * esz;
        }
        float *row = tile + (r - r0) * S;
        int alive;
#if OV_X86
        if (vec)
            alive = score_row_avx512(row, S, j->scale, (const float *)mrow, &inv[r]);
        else
#endif
            alive = score_row(row, S, j->scale, causal ? i : -1, causal ? 0 : mask, mrow,
                              s->p[29], &inv[r]);
        if (!alive) {
            dead[r / 64] |= (uint64_t)1 << (r % 64);
            for (int64_t c = 0; c < S; c++) row[c] = 0.0f;
        }
    }
}

static void sdpa_task(void *ctx, int64_t t, int32_t tid) {
    sdpa_job *j = (sdpa_job *)ctx;
    const ov_step *s = j->s;
    const int64_t L = s->p[1], S = s->p[2], E = s->p[3], Ev = s->p[4];
    const int64_t mask = s->p[5], causal = s->p[6], rank = s->p[7];
    const int64_t b = t / j->blocks, i0 = (t % j->blocks) * j->rows;
    const int64_t R = OV_MIN(j->rows, L - i0);
    const int64_t qrs = s->p[31], krs = s->p[32], vrs = s->p[33], ors = s->p[34];
    int64_t oq = 0, ok = 0, ov = 0, om = 0, oo = 0, rem = b;
    for (int64_t d = rank - 1; d >= 0; d--) {
        int64_t dim = s->p[8 + d];
        int64_t idx = rem % dim;
        rem /= dim;
        oq += idx * s->p[12 + d];
        ok += idx * s->p[16 + d];
        ov += idx * s->p[20 + d];
        om += idx * s->p[24 + d];
        oo += idx * s->p[35 + d];
    }
    const float *q = (const float *)j->ptr[0] + oq + i0 * qrs;
    const float *k = (const float *)j->ptr[1] + ok;
    const float *v = (const float *)j->ptr[2] + ov;
    float *out = (float *)j->ptr[3] + oo + i0 * ors;
    float *scratch = ov_pool_scratch(j->pool, tid);
    float *tile = j->tiles + (int64_t)(tid < j->nthreads ? tid : 0) * j->per_thread;
    ov_posts none;
    memset(&none, 0, sizeof(none));
    ov_mat A, KT, V;
    memset(&A, 0, sizeof(A));
    memset(&KT, 0, sizeof(KT));
    memset(&V, 0, sizeof(V));
    A.src = OV_SRC_DENSE;
    A.cs = 1;
    KT.src = V.src = OV_SRC_DENSE;
    KT.p = k; /* k^T: E x S */
    KT.rs = 1;
    KT.cs = krs;
    V.p = v;
    V.rs = vrs;
    V.cs = 1;
    if (j->kt_floats) {
        float *kt = tile + j->tile_rows * S, *vp = kt + j->kt_floats;
        ov_gemm_pack_b(&KT, E, S, kt);
        ov_gemm_pack_b(&V, S, Ev, vp);
        KT.src = V.src = OV_SRC_PACKED;
        KT.p = kt;
        V.p = vp;
    }
    uint64_t dead[SDPA_MAX_ROWS / 64 + 1] = {0};
    float inv[SDPA_MAX_ROWS];
    /* AVX-512 with no causal limit and no mask or a float one of unit column stride: the
     * vectorised score pass; with k^T packed in panels of 32 also the fused scores */
    const int vec = OV_X86 && ov_isa_level == 2 && !causal &&
                    (mask == 0 || (mask == 1 && s->p[29] == 1));
#if OV_X86
    const int fused = vec && j->kt_floats;
#endif
    for (int64_t r0 = 0; r0 < R; r0 += j->sub) {
        const int64_t rb = OV_MIN(j->sub, R - r0);
#if OV_X86
        if (fused)
            scores_fused(j, tile + j->tile_rows * S + j->kt_floats + j->v_floats, q + r0 * qrs,
                         qrs, mask ? j->ptr[4] : NULL, om, i0 + r0, rb, KT.p, tile, dead,
                         inv + r0, r0);
        else
#endif
            scores_gemm(j, &A, &KT, q, qrs, om, i0, r0, rb, vec, tile, dead, inv, scratch);
        /* out rows = probabilities (rb x S) . v (S x Ev) */
        A.p = tile;
        A.rs = S;
        ov_gemm_region(&A, &V, out + r0 * ors, ors, S, 0, rb, 0, Ev, &none, 0, 0, scratch);
    }
    for (int64_t r = 0; r < R; r++) {
        float *o = out + r * ors;
        if (dead[r / 64] >> (r % 64) & 1) {
            for (int64_t e = 0; e < Ev; e++) o[e] = NAN;
        } else {
            const float f = inv[r];
            for (int64_t e = 0; e < Ev; e++) o[e] *= f;
        }
    }
}

int32_t ov_k_sdpa(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t nb = s->p[0], L = s->p[1], S = s->p[2], Ev = s->p[4];
    if (nb == 0 || L == 0 || Ev == 0) return 0;
    if (S == 0) { /* softmax over nothing: NaN, as the reference */
        const int64_t rank = s->p[7];
        for (int64_t b = 0; b < nb; b++) {
            int64_t oo = 0, rem = b;
            for (int64_t d = rank - 1; d >= 0; d--) {
                oo += rem % s->p[8 + d] * s->p[35 + d];
                rem /= s->p[8 + d];
            }
            float *out = (float *)ptr[3] + oo;
            for (int64_t i = 0; i < L; i++)
                for (int64_t e = 0; e < Ev; e++) out[i * s->p[34] + e] = NAN;
        }
        return 0;
    }
    sdpa_job j;
    memset(&j, 0, sizeof(j));
    j.s = s;
    j.ptr = ptr;
    j.pool = pool;
    j.scale = s->p[30] ? *(const float *)ptr[5] : s->f[0];
    /* rows per task: a multiple of 6 (the micro-kernels' rows), about SDPA_TILE_FLOATS
     * scores a task */
    int64_t rows = OV_MIN(SDPA_MAX_ROWS, OV_MAX(6, SDPA_TILE_FLOATS / S / 6 * 6));
    rows = OV_MIN(rows, L);
    j.rows = rows;
    j.blocks = (L + rows - 1) / rows;
    j.sub = OV_MIN(rows, OV_MAX(12, SDPA_BLOCK_FLOATS / S / 12 * 12));
    const int64_t nr = ov_gemm_nr(), E = s->p[3];
    j.kt_floats = (S + nr - 1) / nr * nr * E;
    j.v_floats = (Ev + nr - 1) / nr * nr * S;
    if (j.kt_floats + j.v_floats > SDPA_PACK_FLOATS) j.kt_floats = j.v_floats = 0;
    /* then a twelve-row group of q transposed (fused scores) */
    j.tile_rows = (j.sub + 11) / 12 * 12;
    j.per_thread = (j.tile_rows * S + j.kt_floats + j.v_floats + 12 * E + 15) / 16 * 16;
    j.nthreads = ov_pool_threads(pool);
    size_t bytes = (size_t)j.nthreads * (size_t)j.per_thread * 4;
    j.tiles = (float *)aligned_alloc(64, bytes);
    if (!j.tiles) {
        ov_set_error("sdpa: out of memory for the score tiles");
        return 1;
    }
    const int64_t ntasks = nb * j.blocks;
    if (nb * L * S * (s->p[3] + Ev) < 65536) {
        for (int64_t t = 0; t < ntasks; t++) sdpa_task(&j, t, ov_current_tid());
    } else {
        ov_parallel(pool, ntasks, sdpa_task, &j);
    }
    free(j.tiles);
    return 0;
}
