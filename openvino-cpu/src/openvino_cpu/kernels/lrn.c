/* Local response normalization (LRN-1), f32:
 *   y = x * (bias + scale * S)^-beta,  S = sum of x^2 over a box of [i - half, i + half]
 * (clipped to the tensor) along each normalized axis, scale = alpha / size^naxes.
 *
 * The box sum is separable: one pass per axis, each over the tensor viewed as
 * [outer][len][inner] for that axis. One axis (the usual across-channels LRN) runs fused:
 * the squares are summed and y written per (outer, inner chunk), nothing else written.
 * More axes sum into Y and the temporary T in turn (the last pass lands in Y), then y is
 * computed in place. No axis: S = x^2.
 *
 * OV_K_LRN: p: 0 naxes (0..8), 1 elements, 2 half, then per axis a (in pass order)
 *   p[3 + 3a] outer, p[4 + 3a] len, p[5 + 3a] inner.  f: 0 scale, 1 bias, 2 beta.
 *   bufs: 0 X, 1 Y, 2 T (elements floats when naxes >= 2, else unused).
 */
#include "ov_internal.h"

enum { LRN_CHUNK = 256 };

/* y[i] = x[i] * (bias + scale * s[i])^-beta; beta 0.5, 0.75 and 1 without pow. */
OV_VEC static void lrn_apply(const float *OV_RESTRICT x, const float *s, float *y, int64_t n,
                             float scale, float bias, float beta) {
    if (beta == 0.75f) {
        for (int64_t i = 0; i < n; i++) {
            float r = 1.0f / sqrtf(bias + scale * s[i]);
            y[i] = x[i] * (r * sqrtf(r));
        }
    } else if (beta == 0.5f) {
        for (int64_t i = 0; i < n; i++) y[i] = x[i] / sqrtf(bias + scale * s[i]);
    } else if (beta == 1.0f) {
        for (int64_t i = 0; i < n; i++) y[i] = x[i] / (bias + scale * s[i]);
    } else if (beta == 0.0f) {
        for (int64_t i = 0; i < n; i++) y[i] = x[i];
    } else {
        for (int64_t i = 0; i < n; i++) y[i] = x[i] * powf(bias + scale * s[i], -beta);
    }
}

/* acc[0:w] = sum over rows r in [lo, hi) of src[r * inner + 0:w] (squared when sq). */
OV_VEC static void box_rows(const float *OV_RESTRICT src, int64_t inner, int64_t lo, int64_t hi,
                            int64_t w, int sq, float *OV_RESTRICT acc) {
    for (int64_t i = 0; i < w; i++) acc[i] = 0.0f;
    for (int64_t r = lo; r < hi; r++) {
        const float *row = src + r * inner;
        if (sq) {
            for (int64_t i = 0; i < w; i++) acc[i] += row[i] * row[i];
        } else {
            for (int64_t i = 0; i < w; i++) acc[i] += row[i];
        }
    }
}

/* acc[0:w] += sign * row[0:w] (squared when sq) */
OV_VEC static void slide_row(const float *OV_RESTRICT row, int64_t w, int sq, float sign,
                             float *OV_RESTRICT acc) {
    if (sq) {
        for (int64_t i = 0; i < w; i++) acc[i] += sign * (row[i] * row[i]);
    } else {
        for (int64_t i = 0; i < w; i++) acc[i] += sign * row[i];
    }
}

typedef struct {
    const ov_step *s;
    const float *x;
    float *y;
    const float *src; /* box pass input  */
    float *dst;       /* box pass output */
    int64_t outer, len, inner, chunks, half;
    int sq, fused;
} lrn_job;

/* task: one (outer index, inner chunk) of the pass */
static void lrn_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    lrn_job *j = (lrn_job *)ctx;
    const int64_t o = t / j->chunks, i0 = (t % j->chunks) * LRN_CHUNK;
    const int64_t w = OV_MIN(LRN_CHUNK, j->inner - i0);
    const int64_t len = j->len, inner = j->inner, half = j->half;
    const int64_t base = o * len * inner + i0;
    float acc[LRN_CHUNK];
    /* short windows are summed afresh for every row (exact as the reference); long ones
     * slide: the row entering is added, the row leaving subtracted */
    const int slide = 2 * half + 1 > 16;
    for (int64_t c = 0; c < len; c++) {
        const int64_t lo = OV_MAX(c - half, 0), hi = OV_MIN(c + half + 1, len);
        if (!slide || c == 0) {
            box_rows(j->src + base, inner, lo, hi, w, j->sq, acc);
        } else {
            if (c + half < len) slide_row(j->src + base + (c + half) * inner, w, j->sq, 1.0f, acc);
            if (c - half - 1 >= 0)
                slide_row(j->src + base + (c - half - 1) * inner, w, j->sq, -1.0f, acc);
        }
        const int64_t at = base + c * inner;
        if (j->fused) {
            lrn_apply(j->x + at, acc, j->y + at, w, j->s->f[0], j->s->f[1], j->s->f[2]);
        } else {
            memcpy(j->dst + at, acc, (size_t)w * 4);
        }
    }
}

static void apply_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    lrn_job *j = (lrn_job *)ctx;
    const int64_t n = j->s->p[1], i0 = t * 4096, w = OV_MIN(4096, n - i0);
    const float *s = j->sq ? j->x + i0 : j->y + i0;
    if (j->sq) { /* no axis: the sum is x^2 itself */
        float sq[LRN_CHUNK];
        for (int64_t k = 0; k < w; k += LRN_CHUNK) {
            const int64_t m = OV_MIN(LRN_CHUNK, w - k);
            for (int64_t i = 0; i < m; i++) sq[i] = s[k + i] * s[k + i];
            lrn_apply(j->x + i0 + k, sq, j->y + i0 + k, m, j->s->f[0], j->s->f[1], j->s->f[2]);
        }
        return;
    }
    lrn_apply(j->x + i0, s, j->y + i0, w, j->s->f[0], j->s->f[1], j->s->f[2]);
}

static void run(ov_pool *pool, int64_t ntasks, int64_t work, ov_task_fn fn, void *ctx) {
    if (work < 32768) {
        for (int64_t t = 0; t < ntasks; t++) fn(ctx, t, ov_current_tid());
    } else {
        ov_parallel(pool, ntasks, fn, ctx);
    }
}

int32_t ov_k_lrn(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t naxes = s->p[0], n = s->p[1], half = s->p[2];
    if (naxes < 0 || naxes > 8) {
        ov_set_error("lrn: bad number of axes");
        return 1;
    }
    if (n == 0) return 0;
    lrn_job j;
    memset(&j, 0, sizeof(j));
    j.s = s;
    j.x = (const float *)ptr[0];
    j.y = (float *)ptr[1];
    j.half = half;
    if (naxes == 0) {
        j.sq = 1;
        run(pool, (n + 4095) / 4096, n, apply_task, &j);
        return 0;
    }
    float *T = (float *)ptr[2];
    for (int64_t a = 0; a < naxes; a++) {
        j.outer = s->p[3 + 3 * a];
        j.len = s->p[4 + 3 * a];
        j.inner = s->p[5 + 3 * a];
        j.chunks = (j.inner + LRN_CHUNK - 1) / LRN_CHUNK;
        j.sq = a == 0;
        j.fused = naxes == 1;
        j.src = a == 0 ? j.x : j.dst;
        j.dst = ((naxes - 1 - a) % 2 == 0) ? j.y : T;
        const int64_t window = OV_MIN(2 * half + 1, j.len);
        run(pool, j.outer * j.chunks, n * window, lrn_task, &j);
    }
    if (naxes > 1) {
        j.sq = 0;
        run(pool, (n + 4095) / 4096, n, apply_task, &j);
    }
    return 0;
}
