/* Declarations shared between the kernel files (not part of the plan format, not seen by
 * Python): the thread pool, instruction-set dispatch, post ops and the kernel entries. */
#ifndef OV_INTERNAL_H
#define OV_INTERNAL_H
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ov_cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#define OV_X86 1
#include <immintrin.h>
/* Auto-vectorised loops: one clone per instruction set, chosen by the loader (ifunc). */
#define OV_VEC __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define OV_X86 0
#define OV_VEC
#endif

/* fetch the cache line at p into L2 (a hint: no fault, no effect off x86) */
#if OV_X86
#define OV_PREFETCH_L2(p) _mm_prefetch((const char *)(p), _MM_HINT_T1)
#else
#define OV_PREFETCH_L2(p) ((void)(p))
#endif

#define OV_MIN(a, b) ((a) < (b) ? (a) : (b))
#define OV_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Weights fetched ahead: a kernel that streams a layer's packed weights block by block
 * fetches the block ahead into L2 while the current one's work runs, in shares, so that a
 * layer using each weight only a few dozen times does not wait on memory at each block.
 * ov_ahead_lines: how many of the n cache lines from p lie before end (the weights' end);
 * ov_prefetch_share: lines [n * from / total, n * to / total) of them. */
static inline int64_t ov_ahead_lines(const char *p, int64_t n, const char *end) {
    return p >= end ? 0 : OV_MIN(n, (int64_t)(end - p) / 64);
}

static inline void ov_prefetch_share(const char *p, int64_t n, int64_t from, int64_t to,
                                     int64_t total) {
    for (int64_t l = n * from / total; l < n * to / total; l++) OV_PREFETCH_L2(p + 64 * l);
}

/* Lines [n * from / total, n * to / total) of the n cache lines from p (a call's share), for
 * a micro-kernel that fetches one line into L2 per step of its loop of kc steps: returns
 * the first line of the share and sets *npf to how many the kernel fetches (at most kc);
 * the rest are fetched now. Spread out like this, a share does not arrive as a burst of
 * dozens of prefetches, more than a core keeps in flight (see conv_pointwise.c). */
static inline const char *ov_prefetch_spread(const char *p, int64_t n, int64_t from,
                                             int64_t to, int64_t total, int64_t kc,
                                             int64_t *npf) {
    const int64_t l0 = n * from / total, l1 = n * to / total;
    *npf = OV_MIN(l1 - l0, kc);
    for (int64_t l = l0 + *npf; l < l1; l++) OV_PREFETCH_L2(p + 64 * l);
    return *npf > 0 ? p + 64 * l0 : NULL;
}

/* A tile's rows of `cols` floats (row stride ld) into L2: what a micro-kernel's store will
 * read back (partial sums of earlier K blocks, a residual), fetched before its K loop, so
 * the lines are there when the store needs them instead of coming from L3 then. */
static inline void ov_prefetch_tile(const float *p, int64_t ld, int64_t rows, int64_t cols) {
    for (int64_t i = 0; i < rows; i++)
        for (int64_t c = 0; c < cols; c += 16) OV_PREFETCH_L2(p + i * ld + c);
}
#define OV_RESTRICT __restrict__

/* Instruction set of the explicit (intrinsics) kernels: 0 generic, 1 avx2+fma, 2 avx512,
 * 3 test geometry (NR = 32, AVX2 helpers, portable micro-kernels). */
extern int32_t ov_isa_level;
void ov_isa_init(void);
/* this core's L2 cache in bytes (1 MB where the system does not say) */
int64_t ov_l2_bytes(void);

/* --- threads (threads.c) ---------------------------------------------------------------- */
typedef void (*ov_task_fn)(void *ctx, int64_t task, int32_t tid);
/* Run fn(ctx, t, tid) for t in [0, ntasks) on the pool's threads; returns when all ran.
 * Thread i starts on the i-th contiguous range of the tasks, then helps with the others'.
 * Nested calls (from inside a task) run serially on the calling thread. */
void ov_parallel(ov_pool *pool, int64_t ntasks, ov_task_fn fn, void *ctx);
/* The same, every thread taking the next task in index order (for splits whose cost
 * model assumes that order). */
void ov_parallel_ordered(ov_pool *pool, int64_t ntasks, ov_task_fn fn, void *ctx);
/* Threads available to a kernel called from the current context (1 inside a task). */
int32_t ov_pool_width(const ov_pool *pool);
/* Scratch of thread tid (ov_scratch_bytes() bytes, 64-byte aligned). */
float *ov_pool_scratch(ov_pool *pool, int32_t tid);
/* Thread id of the caller inside the current parallel region (0 outside). */
int32_t ov_current_tid(void);
/* Bind the calling thread to the pool's core for worker 0 (ov_pool_pin) for one run of a
 * plan, once the pool's runs take long enough; returns 1 when it did (then ov_pool_unbind_caller(saved) gives back the thread's
 * own affinity), 0 when there is nothing to do or the system refused. */
#ifdef _GNU_SOURCE
#include <sched.h>
int ov_pool_bind_caller(const ov_pool *pool, cpu_set_t *saved);
void ov_pool_unbind_caller(const cpu_set_t *saved);
/* Whether the pool is pinned; ov_pool_note_run: the seconds one run on it took (the caller
 * is bound only once runs are long enough to pay for the move). */
int ov_pool_pinned(const ov_pool *pool);
void ov_pool_note_run(ov_pool *pool, double seconds);
#endif
/* Split [0, n) in parts of `align` elements for `parts` workers: start of part i. */
int64_t ov_split(int64_t n, int64_t parts, int64_t i, int64_t align);

/* --- post ops (postops.c) ---------------------------------------------------------------- */
typedef struct ov_post_rt {
    int32_t kind, op, swap;
    const float *ptr;
    int64_t ld_m, ld_n, bstride;
    float alpha, beta;
} ov_post_rt;

typedef struct ov_posts {
    int32_t n;
    ov_post_rt po[OV_MAX_POST];
} ov_posts;

void ov_posts_init(ov_posts *posts, const ov_step *step, char *const *ptr);
/* Apply to rows [m0, m0+mlen) x columns [n0, n0+nlen) of batch `batch`; tile points at
 * (m0, n0) with row stride ldt. */
void ov_posts_apply(const ov_posts *posts, float *tile, int64_t ldt, int64_t m0, int64_t n0,
                    int64_t mlen, int64_t nlen, int64_t batch);
void ov_act_apply(int32_t op, float alpha, float beta, float *x, int64_t n);
float ov_bin_f32(int32_t op, float a, float b);

/* --- GEMM (gemm.c) ----------------------------------------------------------------------- */
enum { OV_SRC_DENSE = 0, OV_SRC_PACKED = 1, OV_SRC_IM2COL = 2, OV_SRC_QUANT = 3 };
enum { OV_Q_U8 = 1, OV_Q_I8 = 2, OV_Q_U4 = 3, OV_Q_I4 = 4, OV_Q_F16 = 5 };

typedef struct ov_im2col {
    const float *img;       /* C x H x W (one image, one group)                      */
    int64_t H, W, KH, KW, SH, SW, DH, DW, PH, PW, OW;
    int32_t split;          /* stride 2: img holds per channel the even columns      */
                            /* (H x ceil(W/2)) then the odd ones (H x W/2)           */
} ov_im2col;

typedef struct ov_mat {
    int32_t src;            /* OV_SRC_*                                               */
    const float *p;         /* dense: element (r, c) at p[r * rs + c * cs]            */
    int64_t rs, cs;         /* packed: panels of the full depth K, see gemm.c         */
    ov_im2col im;           /* B only: implicit im2col of a convolution input        */
    const uint8_t *q;       /* B only, quantized: panels of codes                     */
    int32_t qtype;          /* OV_Q_*                                                 */
    const float *scale;     /* [K / group][Npad] or NULL                              */
    const float *zs;        /* zero point times scale, [K / group][Npad] or NULL      */
    int64_t group, npad;
    int32_t rows_ok;        /* dense B: micro-kernels may read rows in place (no pack) */
} ov_mat;

/* C[m0:m1, n0:n1] (row stride ldc) = A (M x K) * B (K x N), then the post ops with rows
 * offset by post_m (absolute row numbers) in batch `batch`. Single thread, scratch of tid. */
void ov_gemm_region(const ov_mat *A, const ov_mat *B, float *C, int64_t ldc, int64_t K,
                    int64_t m0, int64_t m1, int64_t n0, int64_t n1, const ov_posts *posts,
                    int64_t post_m, int64_t batch, float *scratch);
/* All of a dense B (K x N) packed as OV_SRC_PACKED panels (see gemm.c) into dst, which
 * holds ceil(N / ov_gemm_nr()) * ov_gemm_nr() * K floats. */
void ov_gemm_pack_b(const ov_mat *B, int64_t K, int64_t N, float *dst);
/* The common post-op chains, applied in registers by the micro-kernels on the last K block:
 * + per-row vector, + per-column vector, + tensor (a residual), then ReLU or a clamp. The
 * pointers are already offset to the tile's first row / column. */
typedef struct {
    const float *rowb;
    const float *colb;
    const float *tadd;
    int64_t tadd_ld;
    int32_t act; /* 0 none, 1 relu, 2 clamp to [lo, hi]; GEMM only: 3 gelu erf, 4 tanh */
    float lo, hi;
} ov_ep;

#if OV_X86
#define OV_EP512_INLINE                                                                        \
    static inline __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma"), always_inline))
/* The AVX-512 micro-kernels' epilogue on 32-column tiles (columns where m0 / m1 are set):
 * its constant vectors (column bias, clamp bounds), then per tile row + row bias, + column
 * bias, + tensor, ReLU or clamp (acts 1 and 2; the GEMM applies its GELU itself). */
OV_EP512_INLINE void ov_ep_consts_avx512(const ov_ep *ep, __mmask16 m0, __mmask16 m1,
                                         __m512 *cb0, __m512 *cb1, __m512 *lo, __m512 *hi) {
    *cb0 = *cb1 = *lo = *hi = _mm512_setzero_ps();
    if (ep) {
        if (ep->colb) {
            *cb0 = _mm512_maskz_loadu_ps(m0, ep->colb);
            *cb1 = _mm512_maskz_loadu_ps(m1, ep->colb + 16);
        }
        *lo = _mm512_set1_ps(ep->lo);
        *hi = _mm512_set1_ps(ep->hi);
    }
}

OV_EP512_INLINE void ov_ep_row_avx512(const ov_ep *ep, int64_t i, __mmask16 m0, __mmask16 m1,
                                      __m512 cb0, __m512 cb1, __m512 lo, __m512 hi, __m512 *r0,
                                      __m512 *r1) {
    if (ep->rowb) {
        const __m512 bv = _mm512_set1_ps(ep->rowb[i]);
        *r0 = _mm512_add_ps(*r0, bv);
        *r1 = _mm512_add_ps(*r1, bv);
    }
    if (ep->colb) {
        *r0 = _mm512_add_ps(*r0, cb0);
        *r1 = _mm512_add_ps(*r1, cb1);
    }
    if (ep->tadd) {
        const float *tp = ep->tadd + i * ep->tadd_ld;
        *r0 = _mm512_add_ps(*r0, _mm512_maskz_loadu_ps(m0, tp));
        *r1 = _mm512_add_ps(*r1, _mm512_maskz_loadu_ps(m1, tp + 16));
    }
    if (ep->act == 1) {
        *r0 = _mm512_max_ps(_mm512_setzero_ps(), *r0);
        *r1 = _mm512_max_ps(_mm512_setzero_ps(), *r1);
    } else if (ep->act == 2) {
        *r0 = _mm512_min_ps(hi, _mm512_max_ps(lo, *r0));
        *r1 = _mm512_min_ps(hi, _mm512_max_ps(lo, *r1));
    }
}
#endif
/* The epilogue of the tile whose first element is at row m, column n: ``base`` (what
 * ov_make_ep gave, at row 0, column 0) with its operands offset there. */
static inline ov_ep ov_ep_at(const ov_ep *base, int64_t m, int64_t n) {
    ov_ep ep = *base;
    if (ep.rowb) ep.rowb += m;
    if (ep.colb) ep.colb += n;
    if (ep.tadd) ep.tadd += m * ep.tadd_ld + n;
    return ep;
}
/* The register epilogue for a post-op chain (base pointers at row 0, column 0 of batch
 * `batch`), or 0 when the chain needs the generic path. */
int ov_make_ep(const ov_posts *posts, int64_t batch, ov_ep *ep);
/* ov_make_ep, and also chains ending in GELU after the adds (act 3 erf, 4 tanh form), which
 * only the GEMM kernels apply (ov_gelu_tile for a stored tile). */
int ov_make_ep_gemm(const ov_posts *posts, int64_t batch, ov_ep *ep);
void ov_gelu_tile(float *c, int64_t ldc, int64_t rows, int64_t cols, int32_t act);
/* A micro-kernel reading row k of B at rows[k] + off (direct convolution): the MR x NR
 * tile c (row stride ldc) (+)= A panel (kc x MR) * B rows, then the epilogue. */
typedef void (*ov_ukr_rows_fn)(int64_t kc, const float *a, const float *const *rows,
                               int64_t off, float *c, int64_t ldc, int acc, const ov_ep *ep);
ov_ukr_rows_fn ov_pick_ukr_rows(void);
/* The direct convolution's micro-kernel (kernels/conv_ukr.c): the r x nc tile c (row stride
 * ldc; r <= OV_CONV_MR, nc <= ov_gemm_nr()) (+)= A panel (kc x OV_CONV_MR, first r rows
 * used) * B rows (rows[k] + off, only the first nc columns read), then the epilogue. The
 * npf (<= kc) cache lines from pf are fetched into L2 while it runs, one per step of k: a
 * caller's share of the data it needs next, spread out instead of issued in a burst
 * before the call (a burst of dozens of prefetches overruns what the core keeps in
 * flight; on an Intel Xeon Winograd's 14 x 14 and 28 x 28 layers ran 11 - 13% slower). */
enum { OV_CONV_MR = 12 };
typedef void (*ov_conv_ukr_fn)(int64_t kc, const float *a, const float *const *rows,
                               int64_t off, float *c, int64_t ldc, int acc, const ov_ep *ep,
                               int32_t r, int32_t nc, const char *pf, int64_t npf);
ov_conv_ukr_fn ov_pick_conv_ukr(void);
/* OV_K_CONV modes 2 and 4: 1x1 convolutions without padding, any stride
 * (kernels/conv_pointwise.c), with the post ops already initialised by ov_k_conv. Mode 4
 * packs weights in panels of OV_CONV_PWT_MR channels. */
enum { OV_CONV_PWT_MR = 48 };
void ov_conv_task_grid(int64_t G, int64_t mpanels, int64_t ncols, double wbytes,
                       double bbytes, double tile, int32_t T, double slack, int64_t *mchunks,
                       int64_t *nchunks);
int32_t ov_conv_pointwise(const ov_step *s, char *const *ptr, ov_pool *pool,
                          const ov_posts *posts);
/* OV_K_CONV mode 5: spatial convolutions with vectors along output channels
 * (kernels/conv_direct_cv.c), weights in panels of p[16] = 16, 32, 48 or 64 channels. */
int32_t ov_conv_direct_cv(const ov_step *s, char *const *ptr, ov_pool *pool,
                          const ov_posts *posts);
/* OV_K_CONV mode 3: Winograd F(4x4, 3x3) (kernels/winograd.c). */
int32_t ov_conv_winograd(const ov_step *s, char *const *ptr, ov_pool *pool,
                         const ov_posts *posts);
/* 1 when the AVX-512 micro-kernels agree with the portable ones (checked once at start). */
int ov_gemm_selftest_avx512(void);
/* Blocking of the GEMM driver (the direct convolution uses the same). */
enum { OV_GEMM_KC = 256, OV_GEMM_MC = 120 };

/* The whole M x N product on the pool's threads. */
void ov_gemm(ov_pool *pool, const ov_mat *A, const ov_mat *B, float *C, int64_t ldc,
             int64_t M, int64_t N, int64_t K, const ov_posts *posts, int64_t post_m,
             int64_t batch);

/* Compressed weights with activations quantised to int8 at run time (gemm_int8.c): codes
 * of B packed for it (B->q, scale, zs, npad, group, qtype), groups of g along K padded to
 * Kp. Returns nonzero (error set) on failure. */
int32_t ov_gemm_dq(ov_pool *pool, const ov_mat *A, const ov_mat *B, float *C, int64_t ldc,
                   int64_t M, int64_t N, int64_t K, int64_t g, int64_t Kp,
                   const ov_posts *posts, int64_t post_m, int64_t batch);

/* --- vector-friendly math (inline, branch-free so loops vectorise) --------------------- */
/* ov_exp's reduction and polynomial, shared with its vector forms (gemm.c's epilogue exp,
 * attention.c's softmax exp): ln(smallest normal) and ln(largest finite), log2(e), ln 2 in
 * two parts, then the degree-6 coefficients from the highest power down */
#define OV_EXP_MIN (-87.33654f)
#define OV_EXP_MAX 88.3762626f
#define OV_EXP_LOG2E 1.44269504088896341f
#define OV_EXP_LN2_HI 0.693359375f
#define OV_EXP_LN2_LO (-2.12194440e-4f)
#define OV_EXP_P6 1.9875691500e-4f
#define OV_EXP_P5 1.3981999507e-3f
#define OV_EXP_P4 8.3334519073e-3f
#define OV_EXP_P3 4.1665795894e-2f
#define OV_EXP_P2 1.6666665459e-1f
#define OV_EXP_P1 5.0000001201e-1f

static inline float ov_exp(float x) {
    /* exp(x) = 2^n * exp(r), |r| <= ln2/2; degree-6 polynomial, ~1 ulp. Below the smallest
     * normal result it flushes to 0 (as OpenVINO's CPU plugin: no denormal ever leaves it,
     * which would slow every later multiply by ~100x), above the largest finite one it is
     * +inf. */
    const float under = x < OV_EXP_MIN ? 0.0f : 1.0f;
    const float over = x > OV_EXP_MAX ? INFINITY : 1.0f;
    x = x < OV_EXP_MIN ? OV_EXP_MIN : (x > OV_EXP_MAX ? OV_EXP_MAX : x);
    float n = __builtin_floorf(x * OV_EXP_LOG2E + 0.5f);
    float r = x - n * OV_EXP_LN2_HI;
    r = r - n * OV_EXP_LN2_LO;
    float p = OV_EXP_P6;
    p = p * r + OV_EXP_P5;
    p = p * r + OV_EXP_P4;
    p = p * r + OV_EXP_P3;
    p = p * r + OV_EXP_P2;
    p = p * r + OV_EXP_P1;
    p = p * r * r + r + 1.0f;
    int32_t e = ((int32_t)n + 127) << 23;
    float s;
    memcpy(&s, &e, 4);
    return p * s * under * over;
}

/* x, or 0 where |x| is below the smallest normal float (flush to zero) */
static inline float ov_ftz(float x) { return __builtin_fabsf(x) < 1.17549435e-38f ? 0.0f : x; }

static inline float ov_sigmoid(float x) { return ov_ftz(1.0f / (1.0f + ov_exp(-x))); }

static inline float ov_tanh(float x) {
    float a = __builtin_fabsf(x);
    float e = ov_exp(-2.0f * a);
    float big = (1.0f - e) / (1.0f + e);
    float z = x * x;
    /* odd polynomial for |x| < 0.625 (relative accuracy where 1 - e cancels) */
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z + -5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z + -3.33332819422e-1f;
    float small = a + a * z * p;
    float r = a < 0.625f ? small : big;
    return x < 0.0f ? -r : r;
}

static inline float ov_erf(float x) {
    /* erf via erfc(|x|) = t * exp(-x^2 + P(t)), t = 1 / (1 + |x|/2) (Numerical Recipes
     * erfcc form, relative error < 1.2e-7), and a Taylor series near 0. */
    float a = __builtin_fabsf(x);
    float t = 1.0f / (1.0f + 0.5f * a);
    float p = 0.17087277f;
    p = p * t + -0.82215223f;
    p = p * t + 1.48851587f;
    p = p * t + -1.13520398f;
    p = p * t + 0.27886807f;
    p = p * t + -0.18628806f;
    p = p * t + 0.09678418f;
    p = p * t + 0.37409196f;
    p = p * t + 1.00002368f;
    p = p * t + -1.26551223f;
    float erfc = t * ov_exp(-a * a + p);
    float big = 1.0f - erfc;
    float z = x * x;
    float s = -1.0f / 1320.0f;
    s = s * z + 1.0f / 216.0f;
    s = s * z + -1.0f / 42.0f;
    s = s * z + 1.0f / 10.0f;
    s = s * z + -1.0f / 3.0f;
    float small = a * 1.12837916709551257f * (1.0f + z * s);
    float r = a < 0.5f ? small : big;
    return x < 0.0f ? -r : r;
}

static inline float ov_log(float x) { return logf(x); }

/* --- kernel entries: one per step kind (kernels in their family files) ------------------ */
typedef int32_t (*ov_kernel_fn)(const ov_step *step, char *const *ptr, ov_pool *pool);
int32_t ov_k_copy(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_concat(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_fill(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_binary(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_unary(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_select(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_gemm(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_conv(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_dwconv(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_pool(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_softmax(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_mvn(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_reduce(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_gather(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_convert(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_sdpa(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_lrn(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_ibinary(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_topk(const ov_step *s, char *const *ptr, ov_pool *pool);
int32_t ov_k_interp(const ov_step *s, char *const *ptr, ov_pool *pool);

void ov_set_error(const char *msg);
/* f16 bits <-> f32, rounding to nearest even (convert.c) */
float ov_half_to_float(uint16_t h);
uint16_t ov_float_to_half(float f);
/* Copy an H x W plane into an Hp x Wp buffer with `fill` around it (top / left pads PT / PL). */
void ov_pad_plane(const float *x, int64_t H, int64_t W, int64_t PT, int64_t PL, int64_t Hp,
                  int64_t Wp, float fill, float *dst);
/* Even / odd columns of an Hp x Wp plane into E (Hp x ceil(Wp/2)) and O (Hp x Wp/2). */
void ov_split_cols(const float *P, int64_t Hp, int64_t Wp, float *E, float *O);
/* Pad an H x W plane and split its columns at once: E (Hp x We) even, O (Hp x Wo) odd. */
void ov_pad_split(const float *x, int64_t H, int64_t W, int64_t PT, int64_t PL, int64_t Hp,
                  int64_t We, int64_t Wo, float fill, float *E, float *O);
#endif
