/* Post ops: activations and binary operations applied to an output tile while it is hot
 * in cache (fused bias, activation and elementwise tails of convolutions, matmuls, ...). */
#include "ov_internal.h"

void ov_posts_init(ov_posts *posts, const ov_step *step, char *const *ptr) {
    posts->n = step->npost;
    for (int32_t i = 0; i < step->npost; i++) {
        const ov_postop *src = &step->post[i];
        ov_post_rt *dst = &posts->po[i];
        dst->kind = src->kind;
        dst->op = src->op;
        dst->swap = src->swap;
        dst->ptr = src->buf >= 0 ? (const float *)ptr[src->buf] : NULL;
        dst->ld_m = src->ld_m;
        dst->ld_n = src->ld_n;
        dst->bstride = src->bstride;
        dst->alpha = src->alpha;
        dst->beta = src->beta;
    }
}

static inline float f_max(float a, float b) { return (a > b || a != a) ? a : b; }
static inline float f_min(float a, float b) { return (a < b || a != a) ? a : b; }

float ov_bin_f32(int32_t op, float a, float b) {
    switch (op) {
        case OV_BIN_ADD: return a + b;
        case OV_BIN_SUB: return a - b;
        case OV_BIN_MUL: return a * b;
        case OV_BIN_DIV: return a / b;
        case OV_BIN_MAX: return f_max(a, b);
        case OV_BIN_MIN: return f_min(a, b);
        case OV_BIN_POW: return powf(a, b);
        case OV_BIN_SQDIFF: return (a - b) * (a - b);
        case OV_BIN_PRELU: return a < 0.0f ? a * b : a;
        default: return 0.0f;
    }
}

#define ACT_LOOP(expr)                                  \
    for (int64_t i = 0; i < n; i++) {                   \
        float v = x[i];                                 \
        x[i] = (expr);                                  \
    }                                                   \
    break;

static inline __attribute__((always_inline)) void act_inline(int32_t op, float alpha, float beta,
                                                             float *OV_RESTRICT x, int64_t n) {
    switch (op) {
        case OV_ACT_RELU: ACT_LOOP(v > 0.0f ? v : (v != v ? v : 0.0f))
        case OV_ACT_LEAKY: ACT_LOOP(v < 0.0f ? v * alpha : v)
        case OV_ACT_CLAMP: ACT_LOOP(v < alpha ? alpha : (v > beta ? beta : v))
        case OV_ACT_SIGMOID: ACT_LOOP(ov_sigmoid(v))
        case OV_ACT_TANH: ACT_LOOP(ov_tanh(v))
        case OV_ACT_GELU_ERF: ACT_LOOP(0.5f * v * (1.0f + ov_erf(v * 0.70710678118654752f)))
        case OV_ACT_GELU_TANH:
            ACT_LOOP(0.5f * v *
                     (1.0f + ov_tanh(0.79788456080286536f * (v + 0.044715f * v * v * v))))
        case OV_ACT_SWISH: ACT_LOOP(v * ov_sigmoid(beta * v))
        case OV_ACT_HSWISH: ACT_LOOP(v * OV_MIN(OV_MAX(v + 3.0f, 0.0f), 6.0f) * (1.0f / 6.0f))
        case OV_ACT_HSIGMOID: ACT_LOOP(OV_MIN(OV_MAX(v + 3.0f, 0.0f), 6.0f) * (1.0f / 6.0f))
        case OV_ACT_ELU: ACT_LOOP(v > 0.0f ? v : alpha * (expf(v) - 1.0f))
        case OV_ACT_EXP: ACT_LOOP(expf(v))
        case OV_ACT_LOG: ACT_LOOP(logf(v))
        case OV_ACT_ABS: ACT_LOOP(__builtin_fabsf(v))
        case OV_ACT_NEG: ACT_LOOP(-v)
        case OV_ACT_SQRT: ACT_LOOP(sqrtf(v))
        case OV_ACT_SOFTPLUS:
            ACT_LOOP(v > 20.0f ? v : OV_MAX(v, 0.0f) + log1pf(expf(-__builtin_fabsf(v))))
        case OV_ACT_MISH:
            ACT_LOOP(v * ov_tanh(v > 20.0f ? v : OV_MAX(v, 0.0f) + log1pf(expf(-__builtin_fabsf(v)))))
        case OV_ACT_ERF: ACT_LOOP(ov_erf(v))
        case OV_ACT_FLOOR: ACT_LOOP(__builtin_floorf(v))
        case OV_ACT_CEIL: ACT_LOOP(__builtin_ceilf(v))
        case OV_ACT_LINEAR: ACT_LOOP(v * alpha + beta)
        case OV_ACT_SQUARE: ACT_LOOP(v * v)
        case OV_ACT_SIGN: ACT_LOOP(v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : v))
        case OV_ACT_SIN: ACT_LOOP(sinf(v))
        case OV_ACT_COS: ACT_LOOP(cosf(v))
        case OV_ACT_TAN: ACT_LOOP(tanf(v))
        case OV_ACT_RECIP: ACT_LOOP(1.0f / v)
        case OV_ACT_ROUND_EVEN: ACT_LOOP(__builtin_rintf(v))
        case OV_ACT_ROUND_AWAY: ACT_LOOP(__builtin_roundf(v))
        case OV_ACT_HARD_SIGMOID: ACT_LOOP(OV_MAX(0.0f, OV_MIN(1.0f, alpha * v + beta)))
        case OV_ACT_SELU: ACT_LOOP(beta * (v > 0.0f ? v : alpha * (expf(v) - 1.0f)))
        case OV_ACT_POWC: ACT_LOOP(powf(v, alpha))
        default: break;
    }
}

OV_VEC void ov_act_apply(int32_t op, float alpha, float beta, float *OV_RESTRICT x, int64_t n) {
    act_inline(op, alpha, beta, x, n);
}

#define BIN_LOOP(expr)                                          \
    if (ys == 1) {                                              \
        for (int64_t i = 0; i < n; i++) {                       \
            float a = x[i], b = y[i];                           \
            if (swap) { float t = a; a = b; b = t; }            \
            x[i] = (expr);                                      \
        }                                                       \
    } else if (ys == 0) {                                       \
        const float bb = y[0];                                  \
        for (int64_t i = 0; i < n; i++) {                       \
            float a = x[i], b = bb;                             \
            if (swap) { float t = a; a = b; b = t; }            \
            x[i] = (expr);                                      \
        }                                                       \
    } else {                                                    \
        for (int64_t i = 0; i < n; i++) {                       \
            float a = x[i], b = y[i * ys];                      \
            if (swap) { float t = a; a = b; b = t; }            \
            x[i] = (expr);                                      \
        }                                                       \
    }                                                           \
    break;

static inline __attribute__((always_inline)) void bin_row(int32_t op, int32_t swap,
                                                         float *OV_RESTRICT x,
                                                         const float *OV_RESTRICT y, int64_t ys,
                                                         int64_t n) {
    switch (op) {
        case OV_BIN_ADD: BIN_LOOP(a + b)
        case OV_BIN_SUB: BIN_LOOP(a - b)
        case OV_BIN_MUL: BIN_LOOP(a * b)
        case OV_BIN_DIV: BIN_LOOP(a / b)
        case OV_BIN_MAX: BIN_LOOP(f_max(a, b))
        case OV_BIN_MIN: BIN_LOOP(f_min(a, b))
        case OV_BIN_POW: BIN_LOOP(powf(a, b))
        case OV_BIN_SQDIFF: BIN_LOOP((a - b) * (a - b))
        case OV_BIN_PRELU: BIN_LOOP(a < 0.0f ? a * b : a)
        default: break;
    }
}

OV_VEC static void posts_apply_vec(const ov_posts *posts, float *tile, int64_t ldt, int64_t m0,
                                   int64_t n0, int64_t mlen, int64_t nlen, int64_t batch) {
    for (int64_t r = 0; r < mlen; r++) {
        float *row = tile + r * ldt;
        int64_t m = m0 + r;
        for (int32_t i = 0; i < posts->n; i++) {
            const ov_post_rt *po = &posts->po[i];
            if (po->kind == OV_PO_ACT) {
                act_inline(po->op, po->alpha, po->beta, row, nlen);
            } else if (po->kind == OV_PO_BIN) {
                const float *y = po->ptr + batch * po->bstride + m * po->ld_m + n0 * po->ld_n;
                bin_row(po->op, po->swap, row, y, po->ld_n, nlen);
            }
        }
    }
}

void ov_posts_apply(const ov_posts *posts, float *tile, int64_t ldt, int64_t m0, int64_t n0,
                    int64_t mlen, int64_t nlen, int64_t batch) {
    if (!posts || posts->n == 0) return;
    posts_apply_vec(posts, tile, ldt, m0, n0, mlen, nlen, batch);
}
