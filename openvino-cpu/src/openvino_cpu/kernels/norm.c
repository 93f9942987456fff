/* Mean-variance normalisation over the contiguous tail of a tensor viewed as
 * [outer][inner]: y = (x - mean) / sqrt(var + eps) (eps inside), or / (sqrt(var) + eps)
 * (eps outside), or only x - mean. Post ops then see rows = outer, columns = inner, which
 * is how LayerNorm's gamma / beta fuse in.
 * p: 0 outer, 1 inner, 2 normalize variance, 3 eps outside sqrt; f: 0 eps.
 * bufs: 0 X, 1 Y (may be X), then post-op operands. */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    const float *x;
    float *y;
    ov_posts posts;
} mvn_job;

OV_VEC static void mvn_row(const float *OV_RESTRICT x, float *OV_RESTRICT y, int64_t n,
                           int norm_var, int eps_outside, float eps) {
    double s0 = 0.0;
    float acc[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) acc[k] += x[i + k];
    for (int k = 0; k < 16; k++) s0 += acc[k];
    for (; i < n; i++) s0 += x[i];
    float mean = (float)(s0 / (double)n);
    if (!norm_var) {
        for (i = 0; i < n; i++) y[i] = x[i] - mean;
        return;
    }
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
    float var = (float)(s1 / (double)n);
    float inv = eps_outside ? 1.0f / (sqrtf(var) + eps) : 1.0f / sqrtf(var + eps);
    for (i = 0; i < n; i++) y[i] = (x[i] - mean) * inv;
}

static void mvn_task(void *ctx, int64_t r, int32_t tid) {
    (void)tid;
    mvn_job *j = (mvn_job *)ctx;
    const int64_t n = j->s->p[1];
    float *y = j->y + r * n;
    mvn_row(j->x + r * n, y, n, (int)j->s->p[2], (int)j->s->p[3], j->s->f[0]);
    if (j->posts.n) ov_posts_apply(&j->posts, y, n, r, 0, 1, n, 0);
}

int32_t ov_k_mvn(const ov_step *s, char *const *ptr, ov_pool *pool) {
    mvn_job j;
    j.s = s;
    j.x = (const float *)ptr[0];
    j.y = (float *)ptr[1];
    ov_posts_init(&j.posts, s, ptr);
    const int64_t outer = s->p[0], inner = s->p[1];
    if (outer == 0 || inner == 0) return 0;
    if (outer * inner < 16384) {
        for (int64_t r = 0; r < outer; r++) mvn_task(&j, r, 0);
        return 0;
    }
    ov_parallel(pool, outer, mvn_task, &j);
    return 0;
}
