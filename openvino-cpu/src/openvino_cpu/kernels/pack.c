/* Weight packing, at compile time: a matrix of f32 rows (times a per-row scale) into the
 * panel layout the GEMM and convolution micro-kernels read (kernels/gemm.c, conv_ukr.c).
 *
 * ov_pack_panels: G matrices of M rows x K columns, element (g, m, k) at
 *   src[g * ld_g + m * ld_m + k * ld_k] (strides in elements, any sign-free layout: a
 *   [M, K] matrix has ld_m = K, ld_k = 1; its transpose read as rows ld_m = 1, ld_k = M);
 *   out[g][p][k][r] = src(g, p * mr + r, k) * scale[g * M + p * mr + r] (scale NULL: 1),
 *   zero for rows p * mr + r >= M; out holds G * ceil(M / mr) * K * mr floats. The panels
 *   are split over the pool's threads (pool NULL: the calling thread).
 */
#include "ov_internal.h"

typedef struct {
    const float *src;
    const float *scale;
    float *out;
    int64_t M, K, ld_g, ld_m, ld_k, mr, panels;
} pack_ctx;

static void pack_panel(const pack_ctx *c, int64_t index) {
    int64_t g = index / c->panels, p = index % c->panels;
    int64_t mr = c->mr, K = c->K;
    int64_t row0 = p * mr;
    int64_t rows = c->M - row0 < mr ? c->M - row0 : mr;
    float *out = c->out + index * K * mr;
    const float *base = c->src + g * c->ld_g + row0 * c->ld_m;
    float s[256];
    for (int64_t r = 0; r < mr; r++)
        s[r] = r < rows ? (c->scale ? c->scale[g * c->M + row0 + r] : 1.0f) : 0.0f;
    if (c->ld_k == 1) {
        /* rows contiguous along k: walk blocks of k so each row's run stays in cache */
        for (int64_t k0 = 0; k0 < K; k0 += 64) {
            int64_t k1 = k0 + 64 < K ? k0 + 64 : K;
            for (int64_t r = 0; r < mr; r++) {
                if (r >= rows) {
                    for (int64_t k = k0; k < k1; k++) out[k * mr + r] = 0.0f;
                    continue;
                }
                const float *row = base + r * c->ld_m;
                float sr = s[r];
                for (int64_t k = k0; k < k1; k++) out[k * mr + r] = row[k] * sr;
            }
        }
        return;
    }
    for (int64_t k = 0; k < K; k++) {
        const float *col = base + k * c->ld_k;
        float *o = out + k * mr;
        int64_t r = 0;
        for (; r < rows; r++) o[r] = col[r * c->ld_m] * s[r];
        for (; r < mr; r++) o[r] = 0.0f;
    }
}

static void pack_task(void *ctx, int64_t task, int32_t tid) {
    (void)tid;
    pack_panel((const pack_ctx *)ctx, task);
}

int32_t ov_pack_panels(const float *src, const float *scale, float *out, int64_t G,
                       int64_t M, int64_t K, int64_t ld_g, int64_t ld_m, int64_t ld_k,
                       int64_t mr, ov_pool *pool) {
    if (G < 0 || M < 0 || K < 0 || mr <= 0 || mr > 256 || ld_g < 0 || ld_m < 0 || ld_k < 0)
        return 1;
    pack_ctx c = {src, scale, out, M, K, ld_g, ld_m, ld_k, mr, (M + mr - 1) / mr};
    int64_t tasks = G * c.panels;
    if (tasks == 0 || K == 0) return 0;
    /* small matrices are not worth waking threads for */
    if (G * M * K < (1 << 16)) pool = NULL;
    ov_parallel(pool, tasks, pack_task, &c);
    return 0;
}
