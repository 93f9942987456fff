/* Spatial convolutions with vectors along output channels: OV_K_CONV mode 5 (p[19] = 5; the
 * parameters and buffers are conv.c's), the spatial sibling of the pointwise mode 4.
 *
 * Weights are packed at compile time as panels of mr = 16 * V output channels
 * ([G][ceil(Mg / mr)][Cg * KH * KW][mr], tap k = (c, ky, kx)); p[16] = mr (16, 32, 48 or
 * 64). Each input channel of the image is copied once, zero-padded, into a plane of
 * Hp x Wp floats (buffer 3, PS floats a plane), where
 *
 *   Hp = (OH - 1) * SH + (KH - 1) * DH + 1,   Wp = (OW - 1) * SW + (KW - 1) * DW + 1,
 *
 * so output (oy, ox) reads tap (c, ky, kx) at c * PS + (oy * SH + ky * DH) * Wp +
 * ox * SW + kx * DW: any stride, dilation or padding is an offset (offs[k], a table of the
 * taps), and no garbage positions are computed.
 *
 * A tile is V vectors of 16 output channels x R output rows (1 or 2) x NP consecutive
 * output columns; its accumulators (V * R * NP <= 28) stay in registers while, per tap, V
 * weight vectors are loaded and each position's input scalar is broadcast (positions are
 * a compile-time displacement p * SW from the row's base pointer). Taps run in blocks of
 * kc (the panel's weights of a block stay in L2 while the tiles pass; the partial sums of
 * a tile are kept in scratch between blocks), then the epilogue (row bias, column bias,
 * residual, ReLU / clamp) runs in registers, the tile's position vectors are transposed in
 * registers into rows of 16 output channels and each row goes to its channel plane of Y
 * (NCHW) with one masked store per tile row (a scatter per position cost as much as the
 * taps of a layer with few input channels, such as a stem). A tile of fewer columns / rows / channels runs a kernel
 * compiled for exactly that shape.
 *
 * p: 19 = 5, 20 Hp, 21 Wp, 22 NP (columns per tile, chosen by the lowering), 23 PS.
 * AVX2 (8 lanes, 16 registers) runs a tile as sub-tiles of 16 channels x up to 6 positions;
 * the portable kernel computes the same sums in the same order of taps.
 */
#include "ov_internal.h"

enum { CV_MAXNP = 14, CV_MAXMR = 64 };

/* Tile kernel: acc[r][p][i] = part (unless first) + sum_k a[k * lda + i] *
 * b[r * rs + offs[k] + p * sw] for channels i < nr, rows r < R, columns p < np. Not last:
 * stored to part ([R * np][lda]); last: c[i * ldc + r * ow + p] = epilogue(acc). */
typedef struct {
    int64_t kc, lda, rs, sw, ldc, ow;
    const float *a;
    const int32_t *offs;
    const float *b;
    float *part;
    float *c;
    const ov_ep *ep;
    /* npf cache lines from pf to fetch into L2 while the taps run, one a tap (the next
     * weight block's share of this tile; see cv_task) */
    const char *pf;
    int64_t npf;
    int first, last;
    int32_t nr, R, np;
} cv_tile;

static inline float cv_ep1(const ov_ep *ep, float v, int32_t i, int64_t q, int64_t ldc) {
    (void)ldc;
    if (ep) {
        if (ep->rowb) v += ep->rowb[i];
        if (ep->colb) v += ep->colb[q];
        if (ep->tadd) v += ep->tadd[i * ep->tadd_ld + q];
        if (ep->act == 1) v = v > 0.0f ? v : 0.0f;
        else if (ep->act == 2) v = v < ep->lo ? ep->lo : (v > ep->hi ? ep->hi : v);
    }
    return v;
}

/* acc ([R * np][16] floats, channels ch0 .. ch0 + n of the tile) -> part or Y */
static void cv_finish(const cv_tile *t, const float *acc, int32_t ch0, int32_t n) {
    for (int32_t r = 0; r < t->R; r++) {
        for (int32_t p = 0; p < t->np; p++) {
            const float *v = acc + (r * t->np + p) * 16;
            if (!t->last) {
                float *d = t->part + (r * t->np + p) * t->lda + ch0;
                for (int32_t i = 0; i < n; i++) d[i] = v[i];
                continue;
            }
            const int64_t q = r * t->ow + p;
            for (int32_t i = 0; i < n; i++)
                t->c[(ch0 + i) * t->ldc + q] = cv_ep1(t->ep, v[i], ch0 + i, q, t->ldc);
        }
    }
}

static void cv_generic(const cv_tile *t) {
    float acc[2 * CV_MAXNP * 16];
    for (int32_t ch0 = 0; ch0 < t->nr; ch0 += 16) {
        const int32_t n = OV_MIN(16, t->nr - ch0);
        for (int32_t rp = 0; rp < t->R * t->np; rp++)
            for (int32_t i = 0; i < 16; i++)
                acc[rp * 16 + i] = t->first || i >= n ? 0.0f : t->part[rp * t->lda + ch0 + i];
        for (int64_t k = 0; k < t->kc; k++) {
            const float *w = t->a + k * t->lda + ch0;
            for (int32_t r = 0; r < t->R; r++) {
                const float *bk = t->b + r * t->rs + t->offs[k];
                for (int32_t p = 0; p < t->np; p++) {
                    const float bv = bk[p * t->sw];
                    float *ac = acc + (r * t->np + p) * 16;
                    for (int32_t i = 0; i < n; i++) ac[i] += w[i] * bv;
                }
            }
        }
        cv_finish(t, acc, ch0, n);
    }
}

#if OV_X86
/* --- AVX-512: V x 16 channels, R rows x NP columns ------------------------------------- */

#define CV512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

/* x[i] lane j <- x[j] lane i */
CV512_TARGET static inline __attribute__((always_inline)) void cv_transpose16(__m512 *x) {
    __m512 t[16];
#pragma GCC unroll 8
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(x[i], x[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(x[i], x[i + 1]);
    }
#pragma GCC unroll 4
    for (int i = 0; i < 16; i += 4) {
        const __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
        const __m512d c = _mm512_castps_pd(t[i + 2]), d = _mm512_castps_pd(t[i + 3]);
        x[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        x[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        x[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        x[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    /* within each 128-bit lane, x[4g + k] now holds element k of rows 4g .. 4g + 3; the
     * two 128-bit lane shuffles put the four groups' lanes in place */
#pragma GCC unroll 2
    for (int h = 0; h < 16; h += 8) {
#pragma GCC unroll 4
        for (int k = 0; k < 4; k++) {
            t[h + k] = _mm512_shuffle_f32x4(x[h + k], x[h + 4 + k], 0x88);
            t[h + 4 + k] = _mm512_shuffle_f32x4(x[h + k], x[h + 4 + k], 0xdd);
        }
    }
#pragma GCC unroll 8
    for (int k = 0; k < 8; k++) {
        x[k] = _mm512_shuffle_f32x4(t[k], t[8 + k], 0x88);
        x[8 + k] = _mm512_shuffle_f32x4(t[k], t[8 + k], 0xdd);
    }
}

CV512_TARGET static inline __attribute__((always_inline)) void cv512_body(
    const int V, const int R, const int NP, const int SW, const cv_tile *t) {
    __m512 acc[4][2][CV_MAXNP];
    const int64_t lda = t->lda, kc = t->kc;
    const float *OV_RESTRICT a = t->a;
    const int32_t *OV_RESTRICT offs = t->offs;
    const float *b0 = t->b, *b1 = t->b + t->rs;
    float *part = t->part;
#pragma GCC unroll 4
    for (int v = 0; v < V; v++)
#pragma GCC unroll 2
        for (int r = 0; r < R; r++)
#pragma GCC unroll 14
            for (int p = 0; p < NP; p++)
                acc[v][r][p] = t->first ? _mm512_setzero_ps()
                                        : _mm512_load_ps(part + (r * NP + p) * lda + 16 * v);
    const char *pf = t->pf;
    const int64_t npf = t->npf;
    for (int64_t k = 0; k < kc; k++) {
        if (k < npf) OV_PREFETCH_L2(pf + 64 * k);
        const int64_t o = offs[k];
        __m512 w[4];
#pragma GCC unroll 4
        for (int v = 0; v < V; v++) w[v] = _mm512_load_ps(a + 16 * v);
#pragma GCC unroll 2
        for (int r = 0; r < R; r++) {
            const float *bk = (r ? b1 : b0) + o;
#pragma GCC unroll 14
            for (int p = 0; p < NP; p++) {
                const __m512 bv = _mm512_set1_ps(bk[p * SW]);
#pragma GCC unroll 4
                for (int v = 0; v < V; v++) acc[v][r][p] = _mm512_fmadd_ps(w[v], bv, acc[v][r][p]);
            }
        }
        a += lda;
    }
    if (!t->last) {
#pragma GCC unroll 4
        for (int v = 0; v < V; v++)
#pragma GCC unroll 2
            for (int r = 0; r < R; r++)
#pragma GCC unroll 14
                for (int p = 0; p < NP; p++)
                    _mm512_store_ps(part + (r * NP + p) * lda + 16 * v, acc[v][r][p]);
        return;
    }
    const ov_ep *ep = t->ep;
    const int64_t ldc = t->ldc, ow = t->ow;
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i tidx = _mm512_mullo_epi32(
        lane, _mm512_set1_epi32(ep && ep->tadd ? (int32_t)ep->tadd_ld : 0));
    const __m512 lo = _mm512_set1_ps(ep ? ep->lo : 0.0f), hi = _mm512_set1_ps(ep ? ep->hi : 0.0f);
    /* the R * NP (<= 14) position vectors of 16 channels, transposed in registers into 16
     * channel rows of positions, each stored with one masked store per tile row */
    const __mmask16 pm = (__mmask16)((1u << NP) - 1u);
#pragma GCC unroll 4
    for (int v = 0; v < V; v++) {
        const int32_t left = t->nr - 16 * v;
        const __mmask16 m = (__mmask16)(left >= 16 ? 0xFFFF : (1u << left) - 1u);
        __m512 rb = _mm512_setzero_ps();
        if (ep && ep->rowb) rb = _mm512_maskz_loadu_ps(m, ep->rowb + 16 * v);
        __m512 x[16];
#pragma GCC unroll 2
        for (int r = 0; r < R; r++) {
#pragma GCC unroll 14
            for (int p = 0; p < NP; p++) {
                const int64_t q = r * ow + p;
                __m512 y = acc[v][r][p];
                if (ep) {
                    if (ep->rowb) y = _mm512_add_ps(y, rb);
                    if (ep->colb) y = _mm512_add_ps(y, _mm512_set1_ps(ep->colb[q]));
                    if (ep->tadd)
                        y = _mm512_add_ps(y, _mm512_mask_i32gather_ps(
                                                 _mm512_setzero_ps(), m, tidx,
                                                 ep->tadd + 16 * v * ep->tadd_ld + q, 4));
                    if (ep->act == 1) y = _mm512_max_ps(_mm512_setzero_ps(), y);
                    else if (ep->act == 2) y = _mm512_min_ps(hi, _mm512_max_ps(lo, y));
                }
                x[r * NP + p] = y;
            }
        }
#pragma GCC unroll 16
        for (int i = R * NP; i < 16; i++) x[i] = _mm512_setzero_ps();
        cv_transpose16(x);
        float *cv = t->c + 16 * v * ldc;
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++) {
            if (i < left) {
                _mm512_mask_storeu_ps(cv + i * ldc, pm, x[i]);
                if (R == 2)
                    _mm512_mask_storeu_ps(cv + i * ldc + ow - NP, (__mmask16)(pm << NP), x[i]);
            }
        }
    }
}

typedef void (*cv512_fn)(const cv_tile *t);

#define CV_DEF(S, V, R, P)                                                                  \
    CV512_TARGET static void cv512_##S##_##V##_##R##_##P(const cv_tile *t) {                \
        cv512_body(V, R, P, S, t);                                                          \
    }
#define CV_DEF7(S, V, R)                                                                    \
    CV_DEF(S, V, R, 1) CV_DEF(S, V, R, 2) CV_DEF(S, V, R, 3) CV_DEF(S, V, R, 4)             \
    CV_DEF(S, V, R, 5) CV_DEF(S, V, R, 6) CV_DEF(S, V, R, 7)
#define CV_DEF14(S, V, R)                                                                   \
    CV_DEF7(S, V, R) CV_DEF(S, V, R, 8) CV_DEF(S, V, R, 9) CV_DEF(S, V, R, 10)              \
    CV_DEF(S, V, R, 11) CV_DEF(S, V, R, 12) CV_DEF(S, V, R, 13) CV_DEF(S, V, R, 14)
#define CV_DEFS(S)                                                                          \
    CV_DEF14(S, 1, 1) CV_DEF7(S, 1, 2) CV_DEF14(S, 2, 1) CV_DEF7(S, 2, 2)                   \
    CV_DEF7(S, 3, 1) CV_DEF(S, 3, 1, 8) CV_DEF(S, 3, 1, 9) CV_DEF7(S, 4, 1)
CV_DEFS(1)
CV_DEFS(2)
#undef CV_DEFS
#undef CV_DEF14
#undef CV_DEF7
#undef CV_DEF

#define CV_ROW7(S, V, R)                                                                    \
    NULL, cv512_##S##_##V##_##R##_1, cv512_##S##_##V##_##R##_2, cv512_##S##_##V##_##R##_3,  \
        cv512_##S##_##V##_##R##_4, cv512_##S##_##V##_##R##_5, cv512_##S##_##V##_##R##_6,    \
        cv512_##S##_##V##_##R##_7
#define CV_ROW14(S, V, R)                                                                   \
    CV_ROW7(S, V, R), cv512_##S##_##V##_##R##_8, cv512_##S##_##V##_##R##_9,                 \
        cv512_##S##_##V##_##R##_10, cv512_##S##_##V##_##R##_11,                             \
        cv512_##S##_##V##_##R##_12, cv512_##S##_##V##_##R##_13, cv512_##S##_##V##_##R##_14
#define CV_TABLE(S)                                                                         \
    {                                                                                       \
        {{NULL}, {NULL}},                                                                   \
        {{CV_ROW14(S, 1, 1)}, {CV_ROW7(S, 1, 2)}},                                          \
        {{CV_ROW14(S, 2, 1)}, {CV_ROW7(S, 2, 2)}},                                          \
        {{CV_ROW7(S, 3, 1), cv512_##S##_3_1_8, cv512_##S##_3_1_9}, {NULL}},                 \
        {{CV_ROW7(S, 4, 1)}, {NULL}},                                                       \
    }
/* [stride - 1][V][R - 1][NP] */
static const cv512_fn cv512[2][5][2][CV_MAXNP + 1] = {CV_TABLE(1), CV_TABLE(2)};
#undef CV_TABLE
#undef CV_ROW14
#undef CV_ROW7

static void cv_avx512(const cv_tile *t) {
    const int32_t V = (t->nr + 15) / 16;
    cv512_fn f = NULL;
    if ((t->sw == 1 || t->sw == 2) && V >= 1 && V <= 4 && t->R >= 1 && t->R <= 2 &&
        t->np >= 1 && t->np <= CV_MAXNP)
        f = cv512[t->sw - 1][V][t->R - 1][t->np];
    if (f) f(t);
    else cv_generic(t);
}

/* --- AVX2: 16 channels (two vectors) x up to 6 positions ------------------------------- */

#define CV256_TARGET __attribute__((target("avx2,fma")))

/* one sub-tile: channels ch0 .. ch0 + 16 (of which n exist), one row, NP columns from p0 */
CV256_TARGET static inline __attribute__((always_inline)) void cv256_body(
    const int NP, const cv_tile *t, const float *brow, int32_t ch0, int32_t n, int32_t r,
    int32_t p0) {
    __m256 acc[2][6];
    const int64_t lda = t->lda, sw = t->sw;
    const float *OV_RESTRICT a = t->a + ch0;
    const int32_t *OV_RESTRICT offs = t->offs;
    const float *bb = brow + p0 * sw;
    /* the first sub-tile of the tile fetches the tile's share of the next weight block */
    const int64_t npf = ch0 == 0 && r == 0 && p0 == 0 ? t->npf : 0;
#pragma GCC unroll 6
    for (int p = 0; p < NP; p++) {
        if (t->first) {
            acc[0][p] = acc[1][p] = _mm256_setzero_ps();
        } else {
            const float *pp = t->part + (r * t->np + p0 + p) * lda + ch0;
            acc[0][p] = _mm256_loadu_ps(pp);
            acc[1][p] = _mm256_loadu_ps(pp + 8);
        }
    }
    for (int64_t k = 0; k < t->kc; k++) {
        if (k < npf) OV_PREFETCH_L2(t->pf + 64 * k);
        const float *bk = bb + offs[k];
        const __m256 w0 = _mm256_loadu_ps(a), w1 = _mm256_loadu_ps(a + 8);
#pragma GCC unroll 6
        for (int p = 0; p < NP; p++) {
            const __m256 bv = _mm256_broadcast_ss(bk + p * sw);
            acc[0][p] = _mm256_fmadd_ps(w0, bv, acc[0][p]);
            acc[1][p] = _mm256_fmadd_ps(w1, bv, acc[1][p]);
        }
        a += lda;
    }
    float tmp[6 * 16];
#pragma GCC unroll 6
    for (int p = 0; p < NP; p++) {
        _mm256_storeu_ps(tmp + p * 16, acc[0][p]);
        _mm256_storeu_ps(tmp + p * 16 + 8, acc[1][p]);
    }
    for (int p = 0; p < NP; p++) {
        const float *v = tmp + p * 16;
        if (!t->last) {
            float *d = t->part + (r * t->np + p0 + p) * lda + ch0;
            for (int32_t i = 0; i < n; i++) d[i] = v[i];
            continue;
        }
        const int64_t q = r * t->ow + p0 + p;
        for (int32_t i = 0; i < n; i++)
            t->c[(ch0 + i) * t->ldc + q] = cv_ep1(t->ep, v[i], ch0 + i, q, t->ldc);
    }
}

#define CV256_DEF(P)                                                                        \
    CV256_TARGET static void cv256_##P(const cv_tile *t, const float *brow, int32_t ch0,    \
                                       int32_t n, int32_t r, int32_t p0) {                  \
        cv256_body(P, t, brow, ch0, n, r, p0);                                              \
    }
CV256_DEF(1)
CV256_DEF(2)
CV256_DEF(3)
CV256_DEF(4)
CV256_DEF(5)
CV256_DEF(6)
#undef CV256_DEF

typedef void (*cv256_fn)(const cv_tile *, const float *, int32_t, int32_t, int32_t, int32_t);
static const cv256_fn cv256[7] = {NULL, cv256_1, cv256_2, cv256_3, cv256_4, cv256_5, cv256_6};

static void cv_avx2(const cv_tile *t) {
    /* the weights of a panel past nr rows are zero (packed so), and lda is a multiple of
     * 16: a 16-channel sub-tile never reads past its panel */
    for (int32_t ch0 = 0; ch0 < t->nr; ch0 += 16) {
        const int32_t n = OV_MIN(16, t->nr - ch0);
        for (int32_t r = 0; r < t->R; r++)
            for (int32_t p0 = 0; p0 < t->np; p0 += 6)
                cv256[OV_MIN(6, t->np - p0)](t, t->b + r * t->rs, ch0, n, r, p0);
    }
}
#endif

typedef void (*cv_fn)(const cv_tile *t);

static cv_fn cv_pick(void) {
#if OV_X86
    if (ov_isa_level == 2) return cv_avx512;
    if (ov_isa_level == 1) return cv_avx2;
#endif
    return cv_generic;
}

/* --- driver ------------------------------------------------------------------------------ */

/* bytes of a panel's weights per tap block: stays in L1 while the tiles of a task pass
 * (measured on ResNet-50's stride-2 3x3 layers: ~10% faster than blocks kept in L2) */
enum { CV_BLOCK_BYTES = 32 * 1024 };

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_ep ep;
    int fast_ep;
    int64_t n, mchunks, nchunks, R, nseg, tiles, kc, tblock;
    const char *wend; /* the end of the packed weights */
    cv_fn fn;
    ov_pool *pool;
} cv_job;

static void cv_pad_task(void *ctx, int64_t c, int32_t tid) {
    (void)tid;
    cv_job *j = (cv_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3];
    const float *x = (const float *)j->ptr[0] + (j->n * Cc + c) * H * W;
    ov_pad_plane(x, H, W, s->p[13], s->p[14], s->p[20], s->p[21], 0.0f,
                 (float *)j->ptr[3] + c * s->p[23]);
}

/* group g, output channel chunk mc, tile chunk nc (tiles: row groups of R rows x segments
 * of NP columns, row group major) */
static void cv_task(void *ctx, int64_t t, int32_t tid) {
    cv_job *j = (cv_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], M = s->p[4], OH = s->p[5], OW = s->p[6];
    const int64_t KH = s->p[7], KW = s->p[8], SH = s->p[9], SW = s->p[10];
    const int64_t DH = s->p[11], DW = s->p[12], G = s->p[15], mr = s->p[16];
    const int64_t Wp = s->p[21], NPt = s->p[22], PS = s->p[23];
    const int64_t Cg = Cc / G, Mg = M / G, khw = KH * KW, K = Cg * khw, OHW = OH * OW;
    const int64_t mpad = (Mg + mr - 1) / mr * mr;
    const int64_t nc = t % j->nchunks, rest = t / j->nchunks;
    const int64_t mc = rest % j->mchunks, g = rest / j->mchunks;
    const int64_t m0 = ov_split(Mg, j->mchunks, mc, mr), m1 = ov_split(Mg, j->mchunks, mc + 1, mr);
    const int64_t t0 = ov_split(j->tiles, j->nchunks, nc, 1);
    const int64_t t1 = ov_split(j->tiles, j->nchunks, nc + 1, 1);
    if (m1 <= m0 || t1 <= t0) return;
    const float *A = (const float *)j->ptr[1] + g * mpad * K;
    const float *xp = (const float *)j->ptr[3] + g * Cg * PS;
    float *Y = (float *)j->ptr[2] + (j->n * M + g * Mg) * OHW;
    int32_t *offs = (int32_t *)ov_pool_scratch(j->pool, tid);
    float *partbuf = (float *)offs + (K + 15) / 16 * 16;
    /* the taps' offsets, in packing order (c, ky, kx); no division per tap (this table
     * is rebuilt by every task, and a layer of 7 x 7 outputs lasts a few microseconds) */
    for (int64_t ci = 0, k = 0; ci < Cg; ci++)
        for (int64_t ky = 0; ky < KH; ky++)
            for (int64_t kx = 0; kx < KW; kx++, k++)
                offs[k] = (int32_t)(ci * PS + ky * DH * Wp + kx * DW);
    for (int64_t tb0 = t0; tb0 < t1; tb0 += j->tblock) {
        const int64_t tb1 = OV_MIN(t1, tb0 + j->tblock);
        for (int64_t ir = m0; ir < m1; ir += mr) {
            const float *ap = A + (ir / mr) * K * mr;
            const int32_t nr = (int32_t)OV_MIN(mr, Mg - ir);
            /* K = 0 (no input channels) still runs one block: the epilogue of a zero sum */
            for (int64_t pc = 0; pc == 0 || pc < K; pc += j->kc) {
                const int64_t kc = OV_MIN(j->kc, K - pc);
                const int last = pc + kc >= K;
                /* The next weight block (the panels are contiguous, [panel][K][mr]: the
                 * next block of this panel, or the first of the next panel) is fetched
                 * into L2 while this block's tiles run, a share of its lines per tile: a
                 * layer with few positions uses each weight only a few dozen times, and
                 * read on demand the block's first tile waits on memory (ResNet-50's
                 * 7 x 7 layers, whose weights are not in cache when the layer starts:
                 * -30% on its three 512-channel 3 x 3 layers, one thread; fetching a
                 * block further ahead gained nothing more). */
                const char *nxt = (const char *)(ap + (pc + kc) * mr);
                const int64_t nlines = ov_ahead_lines(
                    nxt, (last ? OV_MIN(j->kc, K) : OV_MIN(j->kc, K - pc - kc)) * mr * 4 / 64,
                    j->wend);
                const int64_t ntl = tb1 - tb0;
                for (int64_t ti = tb0; ti < tb1; ti++) {
                    const int64_t oy0 = (ti / j->nseg) * j->R, ox0 = (ti % j->nseg) * NPt;
                    const int64_t q0 = oy0 * OW + ox0;
                    cv_tile tl;
                    tl.kc = kc;
                    tl.lda = mr;
                    tl.rs = SH * Wp;
                    tl.sw = SW;
                    tl.ldc = OHW;
                    tl.ow = OW;
                    tl.a = ap + pc * mr;
                    tl.offs = offs + pc;
                    tl.b = xp + oy0 * SH * Wp + ox0 * SW;
                    tl.part = partbuf + (ti - tb0) * j->R * NPt * mr;
                    tl.c = Y + ir * OHW + q0;
                    tl.first = pc == 0;
                    tl.last = last;
                    tl.nr = nr;
                    tl.R = (int32_t)OV_MIN(j->R, OH - oy0);
                    tl.np = (int32_t)OV_MIN(NPt, OW - ox0);
                    tl.pf = ov_prefetch_spread(nxt, nlines, ti - tb0, ti - tb0 + 1, ntl, kc,
                                               &tl.npf);
                    ov_ep ep;
                    tl.ep = NULL;
                    if (last && j->fast_ep) {
                        ep = ov_ep_at(&j->ep, g * Mg + ir, q0);
                        tl.ep = &ep;
                    }
                    j->fn(&tl);
                    if (last && !j->fast_ep && j->posts->n)
                        for (int32_t r = 0; r < tl.R; r++)
                            ov_posts_apply(j->posts, tl.c + r * OW, OHW, g * Mg + ir,
                                           q0 + r * OW, nr, tl.np, j->n);
                }
            }
        }
    }
}

int32_t ov_conv_direct_cv(const ov_step *s, char *const *ptr, ov_pool *pool,
                          const ov_posts *posts) {
    const int64_t N = s->p[0], Cc = s->p[1], H = s->p[2], W = s->p[3], M = s->p[4];
    const int64_t OH = s->p[5], OW = s->p[6], KH = s->p[7], KW = s->p[8];
    const int64_t SH = s->p[9], SW = s->p[10], DH = s->p[11], DW = s->p[12];
    const int64_t G = s->p[15], mr = s->p[16], Hp = s->p[20], Wp = s->p[21];
    const int64_t NPt = s->p[22], PS = s->p[23];
    if (mr % 16 != 0 || mr < 16 || mr > CV_MAXMR) {
        ov_set_error("conv: weights were packed for another kernel geometry");
        return 1;
    }
    if (G < 1 || Cc % G != 0 || M % G != 0 || SH < 1 || SW < 1 || DH < 1 || DW < 1 ||
        KH < 1 || KW < 1 || NPt < 1 || NPt > CV_MAXNP ||
        (OH > 0 && Hp < (OH - 1) * SH + (KH - 1) * DH + 1) ||
        (OW > 0 && Wp < (OW - 1) * SW + (KW - 1) * DW + 1) || PS < Hp * Wp) {
        ov_set_error("conv: a channel-vector direct step with inconsistent geometry");
        return 1;
    }
    (void)H;
    (void)W;
    const int64_t Mg = M / G, Cg = Cc / G, K = Cg * KH * KW, OHW = OH * OW;
    if (N == 0 || M == 0 || OHW == 0) return 0;
    if (Cg * PS >= INT32_MAX || OHW * 16 >= INT32_MAX) {
        ov_set_error("conv: input planes too large for the channel-vector direct mode");
        return 1;
    }
    cv_job j;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.fn = cv_pick();
    j.wend = ptr[1] + 4 * G * ((Mg + mr - 1) / mr * mr) * K;
    /* two output rows a tile when a row is short and the channel vectors few (V <= 2) */
    j.R = (mr <= 32 && NPt <= 7 && OH >= 2) ? 2 : 1;
    j.nseg = (OW + NPt - 1) / NPt;
    j.tiles = (OH + j.R - 1) / j.R * j.nseg;
    {
        /* equal blocks of at most CV_BLOCK_BYTES of a panel's weights */
        const int64_t kmax = OV_MAX(CV_BLOCK_BYTES / 4 / mr, 1);
        const int64_t nb = OV_MAX((K + kmax - 1) / kmax, 1);
        j.kc = OV_MAX((K + nb - 1) / nb, 1);
    }
    const int64_t offs_bytes = ((K + 15) / 16 * 16) * 4;
    const int64_t tile_bytes = j.R * NPt * mr * 4;
    if (offs_bytes + tile_bytes + 64 > ov_scratch_bytes()) {
        ov_set_error("conv: filter too large for the channel-vector direct mode");
        return 1;
    }
    /* partial sums are kept only when the taps run in several blocks */
    j.tblock = K > j.kc ? (ov_scratch_bytes() - offs_bytes - 64) / tile_bytes : j.tiles;
    j.tblock = OV_MAX(j.tblock, 1);
    const int32_t T = ov_pool_width(pool);
    {
        const int64_t mpanels = (Mg + mr - 1) / mr;
        const double wbytes = 4.0 * (double)Mg * (double)K;
        const double bbytes = 4.0 * (double)Cg * (double)PS;
        const double tile = (double)mr * (double)(j.R * NPt) * (double)K * 2.0 / 64.0;
        ov_conv_task_grid(G, mpanels, j.tiles, wbytes, bbytes, tile, T, 0.5, &j.mchunks,
                          &j.nchunks);
    }
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        /* the residual is gathered with 32-bit offsets */
        if (j.fast_ep && j.ep.tadd && j.ep.tadd_ld * 16 >= INT32_MAX) j.fast_ep = 0;
        if (Cc * PS >= 65536)
            ov_parallel(pool, Cc, cv_pad_task, &j);
        else
            for (int64_t c = 0; c < Cc; c++) cv_pad_task(&j, c, ov_current_tid());
        ov_parallel(pool, G * j.mchunks * j.nchunks, cv_task, &j);
    }
    return 0;
}
