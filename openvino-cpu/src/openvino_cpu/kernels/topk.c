/* TopK over one axis of an f32 tensor viewed as [outer][n][inner], in the reference's
 * order: mode max gives values descending, min ascending; equal values keep their input
 * order (the lower index first); NaN counts as the largest value in both modes (first for
 * max, last for min), as numpy's sort orders it. sort = index reorders the k selected by
 * index.
 *
 * OV_K_TOPK: p: 0 outer, 1 n, 2 inner, 3 k (<= n), 4 mode (0 max, 1 min), 5 sort by index,
 *   6 index size (4 i32, 8 i64).
 *   bufs: 0 X, 1 values ([outer][k][inner]), 2 indices (same layout).
 */
#include <stdlib.h>

#include "ov_internal.h"

typedef struct {
    float v;
    int64_t i;
} topk_item;

static int before_max(const topk_item *a, const topk_item *b) {
    const int na = a->v != a->v, nb = b->v != b->v;
    if (na != nb) return na;               /* NaN first */
    if (!na && a->v != b->v) return a->v > b->v;
    return a->i < b->i;
}

static int before_min(const topk_item *a, const topk_item *b) {
    const int na = a->v != a->v, nb = b->v != b->v;
    if (na != nb) return nb;               /* NaN last */
    if (!na && a->v != b->v) return a->v < b->v;
    return a->i < b->i;
}

static int cmp_max(const void *x, const void *y) {
    if (((const topk_item *)x)->i == ((const topk_item *)y)->i) return 0;
    return before_max((const topk_item *)x, (const topk_item *)y) ? -1 : 1;
}

static int cmp_min(const void *x, const void *y) {
    if (((const topk_item *)x)->i == ((const topk_item *)y)->i) return 0;
    return before_min((const topk_item *)x, (const topk_item *)y) ? -1 : 1;
}

static int cmp_index(const void *x, const void *y) {
    const int64_t a = ((const topk_item *)x)->i, b = ((const topk_item *)y)->i;
    return a < b ? -1 : (a > b ? 1 : 0);
}

typedef struct {
    const ov_step *s;
    char *const *ptr;
    ov_pool *pool;
} topk_job;

static void topk_task(void *ctx, int64_t t, int32_t tid) {
    topk_job *j = (topk_job *)ctx;
    const ov_step *s = j->s;
    const int64_t n = s->p[1], inner = s->p[2], k = s->p[3];
    const int max_mode = s->p[4] == 0, by_index = s->p[5] != 0, isz = (int)s->p[6];
    const int64_t o = t / inner, c = t % inner;
    const float *x = (const float *)j->ptr[0] + o * n * inner + c;
    float *vals = (float *)j->ptr[1] + o * k * inner + c;
    topk_item *items = (topk_item *)ov_pool_scratch(j->pool, tid);
    for (int64_t i = 0; i < n; i++) {
        items[i].v = x[i * inner];
        items[i].i = i;
    }
    if (k == 1) { /* one pass */
        int64_t best = 0;
        for (int64_t i = 1; i < n; i++)
            if (max_mode ? before_max(&items[i], &items[best]) : before_min(&items[i], &items[best]))
                best = i;
        items[0] = items[best];
    } else {
        /* the comparators are a total order (ties broken by index): qsort gives the stable
         * order */
        qsort(items, (size_t)n, sizeof(topk_item), max_mode ? cmp_max : cmp_min);
        if (by_index) qsort(items, (size_t)k, sizeof(topk_item), cmp_index);
    }
    for (int64_t r = 0; r < k; r++) {
        vals[r * inner] = items[r].v;
        if (isz == 4)
            ((int32_t *)j->ptr[2])[(o * k + r) * inner + c] = (int32_t)items[r].i;
        else
            ((int64_t *)j->ptr[2])[(o * k + r) * inner + c] = items[r].i;
    }
}

int32_t ov_k_topk(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t outer = s->p[0], n = s->p[1], inner = s->p[2], k = s->p[3];
    if (k < 0 || k > n || (s->p[6] != 4 && s->p[6] != 8)) {
        ov_set_error("topk: bad parameters");
        return 1;
    }
    if (outer == 0 || inner == 0 || k == 0) return 0;
    if (n * (int64_t)sizeof(topk_item) > ov_scratch_bytes()) {
        ov_set_error("topk: axis too long for the scratch buffer");
        return 1;
    }
    topk_job j = {s, ptr, pool};
    const int64_t rows = outer * inner;
    if (rows * n < 16384) {
        for (int64_t t = 0; t < rows; t++) topk_task(&j, t, ov_current_tid());
    } else {
        ov_parallel(pool, rows, topk_task, &j);
    }
    return 0;
}
