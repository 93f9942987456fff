/* The elementwise operations of OpenVINO as functions of the compute type CT (float when
 * CT_FLOAT, else a long integer type), shared by eltwise.cl (elementwise chains) and the
 * post-op epilogues of gemm.cl and conv.cl (their POST chains call these functions).
 * strided_index(i, meta, k): the element of operand k read for output element i (meta:
 * rank (<= 8), dims[8], then 8 strides per operand, 0 where it is broadcast). */
#ifndef OV_GPU_ELTWISE_OPS_H
#define OV_GPU_ELTWISE_OPS_H

#ifndef CT_FLOAT
#define CT_FLOAT 1
#endif
#ifndef PYTHONDIV
#define PYTHONDIV 1
#endif

#if CT_FLOAT
#define ZERO 0.0f
#define ONE 1.0f
inline CT ov_relu(CT x) { return fmax(x, 0.0f); }
inline CT ov_sigmoid(CT x) { return 1.0f / (1.0f + exp(-x)); }
inline CT ov_tanh(CT x) { return tanh(x); }
inline CT ov_exp(CT x) { return exp(x); }
inline CT ov_log(CT x) { return log(x); }
inline CT ov_abs(CT x) { return fabs(x); }
inline CT ov_sqrt(CT x) { return sqrt(x); }
inline CT ov_floor(CT x) { return floor(x); }
inline CT ov_ceiling(CT x) { return ceil(x); }
inline CT ov_sign(CT x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f); }
inline CT ov_sin(CT x) { return sin(x); }
inline CT ov_cos(CT x) { return cos(x); }
inline CT ov_tan(CT x) { return tan(x); }
inline CT ov_asin(CT x) { return asin(x); }
inline CT ov_acos(CT x) { return acos(x); }
inline CT ov_atan(CT x) { return atan(x); }
inline CT ov_sinh(CT x) { return sinh(x); }
inline CT ov_cosh(CT x) { return cosh(x); }
inline CT ov_asinh(CT x) { return asinh(x); }
inline CT ov_acosh(CT x) { return acosh(x); }
inline CT ov_atanh(CT x) { return atanh(x); }
inline CT ov_erf(CT x) { return erf(x); }
inline CT ov_gelu_erf(CT x) { return 0.5f * x * (1.0f + erf(x * 0.70710678118654752f)); }
inline CT ov_gelu_tanh(CT x) {
    return 0.5f * x * (1.0f + tanh(0.79788456080286536f * (x + 0.044715f * x * x * x)));
}
inline CT ov_hswish(CT x) { return x * fmin(fmax(x + 3.0f, 0.0f), 6.0f) / 6.0f; }
inline CT ov_hsigmoid(CT x) { return fmin(fmax(x + 3.0f, 0.0f), 6.0f) / 6.0f; }
inline CT ov_softplus(CT x) { return x > 20.0f ? x : log1p(exp(x)); }
inline CT ov_mish(CT x) { return x * tanh(ov_softplus(x)); }
inline CT ov_swish(CT x, CT beta) { return x / (1.0f + exp(-beta * x)); }
inline CT ov_elu(CT x, CT alpha) { return x > 0.0f ? x : alpha * (exp(x) - 1.0f); }
inline CT ov_selu(CT x, CT alpha, CT lambda) {
    return lambda * (x > 0.0f ? x : alpha * (exp(x) - 1.0f));
}
inline CT ov_softsign(CT x) { return x / (1.0f + fabs(x)); }
inline CT ov_round_even(CT x) { return rint(x); }
inline CT ov_round_away(CT x) { return round(x); }
inline CT ov_hardsigmoid(CT x, CT alpha, CT beta) { return fmax(0.0f, fmin(1.0f, alpha * x + beta)); }
inline CT ov_divide(CT a, CT b) { return a / b; }
inline CT ov_maximum(CT a, CT b) { return fmax(a, b); }
inline CT ov_minimum(CT a, CT b) { return fmin(a, b); }
inline CT ov_power(CT a, CT b) { return pow(a, b); }
inline CT ov_mod(CT a, CT b) { return fmod(a, b); }
inline CT ov_floormod(CT a, CT b) {
    CT r = fmod(a, b);
    return (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) ? r + b : r;
}
inline CT ov_clamp(CT x, CT lo, CT hi) { return fmin(fmax(x, lo), hi); }
inline CT ov_isnan(CT x) { return isnan(x) ? 1.0f : 0.0f; }
inline CT ov_isfinite(CT x) { return isfinite(x) ? 1.0f : 0.0f; }
inline CT ov_isinf(CT x, int negative, int positive) {
    return ((negative && x == -INFINITY) || (positive && x == INFINITY)) ? 1.0f : 0.0f;
}
inline CT ov_batchnorm(CT x, CT gamma, CT beta, CT mean, CT var, CT eps) {
    return (x - mean) / sqrt(var + eps) * gamma + beta;
}
inline CT ov_fakequantize(CT x, CT il, CT ih, CT ol, CT oh, CT steps) {
    if (x <= fmin(il, ih)) return ol;
    if (x > fmax(il, ih)) return oh;
    return rint((x - il) / (ih - il) * steps) / steps * (oh - ol) + ol;
}
#else
#define ZERO ((CT)0)
#define ONE ((CT)1)
inline CT ov_relu(CT x) { return x > 0 ? x : 0; }
inline CT ov_abs(CT x) { return x < 0 ? -x : x; }
inline CT ov_sign(CT x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }
inline CT ov_divide(CT a, CT b) {
    if (b == 0) return 0;  /* defined result instead of a trap */
    CT q = a / b;
#if PYTHONDIV
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
#endif
    return q;
}
inline CT ov_maximum(CT a, CT b) { return a > b ? a : b; }
inline CT ov_minimum(CT a, CT b) { return a < b ? a : b; }
inline CT ov_power(CT a, CT b) {
    if (b < 0) return (a == 1) ? 1 : ((a == -1) ? ((b & 1) ? -1 : 1) : 0);
    CT r = 1;
    for (CT e = b; e > 0; e >>= 1) { if (e & 1) r *= a; a *= a; }
    return r;
}
inline CT ov_mod(CT a, CT b) { return b == 0 ? 0 : a % b; }
inline CT ov_floormod(CT a, CT b) {
    if (b == 0) return 0;
    CT r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
inline CT ov_clamp(CT x, CT lo, CT hi) { return x < lo ? lo : (x > hi ? hi : x); }
#endif

inline CT ov_negative(CT x) { return -x; }
inline CT ov_add(CT a, CT b) { return a + b; }
inline CT ov_subtract(CT a, CT b) { return a - b; }
inline CT ov_multiply(CT a, CT b) { return a * b; }
inline CT ov_squareddifference(CT a, CT b) { return (a - b) * (a - b); }
inline CT ov_prelu(CT x, CT slope) { return x < ZERO ? x * slope : x; }
inline CT ov_equal(CT a, CT b) { return a == b ? ONE : ZERO; }
inline CT ov_notequal(CT a, CT b) { return a != b ? ONE : ZERO; }
inline CT ov_less(CT a, CT b) { return a < b ? ONE : ZERO; }
inline CT ov_lessequal(CT a, CT b) { return a <= b ? ONE : ZERO; }
inline CT ov_greater(CT a, CT b) { return a > b ? ONE : ZERO; }
inline CT ov_greaterequal(CT a, CT b) { return a >= b ? ONE : ZERO; }
inline CT ov_logicaland(CT a, CT b) { return (a != ZERO && b != ZERO) ? ONE : ZERO; }
inline CT ov_logicalor(CT a, CT b) { return (a != ZERO || b != ZERO) ? ONE : ZERO; }
inline CT ov_logicalxor(CT a, CT b) { return ((a != ZERO) != (b != ZERO)) ? ONE : ZERO; }
inline CT ov_logicalnot(CT x) { return x == ZERO ? ONE : ZERO; }
inline CT ov_select(CT c, CT a, CT b) { return c != ZERO ? a : b; }

inline int strided_index(int i, __global const int* meta, int k) {
    int rank = meta[0];
    __global const int* dims = meta + 1;  /* MAXR (8) dims, then MAXR strides per input */
    __global const int* strides = meta + 9 + 8 * k;
    int off = 0;
    for (int d = rank - 1; d >= 0; --d) {
        int n = dims[d];
        int c = i % n;
        i /= n;
        off += c * strides[d];
    }
    return off;
}

#endif
