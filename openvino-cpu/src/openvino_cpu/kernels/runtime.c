/* The plan interpreter: one call runs every step of a plan (no Python in between, except
 * for OV_K_PY steps, which call back with the GIL re-acquired by cffi). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "ov_internal.h"

int32_t ov_isa_level = -1;
static int32_t isa_detected = -1;
static int64_t l2_bytes = 1024 * 1024;
static __thread char last_error[256];

void ov_isa_init(void) {
    if (isa_detected >= 0) return;
    long l2 = -1;
#if defined(_SC_LEVEL2_CACHE_SIZE)
    l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
#endif
    /* unknown (or an implausible answer): the 1 MB the blocking was first tuned for */
    if (l2 >= 256 * 1024 && l2 <= 64 * 1024 * 1024) l2_bytes = (int64_t)l2;
    int32_t level = 0;
#if OV_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = 1;
    if (level == 1 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        level = 2;
#endif
    /* the AVX-512 kernels run only after they reproduce the portable ones */
    if (level == 2 && !ov_gemm_selftest_avx512()) level = 1;
    isa_detected = level;
    if (ov_isa_level < 0 || ov_isa_level > level) ov_isa_level = level;
}

int64_t ov_l2_bytes(void) {
    ov_isa_init();
    return l2_bytes;
}

const char *ov_isa(void) {
    ov_isa_init();
    switch (ov_isa_level) {
        case 3: return "avx2-nr32";
        case 2: return "avx512";
        case 1: return "avx2";
        default: return "generic";
    }
}

int32_t ov_set_isa(int32_t level) {
    ov_isa_init();
    if (level < 0) level = 0;
    if (level == 3) {
        /* test level: AVX2 helpers with the AVX-512 panel width and portable micro-kernels */
        ov_isa_level = isa_detected >= 1 ? 3 : 0;
        return ov_isa_level;
    }
    ov_isa_level = level > isa_detected ? isa_detected : level;
    return ov_isa_level;
}

void ov_set_error(const char *msg) {
    snprintf(last_error, sizeof(last_error), "%s", msg);
}

const char *ov_last_error(void) { return last_error; }

/* Freed memory goes back to the system: glibc keeps what it frees in the free lists of the
 * heap it came from (one heap per thread that allocated), and a chunk above its mmap
 * threshold is unmapped only while that threshold was not raised by an earlier free. After
 * a compiled model (its packed weights, the arenas of its requests and the temporaries of
 * compiling it) goes away, trimming every heap hands those pages back. */
int32_t ov_heap_release(void) {
#if defined(__GLIBC__)
    return (int32_t)malloc_trim(0);
#else
    return 0;
#endif
}

/* The deferred trim: what its owners free right after a compiled model (the ports and
 * models the Python objects around it hold) is freed only once the finalizer that asks for
 * the trim has returned. One detached thread trims once no request came for TRIM_QUIET_MS
 * (at most TRIM_MAX_WAITS waits, so a steady stream of requests still gets its trims). */
#define TRIM_QUIET_MS 20
#define TRIM_MAX_WAITS 10
static pthread_mutex_t trim_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t trim_cv = PTHREAD_COND_INITIALIZER;
static int trim_pending = 0;
static int trim_started = 0;
static int trim_atfork = 0;

static void *trim_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&trim_mu);
    for (;;) {
        while (!trim_pending) pthread_cond_wait(&trim_cv, &trim_mu);
        for (int waits = 0; trim_pending && waits < TRIM_MAX_WAITS; waits++) {
            trim_pending = 0;
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += TRIM_QUIET_MS * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec += 1;
                ts.tv_nsec -= 1000000000L;
            }
            while (!trim_pending && pthread_cond_timedwait(&trim_cv, &trim_mu, &ts) == 0) {
            }
        }
        trim_pending = 0;
        pthread_mutex_unlock(&trim_mu);
        ov_heap_release();
        pthread_mutex_lock(&trim_mu);
    }
    return NULL;
}

/* a forked child has no trim thread (and may have been forked while one held the lock) */
static void trim_after_fork(void) {
    pthread_mutex_init(&trim_mu, NULL);
    pthread_cond_init(&trim_cv, NULL);
    trim_pending = 0;
    trim_started = 0;
}

int32_t ov_heap_release_later(void) {
#if defined(__GLIBC__)
    pthread_mutex_lock(&trim_mu);
    if (!trim_atfork) {
        trim_atfork = 1;
        pthread_atfork(NULL, NULL, trim_after_fork);
    }
    if (!trim_started) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        if (pthread_create(&t, &attr, trim_main, NULL) == 0) trim_started = 1;
        pthread_attr_destroy(&attr);
    }
    int32_t ok = trim_started;
    if (ok) {
        trim_pending = 1;
        pthread_cond_signal(&trim_cv);
    }
    pthread_mutex_unlock(&trim_mu);
    return ok;
#else
    return 0;
#endif
}

/* OV_K_PY is handled by ov_run itself; OV_K_NOP (a zeroed record) is malformed */
static ov_kernel_fn kernels[OV_K_COUNT] = {
    [OV_K_COPY] = ov_k_copy,
    [OV_K_BINARY] = ov_k_binary,
    [OV_K_UNARY] = ov_k_unary,
    [OV_K_GEMM] = ov_k_gemm,
    [OV_K_CONV] = ov_k_conv,
    [OV_K_DWCONV] = ov_k_dwconv,
    [OV_K_POOL] = ov_k_pool,
    [OV_K_SOFTMAX] = ov_k_softmax,
    [OV_K_MVN] = ov_k_mvn,
    [OV_K_REDUCE] = ov_k_reduce,
    [OV_K_GATHER] = ov_k_gather,
    [OV_K_CONVERT] = ov_k_convert,
    [OV_K_CONCAT] = ov_k_concat,
    [OV_K_SELECT] = ov_k_select,
    [OV_K_SDPA] = ov_k_sdpa,
    [OV_K_FILL] = ov_k_fill,
    [OV_K_LRN] = ov_k_lrn,
    [OV_K_IBINARY] = ov_k_ibinary,
    [OV_K_TOPK] = ov_k_topk,
    [OV_K_INTERP] = ov_k_interp,
};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int32_t run_steps(const ov_step *steps, int32_t nsteps, void *const *bufs,
                         ov_pool *pool, double *times, void *py) {
    last_error[0] = 0;
    char *ptr[OV_MAX_BUFS];
    for (int32_t i = 0; i < nsteps; i++) {
        const ov_step *s = &steps[i];
        double t0 = times ? now_s() : 0.0;
        int32_t rc;
        if (s->kind <= OV_K_NOP || s->kind >= OV_K_COUNT || s->nbuf < 0 ||
            s->nbuf > OV_MAX_BUFS || s->npost < 0 || s->npost > OV_MAX_POST ||
            (s->kind != OV_K_PY && !kernels[s->kind])) {
            ov_set_error("malformed step");
            return -(1 + i);
        }
        if (s->kind == OV_K_PY) {
            rc = ov_py_step(py, s->tag, bufs);
        } else {
            for (int32_t b = 0; b < s->nbuf; b++) ptr[b] = (char *)bufs[s->buf[b]] + s->off[b];
            for (int32_t b = s->nbuf; b < OV_MAX_BUFS; b++) ptr[b] = NULL;
            rc = kernels[s->kind](s, ptr, pool);
        }
        if (times) times[i] = now_s() - t0;
        if (rc != 0) {
            if (!last_error[0]) ov_set_error("kernel failed");
            return -(1 + i);
        }
    }
    return 0;
}

int32_t ov_run(const ov_step *steps, int32_t nsteps, void *const *bufs, ov_pool *pool,
               double *times, void *py) {
    ov_isa_init();
    if (!ov_pool_pinned(pool)) return run_steps(steps, nsteps, bufs, pool, times, py);
    cpu_set_t saved;
    int bound = ov_pool_bind_caller(pool, &saved); /* a pinned pool: the caller's core */
    const double t0 = now_s();
    int32_t rc = run_steps(steps, nsteps, bufs, pool, times, py);
    ov_pool_note_run(pool, now_s() - t0);
    if (bound) ov_pool_unbind_caller(&saved);
    return rc;
}
