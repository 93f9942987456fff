/* Scaled dot-product attention, one query row per task:
 *   out[b, i, :] = softmax(q[b, i] . k[b, j] * scale + bias[b, i, j]) @ v[b, j, :]
 * p: 0 batches (flattened), 1 L, 2 S, 3 E, 4 Ev, 5 mask (0 none, 1 additive f32,
 *    2 boolean), 6 causal, 7 batch rank (1..4), 8..11 batch shape, 12..15 q batch
 *    strides, 16..19 k batch strides, 20..23 v batch strides, 24..27 mask batch strides,
 *    28 mask row stride, 29 mask column stride, 30 scale from buffer 5 (else f[0]).
 * q rows are contiguous [L][E], k [S][E], v [S][Ev]; out is [batches][L][Ev].
 * bufs: 0 q, 1 k, 2 v, 3 out, 4 mask, 5 scale. */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_pool *pool;
    float scale;
} sdpa_job;

OV_VEC static float dot(const float *OV_RESTRICT a, const float *OV_RESTRICT b, int64_t n) {
    float s = 0.0f;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

OV_VEC static void axpy(float a, const float *OV_RESTRICT x, float *OV_RESTRICT y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

static void sdpa_task(void *ctx, int64_t t, int32_t tid) {
    sdpa_job *j = (sdpa_job *)ctx;
    const ov_step *s = j->s;
    const int64_t L = s->p[1], S = s->p[2], E = s->p[3], Ev = s->p[4];
    const int64_t mask = s->p[5], causal = s->p[6], rank = s->p[7];
    int64_t b = t / L, i = t % L;
    int64_t oq = 0, ok = 0, ov = 0, om = 0, rem = b;
    for (int64_t d = rank - 1; d >= 0; d--) {
        int64_t dim = s->p[8 + d];
        int64_t idx = rem % dim;
        rem /= dim;
        oq += idx * s->p[12 + d];
        ok += idx * s->p[16 + d];
        ov += idx * s->p[20 + d];
        om += idx * s->p[24 + d];
    }
    const float *q = (const float *)j->ptr[0] + oq + i * E;
    const float *k = (const float *)j->ptr[1] + ok;
    const float *v = (const float *)j->ptr[2] + ov;
    float *out = (float *)j->ptr[3] + (b * L + i) * Ev;
    float *sc = ov_pool_scratch(j->pool, tid);
    float mx = -INFINITY;
    for (int64_t c = 0; c < S; c++) {
        float x = dot(q, k + c * E, E) * j->scale;
        if (causal) {
            if (c > i) x = -INFINITY;
        } else if (mask == 1) {
            x += ((const float *)j->ptr[4])[om + i * s->p[28] + c * s->p[29]];
        } else if (mask == 2) {
            if (!((const uint8_t *)j->ptr[4])[om + i * s->p[28] + c * s->p[29]]) x = -INFINITY;
        }
        sc[c] = x;
        mx = x > mx ? x : mx;
    }
    for (int64_t e = 0; e < Ev; e++) out[e] = 0.0f;
    if (mx == -INFINITY || mx != mx) {
        for (int64_t e = 0; e < Ev; e++) out[e] = NAN;
        return;
    }
    float sum = 0.0f;
    for (int64_t c = 0; c < S; c++) {
        float e = ov_exp(sc[c] - mx);
        sc[c] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int64_t c = 0; c < S; c++) axpy(sc[c] * inv, v + c * Ev, out, Ev);
}

int32_t ov_k_sdpa(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t nb = s->p[0], L = s->p[1], S = s->p[2], Ev = s->p[4];
    if (nb == 0 || L == 0 || Ev == 0) return 0;
    if (S == 0) { /* softmax over nothing: NaN, as the reference */
        float *out = (float *)ptr[3];
        for (int64_t i = 0; i < nb * L * Ev; i++) out[i] = NAN;
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
    int64_t rows = s->p[0] * s->p[1];
    if (rows * s->p[2] * s->p[3] < 32768) {
        for (int64_t t = 0; t < rows; t++) sdpa_task(&j, t, ov_current_tid());
        return 0;
    }
    ov_parallel(pool, rows, sdpa_task, &j);
    return 0;
}
