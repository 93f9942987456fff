/* Gather along one axis. data: [batch][pre][axis][inner bytes], indices: [batch][nidx],
 * out: [batch][pre][nidx][inner bytes]. Negative indices count from the end when allowed
 * (Gather-8). An index outside the allowed range (a negative one for Gather-1/7) gives a
 * slice of zeros, as OpenVINO's CPU plugin does (the reference does the same).
 * p: 0 batch, 1 pre, 2 axis, 3 inner bytes, 4 nidx, 5 indices are i64, 6 allow negative.
 * bufs: 0 data, 1 indices, 2 out. */
#include "ov_internal.h"

int32_t ov_k_gather(const ov_step *s, char *const *ptr, ov_pool *pool) {
    (void)pool;
    const int64_t batch = s->p[0], pre = s->p[1], axis = s->p[2], inner = s->p[3];
    const int64_t nidx = s->p[4], is64 = s->p[5], neg = s->p[6];
    const char *data = ptr[0];
    char *out = ptr[2];
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t pr = 0; pr < pre; pr++) {
            const char *src = data + ((b * pre + pr) * axis) * inner;
            char *dst = out + ((b * pre + pr) * nidx) * inner;
            for (int64_t i = 0; i < nidx; i++) {
                int64_t k = is64 ? ((const int64_t *)ptr[1])[b * nidx + i]
                                 : (int64_t)((const int32_t *)ptr[1])[b * nidx + i];
                if (neg && k < 0) k += axis;
                if (k < 0 || k >= axis)
                    memset(dst + i * inner, 0, (size_t)inner);
                else
                    memcpy(dst + i * inner, src + k * inner, (size_t)inner);
            }
        }
    }
    return 0;
}
