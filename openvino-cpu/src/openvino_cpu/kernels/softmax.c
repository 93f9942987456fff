/* Softmax and LogSoftmax over one axis of a tensor viewed as [outer][axis][inner].
 * Probabilities below the smallest normal float are 0 (as OpenVINO's CPU plugin gives
 * them): a masked attention row would otherwise hand denormals to the next MatMul.
 * p: 0 outer, 1 axis length, 2 inner, 3 log. bufs: 0 X, 1 Y (may be X). */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    const float *x;
    float *y;
    int64_t chunk, pieces;
} sm_job;

OV_VEC static void softmax_row(const float *OV_RESTRICT x, float *OV_RESTRICT y, int64_t n,
                               int log_mode) {
    float mx = -INFINITY;
#pragma omp simd reduction(max : mx)
    for (int64_t i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
    float sum = 0.0f;
    if (log_mode) {
#pragma omp simd reduction(+ : sum)
        for (int64_t i = 0; i < n; i++) sum += ov_exp(x[i] - mx);
        float l = logf(sum);
        for (int64_t i = 0; i < n; i++) y[i] = x[i] - mx - l;
    } else {
#pragma omp simd reduction(+ : sum)
        for (int64_t i = 0; i < n; i++) {
            float e = ov_exp(x[i] - mx);
            y[i] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
        for (int64_t i = 0; i < n; i++) y[i] = ov_ftz(y[i] * inv);
    }
}

/* axis with stride `inner`: columns [c0, c1) of one outer slice, vectorised across columns */
OV_VEC static void softmax_cols(const float *OV_RESTRICT x, float *OV_RESTRICT y, int64_t A,
                                int64_t inner, int64_t c0, int64_t c1, int log_mode) {
    float mx[64], sum[64];
    for (int64_t b = c0; b < c1; b += 64) {
        int64_t w = OV_MIN(64, c1 - b);
        for (int64_t c = 0; c < w; c++) {
            mx[c] = -INFINITY;
            sum[c] = 0.0f;
        }
        for (int64_t a = 0; a < A; a++)
            for (int64_t c = 0; c < w; c++) {
                float v = x[a * inner + b + c];
                mx[c] = v > mx[c] ? v : mx[c];
            }
        for (int64_t a = 0; a < A; a++)
            for (int64_t c = 0; c < w; c++) {
                float e = ov_exp(x[a * inner + b + c] - mx[c]);
                if (!log_mode) y[a * inner + b + c] = e;
                sum[c] += e;
            }
        if (log_mode) {
            for (int64_t c = 0; c < w; c++) sum[c] = logf(sum[c]);
            for (int64_t a = 0; a < A; a++)
                for (int64_t c = 0; c < w; c++)
                    y[a * inner + b + c] = x[a * inner + b + c] - mx[c] - sum[c];
        } else {
            for (int64_t c = 0; c < w; c++) sum[c] = 1.0f / sum[c];
            for (int64_t a = 0; a < A; a++)
                for (int64_t c = 0; c < w; c++)
                    y[a * inner + b + c] = ov_ftz(y[a * inner + b + c] * sum[c]);
        }
    }
}

static void sm_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    sm_job *j = (sm_job *)ctx;
    const int64_t A = j->s->p[1], inner = j->s->p[2];
    const int log_mode = (int)j->s->p[3];
    int64_t o = t / j->pieces, piece = t % j->pieces;
    const float *x = j->x + o * A * inner;
    float *y = j->y + o * A * inner;
    if (inner == 1) {
        softmax_row(x, y, A, log_mode);
    } else {
        int64_t c0 = piece * j->chunk, c1 = OV_MIN(inner, c0 + j->chunk);
        if (c1 > c0) softmax_cols(x, y, A, inner, c0, c1, log_mode);
    }
}

int32_t ov_k_softmax(const ov_step *s, char *const *ptr, ov_pool *pool) {
    sm_job j = {s, (const float *)ptr[0], (float *)ptr[1], 1, 1};
    const int64_t outer = s->p[0], A = s->p[1], inner = s->p[2];
    if (outer * A * inner == 0) return 0;
    int32_t T = ov_pool_width(pool);
    if (inner > 1) {
        j.pieces = outer >= 2 * T ? 1 : 2 * T;
        j.chunk = (inner + j.pieces - 1) / j.pieces;
        j.chunk = (j.chunk + 63) / 64 * 64;
        j.pieces = (inner + j.chunk - 1) / j.chunk;
    }
    if (outer * A * inner < 16384) {
        for (int64_t t = 0; t < outer * j.pieces; t++) sm_task(&j, t, 0);
        return 0;
    }
    ov_parallel(pool, outer * j.pieces, sm_task, &j);
    return 0;
}
