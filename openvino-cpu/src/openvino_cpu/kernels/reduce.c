/* Reductions of the middle axis of a tensor viewed as [outer][red][inner].
 * p: 0 outer, 1 red, 2 inner, 3 op (1 sum, 2 mean, 3 max, 4 min, 5 prod, 6 l1, 7 l2,
 *    8 sum of squares, 9 log-sum-exp). bufs: 0 X, 1 Y ([outer][inner]). */
#include "ov_internal.h"

enum { R_SUM = 1, R_MEAN, R_MAX, R_MIN, R_PROD, R_L1, R_L2, R_SUMSQ, R_LSE };

typedef struct {
    const ov_step *s;
    const float *x;
    float *y;
    int64_t chunk; /* outer rows per task */
} red_job;

OV_VEC static void reduce_inner1(const float *OV_RESTRICT x, int64_t n, int32_t op,
                                 float *OV_RESTRICT out) {
    float r;
    switch (op) {
        case R_MAX: {
            r = -INFINITY;
            int nan = 0;
            for (int64_t i = 0; i < n; i++) {
                r = x[i] > r ? x[i] : r;
                nan |= x[i] != x[i];
            }
            if (nan) r = NAN;
            break;
        }
        case R_MIN: {
            r = INFINITY;
            int nan = 0;
            for (int64_t i = 0; i < n; i++) {
                r = x[i] < r ? x[i] : r;
                nan |= x[i] != x[i];
            }
            if (nan) r = NAN;
            break;
        }
        case R_PROD: {
            r = 1.0f;
            for (int64_t i = 0; i < n; i++) r *= x[i];
            break;
        }
        case R_LSE: {
            float mx = -INFINITY;
            for (int64_t i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
            double s = 0.0;
            for (int64_t i = 0; i < n; i++) s += expf(x[i] - mx);
            r = mx + logf((float)s);
            break;
        }
        default: {
            /* one loop per op (a select inside the loop kept it from vectorising), 16
             * partial sums, then the tail and the total in double */
            float acc[16] = {0};
            int64_t i = 0;
            const int64_t n16 = n / 16 * 16;
            if (op == R_L1) {
                for (; i < n16; i += 16)
                    for (int k = 0; k < 16; k++) acc[k] += __builtin_fabsf(x[i + k]);
            } else if (op == R_L2 || op == R_SUMSQ) {
                for (; i < n16; i += 16)
                    for (int k = 0; k < 16; k++) acc[k] += x[i + k] * x[i + k];
            } else {
                for (; i < n16; i += 16)
                    for (int k = 0; k < 16; k++) acc[k] += x[i + k];
            }
            double s = 0.0;
            for (int k = 0; k < 16; k++) s += acc[k];
            for (; i < n; i++) {
                float v = x[i];
                s += op == R_L1 ? __builtin_fabsf(v) : (op == R_L2 || op == R_SUMSQ) ? v * v : v;
            }
            r = (float)s;
            if (op == R_MEAN) r = n ? (float)(s / (double)n) : NAN;
            if (op == R_L2) r = sqrtf(r);
            break;
        }
    }
    *out = r;
}

OV_VEC static void reduce_cols(const float *OV_RESTRICT x, int64_t red, int64_t inner,
                               int32_t op, float *OV_RESTRICT y) {
    float init = op == R_MAX ? -INFINITY : op == R_MIN ? INFINITY : op == R_PROD ? 1.0f : 0.0f;
    if (op == R_LSE) {
        for (int64_t c = 0; c < inner; c++) y[c] = -INFINITY;
        for (int64_t a = 0; a < red; a++)
            for (int64_t c = 0; c < inner; c++) {
                float v = x[a * inner + c];
                y[c] = v > y[c] ? v : y[c];
            }
        /* y holds the max; accumulate the sum of exps next to it in place */
        for (int64_t c = 0; c < inner; c++) {
            float mx = y[c];
            double s = 0.0;
            for (int64_t a = 0; a < red; a++) s += expf(x[a * inner + c] - mx);
            y[c] = mx + logf((float)s);
        }
        return;
    }
    for (int64_t c = 0; c < inner; c++) y[c] = init;
    for (int64_t a = 0; a < red; a++) {
        const float *row = x + a * inner;
        switch (op) {
            case R_MAX:
                for (int64_t c = 0; c < inner; c++)
                    y[c] = (row[c] > y[c] || row[c] != row[c]) ? row[c] : y[c];
                break;
            case R_MIN:
                for (int64_t c = 0; c < inner; c++)
                    y[c] = (row[c] < y[c] || row[c] != row[c]) ? row[c] : y[c];
                break;
            case R_PROD:
                for (int64_t c = 0; c < inner; c++) y[c] *= row[c];
                break;
            case R_L1:
                for (int64_t c = 0; c < inner; c++) y[c] += __builtin_fabsf(row[c]);
                break;
            case R_L2:
            case R_SUMSQ:
                for (int64_t c = 0; c < inner; c++) y[c] += row[c] * row[c];
                break;
            default:
                for (int64_t c = 0; c < inner; c++) y[c] += row[c];
                break;
        }
    }
    if (op == R_MEAN) {
        float inv = red ? 1.0f / (float)red : NAN;
        for (int64_t c = 0; c < inner; c++) y[c] *= inv;
    } else if (op == R_L2) {
        for (int64_t c = 0; c < inner; c++) y[c] = sqrtf(y[c]);
    }
}

/* The reductions of rows [o0, o1) of the outer axis, in one call (no per-row dispatch). */
OV_VEC static void reduce_rows_inner1(const float *OV_RESTRICT x, int64_t rows, int64_t n,
                                      int32_t op, float *OV_RESTRICT y) {
    for (int64_t o = 0; o < rows; o++) reduce_inner1(x + o * n, n, op, y + o);
}

/* task: outer rows [t * chunk, (t + 1) * chunk) */
static void red_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    red_job *j = (red_job *)ctx;
    const int64_t outer = j->s->p[0], red = j->s->p[1], inner = j->s->p[2];
    const int32_t op = (int32_t)j->s->p[3];
    const int64_t o0 = t * j->chunk, o1 = OV_MIN(outer, o0 + j->chunk);
    if (inner == 1) {
        reduce_rows_inner1(j->x + o0 * red, o1 - o0, red, op, j->y + o0);
        return;
    }
    for (int64_t o = o0; o < o1; o++)
        reduce_cols(j->x + o * red * inner, red, inner, op, j->y + o * inner);
}

int32_t ov_k_reduce(const ov_step *s, char *const *ptr, ov_pool *pool) {
    red_job j = {s, (const float *)ptr[0], (float *)ptr[1], 1};
    const int64_t outer = s->p[0], red = s->p[1], inner = s->p[2];
    if (outer <= 0 || inner <= 0) return 0;
    const int64_t total = outer * red * inner;
    if (total < 32768 || outer == 1) {
        j.chunk = outer;
        red_task(&j, 0, 0);
        return 0;
    }
    /* tasks of about 16K elements, at least two per thread */
    const int64_t width = ov_pool_width(pool);
    int64_t chunk = OV_MAX(1, 16384 / OV_MAX(1, red * inner));
    chunk = OV_MIN(chunk, OV_MAX(1, outer / (2 * width)));
    j.chunk = chunk;
    ov_parallel(pool, (outer + chunk - 1) / chunk, red_task, &j);
    return 0;
}
