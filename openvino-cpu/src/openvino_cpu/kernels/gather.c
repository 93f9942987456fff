/* Gather along one axis. data: [batch][pre][axis][inner bytes], indices: [batch][nidx],
 * out: [batch][pre][nidx][inner bytes]. Negative indices count from the end when allowed.
 * Indices are data, so they are checked here, in C: one outside the allowed range stops
 * the plan with an error (the reference raises RuntimeError for it too).
 * p: 0 batch, 1 pre, 2 axis, 3 inner bytes, 4 nidx, 5 indices are i64, 6 allow negative.
 * bufs: 0 data, 1 indices, 2 out. */
#include <stdio.h>

#include "ov_internal.h"

int32_t ov_k_gather(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t batch = s->p[0], pre = s->p[1], axis = s->p[2], inner = s->p[3];
    const int64_t nidx = s->p[4], is64 = s->p[5], neg = s->p[6];
    const char *data = ptr[0];
    char *out = ptr[2];
    /* check every index first: nothing is written when one is bad */
    for (int64_t i = 0; i < batch * nidx; i++) {
        int64_t k = is64 ? ((const int64_t *)ptr[1])[i] : (int64_t)((const int32_t *)ptr[1])[i];
        if (k >= axis || k < (neg ? -axis : 0)) {
            char msg[160];
            snprintf(msg, sizeof(msg), "index %lld is out of range; the allowed range is [%lld, %lld)",
                     (long long)k, (long long)(neg ? -axis : 0), (long long)axis);
            ov_set_error(msg);
            return 1;
        }
    }
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t pr = 0; pr < pre; pr++) {
            const char *src = data + ((b * pre + pr) * axis) * inner;
            char *dst = out + ((b * pre + pr) * nidx) * inner;
            for (int64_t i = 0; i < nidx; i++) {
                int64_t k = is64 ? ((const int64_t *)ptr[1])[b * nidx + i]
                                 : (int64_t)((const int32_t *)ptr[1])[b * nidx + i];
                if (k < 0) k += axis;
                memcpy(dst + i * inner, src + k * inner, (size_t)inner);
            }
        }
    }
    return 0;
}
