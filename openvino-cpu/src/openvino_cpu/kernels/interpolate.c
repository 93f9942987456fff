/* Interpolate: one separable pass over one axis, the tensor viewed as [outer][in_len][inner]
 * -> [outer][out_len][inner]. Output element j along the axis is the weighted sum of the
 * source elements of its taps (the tables of openvino.plugin.interpolate): index -1 is a
 * padding position and contributes nothing; every other tap is multiplied, zero weights
 * included (so a NaN or inf in reach propagates as in the reference). A gather pass
 * (nearest) copies one element of any size, or writes zeros for -1.
 *
 * f32 -> f32 passes compute in f32 with f32 weights: rows (inner > 1) vectorised along
 * inner, the last axis (inner == 1) gathering 16 (AVX-512) or 8 (AVX2) outputs per
 * instruction. Every other pass computes as the reference does, in f64 with f64 weights,
 * summing the taps in order: the source (f32, f64, f16, or u8 / i8 / i32 / i64 read as f32
 * values) is converted on load; the destination is f32, f64, f16, or an integer type stored
 * rounded to nearest (ties to even) and saturated. Threaded over (outer, block of output
 * positions).
 *
 * OV_K_INTERP: p: 0 outer, 1 in_len, 2 inner, 3 out_len, 4 taps, 5 source type,
 *   6 destination type (1 f32, 2 u8, 3 i8, 4 f16, 5 i32, 6 i64, 7 f64; 0 for a gather),
 *   7 element size (gather), 8 gather (1: index table only), 9 weight size (4 f32, 8 f64).
 *   bufs: 0 X, 1 Y, 2 index (int32, tap-major: tap t of output j at t * out_len + j),
 *   3 weights (same layout; unused for a gather).
 */
#include "ov_internal.h"

enum { T_F32 = 1, T_U8 = 2, T_I8 = 3, T_F16 = 4, T_I32 = 5, T_I64 = 6, T_F64 = 7 };
enum { ROW_CHUNK = 256 };

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_pool *pool;
    int64_t jb, nj;
} interp_job;

static const int64_t type_size[8] = {0, 4, 1, 1, 2, 4, 8, 8};

/* element i of a tensor of `type` as the reference computes with it (integers as f32) */
static inline double load_as_f64(const char *base, int type, int64_t i) {
    switch (type) {
        case T_U8: return (double)((const uint8_t *)base)[i];
        case T_I8: return (double)((const int8_t *)base)[i];
        case T_F16: return (double)ov_half_to_float(((const uint16_t *)base)[i]);
        case T_I32: return (double)(float)((const int32_t *)base)[i];
        case T_I64: return (double)(float)((const int64_t *)base)[i];
        case T_F64: return ((const double *)base)[i];
        default: return (double)((const float *)base)[i];
    }
}

/* rounded to nearest (ties to even), saturated to [lo, hi]; NaN gives 0 */
static inline double round_sat(double v, double lo, double hi) {
    const double r = __builtin_rint(v);
    return r != r ? 0.0 : (r < lo ? lo : (r > hi ? hi : r));
}

/* v rounded to f32 "to odd" (truncated, the last bit set when inexact): rounding that to f16
 * gives v rounded to f16 directly (f32 has more than 11 + 2 bits), no double rounding */
static inline float f32_round_odd(double v) {
    float f = (float)v;
    if ((double)f != v && f == f && __builtin_fabsf(f) != INFINITY) {
        uint32_t b;
        memcpy(&b, &f, 4);
        if (__builtin_fabs((double)f) > __builtin_fabs(v)) b -= 1; /* toward zero */
        b |= 1u;
        memcpy(&f, &b, 4);
    }
    return f;
}

static inline void store_from_f64(char *base, int type, int64_t i, double v) {
    switch (type) {
        case T_U8: ((uint8_t *)base)[i] = (uint8_t)round_sat(v, 0.0, 255.0); break;
        case T_I8: ((int8_t *)base)[i] = (int8_t)round_sat(v, -128.0, 127.0); break;
        case T_F16: ((uint16_t *)base)[i] = ov_float_to_half(f32_round_odd(v)); break;
        case T_I32:
            ((int32_t *)base)[i] = (int32_t)round_sat(v, -2147483648.0, 2147483647.0);
            break;
        case T_I64: {
            /* 2^63 is the first double past INT64_MAX */
            const double r = round_sat(v, -9223372036854775808.0, 9223372036854775808.0);
            ((int64_t *)base)[i] = r >= 9223372036854775808.0 ? INT64_MAX : (int64_t)r;
            break;
        }
        case T_F64: ((double *)base)[i] = v; break;
        default: ((float *)base)[i] = (float)v;
    }
}

static inline double weight_at(const char *w, int wsz, int64_t e) {
    return wsz == 8 ? ((const double *)w)[e] : (double)((const float *)w)[e];
}

/* --- rows: y[0:n] = sum_t w[t] * src[t][0:n] (src[t] NULL: skipped) ------------------- */
static void row_f32_generic(const float *const *src, const float *w, int64_t taps, float *y,
                            int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = 0.0f;
    for (int64_t t = 0; t < taps; t++) {
        if (!src[t]) continue;
        const float *s = src[t], wt = w[t];
        for (int64_t i = 0; i < n; i++) y[i] += wt * s[i];
    }
}

#if OV_X86
#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

AVX2_TARGET static void row_f32_avx2(const float *const *src, const float *w, int64_t taps,
                                     float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int64_t t = 0; t < taps; t++) {
            if (!src[t]) continue;
            const __m256 wt = _mm256_set1_ps(w[t]);
            const float *s = src[t] + i;
            a0 = _mm256_fmadd_ps(wt, _mm256_loadu_ps(s), a0);
            a1 = _mm256_fmadd_ps(wt, _mm256_loadu_ps(s + 8), a1);
            a2 = _mm256_fmadd_ps(wt, _mm256_loadu_ps(s + 16), a2);
            a3 = _mm256_fmadd_ps(wt, _mm256_loadu_ps(s + 24), a3);
        }
        _mm256_storeu_ps(y + i, a0);
        _mm256_storeu_ps(y + i + 8, a1);
        _mm256_storeu_ps(y + i + 16, a2);
        _mm256_storeu_ps(y + i + 24, a3);
    }
    for (; i < n; i += 8) {
        const int64_t left = n - i;
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)OV_MIN(left, 8)),
                                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 a = _mm256_setzero_ps();
        for (int64_t t = 0; t < taps; t++) {
            if (!src[t]) continue;
            a = _mm256_fmadd_ps(_mm256_set1_ps(w[t]), _mm256_maskload_ps(src[t] + i, mask), a);
        }
        _mm256_maskstore_ps(y + i, mask, a);
    }
}

AVX512_TARGET static void row_f32_avx512(const float *const *src, const float *w, int64_t taps,
                                         float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int64_t t = 0; t < taps; t++) {
            if (!src[t]) continue;
            const __m512 wt = _mm512_set1_ps(w[t]);
            const float *s = src[t] + i;
            a0 = _mm512_fmadd_ps(wt, _mm512_loadu_ps(s), a0);
            a1 = _mm512_fmadd_ps(wt, _mm512_loadu_ps(s + 16), a1);
            a2 = _mm512_fmadd_ps(wt, _mm512_loadu_ps(s + 32), a2);
            a3 = _mm512_fmadd_ps(wt, _mm512_loadu_ps(s + 48), a3);
        }
        _mm512_storeu_ps(y + i, a0);
        _mm512_storeu_ps(y + i + 16, a1);
        _mm512_storeu_ps(y + i + 32, a2);
        _mm512_storeu_ps(y + i + 48, a3);
    }
    for (; i < n; i += 16) {
        const int64_t left = n - i;
        const __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 a = _mm512_setzero_ps();
        for (int64_t t = 0; t < taps; t++) {
            if (!src[t]) continue;
            a = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), _mm512_maskz_loadu_ps(m, src[t] + i), a);
        }
        _mm512_mask_storeu_ps(y + i, m, a);
    }
}

/* last axis: y[j] = sum_t w[t*L + j] * x[idx[t*L + j]] for j in [j0, j1), L = out_len */
AVX2_TARGET static int64_t last_f32_avx2(const float *x, const int32_t *idx, const float *w,
                                         int64_t taps, int64_t L, int64_t j0, int64_t j1,
                                         float *y) {
    const __m256i neg = _mm256_set1_epi32(-1);
    int64_t j = j0;
    for (; j + 8 <= j1; j += 8) {
        __m256 a = _mm256_setzero_ps();
        for (int64_t t = 0; t < taps; t++) {
            const __m256i iv = _mm256_loadu_si256((const __m256i *)(idx + t * L + j));
            const __m256 m = _mm256_castsi256_ps(_mm256_cmpgt_epi32(iv, neg));
            const __m256 v = _mm256_mask_i32gather_ps(_mm256_setzero_ps(), x, iv, m, 4);
            a = w ? _mm256_fmadd_ps(_mm256_loadu_ps(w + t * L + j), v, a) : v;
        }
        _mm256_storeu_ps(y + j, a);
    }
    return j;
}

AVX512_TARGET static int64_t last_f32_avx512(const float *x, const int32_t *idx, const float *w,
                                             int64_t taps, int64_t L, int64_t j0, int64_t j1,
                                             float *y) {
    const __m512i zero = _mm512_setzero_si512();
    int64_t j = j0;
    for (; j + 16 <= j1; j += 16) {
        __m512 a = _mm512_setzero_ps();
        for (int64_t t = 0; t < taps; t++) {
            const __m512i iv = _mm512_loadu_si512((const void *)(idx + t * L + j));
            const __mmask16 m = _mm512_cmpge_epi32_mask(iv, zero);
            const __m512 v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, iv, x, 4);
            a = w ? _mm512_fmadd_ps(_mm512_loadu_ps(w + t * L + j), v, a) : v;
        }
        _mm512_storeu_ps(y + j, a);
    }
    return j;
}
#endif

static void row_f32(const float *const *src, const float *w, int64_t taps, float *y, int64_t n) {
#if OV_X86
    if (ov_isa_level == 2) {
        row_f32_avx512(src, w, taps, y, n);
        return;
    }
    if (ov_isa_level >= 1) {
        row_f32_avx2(src, w, taps, y, n);
        return;
    }
#endif
    row_f32_generic(src, w, taps, y, n);
}

/* outputs [j0, j1) of the last axis, f32 -> f32 (w NULL: a gather of 4-byte elements) */
static void last_f32(const float *x, const int32_t *idx, const float *w, int64_t taps,
                     int64_t L, int64_t j0, int64_t j1, float *y) {
    int64_t j = j0;
#if OV_X86
    if (ov_isa_level == 2)
        j = last_f32_avx512(x, idx, w, taps, L, j0, j1, y);
    else if (ov_isa_level >= 1)
        j = last_f32_avx2(x, idx, w, taps, L, j0, j1, y);
#endif
    for (; j < j1; j++) {
        float a = 0.0f;
        for (int64_t t = 0; t < taps; t++) {
            const int32_t i = idx[t * L + j];
            if (i < 0) continue;
            a = w ? a + w[t * L + j] * x[i] : x[i];
        }
        y[j] = a;
    }
}

static void interp_task(void *ctx, int64_t task, int32_t tid) {
    interp_job *jb = (interp_job *)ctx;
    const ov_step *s = jb->s;
    const int64_t in_len = s->p[1], inner = s->p[2], L = s->p[3], taps = s->p[4];
    const int st = (int)s->p[5], dt = (int)s->p[6], gather = s->p[8] != 0;
    const int wsz = (int)s->p[9];
    const int64_t es = gather ? s->p[7] : type_size[st];
    const int64_t des = gather ? s->p[7] : type_size[dt];
    const int64_t o = task / jb->nj, j0 = (task % jb->nj) * jb->jb, j1 = OV_MIN(j0 + jb->jb, L);
    const char *x = jb->ptr[0] + o * in_len * inner * es;
    char *y = jb->ptr[1] + o * L * inner * des;
    const int32_t *idx = (const int32_t *)jb->ptr[2];
    const float *w = gather ? NULL : (const float *)jb->ptr[3];
    const char *wb = jb->ptr[3];
    const int fast = st == T_F32 && dt == T_F32 && wsz == 4;

    if (gather) {
        if (es == 4 && inner == 1) {
            last_f32((const float *)x, idx, NULL, 1, L, j0, j1, (float *)y);
            return;
        }
        const int64_t row = inner * es;
        for (int64_t j = j0; j < j1; j++) {
            const int32_t i = idx[j];
            if (i < 0)
                memset(y + j * row, 0, (size_t)row);
            else
                memcpy(y + j * row, x + i * row, (size_t)row);
        }
        return;
    }
    if (inner == 1) {
        if (fast) {
            last_f32((const float *)x, idx, w, taps, L, j0, j1, (float *)y);
            return;
        }
        for (int64_t j = j0; j < j1; j++) {
            double a = 0.0;
            for (int64_t t = 0; t < taps; t++) {
                const int32_t i = idx[t * L + j];
                if (i >= 0) a += load_as_f64(x, st, i) * weight_at(wb, wsz, t * L + j);
            }
            store_from_f64(y, dt, j, a);
        }
        return;
    }
    /* rows: per output position the tap rows and weights in scratch */
    char *scratch = (char *)ov_pool_scratch(jb->pool, tid);
    const float **src = (const float **)scratch;
    float *wt = (float *)(scratch + taps * (int64_t)sizeof(float *));
    double *acc = (double *)(scratch + ((taps * (int64_t)(sizeof(float *) + 4) + 63) / 64) * 64);
    for (int64_t j = j0; j < j1; j++) {
        if (fast) {
            for (int64_t t = 0; t < taps; t++) {
                const int32_t i = idx[t * L + j];
                src[t] = i < 0 ? NULL : (const float *)x + i * inner;
                wt[t] = w[t * L + j];
            }
            row_f32(src, wt, taps, (float *)y + j * inner, inner);
            continue;
        }
        for (int64_t c0 = 0; c0 < inner; c0 += ROW_CHUNK) {
            const int64_t n = OV_MIN(ROW_CHUNK, inner - c0);
            for (int64_t c = 0; c < n; c++) acc[c] = 0.0;
            for (int64_t t = 0; t < taps; t++) {
                const int32_t i = idx[t * L + j];
                if (i < 0) continue;
                const double wv = weight_at(wb, wsz, t * L + j);
                const int64_t base = i * inner + c0;
                for (int64_t c = 0; c < n; c++) acc[c] += load_as_f64(x, st, base + c) * wv;
            }
            for (int64_t c = 0; c < n; c++) store_from_f64(y, dt, j * inner + c0 + c, acc[c]);
        }
    }
}

int32_t ov_k_interp(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t outer = s->p[0], inner = s->p[2], L = s->p[3], taps = s->p[4];
    const int gather = s->p[8] != 0;
    if (outer < 0 || inner < 0 || L < 0 || taps < 0 || (gather && taps != 1)) {
        ov_set_error("interpolate: bad parameters");
        return 1;
    }
    if (!gather && (s->p[5] < T_F32 || s->p[5] > T_F64 || s->p[6] < T_F32 || s->p[6] > T_F64 ||
                    (s->p[9] != 4 && s->p[9] != 8))) {
        ov_set_error("interpolate: bad element types");
        return 1;
    }
    if (taps * (int64_t)(sizeof(float *) + 4) + 64 + ROW_CHUNK * 8 > ov_scratch_bytes()) {
        ov_set_error("interpolate: too many taps for the scratch buffer");
        return 1;
    }
    if (outer == 0 || inner == 0 || L == 0) return 0;
    /* blocks of output positions: >= ~4096 elements each (multiples of 16 on the last axis) */
    int64_t jb = OV_MAX((int64_t)1, 4096 / inner);
    if (inner == 1) jb = (jb + 15) / 16 * 16;
    jb = OV_MIN(jb, L);
    interp_job job = {s, ptr, pool, jb, (L + jb - 1) / jb};
    const int64_t ntasks = outer * job.nj;
    if (outer * L * inner * OV_MAX(taps, (int64_t)1) < 32768) {
        const int32_t tid = ov_current_tid();
        for (int64_t t = 0; t < ntasks; t++) interp_task(&job, t, tid);
    } else {
        ov_parallel(pool, ntasks, interp_task, &job);
    }
    return 0;
}
