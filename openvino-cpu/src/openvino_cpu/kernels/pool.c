/* Pooling over NC[D]HW data (1, 2 or 3 spatial dims; missing ones have size 1).
 *
 * OV_K_POOL: p: 0 mode (0 max, 1 avg), 1 inside-only divisor, 2 planes (N*C), 3 ID, 4 IH, 5 IW,
 *   6 OD, 7 OH, 8 OW, 9 KD, 10 KH, 11 KW, 12 SD, 13 SH, 14 SW, 15 DD, 16 DH, 17 DW,
 *   18 PD, 19 PH, 20 PW (pads at the start), 21 PDe, 22 PHe, 23 PWe (pads at the end),
 *   24 C (channels: post-op rows are plane % C, batch plane / C).
 *   bufs: 0 X, 1 Y, then post-op operands.
 * Average pooling divides by the number of the window's taps inside the input when p[1] is
 * set (exclude_pad, or a pooling without any padding), else by the whole window (every tap,
 * also those a ceil-rounded last window has past the end padding), as OpenVINO's reference
 * does; max pooling ignores padding.
 */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_posts posts;
    ov_pool *pool;
    int fast;
    int global;
    int64_t group; /* stride-1 and blocked paths: planes per task */
    int64_t rows;  /* 3x3 stride-2 path: output rows per task (< OH: one plane per task) */
} pool_job;

OV_VEC static void pool_plane(const ov_step *s, const float *OV_RESTRICT x, float *OV_RESTRICT y) {
    const int64_t mode = s->p[0], excl = s->p[1];
    const int64_t ID = s->p[3], IH = s->p[4], IW = s->p[5];
    const int64_t OD = s->p[6], OH = s->p[7], OW = s->p[8];
    const int64_t KD = s->p[9], KH = s->p[10], KW = s->p[11];
    const int64_t SD = s->p[12], SH = s->p[13], SW = s->p[14];
    const int64_t DD = s->p[15], DH = s->p[16], DW = s->p[17];
    const int64_t PD = s->p[18], PH = s->p[19], PW = s->p[20];
    for (int64_t od = 0; od < OD; od++) {
        for (int64_t oh = 0; oh < OH; oh++) {
            for (int64_t ow = 0; ow < OW; ow++) {
                float acc = mode == 0 ? -INFINITY : 0.0f;
                int64_t cnt = 0, padded = 0;
                for (int64_t kd = 0; kd < KD; kd++) {
                    int64_t id = od * SD - PD + kd * DD;
                    for (int64_t kh = 0; kh < KH; kh++) {
                        int64_t ih = oh * SH - PH + kh * DH;
                        for (int64_t kw = 0; kw < KW; kw++) {
                            int64_t iw = ow * SW - PW + kw * DW;
                            padded++;
                            if (id < 0 || id >= ID || ih < 0 || ih >= IH || iw < 0 || iw >= IW)
                                continue;
                            float v = x[(id * IH + ih) * IW + iw];
                            if (mode == 0) {
                                acc = (v > acc || v != v) ? v : acc;
                            } else {
                                acc += v;
                            }
                            cnt++;
                        }
                    }
                }
                if (mode != 0) {
                    int64_t div = excl ? cnt : padded;
                    acc = div > 0 ? acc / (float)div : 0.0f;
                }
                y[(od * OH + oh) * OW + ow] = acc;
            }
        }
    }
}

static inline float nan_max(float a, float v) { return (v > a || v != v) ? v : a; }

/* 2-D pooling over a padded plane (max: -inf padding; avg: zero padding, then divided by
 * the per-row and per-column counts of the elements the window covers). */
OV_VEC static void pool2d_padded(const float *OV_RESTRICT P, int64_t Wp, float *OV_RESTRICT y,
                                 int64_t OH, int64_t OW, int64_t KH, int64_t KW, int64_t SH,
                                 int64_t SW, int64_t DH, int64_t DW, int avg,
                                 const float *OV_RESTRICT inv_h, const float *OV_RESTRICT inv_w) {
    for (int64_t oy = 0; oy < OH; oy++) {
        float *o = y + oy * OW;
        const float *base = P + oy * SH * Wp;
        if (avg) {
            for (int64_t ox = 0; ox < OW; ox++) o[ox] = 0.0f;
        } else {
            for (int64_t ox = 0; ox < OW; ox++) o[ox] = -INFINITY;
        }
        for (int64_t ky = 0; ky < KH; ky++) {
            const float *row = base + ky * DH * Wp;
            for (int64_t kx = 0; kx < KW; kx++) {
                const float *src = row + kx * DW;
                if (avg) {
                    if (SW == 1) {
                        for (int64_t ox = 0; ox < OW; ox++) o[ox] += src[ox];
                    } else {
                        for (int64_t ox = 0; ox < OW; ox++) o[ox] += src[ox * SW];
                    }
                } else if (SW == 1) {
                    for (int64_t ox = 0; ox < OW; ox++) {
                        float v = src[ox], a = o[ox];
                        o[ox] = (v > a || v != v) ? v : a;
                    }
                } else {
                    for (int64_t ox = 0; ox < OW; ox++) {
                        float v = src[ox * SW], a = o[ox];
                        o[ox] = (v > a || v != v) ? v : a;
                    }
                }
            }
        }
        if (avg) {
            const float ih = inv_h[oy];
            for (int64_t ox = 0; ox < OW; ox++) o[ox] *= ih * inv_w[ox];
        }
    }
}

/* 3x3 windows, stride 2 in both directions, no dilation: the nine taps in one expression
 * (one store per output) over the even / odd column planes. */
OV_VEC static void pool3x3_s2(const float *OV_RESTRICT E, const float *OV_RESTRICT O,
                              int64_t We, int64_t Wo, float *OV_RESTRICT y, int64_t OH,
                              int64_t OW, int avg, const float *OV_RESTRICT inv_h,
                              const float *OV_RESTRICT inv_w, float *OV_RESTRICT row) {
    /* full vectors: OWv (a multiple of 8) outputs per row into `row`, OW of them kept */
    const int64_t OWv = (OW + 7) / 8 * 8;
    for (int64_t oy = 0; oy < OH; oy++) {
        const int64_t r = 2 * oy;
        const float *e0 = E + r * We, *e1 = e0 + We, *e2 = e1 + We;
        const float *o0 = O + r * Wo, *o1 = o0 + Wo, *o2 = o1 + Wo;
        /* whole vectors straight into y while they end inside the plane (the columns
         * past OW land on the next row, written after), else through `row` */
        const int direct = (oy * OW + OWv) <= OH * OW;
        float *o = direct ? y + oy * OW : row;
        if (avg) {
            const float ih = inv_h[oy];
            for (int64_t ox = 0; ox < OWv; ox++)
                o[ox] = (e0[ox] + o0[ox] + e0[ox + 1] + e1[ox] + o1[ox] + e1[ox + 1] + e2[ox] +
                         o2[ox] + e2[ox + 1]) * (ih * inv_w[ox]);
        } else {
            for (int64_t ox = 0; ox < OWv; ox++) {
                float m = e0[ox];
                m = nan_max(m, o0[ox]);
                m = nan_max(m, e0[ox + 1]);
                m = nan_max(m, e1[ox]);
                m = nan_max(m, o1[ox]);
                m = nan_max(m, e1[ox + 1]);
                m = nan_max(m, e2[ox]);
                m = nan_max(m, o2[ox]);
                m = nan_max(m, e2[ox + 1]);
                o[ox] = m;
            }
        }
        if (!direct) memcpy(y + oy * OW, row, (size_t)OW * 4);
    }
}

/* Stride-2 columns: windows read the even / odd column planes contiguously. */
OV_VEC static void pool2d_s2(const float *OV_RESTRICT E, const float *OV_RESTRICT O, int64_t We,
                             int64_t Wo, float *OV_RESTRICT y, int64_t OH, int64_t OW,
                             int64_t KH, int64_t KW, int64_t SH, int64_t DH, int avg,
                             const float *OV_RESTRICT inv_h, const float *OV_RESTRICT inv_w) {
    for (int64_t oy = 0; oy < OH; oy++) {
        float *o = y + oy * OW;
        if (avg) {
            for (int64_t ox = 0; ox < OW; ox++) o[ox] = 0.0f;
        } else {
            for (int64_t ox = 0; ox < OW; ox++) o[ox] = -INFINITY;
        }
        for (int64_t ky = 0; ky < KH; ky++) {
            const int64_t r = oy * SH + ky * DH;
            for (int64_t kx = 0; kx < KW; kx++) {
                const float *src = (kx & 1) ? O + r * Wo + (kx >> 1) : E + r * We + (kx >> 1);
                if (avg) {
                    for (int64_t ox = 0; ox < OW; ox++) o[ox] += src[ox];
                } else {
                    for (int64_t ox = 0; ox < OW; ox++) {
                        float v = src[ox], a = o[ox];
                        o[ox] = (v > a || v != v) ? v : a;
                    }
                }
            }
        }
        if (avg) {
            const float ih = inv_h[oy];
            for (int64_t ox = 0; ox < OW; ox++) o[ox] *= ih * inv_w[ox];
        }
    }
}

/* Reduce rows[0..nr) (nr >= 1) into r[0..n): pairs and triples in one pass. */
OV_VEC static void reduce_rows(const float *const *rows, int64_t nr, int64_t n, int avg,
                               float *OV_RESTRICT r) {
    const float *OV_RESTRICT a = rows[0];
    if (nr == 1) {
        memcpy(r, a, (size_t)n * 4);
        return;
    }
    const float *OV_RESTRICT b = rows[1];
    int64_t k = 2;
    if (nr >= 3) {
        const float *OV_RESTRICT c = rows[2];
        k = 3;
        if (avg) {
            for (int64_t i = 0; i < n; i++) r[i] = a[i] + b[i] + c[i];
        } else {
            for (int64_t i = 0; i < n; i++) r[i] = nan_max(nan_max(a[i], b[i]), c[i]);
        }
    } else if (avg) {
        for (int64_t i = 0; i < n; i++) r[i] = a[i] + b[i];
    } else {
        for (int64_t i = 0; i < n; i++) r[i] = nan_max(a[i], b[i]);
    }
    for (; k < nr; k++) {
        const float *OV_RESTRICT src = rows[k];
        if (avg) {
            for (int64_t i = 0; i < n; i++) r[i] += src[i];
        } else {
            for (int64_t i = 0; i < n; i++) r[i] = nan_max(r[i], src[i]);
        }
    }
}

/* out[i] = op(R[2i], R[2i+1], R[2i+2]) for i < n, the average scaled by ih * inv_w[i] (R
 * readable up to 2 * ceil16(n) + 16): the 3-wide stride-2 horizontal pass, even and odd
 * columns split in registers, written straight to the output row (the last vector masked).
 * Returns 0 where the instruction set has no such path (the caller's loop runs then). */
#if OV_X86
__attribute__((target("avx512f"))) static inline __m512 nm512(__m512 a, __m512 v) {
    const __mmask16 k =
        _mm512_cmp_ps_mask(v, a, _CMP_GT_OQ) | _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    return _mm512_mask_mov_ps(a, k, v);
}

/* 16 outputs of the 3-wide stride-2 horizontal pass: a, b hold input columns [0, 32) of the
 * block, c column 32 in its lane 0; even and odd columns split in registers. Max keeps NaN
 * (nm512) with keep_nan, else vmaxps; the average is scaled by sc * inv_w[lanes of m]. */
__attribute__((target("avx512f"), always_inline)) static inline __m512 h3s2_16(
    __m512 a, __m512 b, __m512 c, int avg, int keep_nan, __m512 sc, __mmask16 m,
    const float *inv_w) {
    const __m512i ev = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
                                         30);
    const __m512i od = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29,
                                         31);
    const __m512 e = _mm512_permutex2var_ps(a, ev, b), o = _mm512_permutex2var_ps(a, od, b);
    const __m512 e2 = _mm512_castsi512_ps(
        _mm512_alignr_epi32(_mm512_castps_si512(c), _mm512_castps_si512(e), 1));
    if (avg) {
        const __m512 v = _mm512_add_ps(_mm512_add_ps(e, o), e2);
        return _mm512_mul_ps(v, _mm512_mul_ps(sc, _mm512_maskz_loadu_ps(m, inv_w)));
    }
    return keep_nan ? nm512(nm512(e, o), e2) : _mm512_max_ps(_mm512_max_ps(e, o), e2);
}

__attribute__((target("avx512f"))) static void h3s2_avx512(const float *R, int64_t n, int avg,
                                                             float ih, const float *inv_w,
                                                             float *out) {
    const __m512 sc = _mm512_set1_ps(ih);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        const float *r = R + 2 * i;
        const __m512 a = _mm512_loadu_ps(r), b = _mm512_loadu_ps(r + 16);
        const __m512 c = _mm512_loadu_ps(r + 32);
        _mm512_mask_storeu_ps(out + i, m, h3s2_16(a, b, c, avg, 1, sc, m, inv_w + i));
    }
}
#endif

static int h3s2(const float *R, int64_t n, int avg, float ih, const float *inv_w, float *out) {
#if OV_X86
    if (ov_isa_level == 2) {
        h3s2_avx512(R, n, avg, ih, inv_w, out);
        return 1;
    }
#endif
    (void)R, (void)n, (void)avg, (void)ih, (void)inv_w, (void)out;
    return 0;
}

/* 3x3 windows at stride 2 (no dilation) on one plane, rows [oy0, oy1), AVX-512, straight
 * from the input rows: for every 16 outputs of an output row the three input rows' 33
 * columns are loaded as three vectors each (masked where they pass the plane's edges, the
 * padding then -inf for max, 0 for average), reduced down the rows in registers, split
 * into even / odd columns and reduced across. No copy, no row buffer, no scalar tail: the
 * small planes (SqueezeNet's 27 x 27) run it as well as the large ones. */
#if OV_X86
static inline uint32_t span_mask(int64_t start, int64_t n, int64_t len) {
    /* lanes l < n with 0 <= start + l < len */
    const int64_t lo = start < 0 ? -start : 0, hi = OV_MIN(n, len - start);
    if (hi <= lo) return 0;
    return (uint32_t)(((1ull << hi) - 1) & ~((1ull << lo) - 1));
}

/* One output row, exact for any number of valid rows nr (0..3) and NaN inputs: three
 * vectors down the rows per 16 outputs (NaN kept as nan_max does). */
__attribute__((target("avx512f"))) static void p3s2_row_exact(
    const float *const *r, int nr, int64_t IW, float *o, int64_t OW, int64_t PW, int avg,
    __m512 sc, const float *inv_w) {
    const __m512 fill = _mm512_set1_ps(avg ? 0.0f : -INFINITY);
    for (int64_t ox = 0; ox < OW; ox += 16) {
        const int64_t c = 2 * ox - PW;
        const __mmask16 mo = (__mmask16)span_mask(0, 16, OW - ox);
        __m512 va = fill, vb = fill, vc = fill;
        if (nr) {
            const __mmask16 ma = (__mmask16)span_mask(c, 16, IW);
            const __mmask16 mb = (__mmask16)span_mask(c + 16, 16, IW);
            const __mmask16 mc = (__mmask16)span_mask(c + 32, 1, IW);
            va = _mm512_mask_loadu_ps(fill, ma, r[0] + c);
            vb = _mm512_mask_loadu_ps(fill, mb, r[0] + c + 16);
            vc = _mm512_mask_loadu_ps(fill, mc, r[0] + c + 32);
            for (int k = 1; k < nr; k++) {
                const __m512 a = _mm512_mask_loadu_ps(fill, ma, r[k] + c);
                const __m512 b = _mm512_mask_loadu_ps(fill, mb, r[k] + c + 16);
                const __m512 d = _mm512_mask_loadu_ps(fill, mc, r[k] + c + 32);
                if (avg) {
                    va = _mm512_add_ps(va, a);
                    vb = _mm512_add_ps(vb, b);
                    vc = _mm512_add_ps(vc, d);
                } else {
                    va = nm512(va, a);
                    vb = nm512(vb, b);
                    vc = nm512(vc, d);
                }
            }
        }
        _mm512_mask_storeu_ps(o + ox, mo, h3s2_16(va, vb, vc, avg, 1, sc, mo, inv_w + ox));
    }
}

/* One output row from three valid input rows: the reduction down the rows of input
 * columns [c + 32, c + 48) of one block of 16 outputs is the first vector of the next, so
 * every column is reduced once; max with vmaxps, which drops NaNs, while any NaN among the
 * loaded inputs is noted (unordered compares) and the row is then redone exactly.
 * Returns 0 when it saw a NaN (the row must be redone). */
__attribute__((target("avx512f"))) static int p3s2_row3(const float *r0, const float *r1,
                                                         const float *r2, int64_t IW, float *o,
                                                         int64_t OW, int64_t PW, int avg,
                                                         __m512 sc, const float *inv_w) {
    const __m512 fill = _mm512_set1_ps(avg ? 0.0f : -INFINITY);
    __mmask16 nan = 0;
#define P3_V(dst, col)                                                                 \
    do {                                                                               \
        const __mmask16 m_ = (__mmask16)span_mask(col, 16, IW);                        \
        const __m512 l0 = _mm512_mask_loadu_ps(fill, m_, r0 + (col));                  \
        const __m512 l1 = _mm512_mask_loadu_ps(fill, m_, r1 + (col));                  \
        const __m512 l2 = _mm512_mask_loadu_ps(fill, m_, r2 + (col));                  \
        if (avg) {                                                                     \
            dst = _mm512_add_ps(_mm512_add_ps(l0, l1), l2);                            \
        } else {                                                                       \
            dst = _mm512_max_ps(_mm512_max_ps(l0, l1), l2);                            \
            nan |= _mm512_cmp_ps_mask(l0, l1, _CMP_UNORD_Q) |                          \
                   _mm512_cmp_ps_mask(l2, l2, _CMP_UNORD_Q);                           \
        }                                                                              \
    } while (0)
    __m512 va, vb, vn;
    P3_V(va, -PW);
    for (int64_t ox = 0; ox < OW; ox += 16) {
        const int64_t c = 2 * ox - PW;
        P3_V(vb, c + 16);
        if (c + 32 < IW) { /* else past the plane (all padding) */
            P3_V(vn, c + 32);
        } else {
            vn = fill;
        }
        const __mmask16 mo = (__mmask16)span_mask(0, 16, OW - ox);
        _mm512_mask_storeu_ps(o + ox, mo, h3s2_16(va, vb, vn, avg, 0, sc, mo, inv_w + ox));
        va = vn;
    }
#undef P3_V
    return nan == 0;
}

__attribute__((target("avx512f"))) static void p3s2_avx512(
    const float *x, int64_t IH, int64_t IW, float *y, int64_t OW, int64_t oy0, int64_t oy1,
    int64_t PH, int64_t PW, int avg, const float *inv_h, const float *inv_w) {
    for (int64_t oy = oy0; oy < oy1; oy++) {
        const float *r[3];
        int nr = 0;
        for (int64_t ky = 0; ky < 3; ky++) {
            const int64_t ih = 2 * oy - PH + ky;
            if (ih >= 0 && ih < IH) r[nr++] = x + ih * IW;
        }
        float *o = y + oy * OW;
        const __m512 sc = _mm512_set1_ps(avg ? inv_h[oy] : 1.0f);
        if (nr == 3 && p3s2_row3(r[0], r[1], r[2], IW, o, OW, PW, avg, sc, inv_w)) continue;
        p3s2_row_exact(r, nr, IW, o, OW, PW, avg, sc, inv_w);
    }
}
#endif

/* Floats of scratch pool2d_rows needs (R, the output row T and the window's row pointers). */
static int64_t pool2d_rows_scratch(int64_t OW, int64_t KH, int64_t KW, int64_t SW, int64_t DW) {
    const int64_t OWv = (OW + 15) / 16 * 16;
    const int64_t Wv = (OWv - 1) * SW + (KW - 1) * DW + 1;
    return (Wv + 15) / 16 * 16 + OWv + 2 * KH + 64;
}

/* 2-D windows (any stride), row-separable: for each output row the window's input rows are
 * reduced into one row R (one pass for up to three rows), with the fill of the padding
 * around it (-inf for max, 0 for average), then every output takes its KW taps of R at
 * stride SW (one expression for 2- and 3-wide stride-2 windows), over whole vectors into
 * the row T (R is filled past the last window, so no scalar tail), of which the first OW
 * are kept. No padded copy of the plane; the average is then scaled by
 * 1 / (taps per axis) (inv_h, inv_w). Scratch: pool2d_rows_scratch() floats at R. */
OV_VEC static void pool2d_rows(const float *OV_RESTRICT x, int64_t IH, int64_t IW,
                               float *OV_RESTRICT y, int64_t OH, int64_t OW, int64_t KH,
                               int64_t KW, int64_t SH, int64_t SW, int64_t DH, int64_t DW,
                               int64_t PH, int64_t PW, int avg, const float *OV_RESTRICT inv_h,
                               const float *OV_RESTRICT inv_w, float *OV_RESTRICT R) {
    const int64_t OWv = (OW + 15) / 16 * 16;
    const int64_t Wr = (OW - 1) * SW + (KW - 1) * DW + 1;   /* columns windows read      */
    const int64_t Wv = (OWv - 1) * SW + (KW - 1) * DW + 1;  /* ... of the whole vectors  */
    float *OV_RESTRICT T = R + (Wv + 15) / 16 * 16;
    const float **rows = (const float **)(T + OWv);
    const float fill = avg ? 0.0f : -INFINITY;
    const int64_t c0 = OV_MIN(PW, Wr);                 /* R[0, c0): left padding      */
    const int64_t c1 = OV_MAX(c0, OV_MIN(Wr, PW + IW)); /* R[c0, c1): input columns    */
    const int64_t n = c1 - c0, xoff = c0 - PW;
    for (int64_t j = 0; j < c0; j++) R[j] = fill;
    for (int64_t j = c1; j < Wv; j++) R[j] = fill;
    float *OV_RESTRICT r = R + c0;
    for (int64_t oy = 0; oy < OH; oy++) {
        int64_t nr = 0;
        for (int64_t ky = 0; ky < KH; ky++) {
            const int64_t ih = oy * SH - PH + ky * DH;
            if (ih >= 0 && ih < IH) rows[nr++] = x + ih * IW + xoff;
        }
        if (nr) {
            reduce_rows(rows, nr, n, avg, r);
        } else {
            for (int64_t i = 0; i < n; i++) r[i] = fill;
        }
        float *OV_RESTRICT o = T;
        if (SW == 2 && DW == 1 && KW == 3 &&
            h3s2(R, OW, avg, avg ? inv_h[oy] : 1.0f, inv_w, y + oy * OW)) {
            continue; /* the output row is written */
        }
        if (SW == 2 && DW == 1 && KW == 3) {
            if (avg) {
                for (int64_t ox = 0; ox < OWv; ox++)
                    o[ox] = R[2 * ox] + R[2 * ox + 1] + R[2 * ox + 2];
            } else {
                for (int64_t ox = 0; ox < OWv; ox++)
                    o[ox] = nan_max(nan_max(R[2 * ox], R[2 * ox + 1]), R[2 * ox + 2]);
            }
        } else if (SW == 2 && DW == 1 && KW == 2) {
            if (avg) {
                for (int64_t ox = 0; ox < OWv; ox++) o[ox] = R[2 * ox] + R[2 * ox + 1];
            } else {
                for (int64_t ox = 0; ox < OWv; ox++) o[ox] = nan_max(R[2 * ox], R[2 * ox + 1]);
            }
        } else {
            for (int64_t ox = 0; ox < OWv; ox++) o[ox] = R[ox * SW];
            for (int64_t kx = 1; kx < KW; kx++) {
                const float *OV_RESTRICT src = R + kx * DW;
                if (avg) {
                    for (int64_t ox = 0; ox < OWv; ox++) o[ox] += src[ox * SW];
                } else {
                    for (int64_t ox = 0; ox < OWv; ox++) o[ox] = nan_max(o[ox], src[ox * SW]);
                }
            }
        }
        float *OV_RESTRICT out = y + oy * OW;
        if (avg) {
            const float ih = inv_h[oy];
            for (int64_t ox = 0; ox < OW; ox++) out[ox] = o[ox] * (ih * inv_w[ox]);
        } else {
            memcpy(out, o, (size_t)OW * 4);
        }
    }
}

/* Stride 1 both ways, separable over flat memory: `np` padded planes (Hp x Wp each) lie
 * back to back in P; the row pass R[i] = op_k P[i + k DW] and the column pass
 * V[i] = op_k R[i + k DH Wp] run over all of them as single long loops (positions whose
 * window crosses a row or plane edge are computed too, never read), then each output row
 * is the first OW elements of its V row. Few, long loops instead of a short one per row
 * and tap: what small planes (Inception's 14 x 14, 7 x 7) need. */
OV_VEC static void pool2d_s1_flat(const float *OV_RESTRICT P, int64_t np, int64_t Hp, int64_t Wp,
                                  float *OV_RESTRICT y, int64_t OH, int64_t OW, int64_t KH,
                                  int64_t KW, int64_t DH, int64_t DW, int avg,
                                  const float *OV_RESTRICT inv_h, const float *OV_RESTRICT inv_w,
                                  float *OV_RESTRICT R, float *OV_RESTRICT V) {
    const int64_t plane = Hp * Wp, total = np * plane;
    const int64_t nr = total - (KW - 1) * DW;          /* row pass positions    */
    const int64_t nv = total - (KH - 1) * DH * Wp - (KW - 1) * DW; /* column pass */
    memcpy(R, P, (size_t)nr * 4);
    for (int64_t k = 1; k < KW; k++) {
        const float *src = P + k * DW;
        if (avg) {
            for (int64_t i = 0; i < nr; i++) R[i] += src[i];
        } else {
            for (int64_t i = 0; i < nr; i++) {
                float v = src[i], a = R[i];
                R[i] = (v > a || v != v) ? v : a;
            }
        }
    }
    memcpy(V, R, (size_t)nv * 4);
    for (int64_t k = 1; k < KH; k++) {
        const float *src = R + k * DH * Wp;
        if (avg) {
            for (int64_t i = 0; i < nv; i++) V[i] += src[i];
        } else {
            for (int64_t i = 0; i < nv; i++) {
                float v = src[i], a = V[i];
                V[i] = (v > a || v != v) ? v : a;
            }
        }
    }
    for (int64_t q = 0; q < np; q++) {
        const float *v = V + q * plane;
        float *o = y + q * OH * OW;
        for (int64_t oy = 0; oy < OH; oy++) {
            if (avg) {
                const float ih = inv_h[oy];
                for (int64_t ox = 0; ox < OW; ox++) o[oy * OW + ox] = v[oy * Wp + ox] * (ih * inv_w[ox]);
            } else {
                memcpy(o + oy * OW, v + oy * Wp, (size_t)OW * 4);
            }
        }
    }
}

/* Stride 1 with the output the size of the input (Inception's 3x3 / pad 1 MaxPools), on
 * np planes lying back to back in x, without a padded copy: the row pass R[i] = op_k
 * x[i + k - PW] runs as one long loop over all planes, then the positions whose window
 * crosses a row end (the first PW and last KW-1-PW columns of each row) are computed
 * again with their valid taps only; the column pass writes y directly, one loop per plane
 * over the rows whose window lies inside the plane, short ones for the PH top and
 * KH-1-PH bottom rows. inv (avg): 1 / taps per position of a plane. R: np * plane. */
OV_VEC static void pool2d_s1_same(const float *OV_RESTRICT x, int64_t np, int64_t H, int64_t W,
                                  float *OV_RESTRICT y, int64_t KH, int64_t KW, int64_t PH,
                                  int64_t PW, int avg, const float *OV_RESTRICT inv,
                                  float *OV_RESTRICT R) {
    const int64_t plane = H * W, total = np * plane;
    const int64_t PWe = KW - 1 - PW, PHe = KH - 1 - PH;
    /* row pass over the whole run (taps that cross a row end are redone below) */
    const int64_t n = total - PWe - PW;
    if (n > 0) {
        float *OV_RESTRICT Ro = R + PW; /* R[PW + i] from x[i .. i + KW) */
        if (KW == 3) {
            if (avg) {
                for (int64_t i = 0; i < n; i++) Ro[i] = x[i] + x[i + 1] + x[i + 2];
            } else {
                for (int64_t i = 0; i < n; i++) Ro[i] = nan_max(nan_max(x[i], x[i + 1]), x[i + 2]);
            }
        } else {
            for (int64_t i = 0; i < n; i++) Ro[i] = x[i];
            for (int64_t k = 1; k < KW; k++) {
                const float *OV_RESTRICT src = x + k;
                if (avg) {
                    for (int64_t i = 0; i < n; i++) Ro[i] += src[i];
                } else {
                    for (int64_t i = 0; i < n; i++) Ro[i] = nan_max(Ro[i], src[i]);
                }
            }
        }
    }
    if (KW == 3 && PW == 1 && W >= 2) {
        /* 3 wide, centred: the first and last column of each row have two taps */
        for (int64_t row = 0; row < np * H; row++) {
            const float *xr = x + row * W;
            float *rr = R + row * W;
            rr[0] = avg ? xr[0] + xr[1] : nan_max(xr[0], xr[1]);
            rr[W - 1] = avg ? xr[W - 2] + xr[W - 1] : nan_max(xr[W - 2], xr[W - 1]);
        }
    } else for (int64_t row = 0; row < np * H; row++) {
        const float *xr = x + row * W;
        float *rr = R + row * W;
        for (int64_t c = 0; c < W; c++) {
            if (c == PW && W - PWe > PW) c = W - PWe; /* skip the inner columns */
            if (c >= W) break;
            float acc = avg ? 0.0f : -INFINITY;
            for (int64_t k = 0; k < KW; k++) {
                const int64_t cc = c + k - PW;
                if (cc < 0 || cc >= W) continue;
                acc = avg ? acc + xr[cc] : nan_max(acc, xr[cc]);
            }
            rr[c] = acc;
        }
    }
    /* column pass, plane by plane */
    for (int64_t q = 0; q < np; q++) {
        const float *OV_RESTRICT rp = R + q * plane;
        float *OV_RESTRICT yp = y + q * plane;
        const int64_t m = (H - PHe - PH) * W; /* inner rows: yo[j] from rp[j + k W] */
        if (m > 0) {
            float *OV_RESTRICT yo = yp + PH * W;
            if (KH == 3) {
                if (avg) {
                    for (int64_t j = 0; j < m; j++) yo[j] = rp[j] + rp[j + W] + rp[j + 2 * W];
                } else {
                    for (int64_t j = 0; j < m; j++)
                        yo[j] = nan_max(nan_max(rp[j], rp[j + W]), rp[j + 2 * W]);
                }
            } else {
                for (int64_t j = 0; j < m; j++) yo[j] = rp[j];
                for (int64_t k = 1; k < KH; k++) {
                    const float *OV_RESTRICT src = rp + k * W;
                    if (avg) {
                        for (int64_t j = 0; j < m; j++) yo[j] += src[j];
                    } else {
                        for (int64_t j = 0; j < m; j++) yo[j] = nan_max(yo[j], src[j]);
                    }
                }
            }
        }
        for (int64_t r = 0; r < H; r++) {
            if (r == PH && H - PHe > PH) r = H - PHe; /* skip the inner rows */
            if (r >= H) break;
            float *OV_RESTRICT o = yp + r * W;
            int first = 1;
            for (int64_t k = 0; k < KH; k++) {
                const int64_t rr = r + k - PH;
                if (rr < 0 || rr >= H) continue;
                const float *OV_RESTRICT src = rp + rr * W;
                if (first) {
                    for (int64_t c = 0; c < W; c++) o[c] = src[c];
                    first = 0;
                } else if (avg) {
                    for (int64_t c = 0; c < W; c++) o[c] += src[c];
                } else {
                    for (int64_t c = 0; c < W; c++) o[c] = nan_max(o[c], src[c]);
                }
            }
        }
        if (avg)
            for (int64_t j = 0; j < plane; j++) yp[j] *= inv[j];
    }
}

/* A window covering the whole plane: max or mean of all its elements. */
OV_VEC static float pool_global(const float *OV_RESTRICT x, int64_t n, int avg) {
    if (avg) {
        float acc[16] = {0};
        int64_t i = 0;
        for (; i + 16 <= n; i += 16)
            for (int k = 0; k < 16; k++) acc[k] += x[i + k];
        float s = 0.0f;
        for (int k = 0; k < 16; k++) s += acc[k];
        for (; i < n; i++) s += x[i];
        return s / (float)n;
    }
    float m = -INFINITY;
    int nan = 0;
    for (int64_t i = 0; i < n; i++) {
        m = x[i] > m ? x[i] : m;
        nan |= x[i] != x[i];
    }
    return nan ? NAN : m;
}

/* 1 / (elements of axis covered by each window), for the average's divisor. */
static void window_counts(int64_t out, int64_t in, int64_t k, int64_t st, int64_t dl,
                          int64_t pb, int64_t pe, int excl, float *inv) {
    (void)pe; /* without excl: the whole window, wherever its taps fall */
    for (int64_t o = 0; o < out; o++) {
        int64_t n = 0;
        for (int64_t t = 0; t < k; t++) {
            int64_t i = o * st - pb + t * dl;
            if (!excl || (i >= 0 && i < in)) n++;
        }
        inv[o] = n > 0 ? 1.0f / (float)n : 0.0f;
    }
}

/* One plane of a 2-D pooling: 3x3 windows at stride 2 over the even / odd column planes
 * (with AVX-512: row-separable, as every 3-wide stride-2 window), other stride-2 windows
 * 2 wide (DenseNet's 2x2 average) row-separable, any other stride
 * over a padded copy. W: scratch after the divisors. */
static void pool2d_fast(const ov_step *s, const float *x, float *y, int avg,
                        const float *inv_h, const float *inv_w, float *W) {
    const int64_t OH = s->p[7], OW = s->p[8], KH = s->p[10], KW = s->p[11];
    const int64_t SH = s->p[13], SW = s->p[14], DH = s->p[16], DW = s->p[17];
    const int64_t Hp = (OH - 1) * SH + (KH - 1) * DH + 1;
    const int64_t Wp = (OW - 1) * SW + (KW - 1) * DW + 1;
    const float fill = avg ? 0.0f : -INFINITY;
    /* with AVX-512 the row-separable path splits even / odd columns in registers (h3s2),
     * faster than the split copy */
    const int rows3 = KW == 3 && SW == 2 && DW == 1 && ov_isa_level == 2;
    if (KH == 3 && KW == 3 && SH == 2 && SW == 2 && DH == 1 && DW == 1 && !rows3) {
        const int64_t OWv = (OW + 7) / 8 * 8, We = OWv + 1, Wo = OWv;
        float *inv_wv = W, *row = inv_wv + OWv, *E = row + OWv, *O = E + Hp * We;
        for (int64_t i = 0; i < OWv; i++) inv_wv[i] = i < OW && avg ? inv_w[i] : 0.0f;
        ov_pad_split(x, s->p[4], s->p[5], s->p[19], s->p[20], Hp, We, Wo, fill, E, O);
        pool3x3_s2(E, O, We, Wo, y, OH, OW, avg, inv_h, inv_wv, row);
    } else if ((KW == 2 || rows3) && SW == 2 && DW == 1) {
        pool2d_rows(x, s->p[4], s->p[5], y, OH, OW, KH, KW, SH, SW, DH, DW, s->p[19], s->p[20],
                    avg, inv_h, inv_w, W);
    } else if (SW == 2 && DW == 1) {
        const int64_t We = (Wp + 1) / 2, Wo = Wp / 2;
        float *E = W, *O = E + Hp * We;
        ov_pad_split(x, s->p[4], s->p[5], s->p[19], s->p[20], Hp, We, Wo, fill, E, O);
        pool2d_s2(E, O, We, Wo, y, OH, OW, KH, KW, SH, DH, avg, inv_h, inv_w);
    } else {
        ov_pad_plane(x, s->p[4], s->p[5], s->p[19], s->p[20], Hp, Wp, fill, W);
        pool2d_padded(W, Wp, y, OH, OW, KH, KW, SH, SW, DH, DW, avg, inv_h, inv_w);
    }
}

/* task: planes [t * group, (t + 1) * group) */
static void pool_task(void *ctx, int64_t t, int32_t tid) {
    pool_job *j = (pool_job *)ctx;
    const ov_step *s = j->s;
    const int64_t isz = s->p[3] * s->p[4] * s->p[5];
    const int64_t osz = s->p[6] * s->p[7] * s->p[8];
    const int64_t q0 = t * j->group, q1 = OV_MIN(s->p[2], q0 + j->group);
    const int avg = s->p[0] != 0;
    float *inv_h = NULL, *inv_w = NULL, *R = NULL;
    if (j->fast && !j->global) {
        const int64_t OH = s->p[7], OW = s->p[8];
        inv_h = ov_pool_scratch(j->pool, tid);
        inv_w = inv_h + (OH + 15) / 16 * 16;
        R = inv_w + (OW + 15) / 16 * 16; /* 64-byte aligned, as the scratch */
        if (avg) {
            window_counts(OH, s->p[4], s->p[10], s->p[13], s->p[16], s->p[19], s->p[22],
                          (int)s->p[1], inv_h);
            window_counts(OW, s->p[5], s->p[11], s->p[14], s->p[17], s->p[20], s->p[23],
                          (int)s->p[1], inv_w);
        }
    }
    for (int64_t q = q0; q < q1; q++) {
        const float *x = (const float *)j->ptr[0] + q * isz;
        float *y = (float *)j->ptr[1] + q * osz;
        if (j->global) {
            y[0] = pool_global(x, isz, avg);
        } else if (j->fast) {
            pool2d_fast(s, x, y, avg, inv_h, inv_w, R);
        } else {
            pool_plane(s, x, y);
        }
        const int64_t C = s->p[24];
        if (j->posts.n) ov_posts_apply(&j->posts, y, osz, q % C, 0, 1, osz, q / C);
    }
}

/* task: `group` planes of a stride-1 2-D pooling at once (pool2d_s1_flat) */
static void pool_s1_task(void *ctx, int64_t t, int32_t tid) {
    pool_job *j = (pool_job *)ctx;
    const ov_step *s = j->s;
    const int64_t OH = s->p[7], OW = s->p[8], KH = s->p[10], KW = s->p[11];
    const int64_t DH = s->p[16], DW = s->p[17], IH = s->p[4], IW = s->p[5];
    const int64_t Hp = OH + (KH - 1) * DH, Wp = OW + (KW - 1) * DW, plane = Hp * Wp;
    const int64_t q0 = t * j->group, np = OV_MIN(j->group, s->p[2] - q0);
    const int avg = s->p[0] != 0;
    float *inv_h = ov_pool_scratch(j->pool, tid), *inv_w = inv_h + OH;
    float *P = inv_w + OW + 16, *R = P + np * plane, *V = R + np * plane;
    if (avg) {
        window_counts(OH, IH, KH, 1, DH, s->p[19], s->p[22], (int)s->p[1], inv_h);
        window_counts(OW, IW, KW, 1, DW, s->p[20], s->p[23], (int)s->p[1], inv_w);
    }
    const float *x = (const float *)j->ptr[0] + q0 * IH * IW;
    float *y = (float *)j->ptr[1] + q0 * OH * OW;
    for (int64_t q = 0; q < np; q++)
        ov_pad_plane(x + q * IH * IW, IH, IW, s->p[19], s->p[20], Hp, Wp,
                     avg ? 0.0f : -INFINITY, P + q * plane);
    pool2d_s1_flat(P, np, Hp, Wp, y, OH, OW, KH, KW, DH, DW, avg, inv_h, inv_w, R, V);
    if (j->posts.n) {
        const int64_t C = s->p[24], osz = OH * OW;
        for (int64_t q = 0; q < np; q++)
            ov_posts_apply(&j->posts, y + q * osz, osz, (q0 + q) % C, 0, 1, osz, (q0 + q) / C);
    }
}

/* task: `group` planes of a stride-1 pooling whose output is the size of its input
 * (pool2d_s1_same) */
static void pool_same_task(void *ctx, int64_t t, int32_t tid) {
    pool_job *j = (pool_job *)ctx;
    const ov_step *s = j->s;
    const int64_t H = s->p[4], W = s->p[5], KH = s->p[10], KW = s->p[11], plane = H * W;
    const int64_t q0 = t * j->group, np = OV_MIN(j->group, s->p[2] - q0);
    const int avg = s->p[0] != 0;
    float *inv_h = ov_pool_scratch(j->pool, tid), *inv_w = inv_h + (H + 15) / 16 * 16;
    float *inv = inv_w + (W + 15) / 16 * 16, *R = inv + (plane + 15) / 16 * 16;
    if (avg) {
        window_counts(H, H, KH, 1, 1, s->p[19], s->p[22], (int)s->p[1], inv_h);
        window_counts(W, W, KW, 1, 1, s->p[20], s->p[23], (int)s->p[1], inv_w);
        for (int64_t r = 0; r < H; r++)
            for (int64_t c = 0; c < W; c++) inv[r * W + c] = inv_h[r] * inv_w[c];
    }
    const float *x = (const float *)j->ptr[0] + q0 * plane;
    float *y = (float *)j->ptr[1] + q0 * plane;
    pool2d_s1_same(x, np, H, W, y, KH, KW, s->p[19], s->p[20], avg, inv, R);
    if (j->posts.n) {
        const int64_t C = s->p[24];
        for (int64_t q = 0; q < np; q++)
            ov_posts_apply(&j->posts, y + q * plane, plane, (q0 + q) % C, 0, 1, plane,
                           (q0 + q) / C);
    }
}

/* ---- small planes: 16 planes at a time, channel-interleaved --------------------------------
 * Planes of at most BLOCKED_MAX_PLANE elements (Inception's 14 x 14 and 7 x 7, 28 x 28) are
 * too short for vectors along a row (stride-1 windows: at most 256 elements). Instead 16 planes are interleaved into [H][W][16] (8 x 8
 * register transposes), every output is one vector of 16 planes over the window's valid taps
 * (padding is skipped, never read), and the result is de-interleaved into the output planes:
 * the layout the real runtime keeps its activations in (nChw16c) for one op. */
#define PB 16
#define BLOCKED_MAX_PLANE 1024

#if OV_X86
#define TR_TARGET __attribute__((target("avx2")))
TR_TARGET static inline void tr8x8(__m256 *r) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
    __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
    __m256 s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/* 16 whole planes of n elements (x + l n) into B[i][16] */
TR_TARGET static void interleave16_avx2(const float *x, int64_t n, float *B) {
    for (int h = 0; h < 2; h++) {
        const float *xs = x + 8 * h * n;
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256 r[8];
            for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(xs + k * n + i);
            tr8x8(r);
            for (int k = 0; k < 8; k++) _mm256_storeu_ps(B + (i + k) * PB + 8 * h, r[k]);
        }
        for (; i < n; i++)
            for (int l = 0; l < 8; l++) B[i * PB + 8 * h + l] = xs[l * n + i];
    }
}

/* B[i][16] back into 16 planes of n elements (y + l n) */
TR_TARGET static void deinterleave16_avx2(const float *B, int64_t n, float *y) {
    for (int h = 0; h < 2; h++) {
        float *ys = y + 8 * h * n;
        int64_t i = 0;
        for (; i + 8 <= n; i += 8) {
            __m256 r[8];
            for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(B + (i + k) * PB + 8 * h);
            tr8x8(r);
            for (int k = 0; k < 8; k++) _mm256_storeu_ps(ys + k * n + i, r[k]);
        }
        for (; i < n; i++)
            for (int l = 0; l < 8; l++) ys[l * n + i] = B[i * PB + 8 * h + l];
    }
}
#endif

/* nb (<= 16) planes of n elements into B[i][16]; lanes past nb are zero */
static void interleave(const float *x, int64_t nb, int64_t n, float *B) {
#if OV_X86
    if (nb == PB && ov_isa_level >= 1) {
        interleave16_avx2(x, n, B);
        return;
    }
#endif
    for (int64_t i = 0; i < n; i++)
        for (int64_t l = 0; l < PB; l++) B[i * PB + l] = l < nb ? x[l * n + i] : 0.0f;
}

static void deinterleave(const float *B, int64_t nb, int64_t n, float *y) {
#if OV_X86
    if (nb == PB && ov_isa_level >= 1) {
        deinterleave16_avx2(B, n, y);
        return;
    }
#endif
    for (int64_t l = 0; l < nb; l++)
        for (int64_t i = 0; i < n; i++) y[l * n + i] = B[i * PB + l];
}

/* first and one-past-last tap of a window starting at `start` whose positions
 * start + k * dl fall inside [0, in) */
static inline void valid_taps(int64_t start, int64_t k, int64_t dl, int64_t in, int64_t *k0,
                              int64_t *k1) {
    int64_t a = start < 0 ? (-start + dl - 1) / dl : 0, b = k;
    while (b > a && start + (b - 1) * dl >= in) b--;
    *k0 = a;
    *k1 = OV_MAX(a, b);
}

/* The pooling of 16 interleaved planes X[IH][IW][16] into Y[OH][OW][16] (both 64-byte
 * aligned): one 16-lane vector per output (one zmm on AVX-512, two ymm on AVX2, a portable
 * loop otherwise); the max propagates NaN as nan_max. */
typedef struct {
    int64_t IH, IW, OH, OW, KH, KW, SH, SW, DH, DW, PH, PW;
    int avg;
    const float *inv_h, *inv_w;
} blocked_geom;

#define BLOCKED_LOOP(...)                                                           \
    for (int64_t oh = 0; oh < g->OH; oh++) {                                        \
        const int64_t h0 = oh * g->SH - g->PH;                                      \
        int64_t kh0, kh1;                                                           \
        valid_taps(h0, g->KH, g->DH, g->IH, &kh0, &kh1);                            \
        for (int64_t ow = 0; ow < g->OW; ow++) {                                    \
            const int64_t w0 = ow * g->SW - g->PW;                                  \
            int64_t kw0, kw1;                                                       \
            valid_taps(w0, g->KW, g->DW, g->IW, &kw0, &kw1);                        \
            const float sc = g->avg ? g->inv_h[oh] * g->inv_w[ow] : 1.0f;           \
            float *o = Y + (oh * g->OW + ow) * PB;                                  \
            __VA_ARGS__                                                             \
        }                                                                           \
    }
#define BLOCKED_TAPS(...)                                                           \
    for (int64_t kh = kh0; kh < kh1; kh++) {                                        \
        const float *row = X + ((h0 + kh * g->DH) * g->IW + w0) * PB;               \
        for (int64_t kw = kw0; kw < kw1; kw++) {                                    \
            const float *src = row + kw * g->DW * PB;                               \
            __VA_ARGS__                                                             \
        }                                                                           \
    }

#if OV_X86
__attribute__((target("avx512f"))) static void pool2d_blocked_avx512(
    const blocked_geom *g, const float *X, float *Y) {
    BLOCKED_LOOP({
        __m512 acc = _mm512_set1_ps(g->avg ? 0.0f : -INFINITY);
        if (g->avg) {
            BLOCKED_TAPS(acc = _mm512_add_ps(acc, _mm512_load_ps(src));)
            acc = _mm512_mul_ps(acc, _mm512_set1_ps(sc));
        } else {
            BLOCKED_TAPS({
                const __m512 v = _mm512_load_ps(src);
                const __mmask16 k = _mm512_cmp_ps_mask(v, acc, _CMP_GT_OQ) |
                                    _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
                acc = _mm512_mask_mov_ps(acc, k, v);
            })
        }
        _mm512_store_ps(o, acc);
    })
}

__attribute__((target("avx2"))) static void pool2d_blocked_avx2(const blocked_geom *g,
                                                                 const float *X, float *Y) {
    BLOCKED_LOOP({
        __m256 a0 = _mm256_set1_ps(g->avg ? 0.0f : -INFINITY), a1 = a0;
        if (g->avg) {
            BLOCKED_TAPS({
                a0 = _mm256_add_ps(a0, _mm256_load_ps(src));
                a1 = _mm256_add_ps(a1, _mm256_load_ps(src + 8));
            })
            a0 = _mm256_mul_ps(a0, _mm256_set1_ps(sc));
            a1 = _mm256_mul_ps(a1, _mm256_set1_ps(sc));
        } else {
            BLOCKED_TAPS({
                const __m256 v0 = _mm256_load_ps(src), v1 = _mm256_load_ps(src + 8);
                a0 = _mm256_blendv_ps(a0, v0, _mm256_or_ps(_mm256_cmp_ps(v0, a0, _CMP_GT_OQ),
                                                           _mm256_cmp_ps(v0, v0, _CMP_UNORD_Q)));
                a1 = _mm256_blendv_ps(a1, v1, _mm256_or_ps(_mm256_cmp_ps(v1, a1, _CMP_GT_OQ),
                                                           _mm256_cmp_ps(v1, v1, _CMP_UNORD_Q)));
            })
        }
        _mm256_store_ps(o, a0);
        _mm256_store_ps(o + 8, a1);
    })
}
#endif

static void pool2d_blocked_generic(const blocked_geom *g, const float *X, float *Y) {
    BLOCKED_LOOP({
        float acc[PB];
        for (int l = 0; l < PB; l++) acc[l] = g->avg ? 0.0f : -INFINITY;
        BLOCKED_TAPS({
            for (int l = 0; l < PB; l++)
                acc[l] = g->avg ? acc[l] + src[l] : nan_max(acc[l], src[l]);
        })
        for (int l = 0; l < PB; l++) o[l] = g->avg ? acc[l] * sc : acc[l];
    })
}

static void pool2d_blocked(const blocked_geom *g, const float *X, float *Y) {
#if OV_X86
    if (ov_isa_level == 2) {
        pool2d_blocked_avx512(g, X, Y);
        return;
    }
    if (ov_isa_level >= 1) {
        pool2d_blocked_avx2(g, X, Y);
        return;
    }
#endif
    pool2d_blocked_generic(g, X, Y);
}

/* Floats of scratch a blocked task needs. */
static int64_t blocked_scratch(const ov_step *s) {
    return (s->p[4] * s->p[5] + s->p[7] * s->p[8]) * PB + (s->p[7] + 15) / 16 * 16 +
           (s->p[8] + 15) / 16 * 16 + 64;
}

/* task: planes [t * group, (t + 1) * group), 16 at a time (pool2d_blocked) */
static void pool_blocked_task(void *ctx, int64_t t, int32_t tid) {
    pool_job *j = (pool_job *)ctx;
    const ov_step *s = j->s;
    const int64_t IH = s->p[4], IW = s->p[5], OH = s->p[7], OW = s->p[8];
    const int64_t isz = IH * IW, osz = OH * OW;
    const int64_t q0 = t * j->group, q1 = OV_MIN(s->p[2], q0 + j->group);
    const int avg = s->p[0] != 0;
    float *X = ov_pool_scratch(j->pool, tid), *Y = X + isz * PB;
    float *inv_h = Y + osz * PB, *inv_w = inv_h + (OH + 15) / 16 * 16;
    if (avg) {
        window_counts(OH, IH, s->p[10], s->p[13], s->p[16], s->p[19], s->p[22], (int)s->p[1],
                      inv_h);
        window_counts(OW, IW, s->p[11], s->p[14], s->p[17], s->p[20], s->p[23], (int)s->p[1],
                      inv_w);
    }
    const blocked_geom g = {IH, IW, OH, OW, s->p[10], s->p[11], s->p[13], s->p[14],
                            s->p[16], s->p[17], s->p[19], s->p[20], avg, inv_h, inv_w};
    const int64_t C = s->p[24];
    for (int64_t q = q0; q < q1; q += PB) {
        const int64_t nb = OV_MIN(PB, q1 - q);
        interleave((const float *)j->ptr[0] + q * isz, nb, isz, X);
        pool2d_blocked(&g, X, Y);
        float *y = (float *)j->ptr[1] + q * osz;
        deinterleave(Y, nb, osz, y);
        if (j->posts.n)
            for (int64_t b = 0; b < nb; b++)
                ov_posts_apply(&j->posts, y + b * osz, osz, (q + b) % C, 0, 1, osz,
                               (q + b) / C);
    }
}

#if OV_X86
/* task of a 3x3 stride-2 pooling (p3s2_avx512): planes [t * group, (t + 1) * group), or
 * when j->rows < OH, rows [k * rows, (k + 1) * rows) of one plane */
static void pool_3s2_task(void *ctx, int64_t t, int32_t tid) {
    pool_job *j = (pool_job *)ctx;
    const ov_step *s = j->s;
    const int64_t IH = s->p[4], IW = s->p[5], OH = s->p[7], OW = s->p[8];
    const int64_t isz = IH * IW, osz = OH * OW, C = s->p[24];
    const int avg = s->p[0] != 0;
    int64_t q0, q1, oy0 = 0, oy1 = OH;
    if (j->rows < OH) {
        const int64_t chunks = (OH + j->rows - 1) / j->rows;
        q0 = t / chunks;
        q1 = q0 + 1;
        oy0 = (t % chunks) * j->rows;
        oy1 = OV_MIN(OH, oy0 + j->rows);
    } else {
        q0 = t * j->group;
        q1 = OV_MIN(s->p[2], q0 + j->group);
    }
    float *inv_h = ov_pool_scratch(j->pool, tid), *inv_w = inv_h + (OH + 15) / 16 * 16;
    if (avg) {
        window_counts(OH, IH, 3, 2, 1, s->p[19], s->p[22], (int)s->p[1], inv_h);
        window_counts(OW, IW, 3, 2, 1, s->p[20], s->p[23], (int)s->p[1], inv_w);
    }
    for (int64_t q = q0; q < q1; q++) {
        float *y = (float *)j->ptr[1] + q * osz;
        p3s2_avx512((const float *)j->ptr[0] + q * isz, IH, IW, y, OW, oy0, oy1, s->p[19],
                    s->p[20], avg, inv_h, inv_w);
        if (j->posts.n)
            ov_posts_apply(&j->posts, y + oy0 * OW, osz, q % C, oy0 * OW, 1, (oy1 - oy0) * OW,
                           q / C);
    }
}
#endif

/* Runs task fn over the planes in groups of `group` (j->group): on the calling thread when
 * the layer is small (waking the pool costs more), else over the pool. */
static int32_t pool_run_groups(pool_job *j, ov_pool *pool, int64_t group, int64_t work,
                               ov_task_fn fn) {
    j->group = group;
    const int64_t ntasks = (j->s->p[2] + group - 1) / group;
    if (work < 65536) {
        for (int64_t t = 0; t < ntasks; t++) fn(j, t, ov_current_tid());
    } else {
        ov_parallel(pool, ntasks, fn, j);
    }
    return 0;
}

int32_t ov_k_pool(const ov_step *s, char *const *ptr, ov_pool *pool) {
    pool_job j;
    j.s = s;
    j.ptr = ptr;
    j.pool = pool;
    ov_posts_init(&j.posts, s, ptr);
    if (s->p[2] <= 0 || s->p[6] <= 0 || s->p[7] <= 0 || s->p[8] <= 0) return 0;
    /* 2-D (depth 1) windows whose padded plane fits the scratch take the vector paths */
    {
        const int64_t Hp = (s->p[7] - 1) * s->p[13] + (s->p[10] - 1) * s->p[16] + 1;
        const int64_t Wp = (s->p[8] - 1) * s->p[14] + (s->p[11] - 1) * s->p[17] + 1;
        const int64_t OWv = (s->p[8] + 7) / 8 * 8;
        const int64_t need = OV_MAX(OV_MAX(Hp * Wp, Hp * (2 * OWv + 1) + 2 * OWv),
                                    pool2d_rows_scratch(s->p[8], s->p[10], s->p[11], s->p[14],
                                                        s->p[17]));
        j.fast = s->p[3] == 1 && s->p[6] == 1 && s->p[9] == 1 &&
                 (need + s->p[7] + s->p[8] + 96) * 4 <= ov_scratch_bytes();
        /* one window over the whole (unpadded) plane */
        j.global = s->p[6] == 1 && s->p[7] == 1 && s->p[8] == 1 && s->p[9] == s->p[3] &&
                   s->p[10] == s->p[4] && s->p[11] == s->p[5] && s->p[15] == 1 &&
                   s->p[16] == 1 && s->p[17] == 1 && s->p[18] == 0 && s->p[19] == 0 &&
                   s->p[20] == 0 && s->p[21] == 0 && s->p[22] == 0 && s->p[23] == 0;
    }
    int64_t work = s->p[2] * s->p[6] * s->p[7] * s->p[8] * s->p[9] * s->p[10] * s->p[11];
#if OV_X86
    /* 3x3 windows at stride 2 with AVX-512: straight from the rows (p3s2_avx512), tasks of
     * about 16K input elements (whole planes, or rows of one plane), at least two per
     * thread when there is enough work; rows of at most 8 outputs, 16 planes or more, run
     * faster interleaved 16 planes at a time (below) */
    if (ov_isa_level == 2 && s->p[3] == 1 && s->p[6] == 1 && s->p[9] == 1 && !j.global &&
        s->p[10] == 3 && s->p[11] == 3 && s->p[13] == 2 && s->p[14] == 2 && s->p[16] == 1 &&
        s->p[17] == 1 && (s->p[7] + s->p[8] + 64) * 4 <= ov_scratch_bytes() &&
        (s->p[8] > 8 || s->p[2] < PB || s->p[4] * s->p[5] > BLOCKED_MAX_PLANE)) {
        const int64_t OH = s->p[7], isz = s->p[4] * s->p[5], planes = s->p[2];
        const int64_t width = ov_pool_width(pool);
        j.rows = OV_MAX(1, 16384 / (2 * s->p[5]));
        j.group = 1;
        int64_t ntasks;
        if (j.rows >= OH) {
            j.rows = OH;
            j.group = OV_MAX(1, 16384 / OV_MAX(1, isz));
            if (work >= 65536) j.group = OV_MIN(j.group, OV_MAX(1, planes / (2 * width)));
            ntasks = (planes + j.group - 1) / j.group;
        } else {
            if (work >= 65536 && planes * ((OH + j.rows - 1) / j.rows) < 2 * width)
                j.rows = OV_MAX(1, OH * planes / (2 * width));
            ntasks = planes * ((OH + j.rows - 1) / j.rows);
        }
        if (work < 65536) {
            for (int64_t t = 0; t < ntasks; t++) pool_3s2_task(&j, t, ov_current_tid());
        } else {
            ov_parallel(pool, ntasks, pool_3s2_task, &j);
        }
        return 0;
    }
#endif
    /* 2-D, small planes, at least one whole group of 16: interleaved 16 planes at a time
     * (stride-1 windows on planes over 256 elements run faster on the flat path below) */
    const int s1 = s->p[13] == 1 && s->p[14] == 1;
    if (s->p[3] == 1 && s->p[6] == 1 && s->p[9] == 1 && !j.global &&
        s->p[2] >= PB && s->p[4] * s->p[5] <= (s1 ? 256 : BLOCKED_MAX_PLANE) &&
        s->p[7] * s->p[8] <= BLOCKED_MAX_PLANE &&
        blocked_scratch(s) * 4 <= ov_scratch_bytes()) {
        const int64_t width = ov_pool_width(pool);
        const int64_t blocks = (s->p[2] + PB - 1) / PB;
        /* blocks of about 16K input elements per task, at least two tasks per thread */
        int64_t per = OV_MAX(1, 16384 / (PB * s->p[4] * s->p[5]));
        if (work >= 65536) per = OV_MIN(per, OV_MAX(1, blocks / (2 * width)));
        return pool_run_groups(&j, pool, per * PB, work, pool_blocked_task);
    }
    /* stride 1, no dilation, output the size of the input (then the pads add up to the
     * window): planes of up to 4096 in groups of about 8192 elements, no padded copies */
    if (s->p[3] == 1 && s->p[6] == 1 && s->p[9] == 1 && s->p[13] == 1 && s->p[14] == 1 &&
        s->p[16] == 1 && s->p[17] == 1 && s->p[7] == s->p[4] && s->p[8] == s->p[5] &&
        s->p[19] < s->p[10] && s->p[20] < s->p[11] && s->p[19] + s->p[22] == s->p[10] - 1 &&
        s->p[20] + s->p[23] == s->p[11] - 1 && s->p[4] * s->p[5] <= 4096) {
        const int64_t plane = s->p[4] * s->p[5];
        int64_t group = OV_MAX(1, 8192 / plane);
        const int64_t width = ov_pool_width(pool);
        if (work >= 65536 && s->p[2] < 2 * width * group)
            group = OV_MAX(1, s->p[2] / (2 * width));
        return pool_run_groups(&j, pool, group, work, pool_same_task);
    }
    if (j.fast && !j.global && s->p[13] == 1 && s->p[14] == 1 && s->p[2] > 0 &&
        s->p[7] > 0 && s->p[8] > 0) {
        /* stride 1: planes in groups of about 4096 padded elements (three copies of the
         * group: padded input, row pass, column pass, in the scratch) */
        const int64_t Hp = s->p[7] + (s->p[10] - 1) * s->p[16];
        const int64_t Wp = s->p[8] + (s->p[11] - 1) * s->p[17];
        const int64_t room = ov_scratch_bytes() / 4 - s->p[7] - s->p[8] - 64;
        int64_t group = OV_MAX(1, 4096 / (Hp * Wp));
        group = OV_MIN(group, OV_MAX(1, room / (3 * Hp * Wp)));
        if (3 * Hp * Wp <= room) {
            /* at least two tasks per thread when there is enough work */
            const int64_t width = ov_pool_width(pool);
            if (work >= 65536 && s->p[2] < 2 * width * group)
                group = OV_MAX(1, s->p[2] / (2 * width));
            return pool_run_groups(&j, pool, group, work, pool_s1_task);
        }
    }
    /* planes in groups: about 16K input elements per task, at least 4 tasks per thread
     * when there is that much work */
    const int64_t isz = OV_MAX(1, s->p[3] * s->p[4] * s->p[5]);
    const int64_t width = ov_pool_width(pool);
    int64_t group = OV_MAX(1, 16384 / isz);
    if (work >= 65536) group = OV_MIN(group, OV_MAX(1, s->p[2] / (4 * width)));
    return pool_run_groups(&j, pool, group, work, pool_task);
}
