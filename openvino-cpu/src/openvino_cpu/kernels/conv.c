/* Convolutions on NCHW data.
 *
 * OV_K_CONV: (grouped) convolution as an implicit GEMM: per image and group,
 *   Y[g*Mg:(g+1)*Mg, OH*OW] = Wg (Mg x Cg*KH*KW, pre-packed A panels) * im2col(X[g]),
 *   where the im2col matrix is never materialised (the B packing reads the image).
 *   A 1x1 / stride 1 / no padding convolution reads the image as a dense B.
 *   p: 0 N, 1 C, 2 H, 3 W, 4 M, 5 OH, 6 OW, 7 KH, 8 KW, 9 SH, 10 SW, 11 DH, 12 DW,
 *      13 PH, 14 PW, 15 groups, 16 MR packed for (the GEMM's ov_gemm_mr(), or
 *      ov_conv_mr() for the direct modes), 17 pointwise, 18 split (stride 2: each
 *      image is first copied into buffer 3 as even / odd column planes, so the packing
 *      reads contiguous runs).
 *      19 mode: 0 implicit GEMM, 1 direct over padded planes, 2 pointwise (1x1, no
 *      padding, any stride: kernels/conv_pointwise.c reads the input's channel planes
 *      in place or copies them into panels, and writes its tiles straight to Y); modes
 *      1 and 2 run the micro-kernels of kernels/conv_ukr.c; 3 Winograd F(4x4, 3x3)
 *      (kernels/winograd.c); 4 pointwise over few positions, vectors along output
 *      channels (kernels/conv_pointwise.c); 5 spatial direct with vectors along output
 *      channels (kernels/conv_direct_cv.c; p[16] = its panel height).
 *      20 .. 23: see conv_direct (or winograd.c, conv_direct_cv.c).
 *   bufs: 0 X, 1 packed weights ([G][ceil(Mg/MR)][Cg*KH*KW][MR]), 2 Y, 3 split buffer
 *   (C x H x W floats; unused unless split) or the padded input (direct), 4 the padded
 *   output (direct), then post-op operands (rows: output channels,
 *   columns: output pixels, batch: image).
 *
 *   Direct (stride 1 or 2): see conv_direct below.
 *
 * OV_K_DWCONV: depthwise (one input and one output channel per group), direct.
 *   p: 0 N, 1 C, 2 H, 3 W, 4 OH, 5 OW, 6 KH, 7 KW, 8 SH, 9 SW, 10 DH, 11 DW, 12 PH, 13 PW.
 *   bufs: 0 X, 1 weights [C][KH][KW], 2 Y, then post-op operands (as above).
 */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_posts posts;
    ov_pool *pool;
} conv_job;

static void conv_setup(const ov_step *s, char *const *ptr, int64_t n, int64_t g, ov_mat *A,
                       ov_mat *B, float **C, int64_t *Mg, int64_t *Kg) {
    const int32_t split = (int32_t)s->p[18];
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], M = s->p[4];
    const int64_t OH = s->p[5], OW = s->p[6], KH = s->p[7], KW = s->p[8], G = s->p[15];
    const int64_t Cg = Cc / G;
    *Mg = M / G;
    *Kg = Cg * KH * KW;
    const int64_t mr = s->p[16];
    const int64_t mpad = (*Mg + mr - 1) / mr * mr;
    memset(A, 0, sizeof(*A));
    memset(B, 0, sizeof(*B));
    A->src = OV_SRC_PACKED;
    A->p = (const float *)ptr[1] + g * mpad * *Kg;
    const float *img = split ? (const float *)ptr[3] + g * Cg * H * W
                             : (const float *)ptr[0] + (n * Cc + g * Cg) * H * W;
    if (s->p[17]) {
        B->src = OV_SRC_DENSE;
        B->p = img;
        B->rs = H * W;
        B->cs = 1;
        B->rows_ok = 1;
    } else {
        B->src = OV_SRC_IM2COL;
        B->im.img = img;
        B->im.H = H;
        B->im.W = W;
        B->im.KH = KH;
        B->im.KW = KW;
        B->im.SH = s->p[9];
        B->im.SW = s->p[10];
        B->im.DH = s->p[11];
        B->im.DW = s->p[12];
        B->im.PH = s->p[13];
        B->im.PW = s->p[14];
        B->im.OW = OW;
        B->im.split = split;
    }
    *C = (float *)ptr[2] + (n * M + g * *Mg) * OH * OW;
}

static void conv_task(void *ctx, int64_t t, int32_t tid) {
    conv_job *j = (conv_job *)ctx;
    const ov_step *s = j->s;
    int64_t G = s->p[15];
    int64_t n = t / G, g = t % G;
    ov_mat A, B;
    float *C;
    int64_t Mg, Kg;
    conv_setup(s, j->ptr, n, g, &A, &B, &C, &Mg, &Kg);
    int64_t OHW = s->p[5] * s->p[6];
    ov_gemm_region(&A, &B, C, OHW, Kg, 0, Mg, 0, OHW, &j->posts, g * Mg, n,
                   ov_pool_scratch(j->pool, tid));
}

/* Direct convolution over a flattened padded image.
 *
 * Stride 1: each input channel is copied, zero-padded, to an Hp x Wp plane with
 * Wp = OW + (KW - 1) * DW; output "n = oy * Wp + ox" then reads input element
 * n + ky * DH * Wp + kx * DW of that plane, so row k = (c, ky, kx) of B is one contiguous
 * run of the plane and the micro-kernel reads it in place. Columns ox >= OW of that
 * flattened output are not outputs: the result goes to the padded-output buffer (row
 * length Npad) and is cropped into Y.
 * Stride 2: the padded channel is split into four polyphase planes (even / odd rows x
 * even / odd columns, Hq x Wq each); output n = oy * Wq + ox reads plane (r & 1, c & 1)
 * at n + (r >> 1) * Wq + (c >> 1) with r = ky * DH, c = kx * DW.
 * p: 19 direct, 20 rows per plane (Hp or Hq), 21 row length (Wp or Wq), 22 Npad
 *    (flattened output length rounded up to NR), 23 floats per plane (with slack for
 *    the reads of the last panel). */
typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_ep ep;
    int fast_ep;
    int64_t n, mchunks, nchunks, nr;
    ov_conv_ukr_fn ukr;
    ov_pool *pool;
} direct_job;

static void direct_pad_task(void *ctx, int64_t c, int32_t tid) {
    (void)tid;
    direct_job *j = (direct_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], SW = s->p[10];
    const int64_t PH = s->p[13], PW = s->p[14], Hr = s->p[20], Wr = s->p[21], PS = s->p[23];
    const float *x = (const float *)j->ptr[0] + (j->n * Cc + c) * H * W;
    if (SW == 1) {
        float *dst = (float *)j->ptr[3] + c * PS;
        ov_pad_plane(x, H, W, PH, PW, Hr, Wr, 0.0f, dst);
        for (int64_t i = Hr * Wr; i < PS; i++) dst[i] = 0.0f;
    } else {
        float *base = (float *)j->ptr[3] + c * 4 * PS;
        /* planes no tap reads stay unwritten: odd rows only when some ky * DH is odd,
         * odd columns only when some kx * DW is */
        const int odd_rows = s->p[7] > 1 && (s->p[11] & 1), odd_cols = s->p[8] > 1 && (s->p[12] & 1);
        for (int64_t pr = 0; pr < 1 + odd_rows; pr++) {
            /* padded rows 2i + pr: even columns into plane (pr, 0), odd into (pr, 1) */
            float *e = base + (2 * pr) * PS, *o = base + (2 * pr + 1) * PS;
            for (int64_t i = 0; i < Hr; i++) {
                const int64_t iy = 2 * i + pr - PH;
                if (iy < 0 || iy >= H) {
                    for (int64_t q = 0; q < Wr; q++) e[i * Wr + q] = o[i * Wr + q] = 0.0f;
                } else if (odd_cols) {
                    ov_pad_split(x + iy * W, 1, W, 0, PW, 1, Wr, Wr, 0.0f, e + i * Wr,
                                 o + i * Wr);
                } else {
                    const float *row = x + iy * W;
                    float *d = e + i * Wr;
                    for (int64_t q = 0; q < Wr; q++) {
                        const int64_t ix = 2 * q - PW;
                        d[q] = (ix >= 0 && ix < W) ? row[ix] : 0.0f;
                    }
                }
            }
            for (int64_t q = Hr * Wr; q < PS; q++) e[q] = o[q] = 0.0f;
        }
    }
}

/* Blocking of the direct convolution: a block of CONV_KC input rows x NR positions (read
 * in place, unaligned: up to three cache lines a row) stays in L1 while CONV_MC output
 * channels' weights stream past it from L2. */
#ifndef CONV_KC
#define CONV_KC 128
#endif
#ifndef CONV_MC
#define CONV_MC 120
#endif

/* Padded output -> Y for output channels [m0, m1) and flat positions [q0, q1), with the
 * post ops the micro-kernel did not apply; run by the task that computed them, while
 * they are in its cache. */
static void direct_crop(const direct_job *j, int64_t m0, int64_t m1, int64_t q0, int64_t q1) {
    const ov_step *s = j->s;
    const int64_t M = s->p[4], OH = s->p[5], OW = s->p[6], Wr = s->p[21], Npad = s->p[22];
    q1 = OV_MIN(q1, OH * Wr);
    for (int64_t m = m0; m < m1; m++) {
        const float *src = (const float *)j->ptr[4] + m * Npad;
        float *dst = (float *)j->ptr[2] + (j->n * M + m) * OH * OW;
        for (int64_t oy = q0 / Wr; oy * Wr < q1; oy++) {
            const int64_t a = OV_MAX(q0 - oy * Wr, 0), b = OV_MIN(q1 - oy * Wr, OW);
            if (b <= a) continue;
            if (b - a >= 64) {
                memcpy(dst + oy * OW + a, src + oy * Wr + a, (size_t)(b - a) * 4);
            } else { /* short rows: no call per row */
                float *OV_RESTRICT d = dst + oy * OW + a;
                const float *OV_RESTRICT q = src + oy * Wr + a;
                for (int64_t i = 0; i < b - a; i++) d[i] = q[i];
            }
            if (!j->fast_ep && j->posts->n)
                ov_posts_apply(j->posts, dst + oy * OW + a, OH * OW, m, oy * OW + a, 1, b - a,
                               j->n);
        }
    }
}

/* group g, output panels of chunk nc, output channels of chunk mc */
static void direct_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    direct_job *j = (direct_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], M = s->p[4];
    const int64_t KH = s->p[7], KW = s->p[8], SW = s->p[10];
    const int64_t DH = s->p[11], DW = s->p[12], G = s->p[15], MRp = s->p[16];
    const int64_t Wr = s->p[21], Npad = s->p[22], PS = s->p[23];
    const int64_t Cg = Cc / G, Mg = M / G, K = Cg * KH * KW, khw = KH * KW;
    const int64_t mpad = (Mg + MRp - 1) / MRp * MRp;
    const int64_t nc = t % j->nchunks, rest = t / j->nchunks;
    const int64_t mc = rest % j->mchunks, g = rest / j->mchunks;
    const int64_t m0 = ov_split(Mg, j->mchunks, mc, MRp), m1 = ov_split(Mg, j->mchunks, mc + 1, MRp);
    const int64_t n0 = ov_split(Npad, j->nchunks, nc, j->nr);
    const int64_t n1 = ov_split(Npad, j->nchunks, nc + 1, j->nr);
    if (m1 <= m0 || n1 <= n0) return;
    const float *A = (const float *)j->ptr[1] + g * mpad * K;
    const float *xp = (const float *)j->ptr[3];
    const int64_t ldc = Npad, ncols_all = Npad;
    float *C = (float *)j->ptr[4] + g * Mg * Npad;
    const float *rows[CONV_KC];
    for (int64_t pc = 0; pc < K; pc += CONV_KC) {
        const int64_t kc = OV_MIN(CONV_KC, K - pc);
        const int last = pc + kc >= K;
        for (int64_t k = 0; k < kc; k++) {
            const int64_t kk = pc + k, ci = kk / khw, r = kk % khw;
            const int64_t dy = (r / KW) * DH, dx = (r % KW) * DW;
            if (SW == 1) {
                rows[k] = xp + (g * Cg + ci) * PS + dy * Wr + dx;
            } else {
                const int64_t plane = 2 * (dy & 1) + (dx & 1);
                rows[k] = xp + ((g * Cg + ci) * 4 + plane) * PS + (dy >> 1) * Wr + (dx >> 1);
            }
        }
        for (int64_t ic = m0; ic < m1; ic += CONV_MC) {
            const int64_t ie = OV_MIN(m1, ic + CONV_MC);
            for (int64_t n = n0; n < n1; n += j->nr) {
                const int32_t ncols = (int32_t)OV_MIN(j->nr, ncols_all - n);
                if (ncols <= 0) break;
                for (int64_t ir = ic; ir < ie; ir += MRp) {
                    const float *ap = A + (ir / MRp) * K * MRp + pc * MRp;
                    float *cp = C + ir * ldc + n;
                    const int32_t nrows = (int32_t)OV_MIN(MRp, Mg - ir);
                    const ov_ep *use = NULL;
                    ov_ep ep;
                    if (last && j->fast_ep) {
                        const int64_t m = g * Mg + ir;
                        ep = ov_ep_at(&j->ep, m, n);
                        use = &ep;
                    }
                    j->ukr(kc, ap, rows, n, cp, ldc, pc > 0, use, nrows, ncols, NULL, 0);
                }
            }
        }
    }
    direct_crop(j, g * Mg + m0, g * Mg + m1, n0, n1);
}

/* The task grid of a convolution's tiles (see conv_direct): the split into m chunks of
 * the mpanels channel panels and c chunks of the ncols column tiles (G groups each) that
 * costs least in cycles: rounds of micro-kernel work (``tile`` cycles a tile), plus the
 * traffic it repeats (each column chunk reads ``wbytes`` of weights, each channel chunk
 * ``bbytes`` of input; the threads share it), plus starting the region and its tasks.
 * ``slack``: extra rounds charged when several threads run (they rarely finish together
 * on a shared machine: smaller tasks balance better). At most about four tasks a thread;
 * one thread: one task. */
void ov_conv_task_grid(int64_t G, int64_t mpanels, int64_t ncols, double wbytes,
                       double bbytes, double tile, int32_t T, double slack, int64_t *mchunks,
                       int64_t *nchunks) {
    const int64_t target = T == 1 ? 1 : 4 * (int64_t)T;
    double best = 1e300;
    *mchunks = *nchunks = 1;
    for (int64_t m = 1; m <= OV_MIN(mpanels, target); m++) {
        for (int64_t c = 1; c <= OV_MIN(ncols, target); c++) {
            if (G * m * c > OV_MAX(target, G)) break;
            const double rounds = (double)((G * m * c + T - 1) / T);
            const double work = (double)((mpanels + m - 1) / m) *
                                (double)((ncols + c - 1) / c) * tile;
            const double traffic = (double)G * ((double)c * wbytes + (double)m * bbytes) /
                                   (8.0 * (double)T);
            const double tasks = (double)(G * m * c);
            const double cost = (rounds + (T > 1 ? slack : 0.0)) * work + traffic +
                                1000.0 * tasks + (tasks > 1.0 ? 20000.0 : 0.0);
            if (cost < best * 0.999) {
                best = cost;
                *mchunks = m;
                *nchunks = c;
            }
        }
    }
}

static int32_t conv_direct(const ov_step *s, char *const *ptr, ov_pool *pool,
                           const ov_posts *posts) {
    direct_job j;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.ukr = ov_pick_conv_ukr();
    j.nr = ov_gemm_nr();
    const int64_t N = s->p[0], Cc = s->p[1], M = s->p[4], G = s->p[15];
    const int64_t MRp = s->p[16], Mg = M / G, Npad = s->p[22];
    const int32_t T = ov_pool_width(pool);
    const int64_t mpanels = (Mg + MRp - 1) / MRp, npanels = Npad / j.nr;
    const int64_t planes = s->p[10] == 1 ? 1 : 4;
    /* The task grid: every chunk of output positions reads all the weights of its
     * channels, every chunk of channels all the input rows of its positions. Pick the
     * split (up to about four tasks per thread, taken dynamically) that costs least in
     * rounds of micro-kernel work plus that traffic (which the threads share), so a
     * 14 x 14 layer with 1 MB of weights splits along channels and a 56 x 56 layer with
     * small filters along positions, and a layer of a few microseconds runs as one task
     * on the calling thread. One thread: one task (nothing read twice). */
    {
        const int64_t K = (Cc / G) * s->p[7] * s->p[8];
        const double wbytes = 4.0 * (double)Mg * (double)K;
        const double bbytes = 4.0 * (double)(Cc / G) * (double)(planes * s->p[23]);
        const double tile = (double)MRp * (double)j.nr * (double)K * 2.0 / 64.0;
        ov_conv_task_grid(G, mpanels, npanels, wbytes, bbytes, tile, T, 0.0, &j.mchunks,
                          &j.nchunks);
    }
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        /* in registers only what reads no column: the output here has padding columns */
        j.fast_ep = j.fast_ep && !j.ep.colb && !j.ep.tadd;
        if (Cc * planes * s->p[23] >= 65536)
            ov_parallel(pool, Cc, direct_pad_task, &j);
        else
            for (int64_t c = 0; c < Cc; c++) direct_pad_task(&j, c, ov_current_tid());
        ov_parallel(pool, G * j.mchunks * j.nchunks, direct_task, &j);
    }
    return 0;
}

int32_t ov_k_conv(const ov_step *s, char *const *ptr, ov_pool *pool) {
    if (s->p[19] != 5 &&
        s->p[16] != (s->p[19] == 4 ? OV_CONV_PWT_MR : s->p[19] ? ov_conv_mr() : ov_gemm_mr())) {
        ov_set_error("conv: weights were packed for another kernel geometry");
        return 1;
    }
    conv_job j;
    j.s = s;
    j.ptr = ptr;
    j.pool = pool;
    ov_posts_init(&j.posts, s, ptr);
    if (s->p[19] == 3 || s->p[19] == 8) return ov_conv_winograd(s, ptr, pool, &j.posts);
    if (s->p[19] == 5) return ov_conv_direct_cv(s, ptr, pool, &j.posts);
    if (s->p[19]) {
        if (s->p[22] % ov_gemm_nr() != 0) {
            ov_set_error("conv: the output was padded for another kernel geometry");
            return 1;
        }
        if (s->p[19] == 2 || s->p[19] == 4) return ov_conv_pointwise(s, ptr, pool, &j.posts);
        return conv_direct(s, ptr, pool, &j.posts);
    }
    const int64_t N = s->p[0], G = s->p[15];
    const int64_t OHW = s->p[5] * s->p[6];
    int32_t T = ov_pool_width(pool);
    int64_t items = N * G;
    const int split = (int)s->p[18];
    if (T > 1 && items >= 2 * T && !split) {
        ov_parallel(pool, items, conv_task, &j);
        return 0;
    }
    for (int64_t n = 0; n < N; n++) {
        if (split) {
            const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3];
            const int64_t We = (W + 1) / 2;
            float *dst = (float *)ptr[3];
            const float *src = (const float *)ptr[0] + n * Cc * H * W;
            for (int64_t c = 0; c < Cc; c++)
                ov_split_cols(src + c * H * W, H, W, dst + c * H * W, dst + c * H * W + H * We);
        }
        for (int64_t g = 0; g < G; g++) {
            ov_mat A, B;
            float *C;
            int64_t Mg, Kg;
            conv_setup(s, ptr, n, g, &A, &B, &C, &Mg, &Kg);
            ov_gemm(pool, &A, &B, C, OHW, Mg, OHW, Kg, &j.posts, g * Mg, n);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_posts posts;
    ov_pool *pool;
} dw_job;

/* Copy one H x W plane into a zero-padded Hp x Wp buffer (top / left pads PT / PL). Short
 * rows (the 7x7 .. 28x28 planes) are copied in loops rather than a memcpy call per row. */
OV_VEC void ov_pad_plane(const float *OV_RESTRICT x, int64_t H, int64_t W, int64_t PT,
                         int64_t PL, int64_t Hp, int64_t Wp, float fill,
                         float *OV_RESTRICT dst) {
    const int64_t n = OV_MIN(W, Wp - PL);
    for (int64_t r = 0; r < Hp; r++) {
        float *d = dst + r * Wp;
        int64_t iy = r - PT;
        if (iy < 0 || iy >= H || n <= 0) {
            for (int64_t c = 0; c < Wp; c++) d[c] = fill;
            continue;
        }
        int64_t c = 0;
        for (; c < PL && c < Wp; c++) d[c] = fill;
        const float *xr = x + iy * W;
        if (n >= 64) {
            memcpy(d + PL, xr, (size_t)n * 4);
        } else {
            for (int64_t q = 0; q < n; q++) d[PL + q] = xr[q];
        }
        for (c = PL + n; c < Wp; c++) d[c] = fill;
    }
}

/* Split the columns of a padded plane into even and odd ones (stride-2 windows then read
 * both contiguously). E is Hp x We, O is Hp x Wo with We = ceil(Wp / 2), Wo = Wp / 2. */
OV_VEC void ov_split_cols(const float *OV_RESTRICT P, int64_t Hp, int64_t Wp,
                          float *OV_RESTRICT E, float *OV_RESTRICT O) {
    const int64_t We = (Wp + 1) / 2, Wo = Wp / 2;
    for (int64_t r = 0; r < Hp; r++) {
        const float *row = P + r * Wp;
        for (int64_t i = 0; i < Wo; i++) {
            E[r * We + i] = row[2 * i];
            O[r * Wo + i] = row[2 * i + 1];
        }
        if (We > Wo) E[r * We + We - 1] = row[Wp - 1];
    }
}

/* Pad and split in one pass: even columns of the padded plane into E (Hp x We), odd ones
 * into O (Hp x Wo); columns past the padded width hold `fill` too. */
OV_VEC void ov_pad_split(const float *OV_RESTRICT x, int64_t H, int64_t W, int64_t PT,
                         int64_t PL, int64_t Hp, int64_t We, int64_t Wo, float fill,
                         float *OV_RESTRICT E, float *OV_RESTRICT O) {
    /* padded column c reads x column c - PL: even c = 2i, odd c = 2i + 1 */
    int64_t e_lo = (PL + 1) / 2, e_hi = (W - 1 + PL) / 2 + 1; /* 0 <= 2i - PL < W */
    int64_t o_lo = PL / 2, o_hi = (W - 2 + PL) / 2 + 1;      /* 0 <= 2i + 1 - PL < W */
    if (W - 1 + PL < 0) e_hi = 0;
    if (W - 2 + PL < 0) o_hi = 0;
    e_lo = OV_MIN(e_lo, We);
    e_hi = OV_MAX(OV_MIN(e_hi, We), e_lo);
    o_lo = OV_MIN(o_lo, Wo);
    o_hi = OV_MAX(OV_MIN(o_hi, Wo), o_lo);
    for (int64_t r = 0; r < Hp; r++) {
        float *e = E + r * We, *o = O + r * Wo;
        int64_t iy = r - PT;
        if (iy < 0 || iy >= H) {
            for (int64_t i = 0; i < We; i++) e[i] = fill;
            for (int64_t i = 0; i < Wo; i++) o[i] = fill;
            continue;
        }
        const float *row = x + iy * W - PL;
        for (int64_t i = 0; i < e_lo; i++) e[i] = fill;
        for (int64_t i = e_lo; i < e_hi; i++) e[i] = row[2 * i];
        for (int64_t i = e_hi; i < We; i++) e[i] = fill;
        for (int64_t i = 0; i < o_lo; i++) o[i] = fill;
        for (int64_t i = o_lo; i < o_hi; i++) o[i] = row[2 * i + 1];
        for (int64_t i = o_hi; i < Wo; i++) o[i] = fill;
    }
}

/* Depthwise 3x3, stride 2, no dilation, over the even / odd column planes. */
OV_VEC static void dw3x3_s2(const float *OV_RESTRICT E, const float *OV_RESTRICT O, int64_t We,
                            int64_t Wo, const float *OV_RESTRICT w, float *OV_RESTRICT out,
                            int64_t OH, int64_t OW, int64_t SH, int64_t DH) {
    const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
    const float w6 = w[6], w7 = w[7], w8 = w[8];
    for (int64_t oy = 0; oy < OH; oy++) {
        const int64_t r = oy * SH;
        const float *e0 = E + r * We, *e1 = E + (r + DH) * We, *e2 = E + (r + 2 * DH) * We;
        const float *o0 = O + r * Wo, *o1 = O + (r + DH) * Wo, *o2 = O + (r + 2 * DH) * Wo;
        float *o = out + oy * OW;
        for (int64_t ox = 0; ox < OW; ox++)
            o[ox] = w0 * e0[ox] + w1 * o0[ox] + w2 * e0[ox + 1] + w3 * e1[ox] + w4 * o1[ox] +
                    w5 * e1[ox + 1] + w6 * e2[ox] + w7 * o2[ox] + w8 * e2[ox + 1];
    }
}

/* Depthwise 3x3 (any stride / dilation) over a padded plane: all nine taps in one loop. */
OV_VEC static void dw3x3(const float *OV_RESTRICT P, int64_t Wp, const float *OV_RESTRICT w,
                         float *OV_RESTRICT out, int64_t OH, int64_t OW, int64_t SH,
                         int64_t SW, int64_t DH, int64_t DW) {
    const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
    const float w6 = w[6], w7 = w[7], w8 = w[8];
    for (int64_t oy = 0; oy < OH; oy++) {
        const float *r0 = P + oy * SH * Wp;
        const float *r1 = r0 + DH * Wp;
        const float *r2 = r1 + DH * Wp;
        float *o = out + oy * OW;
        if (SW == 1 && DW == 1) {
            for (int64_t ox = 0; ox < OW; ox++)
                o[ox] = w0 * r0[ox] + w1 * r0[ox + 1] + w2 * r0[ox + 2] + w3 * r1[ox] +
                        w4 * r1[ox + 1] + w5 * r1[ox + 2] + w6 * r2[ox] + w7 * r2[ox + 1] +
                        w8 * r2[ox + 2];
        } else if (SW == 2 && DW == 1) {
            for (int64_t ox = 0; ox < OW; ox++) {
                int64_t x = 2 * ox;
                o[ox] = w0 * r0[x] + w1 * r0[x + 1] + w2 * r0[x + 2] + w3 * r1[x] +
                        w4 * r1[x + 1] + w5 * r1[x + 2] + w6 * r2[x] + w7 * r2[x + 1] +
                        w8 * r2[x + 2];
            }
        } else {
            for (int64_t ox = 0; ox < OW; ox++) {
                int64_t x = ox * SW;
                o[ox] = w0 * r0[x] + w1 * r0[x + DW] + w2 * r0[x + 2 * DW] + w3 * r1[x] +
                        w4 * r1[x + DW] + w5 * r1[x + 2 * DW] + w6 * r2[x] +
                        w7 * r2[x + DW] + w8 * r2[x + 2 * DW];
            }
        }
    }
}

/* Any kernel size over a padded plane: one vector loop per tap. */
OV_VEC static void dw_generic(const float *OV_RESTRICT P, int64_t Wp, const float *OV_RESTRICT w,
                              float *OV_RESTRICT out, int64_t OH, int64_t OW, int64_t KH,
                              int64_t KW, int64_t SH, int64_t SW, int64_t DH, int64_t DW) {
    for (int64_t oy = 0; oy < OH; oy++) {
        float *o = out + oy * OW;
        for (int64_t ox = 0; ox < OW; ox++) o[ox] = 0.0f;
        for (int64_t ky = 0; ky < KH; ky++) {
            const float *row = P + (oy * SH + ky * DH) * Wp;
            for (int64_t kx = 0; kx < KW; kx++) {
                const float wv = w[ky * KW + kx];
                const float *src = row + kx * DW;
                if (SW == 1) {
                    for (int64_t ox = 0; ox < OW; ox++) o[ox] += wv * src[ox];
                } else {
                    for (int64_t ox = 0; ox < OW; ox++) o[ox] += wv * src[ox * SW];
                }
            }
        }
    }
}

/* Depthwise 3x3 over a whole flattened plane, for planes whose rows are shorter than a
 * few vectors: out[n] = sum_t w[t] * src_t[n] for n < len, one contiguous loop (the
 * columns past a row's end are computed too and dropped by dw_crop). Stride 1: src_t =
 * the padded plane shifted by ky * Wp + kx; stride 2: one of four polyphase planes
 * shifted by (ky >> 1) * Wq + (kx >> 1). */
OV_VEC static void dw3x3_flat(const float *OV_RESTRICT s0, const float *OV_RESTRICT s1,
                              const float *OV_RESTRICT s2, const float *OV_RESTRICT s3,
                              const float *OV_RESTRICT s4, const float *OV_RESTRICT s5,
                              const float *OV_RESTRICT s6, const float *OV_RESTRICT s7,
                              const float *OV_RESTRICT s8, const float *OV_RESTRICT w,
                              int64_t len, float *OV_RESTRICT out) {
    const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
    const float w6 = w[6], w7 = w[7], w8 = w[8];
    for (int64_t n = 0; n < len; n++)
        out[n] = w0 * s0[n] + w1 * s1[n] + w2 * s2[n] + w3 * s3[n] + w4 * s4[n] +
                 w5 * s5[n] + w6 * s6[n] + w7 * s7[n] + w8 * s8[n];
}

/* Rows of OW outputs every ld floats of src into out, with the register epilogue's row
 * bias and ReLU / clamp (rb = 0, act = 0: a copy). */
OV_VEC static void dw_crop(const float *OV_RESTRICT src, int64_t ld, int64_t OH, int64_t OW,
                           float rb, int32_t act, float lo, float hi,
                           float *OV_RESTRICT out) {
    for (int64_t oy = 0; oy < OH; oy++) {
        const float *r = src + oy * ld;
        float *o = out + oy * OW;
        if (act == 1) {
            for (int64_t x = 0; x < OW; x++) o[x] = OV_MAX(r[x] + rb, 0.0f);
        } else if (act == 2) {
            for (int64_t x = 0; x < OW; x++) o[x] = OV_MIN(OV_MAX(r[x] + rb, lo), hi);
        } else {
            for (int64_t x = 0; x < OW; x++) o[x] = r[x] + rb;
        }
    }
}

/* The flattened path of dw_task (3x3, stride 1 or 2, no dilation, OW < 32); P: scratch. */
static void dw_small(const dw_job *j, const float *plane, const float *w, float *out,
                     int64_t n, int64_t c, float *P) {
    const ov_step *s = j->s;
    const int64_t H = s->p[2], W = s->p[3], OH = s->p[4], OW = s->p[5], SW = s->p[9];
    const int64_t PH = s->p[12], PW = s->p[13];
    const float *src[9];
    int64_t ld;
    float *flat;
    if (SW == 1) {
        const int64_t Hp = OH + 2, Wp = OW + 2;
        /* zero the plane at once, then the rows in short loops (no call per row) */
        memset(P, 0, (size_t)(Hp * Wp + 8) * 4);
        const int64_t x0 = OV_MAX(PW, 0), x1 = OV_MIN(W + PW, Wp);
        for (int64_t iy = OV_MAX(0, -PH); iy < H && iy + PH < Hp; iy++) {
            const float *xr = plane + iy * W - PW;
            float *d = P + (iy + PH) * Wp;
            for (int64_t q = x0; q < x1; q++) d[q] = xr[q];
        }
        for (int t = 0; t < 9; t++) src[t] = P + (t / 3) * Wp + t % 3;
        ld = Wp;
        flat = P + Hp * Wp + 8;
    } else {
        /* polyphase plane (a, b) row i, column q = padded (2 i + a, 2 q + b) */
        const int64_t Hq = OH + 1, Wq = OW + 1, PS = Hq * Wq + 8;
        memset(P, 0, (size_t)(4 * PS) * 4);
        for (int64_t r = OV_MAX(PH, 0); r < 2 * Hq && r - PH < H; r++) {
            const float *xr = plane + (r - PH) * W;
            for (int b = 0; b < 2; b++) {
                /* padded column 2 q + b reads input column 2 q + b - PW */
                float *d = P + (2 * (r & 1) + b) * PS + (r >> 1) * Wq;
                const int64_t lo = OV_MAX(0, (PW - b + 1) / 2);
                const int64_t hi = OV_MIN(Wq, (W - 1 + PW - b) / 2 + 1);
                for (int64_t q = lo; q < hi; q++) d[q] = xr[2 * q + b - PW];
            }
        }
        for (int t = 0; t < 9; t++) {
            const int ky = t / 3, kx = t % 3;
            src[t] = P + (2 * (ky & 1) + (kx & 1)) * PS + (ky >> 1) * Wq + (kx >> 1);
        }
        ld = Wq;
        flat = P + 4 * PS;
    }
    dw3x3_flat(src[0], src[1], src[2], src[3], src[4], src[5], src[6], src[7], src[8], w,
               OH * ld, flat);
    /* the register epilogue when the post ops are a channel bias and ReLU / clamp */
    ov_ep ep;
    if (ov_make_ep(&j->posts, n, &ep) && !ep.colb && !ep.tadd) {
        dw_crop(flat, ld, OH, OW, ep.rowb ? ep.rowb[c] : 0.0f, ep.act, ep.lo, ep.hi, out);
    } else {
        dw_crop(flat, ld, OH, OW, 0.0f, 0, 0.0f, 0.0f, out);
        ov_posts_apply(&j->posts, out, OH * OW, c, 0, 1, OH * OW, n);
    }
}

static void dw_task(void *ctx, int64_t t, int32_t tid) {
    dw_job *j = (dw_job *)ctx;
    const ov_step *s = j->s;
    const int64_t C = s->p[1], H = s->p[2], W = s->p[3], OH = s->p[4], OW = s->p[5];
    const int64_t KH = s->p[6], KW = s->p[7], SH = s->p[8], SW = s->p[9];
    const int64_t DH = s->p[10], DW = s->p[11], PH = s->p[12], PW = s->p[13];
    int64_t n = t / C, c = t % C;
    const float *plane = (const float *)j->ptr[0] + t * H * W;
    const float *w = (const float *)j->ptr[1] + c * KH * KW;
    float *out = (float *)j->ptr[2] + t * OH * OW;
    /* the padded plane covers every row / column a window reaches */
    const int64_t Hp = (OH - 1) * SH + (KH - 1) * DH + 1;
    const int64_t Wp = (OW - 1) * SW + (KW - 1) * DW + 1;
    float *P = ov_pool_scratch(j->pool, tid);
    if (KH == 3 && KW == 3 && SH == SW && (SW == 1 || SW == 2) && DH == 1 && DW == 1 &&
        OW < 32) {
        dw_small(j, plane, w, out, n, c, P);
        return;
    }
    if (KH == 3 && KW == 3 && SW == 2 && DW == 1) {
        const int64_t We = (Wp + 1) / 2, Wo = Wp / 2;
        float *E = P, *O = E + Hp * We;
        ov_pad_split(plane, H, W, PH, PW, Hp, We, Wo, 0.0f, E, O);
        dw3x3_s2(E, O, We, Wo, w, out, OH, OW, SH, DH);
        ov_posts_apply(&j->posts, out, OH * OW, c, 0, 1, OH * OW, n);
        return;
    }
    ov_pad_plane(plane, H, W, PH, PW, Hp, Wp, 0.0f, P);
    if (KH == 3 && KW == 3) {
        dw3x3(P, Wp, w, out, OH, OW, SH, SW, DH, DW);
    } else {
        dw_generic(P, Wp, w, out, OH, OW, KH, KW, SH, SW, DH, DW);
    }
    ov_posts_apply(&j->posts, out, OH * OW, c, 0, 1, OH * OW, n);
}

int32_t ov_k_dwconv(const ov_step *s, char *const *ptr, ov_pool *pool) {
    dw_job j;
    j.s = s;
    j.ptr = ptr;
    j.pool = pool;
    ov_posts_init(&j.posts, s, ptr);
    const int64_t Hp = (s->p[4] - 1) * s->p[8] + (s->p[6] - 1) * s->p[10] + 1;
    const int64_t Wp = (s->p[5] - 1) * s->p[9] + (s->p[7] - 1) * s->p[11] + 1;
    /* dw_small: four polyphase planes (or one padded plane) and the flat output */
    if (2 * Hp * Wp * 4 + 64 > ov_scratch_bytes() ||
        (s->p[5] < 32 && (5 * (s->p[4] + 2) * (s->p[5] + 2) + 64) * 4 > ov_scratch_bytes())) {
        ov_set_error("depthwise convolution: plane too large for the scratch buffer");
        return 1;
    }
    int64_t planes = s->p[0] * s->p[1];
    if (planes * s->p[4] * s->p[5] * s->p[6] * s->p[7] < 65536) {
        for (int64_t t = 0; t < planes; t++) dw_task(&j, t, ov_current_tid());
        return 0;
    }
    ov_parallel(pool, planes, dw_task, &j);
    return 0;
}
