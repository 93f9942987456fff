/* Element type conversion with the core's rules: to boolean x != 0; floating point to
 * integer truncates toward zero, NaN gives 0 and values past the target's range
 * saturate; integer to integer wraps (two's complement); f16 rounds to nearest even.
 * p: 0 count, 1 source code, 2 destination code (1 f32, 2 f16, 3 f64, 4 i8, 5 u8,
 * 6 i16, 7 u16, 8 i32, 9 u32, 10 i64, 11 u64, 12 boolean). bufs: 0 src, 1 dst. */
#include "ov_internal.h"

enum { T_F32 = 1, T_F16, T_F64, T_I8, T_U8, T_I16, T_U16, T_I32, T_U32, T_I64, T_U64, T_BOOL };

static inline float h2f(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu, bits;
    if (exp == 0x1Fu) {
        bits = sign | 0x7F800000u | (man << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    } else {
        float f = (float)man * 5.9604644775390625e-8f;
        memcpy(&bits, &f, 4);
        bits |= sign;
    }
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

static inline uint16_t f2h(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t ax = x & 0x7FFFFFFFu;
    if (ax >= 0x7F800000u) return (uint16_t)(sign | 0x7C00u | (ax > 0x7F800000u ? 0x200u : 0));
    if (ax >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u); /* rounds past 65504 */
    if (ax < 0x38800000u) {                                   /* subnormal or zero in f16 */
        float a;
        memcpy(&a, &ax, 4);
        float scaled = a * 16777216.0f; /* 2^24: units of the smallest subnormal */
        uint32_t m = (uint32_t)__builtin_rintf(scaled);
        return (uint16_t)(sign | m);
    }
    uint32_t e = (ax >> 23) - 112u;
    uint32_t m = ax & 0x7FFFFFu;
    uint32_t h = (e << 10) | (m >> 13);
    uint32_t rest = m & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) h++;
    return (uint16_t)(sign | h);
}

static inline double load_as_double(const char *p, int32_t t, int64_t i) {
    switch (t) {
        case T_F32: return ((const float *)p)[i];
        case T_F16: return h2f(((const uint16_t *)p)[i]);
        case T_F64: return ((const double *)p)[i];
        case T_I8: return ((const int8_t *)p)[i];
        case T_U8: return ((const uint8_t *)p)[i];
        case T_I16: return ((const int16_t *)p)[i];
        case T_U16: return ((const uint16_t *)p)[i];
        case T_I32: return ((const int32_t *)p)[i];
        case T_U32: return ((const uint32_t *)p)[i];
        case T_I64: return (double)((const int64_t *)p)[i];
        case T_U64: return (double)((const uint64_t *)p)[i];
        default: return ((const uint8_t *)p)[i] != 0;
    }
}

static inline uint64_t load_as_bits(const char *p, int32_t t, int64_t i) {
    switch (t) {
        case T_I8: return (uint64_t)(int64_t)((const int8_t *)p)[i];
        case T_U8: return ((const uint8_t *)p)[i];
        case T_I16: return (uint64_t)(int64_t)((const int16_t *)p)[i];
        case T_U16: return ((const uint16_t *)p)[i];
        case T_I32: return (uint64_t)(int64_t)((const int32_t *)p)[i];
        case T_U32: return ((const uint32_t *)p)[i];
        case T_I64: return (uint64_t)((const int64_t *)p)[i];
        case T_U64: return ((const uint64_t *)p)[i];
        default: return ((const uint8_t *)p)[i] != 0;
    }
}

static inline int is_float(int32_t t) { return t == T_F32 || t == T_F16 || t == T_F64; }

static void limits(int32_t t, double *lo, double *hi) {
    switch (t) {
        case T_I8: *lo = -128.0; *hi = 127.0; break;
        case T_U8: *lo = 0.0; *hi = 255.0; break;
        case T_I16: *lo = -32768.0; *hi = 32767.0; break;
        case T_U16: *lo = 0.0; *hi = 65535.0; break;
        case T_I32: *lo = -2147483648.0; *hi = 2147483647.0; break;
        case T_U32: *lo = 0.0; *hi = 4294967295.0; break;
        case T_I64: *lo = -9223372036854775808.0; *hi = 9223372036854775807.0; break;
        default: *lo = 0.0; *hi = 18446744073709551615.0; break;
    }
}

static inline void store_bits(char *p, int32_t t, int64_t i, uint64_t v) {
    switch (t) {
        case T_I8: case T_U8: ((uint8_t *)p)[i] = (uint8_t)v; break;
        case T_I16: case T_U16: ((uint16_t *)p)[i] = (uint16_t)v; break;
        case T_I32: case T_U32: ((uint32_t *)p)[i] = (uint32_t)v; break;
        default: ((uint64_t *)p)[i] = v; break;
    }
}

OV_VEC static void f32_to_f16(const float *OV_RESTRICT x, uint16_t *OV_RESTRICT y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = f2h(x[i]);
}

OV_VEC static void f16_to_f32(const uint16_t *OV_RESTRICT x, float *OV_RESTRICT y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = h2f(x[i]);
}

int32_t ov_k_convert(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t n = s->p[0];
    const int32_t st = (int32_t)s->p[1], dt = (int32_t)s->p[2];
    const char *src = ptr[0];
    char *dst = ptr[1];
    if (st == T_F32 && dt == T_F16) {
        f32_to_f16((const float *)src, (uint16_t *)dst, n);
        return 0;
    }
    if (st == T_F16 && dt == T_F32) {
        f16_to_f32((const uint16_t *)src, (float *)dst, n);
        return 0;
    }
    if (dt == T_BOOL) {
        for (int64_t i = 0; i < n; i++)
            ((uint8_t *)dst)[i] = is_float(st) ? load_as_double(src, st, i) != 0.0
                                               : load_as_bits(src, st, i) != 0;
        return 0;
    }
    if (is_float(dt)) {
        for (int64_t i = 0; i < n; i++) {
            double v;
            if (st == T_I64) v = (double)((const int64_t *)src)[i];
            else if (st == T_U64) v = (double)((const uint64_t *)src)[i];
            else v = load_as_double(src, st, i);
            if (dt == T_F32 && st == T_I64) ((float *)dst)[i] = (float)((const int64_t *)src)[i];
            else if (dt == T_F32 && st == T_U64) ((float *)dst)[i] = (float)((const uint64_t *)src)[i];
            else if (dt == T_F32) ((float *)dst)[i] = (float)v;
            else if (dt == T_F64) ((double *)dst)[i] = v;
            else ((uint16_t *)dst)[i] = f2h((float)v);
        }
        return 0;
    }
    if (is_float(st)) {
        double lo, hi;
        limits(dt, &lo, &hi);
        for (int64_t i = 0; i < n; i++) {
            double v = load_as_double(src, st, i);
            uint64_t bits;
            if (v != v) {
                bits = 0;
            } else {
                double t = trunc(v);
                if (t <= lo) {
                    bits = dt == T_I64 ? (uint64_t)INT64_MIN : (uint64_t)(int64_t)lo;
                } else if (t >= hi) {
                    bits = dt == T_U64 ? UINT64_MAX : dt == T_I64 ? (uint64_t)INT64_MAX
                                                                  : (uint64_t)(int64_t)hi;
                } else if (dt == T_U64) {
                    bits = (uint64_t)t;
                } else {
                    bits = (uint64_t)(int64_t)t;
                }
            }
            store_bits(dst, dt, i, bits);
        }
        return 0;
    }
    for (int64_t i = 0; i < n; i++) store_bits(dst, dt, i, load_as_bits(src, st, i));
    return 0;
}

/* f16 <-> f32 for the other kernels (interpolate.c) */
float ov_half_to_float(uint16_t h) { return h2f(h); }
uint16_t ov_float_to_half(float f) { return f2h(f); }
