/* Pointwise convolutions (1x1 filters, no padding, any stride; grouped or not) on NCHW
 * data: OV_K_CONV mode 2 (p[19] = 2; the parameters and buffers are conv.c's).
 *
 * Per image and group, Y[Mg, OH*OW] = Wg[Mg, Cg] * X'[Cg, OH*OW], where row c of X' is
 * input channel plane c read at the output positions (all of it at stride 1, every SH-th
 * row and SW-th column otherwise). The micro-kernels are the direct convolution's
 * (kernels/conv_ukr.c: 12 output channels x NR positions, B row k read at rows[k] + off,
 * register epilogue for bias / residual / ReLU).
 *
 * Blocking: K (input channels) in blocks of at most PW_KC (PW_KC_INPLACE read in
 * place); per block, output positions in blocks of PW_NC (so the B block stays in L2)
 * copied into panels of NR columns ([panel][k][NR], each one contiguous) before the
 * micro-kernels read them: the copy reads each channel plane as one long run, which the
 * hardware prefetchers follow, where the micro-kernels reading the planes in place
 * would touch kc different pages per tile (a stride of H*W floats between rows). The
 * copy also gathers a strided convolution's positions, so stride 2 needs no split copy
 * or crop. A weight panel (12 x kc) then stays in L1 while the B panels stream from L2.
 * The copy costs about 1 / M of the work plus its reads of kc whole planes, which come
 * from L3 with no work to hide them, so at stride 1 the planes are read in place unless
 * K >= 128 and M >= 192 (with the AVX-512 kernel that prefetches the next panel when
 * read in place), or, without that kernel, K >= 64 and M >= 192, or K >= 128 and
 * M >= 128 on a plane of fewer than 1024 positions. On an AMD EPYC (Zen 5), ResNet-50's
 * 64 -> 256 layers at 56 x 56 ran 6 - 9% faster read in place (one thread; 1 - 3% with
 * two), its 128 -> 512 at 28 x 28 1.5% slower, so K = 64 stays in place there. In the
 * model, on an AMD EPYC (Zen 4), copying made ResNet-50's 256 -> 64 and 256 -> 128
 * layers at 56 x 56 13% and 5% slower, its 512 -> 128 at 28 x 28 4.5% (with AVX2: 4%
 * faster), DenseNet-121's 1x1 layers of 128 outputs 2 - 7%; its 64 -> 256 at 56 x 56
 * measured the same either way and 128 -> 512 at 28 x 28 3% faster copied. Read in
 * place, a column panel (kc rows of 32 positions) stays in L1 while every weight panel
 * of the task passes over it, and its first tile prefetches the next panel's rows: kc
 * planes are more streams than the hardware prefetchers follow (squeezenet's 128 -> 16
 * at 55 x 55: -15%).
 *
 * Threads: the output splits into a grid of channel chunks x position chunks (a few tasks
 * per thread, taken dynamically), chosen by a cost model of micro-kernel rounds plus the
 * traffic each split repeats (weights per position chunk, input per channel chunk), so a
 * 7 x 7 layer with 4 MB of weights splits along channels and a 56 x 56 layer with small
 * filters along positions.
 *
 * Position panels (p[24]: bit 1 the input, 2 the output, 4 the residual; p[25] the panel
 * width, which must be ov_gemm_nr(); compiler/panels.py chooses them): a value stored as
 * [N][ceil(H*W / NR)][C][NR], the copy's layout, so an input in panels is read in place
 * with no copy (one contiguous run per tile instead of a line from each of kc planes), and
 * an output tile's 12 rows, and its residual's, are one run of a panel. Only stride-1
 * inputs, one group and the register epilogue take them. In the model with ResNet-50's
 * block outputs in panels (Intel Xeon with AVX-512, one thread, A/B in one process):
 * 64 -> 256 at 56 x 56 (output and residual in panels) 14% less time, 256 -> 64 and
 * 512 -> 128 (input in panels) 6%. With panels out, the tiles of a packed block run
 * channel panels first, so consecutive tiles fill one panel instead of jumping a panel's
 * size (M x NR floats) between tiles.
 *
 * Small outputs (mode 4, p[19] = 4; chosen by the lowering for few positions on
 * AVX-512): a 12 x 32 tile along positions would waste lanes on 7 x 7, 6 x 6 or 13 x 13
 * planes, so this mode turns the tile around: vectors run along output channels (weights
 * packed in panels of OV_CONV_PWT_MR = 48 channels, [k][48]), input positions are
 * broadcast (packed in tiles of 8 positions, [k][8]), a tile is 48 channels x 8 positions
 * (24 accumulators, 11 loads per 24 FMAs) summed over K blocks of PWT_KC (the partial
 * sums of a tile kept in scratch between blocks, in its own layout), and the epilogue
 * turns each 16-channel x 8-position block around in registers, so that each channel's 8
 * positions are stored to Y (row stride OH*OW), and its residual read, as one masked
 * vector, after the bias and before the activation. A last tile of fewer positions runs a kernel compiled
 * for exactly that many, so no lane is spent on positions that do not exist.
 */
#include "ov_internal.h"

#ifndef PW_KC
#define PW_KC 384
#endif
/* Read in place, K runs in one block up to this depth: a second block would store every
 * output tile's partial sums and load them back after the whole position range, when
 * they have left L1 and L2. On an AMD EPYC (Zen 5), ResNet-50's 512 -> 128 layers at
 * 28 x 28 ran 4% faster in one block of 512 than in two of 256, although the column
 * panel (512 rows of 32 positions, 64 KB) no longer stays in its 48 KB L1 (the weight
 * tiles after the first read it from L2); DenseNet-121's and Inception-v1's 1x1 layers
 * (K up to 1024) measured the same. */
#define PW_KC_INPLACE 1024
/* floats of one packed B block (kc x nc): 384 KB, well inside the L2 */
#define PW_BLOCK_FLOATS (96 * 1024)

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_ep ep;
    int fast_ep, pack, pf, pfout, panels;
    int64_t n, mchunks, nchunks, nr, kc, nc;
    ov_conv_ukr_fn ukr;
    ov_pool *pool;
} pw_job;

/* Copy rows [0, kc) of X' (channel planes at x, plane size HW) at output positions
 * [q0, q0 + cols) into panels of NR columns: element (k, c) at
 * dst[(c / NR) * kc * NR + k * NR + c % NR]. Compiled for each panel width, so the copy of
 * a panel row is a few vector moves, not a call. */
static inline __attribute__((always_inline)) void pw_pack_body(
    const int64_t NR, const float *OV_RESTRICT x, int64_t HW, int64_t W, int64_t OW,
    int64_t SH, int64_t SW, int64_t kc, int64_t q0, int64_t cols, float *OV_RESTRICT dst) {
    const int64_t pstride = kc * NR;
    const int64_t full = cols / NR * NR;
    if (SH == 1 && SW == 1 && NR <= 8) {
        /* narrow panels (the channel-vector mode's tiles): one panel at a time, so the
         * writes run sequentially instead of across every panel for each row */
        for (int64_t c = 0; c < cols; c += NR) {
            const int64_t len = OV_MIN(NR, cols - c);
            float *d = dst + (c / NR) * pstride;
            const float *src = x + q0 + c;
            if (len == NR) {
                for (int64_t k = 0; k < kc; k++)
                    for (int64_t i = 0; i < NR; i++) d[k * NR + i] = src[k * HW + i];
            } else {
                for (int64_t k = 0; k < kc; k++)
                    for (int64_t i = 0; i < len; i++) d[k * NR + i] = src[k * HW + i];
            }
        }
        return;
    }
    if (SH == 1 && SW == 1) {
        for (int64_t k = 0; k < kc; k++) {
            const float *src = x + k * HW + q0;
            float *d = dst + k * NR;
            int64_t c = 0;
            for (; c < full; c += NR, d += pstride)
                for (int64_t i = 0; i < NR; i++) d[i] = src[c + i];
            for (int64_t i = 0; c + i < cols; i++) d[i] = src[c + i];
        }
        return;
    }
    for (int64_t k = 0; k < kc; k++) {
        const float *plane = x + k * HW;
        float *d = dst + k * NR;
        int64_t oy = q0 / OW, ox = q0 % OW;
        for (int64_t c = 0; c < cols;) {
            /* one output row's run of positions */
            const int64_t run = OV_MIN(OW - ox, cols - c);
            const float *src = plane + oy * SH * W + ox * SW;
            for (int64_t i = 0; i < run; i++) {
                const int64_t cc = c + i;
                d[(cc / NR) * pstride + cc % NR] = src[i * SW];
            }
            c += run;
            ox = 0;
            oy++;
        }
    }
}

OV_VEC static void pw_pack8(const float *x, int64_t HW, int64_t W, int64_t OW, int64_t SH,
                            int64_t SW, int64_t kc, int64_t q0, int64_t cols, float *dst) {
    pw_pack_body(8, x, HW, W, OW, SH, SW, kc, q0, cols, dst);
}
OV_VEC static void pw_pack16(const float *x, int64_t HW, int64_t W, int64_t OW, int64_t SH,
                             int64_t SW, int64_t kc, int64_t q0, int64_t cols, float *dst) {
    pw_pack_body(16, x, HW, W, OW, SH, SW, kc, q0, cols, dst);
}
OV_VEC static void pw_pack32(const float *x, int64_t HW, int64_t W, int64_t OW, int64_t SH,
                             int64_t SW, int64_t kc, int64_t q0, int64_t cols, float *dst) {
    pw_pack_body(32, x, HW, W, OW, SH, SW, kc, q0, cols, dst);
}

#if OV_X86
/* Stride 1, panels of 32 (AVX-512) or 16 (AVX2) columns: the copy of a panel row written
 * out as vector moves (the compiler turns the plain loop into a memmove call per 64 or
 * 128 bytes, which cost as much as the micro-kernels of a 64-channel layer). */
__attribute__((target("avx512f"))) static void pw_pack32_s1(const float *OV_RESTRICT x,
                                                           int64_t HW, int64_t kc, int64_t q0,
                                                           int64_t cols,
                                                           float *OV_RESTRICT dst) {
    const int64_t pstride = kc * 32, full = cols / 32 * 32, rem = cols - full;
    const __mmask16 m0 = (__mmask16)(rem >= 16 ? 0xFFFF : (1u << rem) - 1u);
    const __mmask16 m1 = (__mmask16)(rem <= 16 ? 0 : (1u << (rem - 16)) - 1u);
    for (int64_t k = 0; k < kc; k++) {
        const float *src = x + k * HW + q0;
        float *d = dst + k * 32;
        int64_t c = 0;
        for (; c < full; c += 32, d += pstride) {
            const __m512 v0 = _mm512_loadu_ps(src + c), v1 = _mm512_loadu_ps(src + c + 16);
            _mm512_storeu_ps(d, v0);
            _mm512_storeu_ps(d + 16, v1);
        }
        if (rem) {
            _mm512_mask_storeu_ps(d, m0, _mm512_maskz_loadu_ps(m0, src + c));
            _mm512_mask_storeu_ps(d + 16, m1, _mm512_maskz_loadu_ps(m1, src + c + 16));
        }
    }
}

__attribute__((target("avx2"))) static void pw_pack16_s1(const float *OV_RESTRICT x,
                                                        int64_t HW, int64_t kc, int64_t q0,
                                                        int64_t cols, float *OV_RESTRICT dst) {
    const int64_t pstride = kc * 16, full = cols / 16 * 16, rem = cols - full;
    for (int64_t k = 0; k < kc; k++) {
        const float *src = x + k * HW + q0;
        float *d = dst + k * 16;
        int64_t c = 0;
        for (; c < full; c += 16, d += pstride) {
            const __m256 v0 = _mm256_loadu_ps(src + c), v1 = _mm256_loadu_ps(src + c + 8);
            _mm256_storeu_ps(d, v0);
            _mm256_storeu_ps(d + 8, v1);
        }
        for (int64_t i = 0; i < rem; i++) d[i] = src[c + i];
    }
}

/* Stride 2 along rows (any row stride), panels of NR = 32 or 8 columns (AVX-512): up to 16
 * positions of an output row at a time, the even elements of 32 input floats picked by one
 * two-source permute (masked loads: nothing past the last needed element is read), then
 * stored to the one to three panels their columns fall in. */
__attribute__((target("avx512f"))) static inline __attribute__((always_inline)) void
pw_pack_s2_body(
    const int64_t NR, const float *OV_RESTRICT x, int64_t HW, int64_t W, int64_t OW,
    int64_t SH, int64_t kc, int64_t q0, int64_t cols, float *OV_RESTRICT dst) {
    const int64_t pstride = kc * NR;
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26,
                                           28, 30);
    for (int64_t k = 0; k < kc; k++) {
        const float *plane = x + k * HW;
        float *dk = dst + k * NR;
        int64_t oy = q0 / OW, ox = q0 % OW;
        for (int64_t c = 0; c < cols;) {
            const int64_t run = OV_MIN(OW - ox, cols - c);
            const float *src = plane + oy * SH * W + ox * 2;
            for (int64_t i = 0; i < run; i += 16) {
                const int64_t n = OV_MIN(16, run - i), need = 2 * n - 1;
                const __mmask16 mlo = (__mmask16)(need >= 16 ? 0xFFFF : (1u << need) - 1u);
                const __mmask16 mhi = (__mmask16)(need > 16 ? (1u << (need - 16)) - 1u : 0);
                const __m512 v = _mm512_permutex2var_ps(
                    _mm512_maskz_loadu_ps(mlo, src + 2 * i), even,
                    _mm512_maskz_loadu_ps(mhi, src + 2 * i + 16));
                for (int64_t done = 0; done < n;) {
                    const int64_t cc = c + i + done, off = cc % NR;
                    const int64_t len = OV_MIN(n - done, NR - off);
                    const __mmask16 seg = (__mmask16)(((1u << len) - 1u) << done);
                    _mm512_mask_storeu_ps(dk + (cc / NR) * pstride + off,
                                          (__mmask16)((1u << len) - 1u),
                                          _mm512_maskz_compress_ps(seg, v));
                    done += len;
                }
            }
            c += run;
            ox = 0;
            oy++;
        }
    }
}

__attribute__((target("avx512f"))) static void pw_pack_s2_512(
    int64_t nr, const float *x, int64_t HW, int64_t W, int64_t OW, int64_t SH, int64_t kc,
    int64_t q0, int64_t cols, float *dst) {
    if (nr == 32) pw_pack_s2_body(32, x, HW, W, OW, SH, kc, q0, cols, dst);
    else pw_pack_s2_body(8, x, HW, W, OW, SH, kc, q0, cols, dst);
}
#endif

static void pw_pack(const float *x, int64_t HW, int64_t W, int64_t OW, int64_t SH, int64_t SW,
                    int64_t kc, int64_t q0, int64_t cols, int64_t nr, float *dst) {
#if OV_X86
    if (SH == 1 && SW == 1 && nr == 32 && ov_isa_level == 2) {
        pw_pack32_s1(x, HW, kc, q0, cols, dst);
        return;
    }
    if (SW == 2 && (nr == 32 || nr == 8) && ov_isa_level == 2) {
        pw_pack_s2_512(nr, x, HW, W, OW, SH, kc, q0, cols, dst);
        return;
    }
    if (SH == 1 && SW == 1 && nr == 16 && ov_isa_level == 1) {
        pw_pack16_s1(x, HW, kc, q0, cols, dst);
        return;
    }
#endif
    if (nr == 8) pw_pack8(x, HW, W, OW, SH, SW, kc, q0, cols, dst);
    else if (nr == 16) pw_pack16(x, HW, W, OW, SH, SW, kc, q0, cols, dst);
    else if (nr == 32) pw_pack32(x, HW, W, OW, SH, SW, kc, q0, cols, dst);
    else pw_pack_body(nr, x, HW, W, OW, SH, SW, kc, q0, cols, dst);
}

/* Position panels of nr (compiler/panels.py): the floats of one image of C channels, and
 * the offset of element (c, q) in it. */
static inline int64_t pw_panel_image(int64_t HW, int64_t C, int64_t nr) {
    return (HW + nr - 1) / nr * nr * C;
}
static inline int64_t pw_panel_at(int64_t C, int64_t nr, int64_t c, int64_t q) {
    return q / nr * C * nr + c * nr + q % nr;
}

/* The channel-vector mode's copy from position panels of nr (compiler/panels.py): rows
 * [0, kc) at positions [q0, q0 + cols) into tiles of 8 ([tile][k][8]); q0 is a multiple
 * of 8, so a tile's positions are one run of a panel row. */
static void pw_pack_panels8(const float *OV_RESTRICT x, int64_t kc, int64_t nr, int64_t q0,
                            int64_t cols, float *OV_RESTRICT dst) {
    for (int64_t c = 0; c < cols; c += 8) {
        const int64_t len = OV_MIN(8, cols - c), q = q0 + c;
        const float *src = x + pw_panel_at(kc, nr, 0, q);
        float *d = dst + c * kc;
        if (len == 8) {
            for (int64_t k = 0; k < kc; k++)
                for (int64_t i = 0; i < 8; i++) d[k * 8 + i] = src[k * nr + i];
        } else {
            for (int64_t k = 0; k < kc; k++)
                for (int64_t i = 0; i < len; i++) d[k * 8 + i] = src[k * nr + i];
        }
    }
}

#if OV_X86
/* The 12 x 32 AVX-512 micro-kernel of kernels/conv_ukr.c for a full tile read in place,
 * which also prefetches the two cache lines of every row's next 32 positions (the next
 * column panel): in place, each of the kc rows is a different channel plane, more streams
 * than the hardware prefetchers follow, so without this each tile waits on kc x 2 misses. */
#define PW512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
PW512_TARGET static void pw512_pf12(int64_t kc, const float *OV_RESTRICT a,
                                    const float *const *rows, int64_t off,
                                    float *OV_RESTRICT c, int64_t ldc, int acc,
                                    const ov_ep *ep) {
    __m512 c0[12], c1[12];
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) c0[i] = c1[i] = _mm512_setzero_ps();
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = rows[k] + off;
        _mm_prefetch((const char *)(bk + 32), _MM_HINT_T0);
        _mm_prefetch((const char *)(bk + 63), _MM_HINT_T0);
        const __m512 b0 = _mm512_loadu_ps(bk), b1 = _mm512_loadu_ps(bk + 16);
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) {
            const __m512 av = _mm512_set1_ps(a[i]);
            c0[i] = _mm512_fmadd_ps(av, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(av, b1, c1[i]);
        }
        a += OV_CONV_MR;
    }
    __m512 cb0, cb1, lo, hi;
    ov_ep_consts_avx512(ep, 0xFFFF, 0xFFFF, &cb0, &cb1, &lo, &hi);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
        __m512 r0 = c0[i], r1 = c1[i];
        float *ci = c + i * ldc;
        if (acc) {
            r0 = _mm512_add_ps(r0, _mm512_loadu_ps(ci));
            r1 = _mm512_add_ps(r1, _mm512_loadu_ps(ci + 16));
        }
        if (ep) ov_ep_row_avx512(ep, i, 0xFFFF, 0xFFFF, cb0, cb1, lo, hi, &r0, &r1);
        _mm512_storeu_ps(ci, r0);
        _mm512_storeu_ps(ci + 16, r1);
    }
}
#endif

static void pw_task(void *ctx, int64_t t, int32_t tid) {
    pw_job *j = (pw_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], M = s->p[4];
    const int64_t OW = s->p[6], OHW = s->p[5] * s->p[6];
    const int64_t SH = s->p[9], SW = s->p[10], G = s->p[15], MRp = s->p[16];
    const int64_t Cg = Cc / G, Mg = M / G, K = Cg, HW = H * W, nr = j->nr;
    const int64_t mpad = (Mg + MRp - 1) / MRp * MRp;
    const int64_t nci = t % j->nchunks, rest = t / j->nchunks;
    const int64_t mc = rest % j->mchunks, g = rest / j->mchunks;
    const int64_t m0 = ov_split(Mg, j->mchunks, mc, MRp), m1 = ov_split(Mg, j->mchunks, mc + 1, MRp);
    const int64_t q0 = ov_split(OHW, j->nchunks, nci, nr);
    const int64_t q1 = ov_split(OHW, j->nchunks, nci + 1, nr);
    if (m1 <= m0 || q1 <= q0) return;
    const float *A = (const float *)j->ptr[1] + g * mpad * K;
    /* in position panels (one group): image n at n * P * channels * nr */
    const int pin = j->panels & 1, pout = j->panels & 2, padd = j->panels & 4;
    const float *x = (const float *)j->ptr[0] +
                     (pin ? j->n * pw_panel_image(HW, Cc, nr) : (j->n * Cc + g * Cg) * HW);
    float *C = (float *)j->ptr[2] +
               (pout ? j->n * pw_panel_image(OHW, M, nr) : (j->n * M + g * Mg) * OHW);
    float *bp = ov_pool_scratch(j->pool, tid);
    const float *rows[PW_KC_INPLACE];
    /* K = 0 (no input channels) still runs one block: the epilogue of a zero sum */
    for (int64_t pc = 0; pc == 0 || pc < K; pc += j->kc) {
        const int64_t kc = OV_MIN(j->kc, K - pc);
        const int last = pc + kc >= K;
        for (int64_t qb = q0; qb < q1; qb += j->nc) {
            const int64_t cols = OV_MIN(j->nc, q1 - qb);
            /* panel p of this block: row k at rows[k] + p * pstep + base */
            int64_t base, pstep;
            if (j->pack) {
                pw_pack(x + pc * HW, HW, W, OW, SH, SW, kc, qb, cols, nr, bp);
                for (int64_t k = 0; k < kc; k++) rows[k] = bp + k * nr;
                base = 0;
                pstep = kc * nr;
            } else if (pin) {
                /* the panels are the copy's layout already, K rows per panel */
                for (int64_t k = 0; k < kc; k++) rows[k] = x + (pc + k) * nr;
                base = qb / nr * K * nr;
                pstep = K * nr;
            } else {
                for (int64_t k = 0; k < kc; k++) rows[k] = x + (pc + k) * HW;
                base = qb;
                pstep = nr;
            }
            /* packed: a weight panel stays in L1 while the block's panels pass from L2;
             * in place: a column panel stays in L1 while the weight panels pass (its rows
             * are kc planes, fetched once, the next panel's prefetched by the first tile) */
            const int64_t ntiles_m = (m1 - m0 + MRp - 1) / MRp, ntiles_c = (cols + nr - 1) / nr;
            const int wfirst = j->pack && !pout; /* weight panels the outer loop */
            for (int64_t tt = 0; tt < ntiles_m * ntiles_c; tt++) {
                const int64_t ti = wfirst ? tt / ntiles_c : tt % ntiles_m;
                const int64_t p = wfirst ? tt % ntiles_c : tt / ntiles_m;
                const int64_t ir = m0 + ti * MRp, c = p * nr;
                const float *ap = A + (ir / MRp) * K * MRp + pc * MRp;
                const int32_t nrows = (int32_t)OV_MIN(MRp, Mg - ir);
                /* packed: the next weight panel's block, a share per column tile */
                if (wfirst && ir + MRp < m1)
                    ov_prefetch_share((const char *)(ap + K * MRp), kc * MRp * 4 / 64, p, p + 1,
                                      ntiles_c);
                {
                    const int32_t ncols = (int32_t)OV_MIN(nr, cols - c);
                    const int64_t q = qb + c;
                    /* (q is a multiple of nr: a tile fills rows of one panel) */
                    float *cp = pout ? C + pw_panel_at(M, nr, ir, q) : C + ir * OHW + q;
                    const int64_t ldc = pout ? nr : OHW;
                    const ov_ep *use = NULL;
                    ov_ep ep;
                    if (last && j->fast_ep) {
                        const int64_t m = g * Mg + ir;
                        ep = ov_ep_at(&j->ep, m, q);
                        if (padd) {
                            ep.tadd = j->ep.tadd + pw_panel_at(M, nr, m, q);
                            ep.tadd_ld = nr;
                        }
                        use = &ep;
                    }
                    if (j->pfout) {
                        ov_prefetch_tile(cp, ldc, nrows, ncols);
                        if (use && use->tadd)
                            ov_prefetch_tile(use->tadd, use->tadd_ld, nrows, ncols);
                    }
#if OV_X86
                    if (j->pf && ti == 0 && nrows == 12 && ncols == 32 && c + 32 < cols)
                        pw512_pf12(kc, ap, rows, base + p * pstep, cp, ldc, pc > 0, use);
                    else
#endif
                        j->ukr(kc, ap, rows, base + p * pstep, cp, ldc, pc > 0, use, nrows,
                               ncols, NULL, 0);
                    if (last && !j->fast_ep && j->posts->n)
                        ov_posts_apply(j->posts, cp, ldc, g * Mg + ir, q, nrows, ncols, j->n);
                }
            }
        }
    }
}

/* --- mode 4: channels along vectors, positions broadcast ------------------------------- */

/* positions per tile; input channels per K block: a 48 x 64 weight block (12 KB) stays in
 * L1 while the block's tiles of positions (2 KB each) pass, and on a 7 x 7 plane the
 * seven tiles stay there with it (larger planes stream theirs from L2). With
 * 128 channels a block (24 KB) and its seven tiles of a 7 x 7 plane (4 KB each, every one
 * on the same L1 sets) did not fit a 32 KB L1: on an AMD EPYC (Zen 4) ResNet-50's 7 x 7
 * 1x1 layers took 8.5 - 9.1 ms against 7.7 - 7.9 with 64 (32, 48 and 96 measured the same
 * as 64), and THROUGHPUT fps rose 2 - 4% on Inception-v1 and DenseNet-121, 1.5 - 3% on
 * ResNet-50 (three alternating rounds). */
enum { PWT_NP = 8, PWT_KC = 64 };
/* Weight prefetch distance: while a 48 x PWT_KC weight block's tiles run, the lines one
 * block past the next are fetched into L2, a share with each tile (in proportion to
 * its positions). With 7 x 7 outputs each weight is used 49 times, so the block's first
 * tile would otherwise wait on memory: ResNet-50's 7 x 7 1x1 layers, whose 4 - 8 MB of
 * weights come from memory, ran 1.4x their time with the weights in cache. Fetching the
 * next block took 5 - 8% off them, the block after it up to 10% on a busy machine (0 - 2%
 * on a quiet one); two or four blocks further measured no better (alternating processes).
 * A tile's share is fetched one line per step of k inside the micro-kernel, not all at
 * once before it: on an Intel Xeon (AVX-512, 2 MB L2) a burst of 27 prefetches per tile
 * left the 7 x 7 layers streaming their weights at 4 - 5 GB/s, as if the fetches beyond
 * what the core can keep in flight were dropped; spread out, ResNet-50's 7 x 7 1x1
 * layers took 22 - 26% less time on one thread, 18 - 20% on two (its 14 x 14 ones 3 - 6%
 * on two), ResNet-50 3.5% and DenseNet-121 4% in all (two threads, A/B in one process). */
enum { PWT_PF_AHEAD = OV_CONV_PWT_MR * PWT_KC * 4 };

int32_t ov_conv_pwt_mr(void) {
    ov_isa_init();
    return ov_isa_level == 2 ? OV_CONV_PWT_MR : 0;
}

/* The tile t[p][i] = part (unless first) + sum_k a[k * 48 + i] * b[k * 8 + p]; not last:
 * stored to part ([8][48] floats); last: c[i * ldc + p] = epilogue(t[p][i]) for i < r,
 * p < np. While it runs, the npf (<= kc) cache lines from pf are fetched into L2, one per
 * step of k (see pwt_task). */
typedef void (*pwt_ukr_fn)(int64_t kc, const float *a, const float *b, float *part, int first,
                           int last, float *c, int64_t ldc, const ov_ep *ep, int32_t r,
                           int32_t np, const char *pf, int64_t npf);

static void pwt_generic(int64_t kc, const float *OV_RESTRICT a, const float *OV_RESTRICT b,
                        float *OV_RESTRICT part, int first, int last, float *OV_RESTRICT c,
                        int64_t ldc, const ov_ep *ep, int32_t r, int32_t np, const char *pf,
                        int64_t npf) {
    float t[PWT_NP][OV_CONV_PWT_MR];
    for (int64_t l = 0; l < npf; l++) OV_PREFETCH_L2(pf + 64 * l);
    for (int32_t p = 0; p < np; p++)
        for (int32_t i = 0; i < r; i++) t[p][i] = first ? 0.0f : part[p * OV_CONV_PWT_MR + i];
    for (int64_t k = 0; k < kc; k++) {
        for (int32_t p = 0; p < np; p++) {
            const float bv = b[k * PWT_NP + p];
            for (int32_t i = 0; i < r; i++) t[p][i] += a[k * OV_CONV_PWT_MR + i] * bv;
        }
    }
    if (!last) {
        for (int32_t p = 0; p < np; p++)
            for (int32_t i = 0; i < r; i++) part[p * OV_CONV_PWT_MR + i] = t[p][i];
        return;
    }
    for (int32_t i = 0; i < r; i++) {
        for (int32_t p = 0; p < np; p++) {
            float v = t[p][i];
            if (ep) {
                if (ep->rowb) v += ep->rowb[i];
                if (ep->colb) v += ep->colb[p];
                if (ep->tadd) v += ep->tadd[i * ep->tadd_ld + p];
                if (ep->act == 1) v = v > 0.0f ? v : 0.0f;
                else if (ep->act == 2) v = v < ep->lo ? ep->lo : (v > ep->hi ? ep->hi : v);
            }
            c[i * ldc + p] = v;
        }
    }
}

#if OV_X86
#define PWT_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

PWT_TARGET static inline __attribute__((always_inline)) void pwt512_body(
    const int V, const int P, int64_t kc, const float *OV_RESTRICT a,
    const float *OV_RESTRICT b, float *OV_RESTRICT part, int first, int last,
    float *OV_RESTRICT c, int64_t ldc, const ov_ep *ep, int32_t r, const char *pf,
    int64_t npf) {
    __m512 acc[3][PWT_NP];
#pragma GCC unroll 3
    for (int v = 0; v < V; v++)
#pragma GCC unroll 8
        for (int p = 0; p < P; p++)
            acc[v][p] = first ? _mm512_setzero_ps()
                              : _mm512_load_ps(part + p * OV_CONV_PWT_MR + 16 * v);
    for (int64_t k = 0; k < kc; k++) {
        if (k < npf) OV_PREFETCH_L2(pf + 64 * k);
        __m512 w[3];
#pragma GCC unroll 3
        for (int v = 0; v < V; v++) w[v] = _mm512_load_ps(a + 16 * v);
#pragma GCC unroll 8
        for (int p = 0; p < P; p++) {
            const __m512 bv = _mm512_set1_ps(b[p]);
#pragma GCC unroll 3
            for (int v = 0; v < V; v++) acc[v][p] = _mm512_fmadd_ps(w[v], bv, acc[v][p]);
        }
        a += OV_CONV_PWT_MR;
        b += PWT_NP;
    }
    if (!last) {
#pragma GCC unroll 3
        for (int v = 0; v < V; v++)
#pragma GCC unroll 8
            for (int p = 0; p < P; p++)
                _mm512_store_ps(part + p * OV_CONV_PWT_MR + 16 * v, acc[v][p]);
        return;
    }
    /* row i of the tile is 16 * v + lane: element (i, p) at c + i * ldc + p. Each group
     * of 16 channels is transposed in registers (16 channels x 8 positions -> a row of 8
     * positions per channel), so that a channel's positions are stored (and its residual
     * read) as one masked vector instead of scattered (gathered) one by one. */
    const __mmask8 pm = (__mmask8)((1u << P) - 1u);
    const __m256 lo = _mm256_set1_ps(ep ? ep->lo : 0.0f), hi = _mm256_set1_ps(ep ? ep->hi : 0.0f);
#pragma GCC unroll 3
    for (int v = 0; v < V; v++) {
        const int32_t left = r - 16 * v;
        const __mmask16 m = (__mmask16)(left >= 16 ? 0xFFFF : (1u << left) - 1u);
        __m512 a[8];
        __m512 rb = _mm512_setzero_ps();
        if (ep && ep->rowb) rb = _mm512_maskz_loadu_ps(m, ep->rowb + 16 * v);
#pragma GCC unroll 8
        for (int p = 0; p < 8; p++) {
            if (p >= P) {
                a[p] = _mm512_setzero_ps();
                continue;
            }
            __m512 x = acc[v][p];
            if (ep) {
                if (ep->rowb) x = _mm512_add_ps(x, rb);
                if (ep->colb) x = _mm512_add_ps(x, _mm512_set1_ps(ep->colb[p]));
            }
            a[p] = x;
        }
        /* within each 128-bit lane L (channels 4L .. 4L + 3): u[j] = channel 4L + j at
         * positions 0-3, u[4 + j] the same at positions 4-7 */
        __m512 t[8], u[8];
#pragma GCC unroll 4
        for (int h = 0; h < 4; h++) {
            t[2 * h] = _mm512_unpacklo_ps(a[2 * h], a[2 * h + 1]);
            t[2 * h + 1] = _mm512_unpackhi_ps(a[2 * h], a[2 * h + 1]);
        }
#pragma GCC unroll 2
        for (int h = 0; h < 2; h++) {
            u[4 * h + 0] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
            u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0xEE);
            u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
            u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
        }
        float *cv = c + 16 * v * ldc;
        const float *tv = ep && ep->tadd ? ep->tadd + 16 * v * ep->tadd_ld : NULL;
#pragma GCC unroll 4
        for (int jj = 0; jj < 4; jj++) {
            /* lanes (0, 1) of u[jj] and u[4 + jj] -> channels jj, 4 + jj; lanes (2, 3) ->
             * channels 8 + jj, 12 + jj; each 256-bit half one channel's 8 positions */
            const __m512 x01 = _mm512_shuffle_f32x4(u[jj], u[4 + jj], 0x44);
            const __m512 x23 = _mm512_shuffle_f32x4(u[jj], u[4 + jj], 0xEE);
            const __m512 y01 = _mm512_shuffle_f32x4(x01, x01, 0xD8);
            const __m512 y23 = _mm512_shuffle_f32x4(x23, x23, 0xD8);
            __m256 row[4];
            row[0] = _mm512_castps512_ps256(y01);
            row[1] = _mm512_extractf32x8_ps(y01, 1);
            row[2] = _mm512_castps512_ps256(y23);
            row[3] = _mm512_extractf32x8_ps(y23, 1);
#pragma GCC unroll 4
            for (int q = 0; q < 4; q++) {
                const int32_t i = 4 * q + jj;
                if (i >= left) continue;
                __m256 x = row[q];
                if (ep) {
                    if (tv)
                        x = _mm256_add_ps(x, _mm256_maskz_loadu_ps(pm, tv + i * ep->tadd_ld));
                    if (ep->act == 1) x = _mm256_max_ps(_mm256_setzero_ps(), x);
                    else if (ep->act == 2) x = _mm256_min_ps(hi, _mm256_max_ps(lo, x));
                }
                _mm256_mask_storeu_ps(cv + i * ldc, pm, x);
            }
        }
    }
}

#define PWT_DEF(V, P)                                                                       \
    PWT_TARGET static void pwt512_##V##_##P(int64_t kc, const float *a, const float *b,     \
                                            float *part, int first, int last, float *c,      \
                                            int64_t ldc, const ov_ep *ep, int32_t r,         \
                                            const char *pf, int64_t npf) {                   \
        pwt512_body(V, P, kc, a, b, part, first, last, c, ldc, ep, r, pf, npf);              \
    }
#define PWT_DEF_V(V)                                                                        \
    PWT_DEF(V, 1) PWT_DEF(V, 2) PWT_DEF(V, 3) PWT_DEF(V, 4) PWT_DEF(V, 5) PWT_DEF(V, 6)     \
    PWT_DEF(V, 7) PWT_DEF(V, 8)
PWT_DEF_V(1)
PWT_DEF_V(2)
PWT_DEF_V(3)
#undef PWT_DEF_V
#undef PWT_DEF

typedef void (*pwt512_fn)(int64_t, const float *, const float *, float *, int, int, float *,
                          int64_t, const ov_ep *, int32_t, const char *, int64_t);
#define PWT_ROW(V)                                                                          \
    {NULL, pwt512_##V##_1, pwt512_##V##_2, pwt512_##V##_3, pwt512_##V##_4, pwt512_##V##_5, \
     pwt512_##V##_6, pwt512_##V##_7, pwt512_##V##_8}
static const pwt512_fn pwt512[4][PWT_NP + 1] = {{NULL}, PWT_ROW(1), PWT_ROW(2), PWT_ROW(3)};
#undef PWT_ROW

static void pwt_avx512(int64_t kc, const float *a, const float *b, float *part, int first,
                       int last, float *c, int64_t ldc, const ov_ep *ep, int32_t r,
                       int32_t np, const char *pf, int64_t npf) {
    pwt512[(r + 15) / 16][np](kc, a, b, part, first, last, c, ldc, ep, r, pf, npf);
}
#endif

static pwt_ukr_fn pwt_pick(void) {
#if OV_X86
    if (ov_isa_level == 2) return pwt_avx512;
#endif
    return pwt_generic;
}

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_ep ep;
    int fast_ep, panels;
    int64_t n, mchunks, nchunks, nr;
    pwt_ukr_fn ukr;
    const char *wend; /* the end of the packed weights */
    ov_pool *pool;
} pwt_job;

static void pwt_task(void *ctx, int64_t t, int32_t tid) {
    pwt_job *j = (pwt_job *)ctx;
    const ov_step *s = j->s;
    const int64_t Cc = s->p[1], H = s->p[2], W = s->p[3], M = s->p[4];
    const int64_t OW = s->p[6], OHW = s->p[5] * s->p[6];
    const int64_t SH = s->p[9], SW = s->p[10], G = s->p[15];
    const int64_t Cg = Cc / G, Mg = M / G, K = Cg, HW = H * W, MRp = OV_CONV_PWT_MR;
    const int64_t mpad = (Mg + MRp - 1) / MRp * MRp;
    /* Position chunks are the slower index of the task number: the pool gives each thread
     * a contiguous range of tasks, so a thread takes every channel chunk of its positions,
     * and in the next layer of this mode (split alike) reads back the planes' runs it
     * wrote itself, from its own core's cache. Channel chunks first, each thread read
     * half its input from the other core: ResNet-50's 1024 -> 256 layers at 14 x 14 (a
     * 2 x 2 grid after 256 -> 1024 split alike) took 8% less time on two threads this way
     * (AMD EPYC Zen 5, in the model). */
    const int64_t per = j->mchunks * j->nchunks, g = t / per;
    const int64_t mc = t % per % j->mchunks, nci = t % per / j->mchunks;
    const int64_t m0 = ov_split(Mg, j->mchunks, mc, MRp), m1 = ov_split(Mg, j->mchunks, mc + 1, MRp);
    const int64_t q0 = ov_split(OHW, j->nchunks, nci, PWT_NP);
    const int64_t q1 = ov_split(OHW, j->nchunks, nci + 1, PWT_NP);
    if (m1 <= m0 || q1 <= q0) return;
    const float *A = (const float *)j->ptr[1] + g * mpad * K;
    /* in position panels (one group): image n at n * P * channels * nr */
    const int pin = j->panels & 1, pout = j->panels & 2, padd = j->panels & 4;
    const int64_t nr = j->nr;
    const float *x = (const float *)j->ptr[0] +
                     (pin ? j->n * pw_panel_image(HW, Cc, nr) : (j->n * Cc + g * Cg) * HW);
    float *C = (float *)j->ptr[2] +
               (pout ? j->n * pw_panel_image(OHW, M, nr) : (j->n * M + g * Mg) * OHW);
    const int64_t tiles = (q1 - q0 + PWT_NP - 1) / PWT_NP;
    float *bp = ov_pool_scratch(j->pool, tid);
    /* partial sums of the K blocks before the last, [tile][8][48], after the packed input */
    float *part = bp + (K * tiles * PWT_NP + 15) / 16 * 16;
    if (pin)
        pw_pack_panels8(x, K, nr, q0, q1 - q0, bp);
    else
        pw_pack(x, HW, W, OW, SH, SW, K, q0, q1 - q0, PWT_NP, bp);
    for (int64_t ir = m0; ir < m1; ir += MRp) {
        const float *ap = A + (ir / MRp) * K * MRp;
        const int32_t nrows = (int32_t)OV_MIN(MRp, Mg - ir);
        /* K = 0 (no input channels) still runs one block: the epilogue of a zero sum */
        for (int64_t pc = 0; pc == 0 || pc < K; pc += PWT_KC) {
            const int64_t kc = OV_MIN(PWT_KC, K - pc);
            const int first = pc == 0, last = pc + kc >= K;
            /* the weight panels are contiguous ([panel][K][48]): the weights ahead are
             * this panel's next blocks or the next panel's first ones */
            const char *nxt = (const char *)(ap + (pc + kc) * MRp) + PWT_PF_AHEAD;
            const int64_t nlines = ov_ahead_lines(nxt, kc * MRp * 4 / 64, j->wend);
            for (int64_t q = q0, p = 0; q < q1; q += PWT_NP, p++) {
                const int32_t np = (int32_t)OV_MIN(PWT_NP, q1 - q);
                /* this tile's share of the lines ahead, one a step of k inside the kernel */
                int64_t npf;
                const char *pf = ov_prefetch_spread(nxt, nlines, q - q0, q + np - q0, q1 - q0,
                                                    kc, &npf);
                /* (q is a multiple of 8: a tile's positions lie in one panel) */
                float *cp = pout ? C + pw_panel_at(M, nr, ir, q) : C + ir * OHW + q;
                const int64_t ldc = pout ? nr : OHW;
                const ov_ep *use = NULL;
                ov_ep ep;
                if (last && j->fast_ep) {
                    const int64_t m = g * Mg + ir;
                    ep = ov_ep_at(&j->ep, m, q);
                    if (padd) {
                        ep.tadd = j->ep.tadd + pw_panel_at(M, nr, m, q);
                        ep.tadd_ld = nr;
                    }
                    use = &ep;
                }
                j->ukr(kc, ap + pc * MRp, bp + p * K * PWT_NP + pc * PWT_NP,
                       part + p * PWT_NP * MRp, first, last, cp, ldc, use, nrows, np, pf,
                       npf);
                if (last && !j->fast_ep && j->posts->n)
                    ov_posts_apply(j->posts, cp, ldc, g * Mg + ir, q, nrows, np, j->n);
            }
        }
    }
}

/* Post ops with an output or a residual in panels: only the register epilogue knows the
 * layout (the lowering fuses nothing else there; compiler/panels.py). */
static int pw_panel_posts_ok(const ov_ep *ep, int fast_ep, const ov_posts *posts,
                             int panels) {
    if ((panels & 6) && posts->n && (!fast_ep || ((panels & 4) && !ep->tadd))) {
        ov_set_error("conv: post ops on position panels that the register epilogue cannot "
                     "apply");
        return 0;
    }
    return 1;
}

/* The input traffic that each channel chunk of the task grid repeats (ov_conv_task_grid's
 * ``bbytes``): read in place, the K planes at the output positions; copied, the lines the
 * copy reads (a strided convolution's gather reads SH x SW input positions' worth of lines
 * per output position) plus the panels it writes. Counting a stride-2 copy like a stride-1
 * one made ResNet-50's 256 -> 512 at 56 x 56 / 2 split its 512 channels in two and copy
 * its input twice on two threads; read as 2.5x as costly it splits positions only and
 * takes 24% less time (AMD EPYC Zen 5, two threads, in the model). */
static double pw_input_bytes(const ov_step *s, int64_t K, int64_t OHW, int pack) {
    const double reads = pack ? (double)(s->p[9] * s->p[10]) : 1.0;
    return 4.0 * (double)K * (double)OHW * (reads + (pack ? 1.0 : 0.0));
}

static int32_t conv_pointwise_t(const ov_step *s, char *const *ptr, ov_pool *pool,
                                const ov_posts *posts) {
    pwt_job j;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.ukr = pwt_pick();
    j.panels = (int)s->p[24];
    j.nr = s->p[25];
    const int64_t N = s->p[0], Cc = s->p[1], M = s->p[4], G = s->p[15];
    const int64_t OHW = s->p[5] * s->p[6], MRp = OV_CONV_PWT_MR;
    const int64_t K = Cc / G, Mg = M / G;
    const int64_t tiles = (OHW + PWT_NP - 1) / PWT_NP;
    j.wend = ptr[1] + 4 * G * ((Mg + MRp - 1) / MRp * MRp) * K;
    if ((int64_t)sizeof(float) * (K * tiles * PWT_NP + 16 + tiles * PWT_NP * MRp) + 64 >
            ov_scratch_bytes() ||
        OHW * MRp >= INT32_MAX) {
        ov_set_error("conv: pointwise input too large for the channel-vector mode");
        return 1;
    }
    const int32_t T = ov_pool_width(pool);
    const int64_t mpanels = (Mg + MRp - 1) / MRp;
    /* the same cost model as mode 2, in this mode's tiles */
    {
        const double wbytes = 4.0 * (double)Mg * (double)K;
        const double bbytes = pw_input_bytes(s, K, OHW, 1);
        const double tile = (double)MRp * (double)PWT_NP * (double)K * 2.0 / 64.0;
        ov_conv_task_grid(G, mpanels, tiles, wbytes, bbytes, tile, T, 0.5, &j.mchunks,
                          &j.nchunks);
    }
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        /* the residual is gathered with 32-bit offsets */
        if (j.fast_ep && j.ep.tadd && j.ep.tadd_ld * MRp >= INT32_MAX) j.fast_ep = 0;
        if (!pw_panel_posts_ok(&j.ep, j.fast_ep, posts, j.panels)) return 1;
        ov_parallel(pool, G * j.mchunks * j.nchunks, pwt_task, &j);
    }
    return 0;
}

int32_t ov_conv_pointwise(const ov_step *s, char *const *ptr, ov_pool *pool,
                          const ov_posts *posts) {
    pw_job j;
    j.s = s;
    j.ptr = ptr;
    j.posts = posts;
    j.pool = pool;
    j.ukr = ov_pick_conv_ukr();
    j.nr = ov_gemm_nr();
    const int64_t N = s->p[0], Cc = s->p[1], M = s->p[4], G = s->p[15];
    const int64_t OHW = s->p[5] * s->p[6], MRp = s->p[16];
    const int64_t Cg = Cc / G, Mg = M / G, K = Cg;
    if (s->p[7] != 1 || s->p[8] != 1 || s->p[13] != 0 || s->p[14] != 0 ||
        s->p[9] < 1 || s->p[10] < 1 || s->p[5] != (s->p[2] - 1) / s->p[9] + 1 ||
        s->p[6] != (s->p[3] - 1) / s->p[10] + 1) {
        ov_set_error("conv: a pointwise step with a filter, padding or output size that is "
                     "not a 1x1 convolution's");
        return 1;
    }
    const int64_t panels = s->p[24];
    if (panels < 0 || panels > 7 || (panels && (G != 1 || s->p[25] != j.nr)) ||
        ((panels & 1) && (s->p[9] != 1 || s->p[10] != 1))) {
        ov_set_error("conv: position panels the pointwise kernels cannot read or write "
                     "(several groups, a strided input, or another panel width)");
        return 1;
    }
    if (N == 0 || M == 0 || OHW == 0) return 0;
    if (s->p[19] == 4) return conv_pointwise_t(s, ptr, pool, posts);
    const int strided = s->p[9] != 1 || s->p[10] != 1;
    j.panels = (int)panels;
    /* the prefetching kernel for full tiles read in place: AVX-512 panels of 12 x 32 */
    const int pf_kernel = j.nr == 32 && MRp == 12 && ov_isa_level == 2;
    const int64_t HW = s->p[2] * s->p[3];
    j.pack = strided || (K >= (pf_kernel ? 128 : 64) && Mg >= 192) ||
             (!pf_kernel && K >= 128 && Mg >= 128 && HW < 1024);
    /* each tile's output and residual lines fetched into L2 while its kernel runs, where
     * the output is too large to be in cache already and the kernel long enough to hide
     * the fetch: the tile's rows lie a whole plane apart, so the stores' write-allocates
     * and the residual reads otherwise wait on L3 at the end of the tile (ResNet-50
     * THROUGHPUT, AMD EPYC Zen 4: its 1x1 layers -4%; on squeezenet's small layers the
     * fetches cost 2%) */
    j.pfout = K >= 64 && M * OHW * 4 >= 512 * 1024;
    j.pf = !j.pack && pf_kernel;
    if (panels & 1) { /* read in place, one run per tile row */
        j.pack = 0;
        j.pf = 0;
    }
    /* K blocks of equal size, at most PW_KC packed and PW_KC_INPLACE in place */
    const int64_t kmax = j.pack ? PW_KC : PW_KC_INPLACE;
    const int64_t kblocks = K > 0 ? (K + kmax - 1) / kmax : 1;
    j.kc = OV_MAX((K + kblocks - 1) / kblocks, 1);
    j.nc = OV_MAX(PW_BLOCK_FLOATS / j.kc / j.nr, 1) * j.nr;
    if ((int64_t)sizeof(float) * j.kc * j.nc + 64 > ov_scratch_bytes()) {
        ov_set_error("conv: pointwise block too large for the scratch buffer");
        return 1;
    }
    const int32_t T = ov_pool_width(pool);
    const int64_t mpanels = (Mg + MRp - 1) / MRp, npanels = (OHW + j.nr - 1) / j.nr;
    /* The task grid (see the header comment): the cost of a split in cycles, rounds of
     * micro-kernel work plus the traffic it repeats, plus starting tasks. One thread: one
     * task. */
    {
        const double wbytes = 4.0 * (double)Mg * (double)K;
        const double bbytes = pw_input_bytes(s, K, OHW, j.pack);
        const double tile = (double)MRp * (double)j.nr * (double)K * 2.0 / 64.0;
        ov_conv_task_grid(G, mpanels, npanels, wbytes, bbytes, tile, T, 0.5, &j.mchunks,
                          &j.nchunks);
    }
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        if (!pw_panel_posts_ok(&j.ep, j.fast_ep, posts, j.panels)) return 1;
        ov_parallel(pool, G * j.mchunks * j.nchunks, pw_task, &j);
    }
    return 0;
}
