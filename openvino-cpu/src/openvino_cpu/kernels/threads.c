/* The thread pool.
 *
 * The calling thread is worker 0 and takes tasks like the others; it returns as soon as
 * every task is done, without waiting for workers that never showed up (a worker that is
 * not scheduled on a busy machine costs nothing then). The tasks of a job are cut in one
 * contiguous range per thread: thread i starts on range i, then takes what is left of the
 * others' (so a late or slow thread's tasks are taken over). Consecutive steps split
 * alike hand each thread back the part of the data it wrote itself, still in its core's
 * cache, where a single shared counter gave each thread whichever tasks it reached first
 * (squeezenet, 2 threads: 3.43 -> 3.06 ms in parallel steps, its 1x1 convolutions up to
 * 20% faster). Kernels whose split assumes
 * tasks taken in index order (Winograd mode 8's cost model) use ov_parallel_ordered: one
 * range, first come first served. Jobs alternate between two slots:
 * the slot of job g is reused by job g + 2 only once no late worker is inside it, so a
 * worker waking up late can never see a half-written job. Workers spin briefly between
 * jobs (plans run many short steps back to back), then sleep on a condition variable.
 *
 * Pinning (ov_pool_pin): each thread of the pool is bound to one core. The workers stay
 * bound for the pool's life; the caller (worker 0) is bound only while it runs a plan
 * (ov_pool_bind_caller / ov_pool_unbind_caller around ov_run) and gets its own affinity
 * back after, since it is the user's thread. Binding moves the thread, which costs tens of
 * microseconds of CPU on a busy machine: the caller is bound only once runs on the pool take
 * BIND_MIN_RUN_S or more on average (a tiny model's requests would spend more on the
 * move than on the run). Where the affinity mask forbids a core, the system call fails and
 * that thread is simply left unpinned.
 */
#define BIND_MIN_RUN_S 1e-3
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "ov_internal.h"

#define MAX_RANGES 64

/* tasks [next, end) of one range; a cache line each (threads count on their own) */
typedef struct {
    atomic_llong next;
    int64_t end;
    char pad[64 - sizeof(atomic_llong) - sizeof(int64_t)];
} task_range;

typedef struct {
    ov_task_fn fn;
    void *ctx;
    int64_t ntasks;
    int32_t nranges;
    task_range range[MAX_RANGES];
    atomic_llong done;
    atomic_int inside; /* workers currently looking at this slot */
} job_slot;

struct ov_pool {
    int32_t n;
    pthread_t *threads;
    float **scratch;
    job_slot slot[2];
    atomic_int gen;
    atomic_int stop;
    atomic_int sleeping;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int32_t caller_cpu; /* core worker 0 is bound to while running a plan; -1: none */
    double run_avg;     /* seconds a plan run on this pool takes (moving average) */
};

static __thread int32_t tls_tid = 0;
static __thread int32_t tls_nested = 0;

typedef struct {
    ov_pool *pool;
    int32_t tid;
} worker_arg;

static inline void cpu_relax(void) {
#if OV_X86
    _mm_pause();
#endif
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void run_slot(job_slot *s, int32_t tid) {
    int32_t saved_tid = tls_tid;
    tls_tid = tid;
    tls_nested = 1;
    const int32_t R = s->nranges;
    for (int32_t k = 0; k < R; k++) {
        task_range *r = &s->range[(tid + k) % R];
        for (;;) {
            const int64_t t = atomic_fetch_add(&r->next, 1);
            if (t >= r->end) break;
            s->fn(s->ctx, t, tid);
            atomic_fetch_add(&s->done, 1);
        }
    }
    tls_nested = 0;
    tls_tid = saved_tid;
}

static void *worker_main(void *arg) {
    worker_arg *wa = (worker_arg *)arg;
    ov_pool *p = wa->pool;
    int32_t tid = wa->tid;
    free(wa);
    int seen = 0;
    for (;;) {
        int g = atomic_load(&p->gen);
        if (g == seen && !atomic_load(&p->stop)) {
            double t0 = now_s();
            int spins = 0;
            while ((g = atomic_load(&p->gen)) == seen && !atomic_load(&p->stop)) {
                cpu_relax();
                if (++spins == 256) {
                    spins = 0;
                    if (now_s() - t0 > 2e-4) break;
                }
            }
            if (g == seen) {
                pthread_mutex_lock(&p->mu);
                atomic_fetch_add(&p->sleeping, 1);
                while ((g = atomic_load(&p->gen)) == seen && !atomic_load(&p->stop))
                    pthread_cond_wait(&p->cv, &p->mu);
                atomic_fetch_sub(&p->sleeping, 1);
                pthread_mutex_unlock(&p->mu);
            }
        }
        if (atomic_load(&p->stop)) break;
        seen = g;
        job_slot *s = &p->slot[g & 1];
        atomic_fetch_add(&s->inside, 1);
        if (atomic_load(&p->gen) == g) run_slot(s, tid);
        atomic_fetch_sub(&s->inside, 1);
    }
    return NULL;
}

ov_pool *ov_pool_create(int32_t nthreads, int64_t scratch_bytes) {
    ov_isa_init();
    if (nthreads < 1) nthreads = 1;
    if (nthreads > 256) nthreads = 256;
    ov_pool *p = (ov_pool *)calloc(1, sizeof(ov_pool));
    if (!p) return NULL;
    p->n = nthreads;
    p->scratch = (float **)calloc((size_t)nthreads, sizeof(float *));
    p->threads = (pthread_t *)calloc((size_t)nthreads, sizeof(pthread_t));
    if (!p->scratch || !p->threads) goto fail;
    size_t bytes = (size_t)((scratch_bytes + 63) / 64 * 64);
    if (bytes < 64) bytes = 64;
    for (int32_t i = 0; i < nthreads; i++) {
        p->scratch[i] = (float *)aligned_alloc(64, bytes);
        if (!p->scratch[i]) goto fail;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int k = 0; k < 2; k++) {
        for (int r = 0; r < MAX_RANGES; r++) {
            atomic_init(&p->slot[k].range[r].next, 0);
            p->slot[k].range[r].end = 0;
        }
        p->slot[k].nranges = 0;
        atomic_init(&p->slot[k].done, 0);
        atomic_init(&p->slot[k].inside, 0);
        p->slot[k].ntasks = 0;
    }
    atomic_init(&p->gen, 0);
    atomic_init(&p->stop, 0);
    atomic_init(&p->sleeping, 0);
    p->caller_cpu = -1;
    p->run_avg = 0.0;
    for (int32_t i = 1; i < nthreads; i++) {
        worker_arg *wa = (worker_arg *)malloc(sizeof(worker_arg));
        if (!wa) {
            p->n = i;
            ov_pool_destroy(p);
            return NULL;
        }
        wa->pool = p;
        wa->tid = i;
        if (pthread_create(&p->threads[i], NULL, worker_main, wa) != 0) {
            free(wa);
            p->n = i;
            ov_pool_destroy(p);
            return NULL;
        }
    }
    return p;
fail:
    if (p->scratch)
        for (int32_t i = 0; i < nthreads; i++) free(p->scratch[i]);
    free(p->scratch);
    free(p->threads);
    free(p);
    return NULL;
}

void ov_pool_destroy(ov_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int32_t i = 1; i < p->n; i++) pthread_join(p->threads[i], NULL);
    for (int32_t i = 0; i < p->n; i++) free(p->scratch[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->scratch);
    free(p->threads);
    free(p);
}

int32_t ov_pool_threads(const ov_pool *p) { return p ? p->n : 1; }

int32_t ov_pool_width(const ov_pool *p) { return (tls_nested || !p) ? 1 : p->n; }

float *ov_pool_scratch(ov_pool *p, int32_t tid) { return p->scratch[tid]; }

int32_t ov_current_tid(void) { return tls_tid; }

int64_t ov_split(int64_t n, int64_t parts, int64_t i, int64_t align) {
    int64_t units = (n + align - 1) / align;
    int64_t start = units * i / parts * align;
    return start < n ? start : n;
}

static void parallel(ov_pool *p, int64_t ntasks, ov_task_fn fn, void *ctx, int ordered) {
    if (ntasks <= 0) return;
    if (!p || p->n == 1 || ntasks == 1 || tls_nested) {
        int32_t tid = tls_tid;
        int32_t saved = tls_nested;
        tls_nested = 1;
        for (int64_t t = 0; t < ntasks; t++) fn(ctx, t, tid);
        tls_nested = saved;
        return;
    }
    int g = atomic_load(&p->gen) + 1;
    job_slot *s = &p->slot[g & 1];
    /* a worker late for job g - 2 may still be inside this slot: let it leave first */
    while (atomic_load(&s->inside) != 0) cpu_relax();
    s->fn = fn;
    s->ctx = ctx;
    s->ntasks = ntasks;
    const int32_t R = ordered ? 1 : (int32_t)OV_MIN(OV_MIN((int64_t)p->n, ntasks), MAX_RANGES);
    s->nranges = R;
    for (int32_t r = 0; r < R; r++) {
        s->range[r].end = ntasks * (r + 1) / R;
        atomic_store(&s->range[r].next, ntasks * r / R);
    }
    atomic_store(&s->done, 0);
    atomic_store(&p->gen, g);
    if (atomic_load(&p->sleeping) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    run_slot(s, 0);
    while (atomic_load(&s->done) != ntasks) cpu_relax();
}

void ov_parallel(ov_pool *p, int64_t ntasks, ov_task_fn fn, void *ctx) {
    parallel(p, ntasks, fn, ctx, 0);
}

void ov_parallel_ordered(ov_pool *p, int64_t ntasks, ov_task_fn fn, void *ctx) {
    parallel(p, ntasks, fn, ctx, 1);
}

static int one_cpu(int32_t cpu, cpu_set_t *set) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return 0;
    CPU_ZERO(set);
    CPU_SET(cpu, set);
    return 1;
}

int32_t ov_pool_pin(ov_pool *p, const int32_t *cpus, int32_t ncpus) {
    if (!p) return 0;
    int32_t pinned = 0;
    cpu_set_t set;
    p->caller_cpu = -1;
    if (ncpus < p->n || !cpus) return 0;
    for (int32_t i = 1; i < p->n; i++)
        if (one_cpu(cpus[i], &set) &&
            pthread_setaffinity_np(p->threads[i], sizeof(set), &set) == 0)
            pinned++;
    if (one_cpu(cpus[0], &set)) {
        /* checked once here: a core outside this process's mask is refused by the system */
        cpu_set_t saved;
        pthread_t self = pthread_self();
        if (pthread_getaffinity_np(self, sizeof(saved), &saved) == 0 &&
            pthread_setaffinity_np(self, sizeof(set), &set) == 0) {
            pthread_setaffinity_np(self, sizeof(saved), &saved);
            p->caller_cpu = cpus[0];
            pinned++;
        }
    }
    return pinned;
}

int ov_pool_bind_caller(const ov_pool *p, cpu_set_t *saved) {
    cpu_set_t set;
    if (!p || tls_nested || p->run_avg < BIND_MIN_RUN_S || !one_cpu(p->caller_cpu, &set))
        return 0;
    pthread_t self = pthread_self();
    if (pthread_getaffinity_np(self, sizeof(*saved), saved) != 0) return 0;
    if (CPU_EQUAL(saved, &set)) return 0;
    return pthread_setaffinity_np(self, sizeof(set), &set) == 0;
}

int ov_pool_pinned(const ov_pool *p) { return p && p->caller_cpu >= 0; }

void ov_pool_note_run(ov_pool *p, double seconds) {
    if (p) p->run_avg = p->run_avg > 0.0 ? 0.75 * p->run_avg + 0.25 * seconds : seconds;
}

void ov_pool_unbind_caller(const cpu_set_t *saved) {
    pthread_setaffinity_np(pthread_self(), sizeof(*saved), saved);
}
