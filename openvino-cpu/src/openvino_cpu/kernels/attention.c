/* Scaled dot-product attention, fused:
 *   out[b, i, :] = softmax(q[b, i] . k[b, j] * scale + bias[b, i, j]) @ v[b, j, :]
 * One task is a block of query rows of one batch: their scores (rows x S) are a GEMM of
 * the q rows with k transposed into a per-thread tile, scaled, masked and exponentiated
 * in place, then a second GEMM of the tile with v writes the output rows, each scaled by
 * 1 / its row's sum. The score matrix of the whole batch is never written; the tile is at
 * most ~1 MB per thread.
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

enum { SDPA_MAX_ROWS = 256, SDPA_TILE_FLOATS = 262144 };

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_pool *pool;
    float scale;
    int64_t rows;   /* query rows per task */
    int64_t blocks; /* tasks per batch     */
    float *tiles;   /* rows x S floats per thread */
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
    float *tile = j->tiles + (int64_t)(tid < j->nthreads ? tid : 0) * j->rows * S;
    ov_posts none;
    memset(&none, 0, sizeof(none));
    ov_mat A, B;
    memset(&A, 0, sizeof(A));
    memset(&B, 0, sizeof(B));
    /* scores = q rows (R x E) . k^T (E x S) */
    A.src = OV_SRC_DENSE;
    A.p = q;
    A.rs = qrs;
    A.cs = 1;
    B.src = OV_SRC_DENSE;
    B.p = k;
    B.rs = 1;
    B.cs = krs;
    ov_gemm_region(&A, &B, tile, S, E, 0, R, 0, S, &none, 0, 0, scratch);
    uint64_t dead[SDPA_MAX_ROWS / 64 + 1] = {0};
    float inv[SDPA_MAX_ROWS];
    for (int64_t r = 0; r < R; r++) {
        const int64_t i = i0 + r;
        const char *mrow = NULL;
        if (!causal && mask) {
            const int64_t esz = mask == 2 ? 1 : 4;
            mrow = j->ptr[4] + (om + i * s->p[28]) * esz;
        }
        float *row = tile + r * S;
        if (!score_row(row, S, j->scale, causal ? i : -1, causal ? 0 : mask, mrow, s->p[29],
                       &inv[r])) {
            dead[r / 64] |= (uint64_t)1 << (r % 64);
            for (int64_t c = 0; c < S; c++) row[c] = 0.0f;
        }
    }
    /* out rows = probabilities (R x S) . v (S x Ev) */
    A.p = tile;
    A.rs = S;
    B.p = v;
    B.rs = vrs;
    B.cs = 1;
    ov_gemm_region(&A, &B, out, ors, S, 0, R, 0, Ev, &none, 0, 0, scratch);
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
    /* rows per task: a multiple of 6 (the micro-kernels' rows), the tile within ~1 MB */
    int64_t rows = OV_MIN(SDPA_MAX_ROWS, OV_MAX(6, SDPA_TILE_FLOATS / S / 6 * 6));
    rows = OV_MIN(rows, L);
    j.rows = rows;
    j.blocks = (L + rows - 1) / rows;
    j.nthreads = ov_pool_threads(pool);
    size_t bytes = ((size_t)j.nthreads * (size_t)rows * (size_t)S * 4 + 63) / 64 * 64;
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
