/* Elementwise kernels.
 *
 * OV_K_BINARY: out = a OP b with numpy broadcasting (f32; comparisons write u8).
 *   p: 0 op (OV_BIN_*), 1 rank (1..6), 2..7 shape, 8..13 a strides, 14..19 b strides
 *      (elements), 20 output is u8.
 *   bufs: 0 a, 1 b, 2 out, then post-op operands (post ops see the output as one row).
 * OV_K_UNARY: y = post_ops(x) on x viewed as [B][M][N] (rows m, columns n, batch b).
 *   p: 0 B, 1 M, 2 N. bufs: 0 x, 1 y (may be x), then post-op operands. Multiply and Add by
 *   per-row vectors (then ReLU or clamp) run as one affine pass (batch norms).
 * OV_K_SELECT: out = cond ? a : b with broadcasting, any element size.
 *   p: 0 rank (1..6), 1 element size, 2..7 shape, 8..13 cond strides, 14..19 a strides,
 *      20..25 b strides (elements). bufs: 0 cond (u8), 1 a, 2 b, 3 out.
 */
#include "ov_internal.h"

static inline float f_max(float a, float b) { return (a > b || a != a) ? a : b; }
static inline float f_min(float a, float b) { return (a < b || a != a) ? a : b; }

#define LOOP3(expr)                                                                 \
    if (sa == 1 && sb == 1) {                                                       \
        for (int64_t i = 0; i < n; i++) { float x = a[i], y = b[i]; o[i] = (expr); } \
    } else if (sa == 1 && sb == 0) {                                                \
        const float y = b[0];                                                       \
        for (int64_t i = 0; i < n; i++) { float x = a[i]; o[i] = (expr); }          \
    } else if (sa == 0 && sb == 1) {                                                \
        const float x = a[0];                                                       \
        for (int64_t i = 0; i < n; i++) { float y = b[i]; o[i] = (expr); }          \
    } else {                                                                        \
        for (int64_t i = 0; i < n; i++) {                                           \
            float x = a[i * sa], y = b[i * sb];                                     \
            o[i] = (expr);                                                          \
        }                                                                           \
    }                                                                               \
    break;

OV_VEC static void bin_f32(int32_t op, const float *OV_RESTRICT a, int64_t sa,
                           const float *OV_RESTRICT b, int64_t sb, float *OV_RESTRICT o,
                           int64_t n) {
    switch (op) {
        case OV_BIN_ADD: LOOP3(x + y)
        case OV_BIN_SUB: LOOP3(x - y)
        case OV_BIN_MUL: LOOP3(x * y)
        case OV_BIN_DIV: LOOP3(x / y)
        case OV_BIN_MAX: LOOP3(f_max(x, y))
        case OV_BIN_MIN: LOOP3(f_min(x, y))
        case OV_BIN_POW: LOOP3(powf(x, y))
        case OV_BIN_SQDIFF: LOOP3((x - y) * (x - y))
        case OV_BIN_PRELU: LOOP3(x < 0.0f ? x * y : x)
        default: break;
    }
}

OV_VEC static void cmp_f32(int32_t op, const float *OV_RESTRICT a, int64_t sa,
                           const float *OV_RESTRICT b, int64_t sb, uint8_t *OV_RESTRICT o,
                           int64_t n) {
    switch (op) {
        case OV_BIN_EQ: LOOP3(x == y)
        case OV_BIN_NE: LOOP3(x != y)
        case OV_BIN_LT: LOOP3(x < y)
        case OV_BIN_LE: LOOP3(x <= y)
        case OV_BIN_GT: LOOP3(x > y)
        case OV_BIN_GE: LOOP3(x >= y)
        default: break;
    }
}

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_posts posts;
    int64_t rows, inner, chunk, pieces;
} bin_job;

static void bin_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    bin_job *j = (bin_job *)ctx;
    const ov_step *s = j->s;
    const int64_t rank = s->p[1];
    const int64_t *shape = &s->p[2], *sa = &s->p[8], *sb = &s->p[14];
    const float *A = (const float *)j->ptr[0];
    const float *B = (const float *)j->ptr[1];
    int64_t r = t / j->pieces, piece = t % j->pieces;
    int64_t n0 = piece * j->chunk, n1 = OV_MIN(j->inner, n0 + j->chunk);
    if (n1 <= n0) return;
    /* offsets of row r over the leading rank-1 dims */
    int64_t oa = 0, ob = 0, rem = r;
    for (int64_t d = rank - 2; d >= 0; d--) {
        int64_t i = rem % shape[d];
        rem /= shape[d];
        oa += i * sa[d];
        ob += i * sb[d];
    }
    const int64_t la = sa[rank - 1], lb = sb[rank - 1];
    oa += n0 * la;
    ob += n0 * lb;
    int64_t n = n1 - n0, at = r * j->inner + n0;
    if (s->p[20]) {
        cmp_f32((int32_t)s->p[0], A + oa, la, B + ob, lb, (uint8_t *)j->ptr[2] + at, n);
    } else {
        float *o = (float *)j->ptr[2] + at;
        bin_f32((int32_t)s->p[0], A + oa, la, B + ob, lb, o, n);
        if (j->posts.n) ov_posts_apply(&j->posts, o, n, 0, at, 1, n, 0);
    }
}

int32_t ov_k_binary(const ov_step *s, char *const *ptr, ov_pool *pool) {
    bin_job j;
    j.s = s;
    j.ptr = ptr;
    ov_posts_init(&j.posts, s, ptr);
    const int64_t rank = s->p[1];
    j.inner = s->p[2 + rank - 1];
    j.rows = 1;
    for (int64_t d = 0; d < rank - 1; d++) j.rows *= s->p[2 + d];
    int64_t total = j.rows * j.inner;
    if (total == 0) return 0;
    int32_t T = ov_pool_width(pool);
    int64_t want = total < 32768 ? 1 : (int64_t)T * 4;
    j.pieces = j.rows >= want ? 1 : (want + j.rows - 1) / j.rows;
    j.chunk = (j.inner + j.pieces - 1) / j.pieces;
    j.chunk = (j.chunk + 15) / 16 * 16;
    j.pieces = (j.inner + j.chunk - 1) / j.chunk;
    if (want == 1) {
        for (int64_t t = 0; t < j.rows * j.pieces; t++) bin_task(&j, t, 0);
        return 0;
    }
    ov_parallel(pool, j.rows * j.pieces, bin_task, &j);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct {
    const float *x;
    float *y;
    ov_posts posts;
    int64_t M, N, chunk, pieces;
} unary_job;

static void unary_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    unary_job *j = (unary_job *)ctx;
    int64_t row = t / j->pieces, piece = t % j->pieces;
    int64_t n0 = piece * j->chunk, n1 = OV_MIN(j->N, n0 + j->chunk);
    if (n1 <= n0) return;
    int64_t b = row / j->M, m = row % j->M;
    const float *x = j->x + row * j->N + n0;
    float *y = j->y + row * j->N + n0;
    if (x != y) memcpy(y, x, (size_t)(n1 - n0) * 4);
    ov_posts_apply(&j->posts, y, j->N, m, n0, 1, n1 - n0, b);
}

/* Per-row affine y = act(x * scale[row] + shift[row]) in one pass: a batch norm (DenseNet's
 * BN, Mul, Add, ReLU before each convolution) as post ops Multiply and Add by per-row
 * vectors, then at most a ReLU or a clamp. Tasks are equal runs of the flat tensor, so
 * small planes (7 x 7) do not make a task per row. */
typedef struct {
    const float *x;
    float *y;
    const float *sc, *sh;
    int64_t sc_m, sh_m, sc_b, sh_b;
    int64_t M, N, total, chunk;
    int32_t act;
    float lo, hi;
} affine_job;

OV_VEC static void affine_run(const float *x, float *y, int64_t n, float a, float b, int32_t act,
                              float lo, float hi) {
    if (act == 1) {
        for (int64_t i = 0; i < n; i++) {
            float v = x[i] * a + b;
            y[i] = v > 0.0f ? v : (v != v ? v : 0.0f);
        }
    } else if (act == 2) {
        for (int64_t i = 0; i < n; i++) {
            float v = x[i] * a + b;
            y[i] = v < lo ? lo : (v > hi ? hi : v);
        }
    } else {
        for (int64_t i = 0; i < n; i++) y[i] = x[i] * a + b;
    }
}

static void affine_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    affine_job *j = (affine_job *)ctx;
    int64_t e0 = t * j->chunk, e1 = OV_MIN(j->total, e0 + j->chunk);
    while (e0 < e1) {
        int64_t row = e0 / j->N, col = e0 % j->N;
        int64_t n = OV_MIN(e1 - e0, j->N - col);
        int64_t b = row / j->M, m = row % j->M;
        float a = j->sc[b * j->sc_b + m * j->sc_m];
        float c = j->sh[b * j->sh_b + m * j->sh_m];
        affine_run(j->x + e0, j->y + e0, n, a, c, j->act, j->lo, j->hi);
        e0 += n;
    }
}

/* 1 (and the job filled in) when the step's post ops are Multiply, Add by per-row vectors
 * then at most a ReLU or clamp. */
static int affine_match(const ov_step *s, char *const *ptr, affine_job *j) {
    if (s->npost < 2 || s->npost > 3) return 0;
    const ov_postop *mul = &s->post[0], *add = &s->post[1];
    if (mul->kind != OV_PO_BIN || mul->op != OV_BIN_MUL || mul->ld_n != 0 || mul->buf < 0)
        return 0;
    if (add->kind != OV_PO_BIN || add->op != OV_BIN_ADD || add->ld_n != 0 || add->buf < 0)
        return 0;
    j->act = 0;
    j->lo = j->hi = 0.0f;
    if (s->npost == 3) {
        const ov_postop *act = &s->post[2];
        if (act->kind != OV_PO_ACT) return 0;
        if (act->op == OV_ACT_RELU) {
            j->act = 1;
        } else if (act->op == OV_ACT_CLAMP) {
            j->act = 2;
            j->lo = act->alpha;
            j->hi = act->beta;
        } else {
            return 0;
        }
    }
    j->sc = (const float *)ptr[mul->buf];
    j->sh = (const float *)ptr[add->buf];
    j->sc_m = mul->ld_m;
    j->sh_m = add->ld_m;
    j->sc_b = mul->bstride;
    j->sh_b = add->bstride;
    return 1;
}

int32_t ov_k_unary(const ov_step *s, char *const *ptr, ov_pool *pool) {
    {
        affine_job a;
        if (affine_match(s, ptr, &a)) {
            a.x = (const float *)ptr[0];
            a.y = (float *)ptr[1];
            a.M = s->p[1];
            a.N = s->p[2];
            a.total = s->p[0] * s->p[1] * s->p[2];
            if (a.total == 0) return 0;
            int32_t T = ov_pool_width(pool);
            if (a.total < 16384 || T == 1) {
                a.chunk = a.total;
                affine_task(&a, 0, 0);
                return 0;
            }
            int64_t tasks = OV_MIN((int64_t)T * 4, (a.total + 8191) / 8192);
            a.chunk = ((a.total + tasks - 1) / tasks + 15) / 16 * 16;
            ov_parallel(pool, (a.total + a.chunk - 1) / a.chunk, affine_task, &a);
            return 0;
        }
    }
    unary_job j;
    j.x = (const float *)ptr[0];
    j.y = (float *)ptr[1];
    ov_posts_init(&j.posts, s, ptr);
    int64_t rows = s->p[0] * s->p[1];
    j.M = s->p[1];
    j.N = s->p[2];
    if (rows == 0 || j.N == 0) return 0;
    int64_t total = rows * j.N;
    int32_t T = ov_pool_width(pool);
    int64_t want = total < 16384 ? 1 : (int64_t)T * 4;
    j.pieces = rows >= want ? 1 : (want + rows - 1) / rows;
    j.chunk = (j.N + j.pieces - 1) / j.pieces;
    j.chunk = (j.chunk + 15) / 16 * 16;
    j.pieces = (j.N + j.chunk - 1) / j.chunk;
    if (want == 1) {
        for (int64_t t = 0; t < rows * j.pieces; t++) unary_task(&j, t, 0);
        return 0;
    }
    ov_parallel(pool, rows * j.pieces, unary_task, &j);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */

int32_t ov_k_select(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t rank = s->p[0], es = s->p[1];
    const int64_t *shape = &s->p[2], *sc = &s->p[8], *sa = &s->p[14], *sb = &s->p[20];
    const uint8_t *cond = (const uint8_t *)ptr[0];
    const char *A = ptr[1], *B = ptr[2];
    char *out = ptr[3];
    int64_t total = 1;
    for (int64_t d = 0; d < rank; d++) total *= shape[d];
    int64_t idx[6] = {0, 0, 0, 0, 0, 0};
    int64_t oc = 0, oa = 0, ob = 0;
    for (int64_t i = 0; i < total; i++) {
        const char *src = cond[oc] ? A + oa * es : B + ob * es;
        memcpy(out + i * es, src, (size_t)es);
        for (int64_t d = rank - 1; d >= 0; d--) {
            idx[d]++;
            oc += sc[d];
            oa += sa[d];
            ob += sb[d];
            if (idx[d] < shape[d]) break;
            oc -= sc[d] * shape[d];
            oa -= sa[d] * shape[d];
            ob -= sb[d] * shape[d];
            idx[d] = 0;
        }
    }
    return 0;
}
