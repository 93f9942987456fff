/* Gather along one axis. data: [batch][pre][axis][inner bytes], indices: [batch][nidx],
 * out: [batch][pre][nidx][inner bytes]. Negative indices count from the end when allowed
 * (Gather-8). An index outside the allowed range (a negative one for Gather-1/7) gives a
 * slice of zeros, as OpenVINO's CPU plugin does (the reference does the same).
 * p: 0 batch, 1 pre, 2 axis, 3 inner bytes, 4 nidx, 5 indices are i64, 6 allow negative.
 * bufs: 0 data, 1 indices, 2 out. Large gathers are shared out over the pool's threads. */
#include "ov_internal.h"

typedef struct {
    const ov_step *s;
    char *const *ptr;
    int64_t chunk; /* output slices per task */
} gather_job;

/* task: output slices [t * chunk, (t + 1) * chunk) of the batch * pre * nidx ones */
static void gather_task(void *ctx, int64_t t, int32_t tid) {
    (void)tid;
    const gather_job *j = (const gather_job *)ctx;
    const ov_step *s = j->s;
    const int64_t batch = s->p[0], pre = s->p[1], axis = s->p[2], inner = s->p[3];
    const int64_t nidx = s->p[4], is64 = s->p[5], neg = s->p[6];
    const char *data = j->ptr[0];
    char *out = j->ptr[2];
    const int64_t total = batch * pre * nidx;
    const int64_t r0 = t * j->chunk, r1 = OV_MIN(total, r0 + j->chunk);
    for (int64_t r = r0; r < r1; r++) {
        const int64_t i = r % nidx, bp = r / nidx, b = bp / pre;
        const char *src = data + bp * axis * inner;
        int64_t k = is64 ? ((const int64_t *)j->ptr[1])[b * nidx + i]
                         : (int64_t)((const int32_t *)j->ptr[1])[b * nidx + i];
        if (neg && k < 0) k += axis;
        if (k < 0 || k >= axis)
            memset(out + r * inner, 0, (size_t)inner);
        else
            memcpy(out + r * inner, src + k * inner, (size_t)inner);
    }
}

int32_t ov_k_gather(const ov_step *s, char *const *ptr, ov_pool *pool) {
    const int64_t total = s->p[0] * s->p[1] * s->p[4], inner = s->p[3];
    if (total <= 0) return 0;
    gather_job j = {s, ptr, total};
    /* large gathers (an embedding table lookup) copy on every thread, 64 KiB or more each */
    const int64_t width = ov_pool_width(pool);
    if (width > 1 && total * inner >= (int64_t)256 * 1024) {
        j.chunk = OV_MAX(1, OV_MIN((65536 + inner - 1) / OV_MAX(1, inner),
                                   total / (2 * width)));
        ov_parallel(pool, (total + j.chunk - 1) / j.chunk, gather_task, &j);
        return 0;
    }
    gather_task(&j, 0, 0);
    return 0;
}
