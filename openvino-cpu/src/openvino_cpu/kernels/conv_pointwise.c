/* Pointwise convolutions (1x1 filters, no padding, any stride; grouped or not) on NCHW
 * data: OV_K_CONV mode 2 (p[19] = 2; the parameters and buffers are conv.c's).
 *
 * Per image and group, Y[Mg, OH*OW] = Wg[Mg, Cg] * X'[Cg, OH*OW], where row c of X' is
 * input channel plane c read at the output positions (all of it at stride 1, every SH-th
 * row and SW-th column otherwise). The micro-kernels are the direct convolution's
 * (kernels/conv_ukr.c: 12 output channels x NR positions, B row k read at rows[k] + off,
 * register epilogue for bias / residual / ReLU).
 *
 * Blocking: K (input channels) in blocks of at most PW_KC; per block, output positions in
 * blocks of PW_NC (so the B block stays in L2) copied into panels of NR columns
 * ([panel][k][NR], each one contiguous) before the micro-kernels read them: the copy reads
 * each channel plane as one long run, which the hardware prefetchers follow, where the
 * micro-kernels reading the planes in place would touch kc different pages per tile (a
 * stride of H*W floats between rows). The copy also gathers a strided convolution's
 * positions, so stride 2 needs no split copy or crop. A weight panel (12 x kc) then stays
 * in L1 while the B panels stream from L2. With few input channels (K < PW_PACK_K, or
 * K < PW_PACK_K / 2 when many output channels share the copy) at stride 1 the planes are
 * read in place (the copy would cost about as much as it saves).
 *
 * Threads: the output splits into a grid of channel chunks x position chunks (a few tasks
 * per thread, taken dynamically), chosen by a cost model of micro-kernel rounds plus the
 * traffic each split repeats (weights per position chunk, input per channel chunk), so a
 * 7 x 7 layer with 4 MB of weights splits along channels and a 56 x 56 layer with small
 * filters along positions.
 */
#include "ov_internal.h"

#ifndef PW_KC
#define PW_KC 384
#endif
/* input channels from which the planes are packed (from PW_PACK_K / 2 with many output
 * channels to share the copy) */
#ifndef PW_PACK_K
#define PW_PACK_K 128
#endif
/* floats of one packed B block (kc x nc): 384 KB, well inside the L2 */
#define PW_BLOCK_FLOATS (96 * 1024)

typedef struct {
    const ov_step *s;
    char *const *ptr;
    const ov_posts *posts;
    ov_ep ep;
    int fast_ep, pack;
    int64_t n, mchunks, nchunks, nr, kc, nc;
    ov_conv_ukr_fn ukr;
    ov_pool *pool;
} pw_job;

/* Copy rows [0, kc) of X' (channel planes at x, plane size HW) at output positions
 * [q0, q0 + cols) into panels of nr columns: element (k, c) at
 * dst[(c / nr) * kc * nr + k * nr + c % nr]. */
static void pw_pack(const float *OV_RESTRICT x, int64_t HW, int64_t W, int64_t OW,
                    int64_t SH, int64_t SW, int64_t kc, int64_t q0, int64_t cols, int64_t nr,
                    float *OV_RESTRICT dst) {
    const int64_t pstride = kc * nr;
    if (SH == 1 && SW == 1) {
        for (int64_t k = 0; k < kc; k++) {
            const float *src = x + k * HW + q0;
            float *d = dst + k * nr;
            for (int64_t c = 0; c < cols; c += nr, d += pstride) {
                const int64_t len = OV_MIN(nr, cols - c);
                memcpy(d, src + c, (size_t)len * 4);
            }
        }
        return;
    }
    for (int64_t k = 0; k < kc; k++) {
        const float *plane = x + k * HW;
        float *d = dst + k * nr;
        int64_t oy = q0 / OW, ox = q0 % OW;
        for (int64_t c = 0; c < cols;) {
            /* one output row's run of positions */
            const int64_t run = OV_MIN(OW - ox, cols - c);
            const float *src = plane + oy * SH * W + ox * SW;
            for (int64_t i = 0; i < run; i++) {
                const int64_t cc = c + i;
                d[(cc / nr) * pstride + cc % nr] = src[i * SW];
            }
            c += run;
            ox = 0;
            oy++;
        }
    }
}

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
    const float *x = (const float *)j->ptr[0] + (j->n * Cc + g * Cg) * HW;
    float *C = (float *)j->ptr[2] + (j->n * M + g * Mg) * OHW;
    float *bp = ov_pool_scratch(j->pool, tid);
    const float *rows[PW_KC];
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
            } else {
                for (int64_t k = 0; k < kc; k++) rows[k] = x + (pc + k) * HW;
                base = qb;
                pstep = nr;
            }
            for (int64_t ir = m0; ir < m1; ir += MRp) {
                const float *ap = A + (ir / MRp) * K * MRp + pc * MRp;
                const int32_t nrows = (int32_t)OV_MIN(MRp, Mg - ir);
                for (int64_t c = 0, p = 0; c < cols; c += nr, p++) {
                    const int32_t ncols = (int32_t)OV_MIN(nr, cols - c);
                    const int64_t q = qb + c;
                    float *cp = C + ir * OHW + q;
                    const ov_ep *use = NULL;
                    ov_ep ep;
                    if (last && j->fast_ep) {
                        const int64_t m = g * Mg + ir;
                        ep = j->ep;
                        if (ep.rowb) ep.rowb += m;
                        if (ep.colb) ep.colb += q;
                        if (ep.tadd) ep.tadd += m * ep.tadd_ld + q;
                        use = &ep;
                    }
                    j->ukr(kc, ap, rows, base + p * pstep, cp, OHW, pc > 0, use, nrows, ncols);
                    if (last && !j->fast_ep && j->posts->n)
                        ov_posts_apply(j->posts, cp, OHW, g * Mg + ir, q, nrows, ncols, j->n);
                }
            }
        }
    }
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
    if (N == 0 || M == 0 || OHW == 0) return 0;
    const int strided = s->p[9] != 1 || s->p[10] != 1;
    j.pack = strided || K >= PW_PACK_K || (2 * K >= PW_PACK_K && Mg >= 192);
    /* K blocks of equal size, at most PW_KC */
    const int64_t kblocks = K > 0 ? (K + PW_KC - 1) / PW_KC : 1;
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
        const double bbytes = 4.0 * (double)K * (double)OHW * (j.pack ? 2.0 : 1.0);
        const double tile = (double)MRp * (double)j.nr * (double)K * 2.0 / 64.0;
        const int64_t target = T == 1 ? 1 : 4 * (int64_t)T;
        double best = 1e300;
        j.mchunks = j.nchunks = 1;
        for (int64_t m = 1; m <= OV_MIN(mpanels, target); m++) {
            for (int64_t c = 1; c <= OV_MIN(npanels, target); c++) {
                if (G * m * c > OV_MAX(target, G)) break;
                const double rounds = (double)((G * m * c + T - 1) / T);
                const double work = (double)((mpanels + m - 1) / m) *
                                    (double)((npanels + c - 1) / c) * tile;
                const double traffic = (double)G * ((double)c * wbytes + (double)m * bbytes) /
                                       (8.0 * (double)T);
                const double tasks = (double)(G * m * c);
                const double cost = rounds * work + traffic + 1000.0 * tasks +
                                    (tasks > 1.0 ? 20000.0 : 0.0);
                if (cost < best * 0.999) {
                    best = cost;
                    j.mchunks = m;
                    j.nchunks = c;
                }
            }
        }
    }
    for (int64_t n = 0; n < N; n++) {
        j.n = n;
        j.fast_ep = ov_make_ep(posts, n, &j.ep);
        ov_parallel(pool, G * j.mchunks * j.nchunks, pw_task, &j);
    }
    return 0;
}
