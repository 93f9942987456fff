/* Integer and boolean elementwise ops with numpy broadcasting: i32 / i64 arithmetic
 * (wrapping on overflow, as the reference's numpy and the real runtime's C++), and the
 * logical ops on booleans (u8 0 / 1).
 *
 * OV_K_IBINARY: out = a OP b.
 *   p: 0 op (OV_IOP_*), 1 rank (1..6), 2..7 shape, 8..13 a strides, 14..19 b strides
 *      (elements; b's are ignored by NOT), 20 element size (4 i32, 8 i64, 1 boolean).
 *   bufs: 0 a, 1 b, 2 out.
 * FloorMod by 0 fails with "integer division by zero" (as the reference).
 */
#include "ov_internal.h"

#define IBIN_LOOP(T, U, expr)                                                          \
    do {                                                                              \
        const T *pa = (const T *)a;                                                   \
        const T *pb = (const T *)b;                                                   \
        T *po = (T *)o;                                                               \
        for (int64_t i = 0; i < n; i++) {                                             \
            const T x = pa[i * sa], y = pb[i * sb];                                   \
            (void)y;                                                                  \
            po[i] = (expr);                                                           \
        }                                                                             \
    } while (0)

#define FLOORMOD(T, x, y) \
    ((y) == -1 ? (T)0 : (T)((x) % (y) != 0 && (((x) % (y) < 0) != ((y) < 0)) \
                                        ? (x) % (y) + (y) : (x) % (y)))

#define ARITH(T, U)                                                                   \
    switch (op) {                                                                     \
        case OV_IOP_ADD: IBIN_LOOP(T, U, (T)((U)x + (U)y)); break;                    \
        case OV_IOP_SUB: IBIN_LOOP(T, U, (T)((U)x - (U)y)); break;                    \
        case OV_IOP_MUL: IBIN_LOOP(T, U, (T)((U)x * (U)y)); break;                    \
        case OV_IOP_MAX: IBIN_LOOP(T, U, x > y ? x : y); break;                       \
        case OV_IOP_MIN: IBIN_LOOP(T, U, x < y ? x : y); break;                       \
        case OV_IOP_FLOORMOD: {                                                       \
            const T *pb = (const T *)b;                                               \
            for (int64_t i = 0; i < n; i++)                                           \
                if (pb[i * sb] == 0) return 2;                                        \
            IBIN_LOOP(T, U, FLOORMOD(T, x, y));                                       \
            break;                                                                    \
        }                                                                             \
        default: return 1;                                                            \
    }

/* one innermost run of n elements */
OV_VEC static int irun(int32_t op, int64_t es, const char *a, int64_t sa, const char *b,
                       int64_t sb, char *o, int64_t n) {
    if (es == 4) {
        ARITH(int32_t, uint32_t)
    } else if (es == 8) {
        ARITH(int64_t, uint64_t)
    } else if (es == 1) {
        switch (op) {
            case OV_IOP_AND: IBIN_LOOP(uint8_t, uint8_t, (uint8_t)((x != 0) & (y != 0))); break;
            case OV_IOP_OR: IBIN_LOOP(uint8_t, uint8_t, (uint8_t)((x != 0) | (y != 0))); break;
            case OV_IOP_XOR: IBIN_LOOP(uint8_t, uint8_t, (uint8_t)((x != 0) ^ (y != 0))); break;
            case OV_IOP_NOT: IBIN_LOOP(uint8_t, uint8_t, (uint8_t)(x == 0)); break;
            default: return 1;
        }
    } else {
        return 1;
    }
    return 0;
}

int32_t ov_k_ibinary(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int32_t op = (int32_t)s->p[0];
    const int64_t rank = s->p[1], es = s->p[20];
    if (rank < 1 || rank > 6) {
        ov_set_error("ibinary: bad rank");
        return 1;
    }
    int64_t shape[6], sa[6], sb[6], idx[6] = {0};
    int64_t total = 1;
    for (int64_t d = 0; d < rank; d++) {
        shape[d] = s->p[2 + d];
        sa[d] = s->p[8 + d];
        sb[d] = s->p[14 + d];
        total *= shape[d];
    }
    if (total == 0) return 0;
    const int64_t inner = shape[rank - 1], rows = total / inner;
    const char *a = ptr[0], *b = ptr[1];
    char *o = ptr[2];
    for (int64_t r = 0; r < rows; r++) {
        int64_t oa = 0, ob = 0;
        for (int64_t d = 0; d < rank - 1; d++) {
            oa += idx[d] * sa[d];
            ob += idx[d] * sb[d];
        }
        const int rc = irun(op, es, a + oa * es, sa[rank - 1], b + ob * es, sb[rank - 1],
                            o + r * inner * es, inner);
        if (rc) {
            ov_set_error(rc == 2 ? "integer division by zero"
                                 : "ibinary: unknown op or element size");
            return 1;
        }
        for (int64_t d = rank - 2; d >= 0; d--) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    return 0;
}
