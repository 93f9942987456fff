/* Winograd F(4x4, 3x3) convolution (OV_K_CONV mode 3: 3x3, stride 1, no dilation, one
 * group), on plain NCHW data.
 *
 * The output is cut in TH x TW tiles of 4 x 4 (the last ones cropped); tile (ty, tx) reads
 * the 6 x 6 window of the padded input at rows 4 ty .., columns 4 tx ... Per image:
 *
 * 1. input transform, per input channel c (tasks): the padded plane is written to the
 *    thread's scratch split in 16 phase planes (row and column modulo 4), so that window
 *    element (j, k) of every tile is one contiguous run of a plane; then V[xi][c][f] =
 *    (B^T d B)[xi] for the 36 positions xi of every tile f (rows of ldt floats);
 * 2. 36 products Z[xi] (M x T) = U[xi] (M x C) * V[xi] (C x T) through the direct
 *    convolution's micro-kernel (kernels/conv_ukr.c: U packed at compile time in panels of
 *    OV_CONV_MR output channels, rows of V read in place), tasks over xi x channel chunks;
 * 3. output transform, per output channel m (tasks): Y = A^T Z A per tile, vectorised
 *    along the tiles, interleaved back into rows of Y with the post ops (the register epilogue's
 *    bias / column bias / residual add / ReLU / clamp inline, anything else after).
 *
 * U = G g G^T is computed at compile time (compiler/lower_compute.py, in f64). The
 * interpolation points 0, +-1, +-2, infinity keep the f32 error near 1e-6 of the output's
 * magnitude on He-scaled layers (tests/test_winograd.py measures it).
 *
 * F(2x2, 3x3) (p[23] = 2; small planes, where 4x4 tiles would be few and mostly
 * cropped) is the same with 2 x 2 output tiles, 4 x 4 windows, 16 positions and 4 phase
 * planes.
 *
 * p: 0 .. 18 as OV_K_CONV (16: OV_CONV_MR), 19 = 3, 20 TH, 21 TW (tiles per column / row),
 *    22 ldt (floats per row of V and Z, >= TH * (TW + 1)), 23 output tile size (0 or 4, 2).
 * bufs: 0 X, 1 U ([P][ceil(M / MR)][C][MR], P = 36 or 16 positions), 2 Y, 3 V (P x C x ldt
 *    floats), 4 Z (P x M x ldt floats), then the post-op operands.
 *
 * Mode 8 (p[19] = 8, the default where it fits; see "mode 8" below) runs the same stages
 * fused per run of tiles in each thread's scratch: p[22] is then the longest run (columns)
 * and buffers 3 and 4 are unused.
 */
#include "ov_internal.h"

/* output tile size: 4 (F(4x4, 3x3), p[23] = 0 or 4) or 2 (F(2x2, 3x3), p[23] = 2) */
#define WINO_R(s) ((s)->p[23] == 2 ? 2 : 4)

#ifndef WINO_KC
#define WINO_KC 128
#endif

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_pool *pool;
    ov_ep ep;
    int fast_ep;
    int64_t n, mchunks, nchunks, nr;
    ov_conv_ukr_fn ukr;
} wino_job;

/* Tile (ty, tx) is column f = ty * Wq + tx of V and Z (Wq = TW + 1: one column per tile row
 * is not a tile; the products compute it and the output transform skips it), so that
 * every transform runs over all the tiles of a plane in one contiguous loop. */

/* floats of per-thread scratch the transforms need (checked by the caller) */
static int64_t wino_scratch_floats(const ov_step *s) {
    const int64_t TH = s->p[20], TW = s->p[21], Wq = TW + 1, n = TH * Wq;
    const int64_t R = WINO_R(s), A = R + 2;
    const int64_t in = R * Wq + 16 + R * R * ((TH + 1) * Wq + 16) + A * A * n + 16;
    const int64_t out = R * A * n + 16 + R * R * n + 16;
    return OV_MAX(in, out) + 64;
}

/* Row iy of x (W floats) as the R phases of its padded row: q[p * qs + i] = padded (4 i + p)
 * (R = 4) or (2 i + p) (R = 2) = x[R i + p - PW], 0 outside, for i < Wq. Read straight from
 * x (a copy of the row first made every load after it wait on the copy's stores). */
OV_VEC static void wino_phases(const float *OV_RESTRICT x, int64_t W, int64_t PW, int64_t Wq,
                               int64_t R, int64_t qs, float *OV_RESTRICT q) {
    /* columns i whose R phases all lie inside the row: R i - PW >= 0, R i + R - 1 - PW < W */
    int64_t lo = (PW + R - 1) / R, hi = W + PW >= R ? (W + PW - R) / R + 1 : 0;
    lo = OV_MIN(lo, Wq);
    hi = OV_MAX(OV_MIN(hi, Wq), lo);
    for (int64_t p = 0; p < R; p++) {
        float *qp = q + p * qs;
        for (int64_t i = 0; i < lo; i++) {
            const int64_t c = R * i + p - PW;
            qp[i] = c >= 0 && c < W ? x[c] : 0.0f;
        }
        for (int64_t i = hi; i < Wq; i++) {
            const int64_t c = R * i + p - PW;
            qp[i] = c >= 0 && c < W ? x[c] : 0.0f;
        }
    }
    const float *xs = x + R * lo - PW;
    const int64_t n = hi - lo;
    if (R == 4) {
        float *OV_RESTRICT q0 = q + lo, *OV_RESTRICT q1 = q0 + qs, *OV_RESTRICT q2 = q1 + qs;
        float *OV_RESTRICT q3 = q2 + qs;
        for (int64_t i = 0; i < n; i++) {
            q0[i] = xs[4 * i];
            q1[i] = xs[4 * i + 1];
            q2[i] = xs[4 * i + 2];
            q3[i] = xs[4 * i + 3];
        }
    } else {
        float *OV_RESTRICT q0 = q + lo, *OV_RESTRICT q1 = q0 + qs;
        for (int64_t i = 0; i < n; i++) {
            q0[i] = xs[2 * i];
            q1[i] = xs[2 * i + 1];
        }
    }
}

/* One channel split in 16 phase planes: Q[(rp * 4 + cp) * Qs + ty * Wq + x'] = padded
 * (4 ty + rp, 4 x' + cp) = X[4 ty + rp - PH][4 x' + cp - PW] (0 outside). */
static void wino_split(const float *OV_RESTRICT x, int64_t H, int64_t W, int64_t PH,
                       int64_t PW, int64_t TH, int64_t Wq, int64_t Qs, float *OV_RESTRICT Q) {
    for (int64_t r = 0; r < 4 * (TH + 1); r++) {
        float *q0 = Q + (r & 3) * 4 * Qs + (r >> 2) * Wq;
        const int64_t iy = r - PH;
        if (iy < 0 || iy >= H) {
            for (int64_t p = 0; p < 4; p++) memset(q0 + p * Qs, 0, (size_t)Wq * 4);
            continue;
        }
        wino_phases(x + iy * W, W, PW, Wq, 4, Qs, q0);
    }
}

/* F(2x2, 3x3): the plane split in 4 phase planes, Q[(rp * 2 + cp) * Qs + ty * Wq + x'] =
 * padded (2 ty + rp, 2 x' + cp). */
static void wino_split2(const float *OV_RESTRICT x, int64_t H, int64_t W, int64_t PH,
                        int64_t PW, int64_t TH, int64_t Wq, int64_t Qs, float *OV_RESTRICT Q) {
    for (int64_t r = 0; r < 2 * (TH + 1); r++) {
        float *q0 = Q + (r & 1) * 2 * Qs + (r >> 1) * Wq;
        const int64_t iy = r - PH;
        if (iy < 0 || iy >= H) {
            for (int64_t p = 0; p < 2; p++) memset(q0 + p * Qs, 0, (size_t)Wq * 4);
            continue;
        }
        wino_phases(x + iy * W, W, PW, Wq, 2, Qs, q0);
    }
}

/* F(2x2, 3x3)'s B^T along one axis: four input runs, four output runs. */
OV_VEC static void wino_bt2(const float *OV_RESTRICT d0, const float *OV_RESTRICT d1,
                            const float *OV_RESTRICT d2, const float *OV_RESTRICT d3, int64_t n,
                            float *OV_RESTRICT o0, float *OV_RESTRICT o1, float *OV_RESTRICT o2,
                            float *OV_RESTRICT o3) {
    for (int64_t x = 0; x < n; x++) {
        o0[x] = d0[x] - d2[x];
        o1[x] = d1[x] + d2[x];
        o2[x] = d2[x] - d1[x];
        o3[x] = d1[x] - d3[x];
    }
}

/* F(2x2, 3x3)'s A^T along one axis: four input runs, two output runs (interleaved into
 * o[2 x + q] when il). */
OV_VEC static void wino_at2(const float *OV_RESTRICT z0, const float *OV_RESTRICT z1,
                            const float *OV_RESTRICT z2, const float *OV_RESTRICT z3, int64_t n,
                            float *OV_RESTRICT o0, float *OV_RESTRICT o1) {
    for (int64_t x = 0; x < n; x++) {
        o0[x] = z0[x] + z1[x] + z2[x];
        o1[x] = z1[x] - z2[x] - z3[x];
    }
}

OV_VEC static void wino_at2_interleave(const float *OV_RESTRICT z0, const float *OV_RESTRICT z1,
                                       const float *OV_RESTRICT z2, const float *OV_RESTRICT z3,
                                       int64_t n, float *OV_RESTRICT o) {
    for (int64_t x = 0; x < n; x++) {
        o[2 * x] = z0[x] + z1[x] + z2[x];
        o[2 * x + 1] = z1[x] - z2[x] - z3[x];
    }
}

/* The 1-D input transform B^T along one axis for n positions: six input runs, six output
 * runs. */
OV_VEC static void wino_bt(const float *OV_RESTRICT d0, const float *OV_RESTRICT d1,
                           const float *OV_RESTRICT d2, const float *OV_RESTRICT d3,
                           const float *OV_RESTRICT d4, const float *OV_RESTRICT d5,
                           int64_t n, float *OV_RESTRICT o0, float *OV_RESTRICT o1,
                           float *OV_RESTRICT o2, float *OV_RESTRICT o3,
                           float *OV_RESTRICT o4, float *OV_RESTRICT o5) {
    for (int64_t x = 0; x < n; x++) {
        const float a = d1[x], b = d2[x], c = d3[x], e = d4[x];
        o0[x] = 4.0f * d0[x] - 5.0f * b + e;
        o1[x] = -4.0f * (a + b) + c + e;
        o2[x] = 4.0f * (a - b) - c + e;
        o3[x] = -2.0f * (a - c) - b + e;
        o4[x] = 2.0f * (a - c) - b + e;
        o5[x] = 4.0f * a - 5.0f * c + d5[x];
    }
}

static void wino_in_task(void *ctx, int64_t c, int32_t tid) {
    wino_job *j = (wino_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3];
    const int64_t PH = s->p[13], PW = s->p[14], TH = s->p[20], TW = s->p[21], ldt = s->p[22];
    const int64_t Wq = TW + 1, n = TH * Wq, Qs = (TH + 1) * Wq + 16;
    float *scratch = ov_pool_scratch(j->pool, tid);
    const int64_t R = WINO_R(s), npos = (R + 2) * (R + 2);
    float *Q = scratch + R * Wq + 16, *tb = Q + R * R * Qs;
    float *V = (float *)j->ptr[3] + c * ldt;
    const int64_t vs = Cc * ldt;
    if (R == 2) {
        wino_split2((const float *)j->ptr[0] + (j->n * Cc + c) * H * W, H, W, PH, PW, TH, Wq,
                    Qs, Q);
        /* window (j, k) of tile f in phase plane (j & 1, k & 1) at f + (j >> 1) Wq + (k >> 1) */
        for (int k = 0; k < 4; k++) {
            const float *d[4];
            for (int jj = 0; jj < 4; jj++)
                d[jj] = Q + ((jj & 1) * 2 + (k & 1)) * Qs + (jj >> 1) * Wq + (k >> 1);
            wino_bt2(d[0], d[1], d[2], d[3], n, tb + k * n, tb + (4 + k) * n,
                     tb + (8 + k) * n, tb + (12 + k) * n);
        }
        for (int i = 0; i < 4; i++) {
            const float *t = tb + i * 4 * n;
            float *o = V + i * 4 * vs;
            wino_bt2(t, t + n, t + 2 * n, t + 3 * n, n, o, o + vs, o + 2 * vs, o + 3 * vs);
        }
    } else {
        wino_split((const float *)j->ptr[0] + (j->n * Cc + c) * H * W, H, W, PH, PW, TH, Wq,
                   Qs, Q);
        /* columns first: tb[(i * 6 + k) * n + f] = sum_j BT[i][j] d[j][k]; window (j, k) of
         * tile f in phase plane (j & 3, k & 3) at f + (j >> 2) * Wq + (k >> 2) */
        for (int k = 0; k < 6; k++) {
            const float *d[6];
            for (int jj = 0; jj < 6; jj++)
                d[jj] = Q + ((jj & 3) * 4 + (k & 3)) * Qs + (jj >> 2) * Wq + (k >> 2);
            wino_bt(d[0], d[1], d[2], d[3], d[4], d[5], n, tb + k * n, tb + (6 + k) * n,
                    tb + (12 + k) * n, tb + (18 + k) * n, tb + (24 + k) * n,
                    tb + (30 + k) * n);
        }
        for (int i = 0; i < 6; i++) {
            const float *t = tb + i * 6 * n;
            float *o = V + i * 6 * vs;
            wino_bt(t, t + n, t + 2 * n, t + 3 * n, t + 4 * n, t + 5 * n, n, o, o + vs,
                    o + 2 * vs, o + 3 * vs, o + 4 * vs, o + 5 * vs);
        }
    }
    if (ldt > n)
        for (int64_t xi = 0; xi < npos; xi++)
            memset(V + xi * vs + n, 0, (size_t)(ldt - n) * 4);
}

/* Z[xi][m0:m1][n0:n1] for xi = t / (mchunks * nchunks) */
static void wino_gemm_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    wino_job *j = (wino_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], M = s->p[4], MRp = s->p[16], ldt = s->p[22];
    const int64_t T = s->p[20] * (s->p[21] + 1);
    const int64_t nc = t % j->nchunks, rest = t / j->nchunks;
    const int64_t mc = rest % j->mchunks, xi = rest / j->mchunks;
    const int64_t m0 = ov_split(M, j->mchunks, mc, MRp), m1 = ov_split(M, j->mchunks, mc + 1, MRp);
    const int64_t n0 = ov_split(T, j->nchunks, nc, j->nr);
    const int64_t n1 = ov_split(T, j->nchunks, nc + 1, j->nr);
    if (m1 <= m0 || n1 <= n0) return;
    const int64_t mpad = (M + MRp - 1) / MRp * MRp;
    const float *U = (const float *)j->ptr[1] + xi * mpad * Cc;
    const float *V = (const float *)j->ptr[3] + xi * Cc * ldt;
    float *Z = (float *)j->ptr[4] + xi * M * ldt;
    const float *rows[WINO_KC];
    for (int64_t pc = 0; pc < Cc; pc += WINO_KC) {
        const int64_t kc = OV_MIN(WINO_KC, Cc - pc);
        for (int64_t k = 0; k < kc; k++) rows[k] = V + (pc + k) * ldt;
        for (int64_t n = n0; n < n1; n += j->nr) {
            const int32_t ncols = (int32_t)OV_MIN(j->nr, n1 - n);
            for (int64_t ir = m0; ir < m1; ir += MRp) {
                const float *ap = U + (ir / MRp) * Cc * MRp + pc * MRp;
                j->ukr(kc, ap, rows, n, Z + ir * ldt + n, ldt, pc > 0, NULL,
                       (int32_t)OV_MIN(MRp, m1 - ir), ncols, NULL, 0);
            }
        }
    }
}

/* The 1-D output transform A^T for n positions: six input runs, four output runs. */
OV_VEC static void wino_at(const float *OV_RESTRICT z0, const float *OV_RESTRICT z1,
                           const float *OV_RESTRICT z2, const float *OV_RESTRICT z3,
                           const float *OV_RESTRICT z4, const float *OV_RESTRICT z5,
                           int64_t n, float *OV_RESTRICT o0, float *OV_RESTRICT o1,
                           float *OV_RESTRICT o2, float *OV_RESTRICT o3) {
    for (int64_t x = 0; x < n; x++) {
        const float a = z1[x] + z2[x], b = z1[x] - z2[x];
        const float c = z3[x] + z4[x], d = z3[x] - z4[x];
        o0[x] = z0[x] + a + c;
        o1[x] = b + 2.0f * d;
        o2[x] = a + 4.0f * c;
        o3[x] = b + 8.0f * d + z5[x];
    }
}

/* A^T along the other axis, the four results of each position interleaved (o[4 x + q]):
 * output row r of tile-row ty is then o + 4 ty Wq, contiguous. */
OV_VEC static void wino_at_interleave(const float *OV_RESTRICT z0, const float *OV_RESTRICT z1,
                                      const float *OV_RESTRICT z2, const float *OV_RESTRICT z3,
                                      const float *OV_RESTRICT z4, const float *OV_RESTRICT z5,
                                      int64_t n, float *OV_RESTRICT o) {
    for (int64_t x = 0; x < n; x++) {
        const float a = z1[x] + z2[x], b = z1[x] - z2[x];
        const float c = z3[x] + z4[x], d = z3[x] - z4[x];
        o[4 * x] = z0[x] + a + c;
        o[4 * x + 1] = b + 2.0f * d;
        o[4 * x + 2] = a + 4.0f * c;
        o[4 * x + 3] = b + 8.0f * d + z5[x];
    }
}

/* y[0:n] = src + the register epilogue's operations (row bias rb; column bias, residual
 * at cb / ta when not NULL; act 1 ReLU, 2 clamp). */
OV_VEC static void wino_epilogue(const float *OV_RESTRICT src, int64_t n, float rb,
                                 const float *OV_RESTRICT cb, const float *OV_RESTRICT ta,
                                 int32_t act, float lo, float hi, float *OV_RESTRICT y) {
    for (int64_t x = 0; x < n; x++) y[x] = src[x] + rb;
    if (cb)
        for (int64_t x = 0; x < n; x++) y[x] += cb[x];
    if (ta)
        for (int64_t x = 0; x < n; x++) y[x] += ta[x];
    if (act == 1)
        for (int64_t x = 0; x < n; x++) y[x] = y[x] > 0.0f ? y[x] : 0.0f;
    else if (act == 2)
        for (int64_t x = 0; x < n; x++) y[x] = y[x] < lo ? lo : (y[x] > hi ? hi : y[x]);
}

static void wino_out_task(void *ctx, int64_t m, int32_t tid) {
    wino_job *j = (wino_job *)ctx;
    const ov_step *s = j->s;
    const int64_t M = s->p[4], OH = s->p[5], OW = s->p[6];
    const int64_t TH = s->p[20], TW = s->p[21], ldt = s->p[22];
    const int64_t Wq = TW + 1, n = TH * Wq, R = WINO_R(s);
    float *tb = ov_pool_scratch(j->pool, tid), *O = tb + R * (R + 2) * n + 16;
    const float *Z = (const float *)j->ptr[4] + m * ldt;
    float *Y = (float *)j->ptr[2] + (j->n * M + m) * OH * OW;
    const int64_t zs = M * ldt;
    if (R == 2) {
        /* tb[(r * 4 + k) * n + f] = sum_i AT[r][i] z[4 i + k]; O[r][2 f + q] */
        for (int k = 0; k < 4; k++) {
            const float *zk = Z + k * zs;
            wino_at2(zk, zk + 4 * zs, zk + 8 * zs, zk + 12 * zs, n, tb + k * n,
                     tb + (4 + k) * n);
        }
        for (int r = 0; r < 2; r++) {
            const float *t = tb + r * 4 * n;
            wino_at2_interleave(t, t + n, t + 2 * n, t + 3 * n, n, O + r * 2 * n);
        }
    } else {
        /* tb[(r * 6 + k) * n + f] = sum_i AT[r][i] z[6 i + k] */
        for (int k = 0; k < 6; k++) {
            const float *zk = Z + k * zs;
            wino_at(zk, zk + 6 * zs, zk + 12 * zs, zk + 18 * zs, zk + 24 * zs, zk + 30 * zs,
                    n, tb + k * n, tb + (6 + k) * n, tb + (12 + k) * n, tb + (18 + k) * n);
        }
        /* O[r][4 f + q] */
        for (int r = 0; r < 4; r++) {
            const float *t = tb + r * 6 * n;
            wino_at_interleave(t, t + n, t + 2 * n, t + 3 * n, t + 4 * n, t + 5 * n, n,
                               O + r * 4 * n);
        }
    }
    const ov_ep *ep = j->fast_ep ? &j->ep : NULL;
    for (int64_t oy = 0; oy < OH; oy++) {
        const float *src = O + (oy % R) * R * n + (oy / R) * R * Wq;
        float *y = Y + oy * OW;
        if (!ep) {
            memcpy(y, src, (size_t)OW * 4);
            continue;
        }
        wino_epilogue(src, OW, ep->rowb ? ep->rowb[m] : 0.0f,
                      ep->colb ? ep->colb + oy * OW : NULL,
                      ep->tadd ? ep->tadd + m * ep->tadd_ld + oy * OW : NULL, ep->act, ep->lo,
                      ep->hi, y);
    }
    if (!j->fast_ep && j->posts->n) ov_posts_apply(j->posts, Y, OH * OW, m, 0, 1, OH * OW, j->n);
}

/* --- mode 8: the three stages fused per block of tiles ------------------------------------
 *
 * The plane-wide stages above write V (P x C x ldt floats) and Z (P x M x ldt) for the whole
 * image: several MB on DenseNet's and ResNet-50's 56 x 56 layers, past L2, so every stage
 * streams them through memory, and each stage ends in a barrier. Mode 8 cuts the columns
 * f = ty * Wq + tx of V and Z (the layout above, one column per tile row not a tile) in
 * runs of at most nb columns, one task per run and image, on one thread each:
 *
 * 1. the input transform of the run's tiles for every input channel into Vb (P x C x ldb,
 *    ldb = nb rounded up to 16), from the phase planes of the run's tile rows only;
 * 2. per panel of OV_CONV_MR output channels, the P products Zp[xi] (MR x run) =
 *    U[xi] (panel) * Vb[xi] through the convolution micro-kernel,
 * 3. and right away that panel's output transform and epilogue into Y.
 *
 * Vb, Zp and the transforms' rows live in the thread's scratch and stay in L2; the only
 * barrier is the end of the step. p[22] is the largest run that fits (the lowering sizes
 * it: wino8_floats); the kernel picks the run per pool width so that every thread gets an
 * equal share of whole micro-kernel tiles, and where the runs do not divide evenly between
 * the threads, splits the output channel panels of a run between tasks (wino8_split). */

static int64_t wino_al16(int64_t x) { return (x + 15) & ~(int64_t)15; }

typedef struct {
    int64_t ldb, Qs, vb, zp, work;
} wino8_geo;

/* scratch floats of mode 8 for runs of at most nb columns (mirrored by the lowering) */
static wino8_geo wino8_geometry(const ov_step *s, int64_t nb) {
    const int64_t C = s->p[1], Wq = s->p[21] + 1, R = WINO_R(s), npos = (R + 2) * (R + 2);
    wino8_geo g;
    g.ldb = wino_al16(nb);
    /* tile rows a run of nb columns touches, and one more for the windows' last rows */
    const int64_t nty = (nb + Wq - 2) / Wq + 1;
    g.Qs = (nty + 1) * Wq + 16;
    g.vb = npos * C * g.ldb;
    g.zp = npos * OV_CONV_MR * g.ldb;
    const int64_t in = wino_al16(R * Wq + 16) + wino_al16(R * R * g.Qs) + npos * g.ldb;
    const int64_t out = R * (R + 2) * g.ldb + R * R * g.ldb + 16;
    g.work = OV_MAX(in, out);
    return g;
}

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_pool *pool;
    ov_conv_ukr_fn ukr;
    int64_t nr, nb, nblk;
    int64_t nfull, mpf, mpl; /* full runs per image; panel groups of a full / the last run */
    wino8_geo g;
} wino8_job;

/* Vb[xi][c][0:n] for the columns f0 .. f0 + n of image plane x */
static void wino8_input(const wino8_job *j, const float *x, int64_t f0, int64_t n, float *Vb,
                        float *work) {
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], PH = s->p[13], PW = s->p[14];
    const int64_t Wq = s->p[21] + 1, R = WINO_R(s), ldb = j->g.ldb, vs = Cc * ldb;
    const int64_t ty0 = f0 / Wq, nty = (f0 + n - 1) / Wq - ty0 + 1, off = f0 - ty0 * Wq;
    const int64_t Qs = (nty + 1) * Wq + 16;
    float *Q = work + wino_al16(R * Wq + 16), *tb = Q + wino_al16(R * R * j->g.Qs);
    /* input rows the run reads: the next channel's are prefetched while one is split (its
     * rows are a few cache lines each, a plane apart: no hardware prefetcher follows that) */
    const int64_t iy0 = OV_MAX(R * ty0 - PH, 0), iy1 = OV_MIN(R * (ty0 + nty + 1) - PH, H);
    for (int64_t c = 0; c < Cc; c++) {
        const float *xc = x + c * H * W;
        float *V = Vb + c * ldb;
        if (c + 1 < Cc)
            for (int64_t iy = iy0; iy < iy1; iy++) {
                const char *rowp = (const char *)(xc + H * W + iy * W);
                for (int64_t b = 0; b < W * 4; b += 64) __builtin_prefetch(rowp + b, 0, 3);
                __builtin_prefetch(rowp + W * 4 - 1, 0, 3);
            }
        if (R == 2) {
            wino_split2(xc, H, W, PH - 2 * ty0, PW, nty, Wq, Qs, Q);
            for (int k = 0; k < 4; k++) {
                const float *d[4];
                for (int jj = 0; jj < 4; jj++)
                    d[jj] = Q + ((jj & 1) * 2 + (k & 1)) * Qs + (jj >> 1) * Wq + (k >> 1) + off;
                wino_bt2(d[0], d[1], d[2], d[3], n, tb + k * n, tb + (4 + k) * n,
                         tb + (8 + k) * n, tb + (12 + k) * n);
            }
            for (int i = 0; i < 4; i++) {
                const float *t = tb + i * 4 * n;
                float *o = V + i * 4 * vs;
                wino_bt2(t, t + n, t + 2 * n, t + 3 * n, n, o, o + vs, o + 2 * vs, o + 3 * vs);
            }
        } else {
            wino_split(xc, H, W, PH - 4 * ty0, PW, nty, Wq, Qs, Q);
            for (int k = 0; k < 6; k++) {
                const float *d[6];
                for (int jj = 0; jj < 6; jj++)
                    d[jj] = Q + ((jj & 3) * 4 + (k & 3)) * Qs + (jj >> 2) * Wq + (k >> 2) + off;
                wino_bt(d[0], d[1], d[2], d[3], d[4], d[5], n, tb + k * n, tb + (6 + k) * n,
                        tb + (12 + k) * n, tb + (18 + k) * n, tb + (24 + k) * n,
                        tb + (30 + k) * n);
            }
            for (int i = 0; i < 6; i++) {
                const float *t = tb + i * 6 * n;
                float *o = V + i * 6 * vs;
                wino_bt(t, t + n, t + 2 * n, t + 3 * n, t + 4 * n, t + 5 * n, n, o, o + vs,
                        o + 2 * vs, o + 3 * vs, o + 4 * vs, o + 5 * vs);
            }
        }
    }
}

/* output channel m of image b, columns f0 .. f0 + n, from z (position xi at z + xi * zs) */
static void wino8_output(const wino8_job *j, const float *z, int64_t zs, int64_t f0, int64_t n,
                         int64_t b, int64_t m, const ov_ep *ep, float *work) {
    const ov_step *s = j->s;
    const int64_t M = s->p[4], OH = s->p[5], OW = s->p[6], TW = s->p[21], Wq = TW + 1;
    const int64_t R = WINO_R(s);
    float *tb = work, *O = work + R * (R + 2) * j->g.ldb;
    if (R == 2) {
        for (int k = 0; k < 4; k++) {
            const float *zk = z + k * zs;
            wino_at2(zk, zk + 4 * zs, zk + 8 * zs, zk + 12 * zs, n, tb + k * n,
                     tb + (4 + k) * n);
        }
        for (int r = 0; r < 2; r++) {
            const float *t = tb + r * 4 * n;
            wino_at2_interleave(t, t + n, t + 2 * n, t + 3 * n, n, O + r * 2 * n);
        }
    } else {
        for (int k = 0; k < 6; k++) {
            const float *zk = z + k * zs;
            wino_at(zk, zk + 6 * zs, zk + 12 * zs, zk + 18 * zs, zk + 24 * zs, zk + 30 * zs,
                    n, tb + k * n, tb + (6 + k) * n, tb + (12 + k) * n, tb + (18 + k) * n);
        }
        for (int r = 0; r < 4; r++) {
            const float *t = tb + r * 6 * n;
            wino_at_interleave(t, t + n, t + 2 * n, t + 3 * n, t + 4 * n, t + 5 * n, n,
                               O + r * 4 * n);
        }
    }
    float *Y = (float *)j->ptr[2] + (b * M + m) * OH * OW;
    const int64_t f1 = f0 + n;
    for (int64_t ty = f0 / Wq; ty * Wq < f1; ty++) {
        /* the run's tiles of tile row ty (never its last column, which is no tile) */
        const int64_t fs = OV_MAX(f0, ty * Wq), fe = OV_MIN(f1, ty * Wq + TW);
        if (fs >= fe) continue;
        const int64_t x0 = R * (fs - ty * Wq), x1 = OV_MIN(R * (fe - ty * Wq), OW);
        for (int64_t rr = 0; rr < R && R * ty + rr < OH; rr++) {
            const int64_t oy = R * ty + rr;
            const float *src = O + rr * R * n + R * (fs - f0);
            float *y = Y + oy * OW + x0;
            if (ep) {
                wino_epilogue(src, x1 - x0, ep->rowb ? ep->rowb[m] : 0.0f,
                              ep->colb ? ep->colb + oy * OW + x0 : NULL,
                              ep->tadd ? ep->tadd + m * ep->tadd_ld + oy * OW + x0 : NULL,
                              ep->act, ep->lo, ep->hi, y);
            } else {
                memcpy(y, src, (size_t)(x1 - x0) * 4);
                if (j->posts->n)
                    ov_posts_apply(j->posts, y, OW, m, oy * OW + x0, 1, x1 - x0, b);
            }
        }
    }
}

static int64_t wino8_full_tasks(const wino8_job *j) { return j->s->p[0] * j->nfull * j->mpf; }

static void wino8_task(void *ctx, int64_t t, int32_t tid) {
    const wino8_job *j = (const wino8_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], M = s->p[4];
    const int64_t T = s->p[20] * (s->p[21] + 1), R = WINO_R(s), npos = (R + 2) * (R + 2);
    const int64_t MR = OV_CONV_MR, mpanels = (M + MR - 1) / MR, ldb = j->g.ldb;
    /* tasks: (image, full run, panel group) first, then (image, panel group) of the last,
     * shorter run where there is one */
    const int64_t first = wino8_full_tasks(j);
    int64_t b, blk, grp, parts;
    if (t < first) {
        b = t / (j->nfull * j->mpf);
        blk = t / j->mpf % j->nfull;
        grp = t % j->mpf;
        parts = j->mpf;
    } else {
        b = (t - first) / j->mpl;
        blk = j->nfull;
        grp = (t - first) % j->mpl;
        parts = j->mpl;
    }
    const int64_t f0 = blk * j->nb, n = OV_MIN(j->nb, T - f0);
    const int64_t p0 = ov_split(mpanels, parts, grp, 1), p1 = ov_split(mpanels, parts, grp + 1, 1);
    if (n <= 0 || p1 <= p0) return;
    float *Vb = ov_pool_scratch(j->pool, tid), *Zp = Vb + j->g.vb, *work = Zp + j->g.zp;
    ov_ep epv;
    const ov_ep *ep = ov_make_ep(j->posts, b, &epv) ? &epv : NULL;
    wino8_input(j, (const float *)j->ptr[0] + b * Cc * H * W, f0, n, Vb, work);
    const float *U = (const float *)j->ptr[1];
    const float *rows[WINO_KC];
    for (int64_t p = p0; p < p1; p++) {
        const int64_t m0 = p * MR;
        const int32_t r = (int32_t)OV_MIN(MR, M - m0);
        for (int64_t xi = 0; xi < npos; xi++) {
            const float *ap = U + (xi * mpanels + p) * Cc * MR;
            const float *V = Vb + xi * Cc * ldb;
            float *Z = Zp + xi * MR * ldb;
            if (Cc == 0) {
                for (int32_t i = 0; i < r; i++) memset(Z + i * ldb, 0, (size_t)n * 4);
                continue;
            }
            /* the next filter block (the next tile position's, or the next panel's
             * first), fetched into L2 a share with each micro-kernel call, one line a step
             * of k inside it (any beyond kc before it): the blocks are far apart, and read
             * on demand each one's first call waits on memory (ResNet-50's 14 x 14 layers
             * use each filter only a few dozen times) */
            const char *nxt = xi + 1 < npos ? (const char *)(ap + mpanels * Cc * MR)
                              : p + 1 < p1  ? (const char *)(U + (p + 1) * Cc * MR)
                                            : NULL;
            const int64_t nlines = nxt ? Cc * MR * 4 / 64 : 0;
            const int64_t ncalls = (Cc + WINO_KC - 1) / WINO_KC * ((n + j->nr - 1) / j->nr);
            int64_t call = 0;
            for (int64_t pc = 0; pc < Cc; pc += WINO_KC) {
                const int64_t kc = OV_MIN(WINO_KC, Cc - pc);
                for (int64_t k = 0; k < kc; k++) rows[k] = V + (pc + k) * ldb;
                for (int64_t col = 0; col < n; col += j->nr, call++) {
                    int64_t npf;
                    const char *pf =
                        ov_prefetch_spread(nxt, nlines, call, call + 1, ncalls, kc, &npf);
                    j->ukr(kc, ap + pc * MR, rows, col, Z + col, ldb, pc > 0, NULL, r,
                           (int32_t)OV_MIN(j->nr, n - col), pf, npf);
                }
            }
        }
        for (int32_t i = 0; i < r; i++)
            wino8_output(j, Zp + i * ldb, MR * ldb, f0, n, b, m0 + i, ep, work);
    }
}

/* The split of mode 8's work into tasks: runs of nb columns (whole micro-kernel tiles, at
 * most nbmax), and the output channel panels of a run in groups (mpf of them for a full
 * run, mpl for the last, shorter one), each task on one thread. A group re-does its run's
 * input transform and streams only its panels' transformed filters: where the tiles are
 * few (14 x 14 planes: one run of 56 columns, or two of 32 and 24 that each read every
 * filter), splitting the panels gives the threads equal work and reads the filters once;
 * where the runs do not divide between the threads (7 micro-kernel tiles on 56 x 56), the
 * last run's panels are split. The choice minimises the estimated finish time of the
 * threads taking the tasks in order (wino8_cost), then the total work; the plain split by
 * runs stays unless another is estimated 8% faster. */
static double wino8_cost(int64_t n, int64_t panels, int64_t nr, int64_t C, int64_t R) {
    /* per input channel, in units of one panel's products over one column: the input
     * transform of a column (~4: measured on 14 x 14 and 56 x 56 layers, AVX-512, where
     * re-doing it for a second panel group cost about that), the panel's products over
     * whole micro-kernel tiles, streaming the panel's filters once (~8 columns' products
     * at the bandwidth a core gets from L3) and the output transform (~4 / C a column) */
    (void)R;
    const double kin = 4.0, ku = 8.0, ko = 4.0 / (double)OV_MAX(C, 1);
    const double cols = (double)((n + nr - 1) / nr * nr);
    return kin * (double)n + (double)panels * (cols + ku + ko * (double)n) + 1.0;
}

static double wino8_finish(const wino8_job *j, int64_t N, int64_t T, int64_t nb, int64_t mpf,
                           int64_t mpl, int64_t mpanels, int32_t nt, double *total) {
    double fin[64] = {0.0};
    const int64_t C = j->s->p[1], R = WINO_R(j->s), nfull = T / nb, rest = T - nfull * nb;
    *total = 0.0;
    for (int64_t b = 0; b < 2 * N; b++) {
        /* pass 0: the full runs of every image, pass 1: the last runs */
        const int64_t last = b >= N, runs = last ? (rest > 0) : nfull, parts = last ? mpl : mpf;
        for (int64_t r = 0; r < runs * parts; r++) {
            const int64_t g = r % parts;
            const int64_t np = ov_split(mpanels, parts, g + 1, 1) - ov_split(mpanels, parts, g, 1);
            const double c = wino8_cost(last ? rest : nb, np, j->nr, C, R);
            int32_t k = 0;
            for (int32_t i = 1; i < nt; i++)
                if (fin[i] < fin[k]) k = i;
            fin[k] += c;
            *total += c;
        }
    }
    double worst = 0.0;
    for (int32_t i = 0; i < nt; i++) worst = OV_MAX(worst, fin[i]);
    return worst;
}

static void wino8_split(wino8_job *j, int64_t N, int64_t T, int64_t nbmax, int64_t mpanels,
                        int32_t nt) {
    const int64_t nr = j->nr, chunks = (T + nr - 1) / nr;
    /* one thread, or micro-kernel tiles enough for every thread: runs as long as fit, as
     * many per image as spread the images' tiles evenly over the threads */
    const int64_t per = (nt + N - 1) / N, cpb = (chunks + per - 1) / per;
    int64_t nb = OV_MIN(cpb * nr, nbmax);
    if (nb > nr) nb = nb / nr * nr;
    j->nb = nb;
    j->mpf = j->mpl = 1;
    if (nt > 1 && nt <= 64 && N * chunks < 8 * (int64_t)nt && mpanels > 1) {
        /* the split above unless another is estimated 8% faster (the estimate is rough:
         * at 4% the measurement went either way) */
        double best_total;
        const double base = wino8_finish(j, N, T, nb, 1, 1, mpanels, nt, &best_total);
        double best = base * 0.92;
        const int64_t gmax = OV_MIN(mpanels, (int64_t)nt);
        const int64_t top = nbmax < nr ? nbmax : OV_MIN(nbmax / nr, chunks) * nr;
        for (int64_t cand = top; cand >= 1; cand -= nbmax < nr ? cand : nr) {
            const int64_t lmax = T % cand ? gmax : 1;
            for (int64_t mpf = 1; mpf <= gmax; mpf++)
                for (int64_t mpl = 1; mpl <= lmax; mpl++) {
                    double total;
                    const double t = wino8_finish(j, N, T, cand, mpf, mpl, mpanels, nt, &total);
                    if (t < best * 0.999 ||
                        (t < best * 1.001 && total < best_total * 0.999)) {
                        best = t;
                        best_total = total;
                        j->nb = cand;
                        j->mpf = mpf;
                        j->mpl = mpl;
                    }
                }
        }
    }
    j->nfull = T / j->nb;
    j->nblk = (T + j->nb - 1) / j->nb;
}

static int32_t wino8_run(const ov_step *s, char *const *ptr, ov_pool *pool,
                         const ov_posts *posts) {
    const int64_t N = s->p[0], M = s->p[4], OH = s->p[5], OW = s->p[6];
    const int64_t T = s->p[20] * (s->p[21] + 1), nbmax = s->p[22];
    wino8_job j;
    j.g = wino8_geometry(s, nbmax);
    if (nbmax < 1 || (j.g.vb + j.g.zp + j.g.work + 64) * 4 > ov_scratch_bytes()) {
        ov_set_error("conv: the Winograd tile blocks do not fit the scratch buffer");
        return 1;
    }
    if (N == 0 || M == 0 || OH == 0 || OW == 0) return 0;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.ukr = ov_pick_conv_ukr();
    j.nr = ov_gemm_nr();
    wino8_split(&j, N, T, nbmax, (M + OV_CONV_MR - 1) / OV_CONV_MR, ov_pool_width(pool));
    j.g = wino8_geometry(s, j.nb);
    ov_parallel_ordered(pool, wino8_full_tasks(&j) + (j.nblk > j.nfull ? N * j.mpl : 0), wino8_task,
                &j);
    return 0;
}

int32_t ov_conv_winograd(const ov_step *s, char *const *ptr, ov_pool *pool,
                         const ov_posts *posts) {
    const int64_t N = s->p[0], Cc = s->p[1], M = s->p[4], OH = s->p[5], OW = s->p[6];
    const int64_t TH = s->p[20], TW = s->p[21], ldt = s->p[22];
    const int fused = s->p[19] == 8;
    if (s->p[7] != 3 || s->p[8] != 3 || s->p[9] != 1 || s->p[10] != 1 || s->p[11] != 1 ||
        s->p[12] != 1 || s->p[15] != 1 ||
        (s->p[23] != 0 && s->p[23] != 2 && s->p[23] != 4) ||
        TH != (OH + WINO_R(s) - 1) / WINO_R(s) || TW != (OW + WINO_R(s) - 1) / WINO_R(s) ||
        (!fused && ldt < TH * (TW + 1))) {
        ov_set_error("conv: a Winograd step for another convolution geometry");
        return 1;
    }
    if (fused) return wino8_run(s, ptr, pool, posts);
    if (wino_scratch_floats(s) * 4 > ov_scratch_bytes()) {
        ov_set_error("conv: the Winograd transform's rows do not fit the scratch buffer");
        return 1;
    }
    if (N == 0 || M == 0 || OH == 0 || OW == 0) return 0;
    wino_job j;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.ukr = ov_pick_conv_ukr();
    j.nr = ov_gemm_nr();
    const int64_t MRp = s->p[16], T = TH * (TW + 1);
    const int32_t nt = ov_pool_width(pool);
    /* the product's task grid: 36 independent products, each split along channels while
     * there are fewer than ~4 tasks per thread */
    const int64_t mpanels = (M + MRp - 1) / MRp, npanels = (T + j.nr - 1) / j.nr;
    j.mchunks = 1;
    j.nchunks = 1;
    const int64_t npos = (WINO_R(s) + 2) * (WINO_R(s) + 2);
    while (npos * j.mchunks * j.nchunks < 4 * nt && j.mchunks < mpanels) j.mchunks++;
    while (npos * j.mchunks * j.nchunks < 4 * nt && j.nchunks < npanels) j.nchunks++;
    const int big = Cc * T >= 2048;
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        if (Cc > 0 && big) {
            ov_parallel(pool, Cc, wino_in_task, &j);
        } else {
            for (int64_t c = 0; c < Cc; c++) wino_in_task(&j, c, ov_current_tid());
        }
        if (Cc == 0) {
            memset(ptr[4], 0, (size_t)(npos * M * ldt) * 4);
        } else {
            ov_parallel(pool, npos * j.mchunks * j.nchunks, wino_gemm_task, &j);
        }
        if (big) {
            ov_parallel(pool, M, wino_out_task, &j);
        } else {
            for (int64_t m = 0; m < M; m++) wino_out_task(&j, m, ov_current_tid());
        }
    }
    return 0;
}
