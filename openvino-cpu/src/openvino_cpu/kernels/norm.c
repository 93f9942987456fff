/* Mean-variance normalisation over the contiguous tail of a tensor viewed as
 * [outer][inner]: y = (x - mean) / sqrt(var + eps) (eps inside), or / (sqrt(var) + eps)
 * (eps outside), or only x - mean. Post ops then see rows = outer, columns = inner, which
 * is how LayerNorm's gamma / beta fuse in: a leading multiply by a per-column (or scalar)
 * operand and an add of one are applied in the same pass that writes y (one read of x for
 * the mean, one for the variance, one write), the other post ops after it.
 * Rows are handed to threads in blocks (one atomic per block, not per row).
 * p: 0 outer, 1 inner, 2 normalize variance, 3 eps outside sqrt; f: 0 eps.
 * bufs: 0 X, 1 Y (may be X), then post-op operands. */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    const float *x;
    float *y;
    ov_posts rest;      /* post ops after the fused affine ones  */
    const float *gamma; /* multiply operand or NULL               */
    const float *beta;  /* add operand or NULL                    */
    int64_t gs, bs;     /* their column strides (0 or 1)          */
    int64_t rows;       /* rows per task                          */
} mvn_job;

OV_VEC static void mvn_row(const float *OV_RESTRICT x, float *y, int64_t n, int norm_var,
                           int eps_outside, float eps, const float *OV_RESTRICT g, int64_t gs,
                           const float *OV_RESTRICT b, int64_t bs) {
    float acc[16] = {0};
    double s0 = 0.0;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) acc[k] += x[i + k];
    for (int k = 0; k < 16; k++) s0 += acc[k];
    for (; i < n; i++) s0 += x[i];
    const float mean = (float)(s0 / (double)n);
    float inv = 1.0f;
    if (norm_var) {
        float acc2[16] = {0};
        double s1 = 0.0;
        i = 0;
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 16; k++) {
                float d = x[i + k] - mean;
                acc2[k] += d * d;
            }
        for (int k = 0; k < 16; k++) s1 += acc2[k];
        for (; i < n; i++) s1 += (double)(x[i] - mean) * (double)(x[i] - mean);
        const float var = (float)(s1 / (double)n);
        inv = eps_outside ? 1.0f / (sqrtf(var) + eps) : 1.0f / sqrtf(var + eps);
    }
    /* y may alias x: each element is read before it is written */
    if (!norm_var) {
        if (g && b && gs == 1 && bs == 1)
            for (i = 0; i < n; i++) y[i] = (x[i] - mean) * g[i] + b[i];
        else if (g && b)
            for (i = 0; i < n; i++) y[i] = (x[i] - mean) * g[i * gs] + b[i * bs];
        else if (g)
            for (i = 0; i < n; i++) y[i] = (x[i] - mean) * g[i * gs];
        else if (b)
            for (i = 0; i < n; i++) y[i] = (x[i] - mean) + b[i * bs];
        else
            for (i = 0; i < n; i++) y[i] = x[i] - mean;
        return;
    }
    if (g && b && gs == 1 && bs == 1)
        for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv * g[i] + b[i];
    else if (g && b)
        for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv * g[i * gs] + b[i * bs];
    else if (g)
        for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv * g[i * gs];
    else if (b)
        for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv + b[i * bs];
    else
        for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv;
}

static void mvn_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    mvn_job *j = (mvn_job *)ctx;
    const int64_t outer = j->s->p[0], n = j->s->p[1];
    const int64_t r0 = t * j->rows, r1 = OV_MIN(outer, r0 + j->rows);
    for (int64_t r = r0; r < r1; r++)
        mvn_row(j->x + r * n, j->y + r * n, n, (int)j->s->p[2], (int)j->s->p[3], j->s->f[0],
                j->gamma, j->gs, j->beta, j->bs);
    if (j->rest.n) ov_posts_apply(&j->rest, j->y + r0 * n, n, r0, 0, r1 - r0, n, 0);
}

/* a binary post op of `op` with a per-column or scalar operand, the same for every row */
static int column_operand(const ov_post_rt *po, int32_t op) {
    return po->kind == OV_PO_BIN && po->op == op && po->ld_m == 0 &&
           (po->ld_n == 0 || po->ld_n == 1);
}

int32_t ov_k_mvn(const ov_step *s, char *const *ptr, ov_pool *pool) {
    mvn_job j;
    memset(&j, 0, sizeof(j));
    j.s = s;
    j.x = (const float *)ptr[0];
    j.y = (float *)ptr[1];
    ov_posts all;
    ov_posts_init(&all, s, ptr);
    int32_t used = 0;
    if (used < all.n && column_operand(&all.po[used], OV_BIN_MUL)) {
        j.gamma = all.po[used].ptr;
        j.gs = all.po[used].ld_n;
        used++;
    }
    if (used < all.n && column_operand(&all.po[used], OV_BIN_ADD)) {
        j.beta = all.po[used].ptr;
        j.bs = all.po[used].ld_n;
        used++;
    }
    j.rest.n = all.n - used;
    for (int32_t i = used; i < all.n; i++) j.rest.po[i - used] = all.po[i];
    const int64_t outer = s->p[0], inner = s->p[1];
    if (outer == 0 || inner == 0) return 0;
    const int64_t width = ov_pool_width(pool);
    /* blocks of at least ~4K elements, about four per thread */
    int64_t rows = OV_MAX((int64_t)1, 4096 / inner);
    if (width > 1) rows = OV_MAX(rows, (outer + 4 * width - 1) / (4 * width));
    j.rows = OV_MIN(rows, outer);
    const int64_t ntasks = (outer + j.rows - 1) / j.rows;
    if (outer * inner < 16384 || ntasks == 1) {
        for (int64_t t = 0; t < ntasks; t++) mvn_task(&j, t, 0);
        return 0;
    }
    ov_parallel(pool, ntasks, mvn_task, &j);
    return 0;
}
