/* Weight packing, at compile time: a matrix of f32 rows (times a per-row scale) into the
 * panel layout the GEMM and convolution micro-kernels read (kernels/gemm.c, conv_ukr.c).
 *
 * ov_pack_panels: G matrices of M rows x K columns, element (g, m, k) at
 *   src[g * ld_g + m * ld_m + k * ld_k] (strides in elements, any sign-free layout: a
 *   [M, K] matrix has ld_m = K, ld_k = 1; its transpose read as rows ld_m = 1, ld_k = M);
 *   out[g][p][k][r] = src(g, p * mr + r, k) * scale[g * M + p * mr + r] (scale NULL: 1),
 *   zero for rows p * mr + r >= M; out holds G * ceil(M / mr) * K * mr floats. The panels
 *   are split over the pool's threads (pool NULL: the calling thread).
 *
 * ov_pack_winograd: 3x3 filters into the Winograd operand of kernels/winograd.c, one panel
 *   of mr output channels per task (see ov_cpu.h).
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

/* F(4x4, 3x3): interpolation points 0, 1, -1, 2, -2 and infinity; F(2x2, 3x3): 0, 1, -1
 * and infinity */
static const double WINO_G4[6][3] = {{1.0 / 4, 0, 0},
                                     {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                     {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                     {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                     {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                     {0, 0, 1}};
static const double WINO_G2[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

typedef struct {
    const float *w;
    const float *scale;
    float *out;
    int64_t M, C, n, mr, panels;
} wino_pack_ctx;

static void wino_pack_task(void *ctx, int64_t p, int32_t tid) {
    (void)tid;
    const wino_pack_ctx *c = (const wino_pack_ctx *)ctx;
    const int64_t n = c->n, mr = c->mr, C = c->C;
    const double(*G)[3] = n == 6 ? WINO_G4 : WINO_G2;
    for (int64_t r = 0; r < mr; r++) {
        const int64_t m = p * mr + r;
        for (int64_t ch = 0; ch < C; ch++) {
            double u[6][6];
            if (m < c->M) {
                const float *g = c->w + (m * C + ch) * 9;
                const double s = c->scale ? (double)c->scale[m] : 1.0;
                double t[6][3]; /* G g */
                for (int64_t i = 0; i < n; i++)
                    for (int64_t b = 0; b < 3; b++)
                        t[i][b] = G[i][0] * ((double)g[b] * s) +
                                  G[i][1] * ((double)g[3 + b] * s) +
                                  G[i][2] * ((double)g[6 + b] * s);
                for (int64_t i = 0; i < n; i++) /* (G g) G^T */
                    for (int64_t j = 0; j < n; j++)
                        u[i][j] = t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2];
            }
            for (int64_t i = 0; i < n; i++)
                for (int64_t j = 0; j < n; j++) {
                    const int64_t xi = i * n + j;
                    c->out[((xi * c->panels + p) * C + ch) * mr + r] =
                        m < c->M ? (float)u[i][j] : 0.0f;
                }
        }
    }
}

int32_t ov_pack_winograd(const float *w, const float *scale, float *out, int64_t M,
                         int64_t C, int64_t tile, int64_t mr, ov_pool *pool) {
    if ((tile != 2 && tile != 4) || M < 0 || C < 0 || mr <= 0 || mr > 256) return 1;
    wino_pack_ctx c = {w, scale, out, M, C, tile + 2, mr, (M + mr - 1) / mr};
    if (c.panels == 0 || C == 0) return 0;
    if (M * C < 4096) pool = NULL;
    ov_parallel(pool, c.panels, wino_pack_task, &c);
    return 0;
}
