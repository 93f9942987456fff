/* Data movement.
 *
 * OV_K_COPY: strided copy (transpose, slice, broadcast, tile, split, shuffle ...).
 *   p: 0 rank (1..8), 1 element size (bytes), 2..9 shape, 10..17 source strides,
 *      18..25 destination strides (bytes). bufs: 0 src, 1 dst.
 * OV_K_CONCAT: p: 0 outer, 1 inputs (1..7), 2 output row stride (bytes), 3..9 input row
 *   bytes (the inputs fill the first bytes of each output row).
 *   bufs: 0 out, 1.. inputs.
 * OV_K_FILL: p: 0 count, 1 element size, 2 value (raw bits, little endian). bufs: 0 out.
 */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    const char *src;
    char *dst;
    int64_t outer; /* number of slices of dim 0 handed to tasks */
} copy_job;

static void copy_block(const int64_t *shape, const int64_t *ss, const int64_t *ds, int64_t rank,
                       int64_t es, const char *src, char *dst) {
    /* rank >= 1; innermost dimension handled in a tight loop */
    int64_t idx[8] = {0};
    int64_t outer = 1;
    for (int64_t d = 0; d < rank - 1; d++) outer *= shape[d];
    const int64_t n = shape[rank - 1], s_in = ss[rank - 1], s_out = ds[rank - 1];
    for (int64_t o = 0; o < outer; o++) {
        if (s_in == es && s_out == es) {
            memcpy(dst, src, (size_t)(n * es));
        } else if (es == 4) {
            for (int64_t i = 0; i < n; i++)
                memcpy(dst + i * s_out, src + i * s_in, 4);
        } else if (es == 8) {
            for (int64_t i = 0; i < n; i++)
                memcpy(dst + i * s_out, src + i * s_in, 8);
        } else if (es == 2) {
            for (int64_t i = 0; i < n; i++)
                memcpy(dst + i * s_out, src + i * s_in, 2);
        } else if (es == 1) {
            for (int64_t i = 0; i < n; i++) dst[i * s_out] = src[i * s_in];
        } else {
            for (int64_t i = 0; i < n; i++)
                memcpy(dst + i * s_out, src + i * s_in, (size_t)es);
        }
        for (int64_t d = rank - 2; d >= 0; d--) {
            idx[d]++;
            src += ss[d];
            dst += ds[d];
            if (idx[d] < shape[d]) break;
            src -= ss[d] * shape[d];
            dst -= ds[d] * shape[d];
            idx[d] = 0;
        }
    }
}

static void copy_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    copy_job *j = (copy_job *)ctx;
    const ov_step *s = j->s;
    const int64_t rank = s->p[0];
    /* task t: index t of dim 0, copied as a block of rank-1 dims */
    const char *src = j->src + t * s->p[10];
    char *dst = j->dst + t * s->p[18];
    copy_block(&s->p[3], &s->p[11], &s->p[19], rank - 1, s->p[1], src, dst);
}

int32_t ov_k_copy(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t rank = s->p[0], es = s->p[1];
    int64_t total = 1;
    for (int64_t d = 0; d < rank; d++) total *= s->p[2 + d];
    if (total == 0) return 0;
    copy_job j = {s, ptr[0], ptr[1], s->p[2]};
    if (rank >= 2 && total * es >= (1 << 17) && s->p[2] >= 2 && ov_pool_width(pool) > 1) {
        ov_parallel(pool, s->p[2], copy_task, &j);
        return 0;
    }
    copy_block(&s->p[2], &s->p[10], &s->p[18], rank, es, ptr[0], ptr[1]);
    return 0;
}

int32_t ov_k_concat(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t outer = s->p[0], n = s->p[1], row = s->p[2];
    for (int64_t o = 0; o < outer; o++) {
        char *dst = ptr[0] + o * row;
        for (int64_t i = 0; i < n; i++) {
            int64_t bytes = s->p[3 + i];
            if (bytes) memcpy(dst, ptr[1 + i] + o * bytes, (size_t)bytes);
            dst += bytes;
        }
    }
    return 0;
}

int32_t ov_k_fill(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t n = s->p[0], es = s->p[1];
    int64_t v = s->p[2];
    char *out = ptr[0];
    int zero = v == 0;
    if (zero) {
        memset(out, 0, (size_t)(n * es));
        return 0;
    }
    for (int64_t i = 0; i < n; i++) memcpy(out + i * es, &v, (size_t)es);
    return 0;
}
