/* The machine's FMA peak: a register-only loop of independent fused multiply-adds at the
 * vector width the kernels dispatch to (AVX-512: 16 lanes, AVX2: 8, portable: whatever the
 * compiler makes of 4-lane vectors), run as tasks on every thread of a pool. Benchmarks
 * divide achieved GFLOP/s by it (bench/bench_cpu.py).
 *
 * Each task counts its own thread's CPU time next to the wall time of the whole run, so a
 * caller on a busy machine can tell the per-core rate (flops / CPU seconds of the tasks)
 * from what the cores delivered together while others used them too (flops / wall).
 */
#define _GNU_SOURCE
#include <time.h>

#include "ov_internal.h"

enum { PEAK_ACC = 12 }; /* independent chains: covers 4-cycle latency x 2 FMA ports + slack */

typedef struct {
    int64_t iters;
    double cpu[256];  /* per thread: CPU seconds spent in tasks */
    float sink[256];  /* per thread: keeps the results alive   */
} peak_job;

static double thread_cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#if OV_X86 && defined(__x86_64__)
/* The FMAs are written in assembly: as intrinsics on an array of accumulators, compilers
 * keep the array on the stack and every FMA waits for a store-to-load forward (measured:
 * ~40% of the true peak). Here twelve accumulators live in registers, each its own
 * dependency chain: enough to cover the FMA latency (4 cycles) on two FMA ports. */
#define PEAK_FMA12(OP)                                                                       \
    OP " %[c], %[b], %[a0]\n\t" OP " %[c], %[b], %[a1]\n\t" OP " %[c], %[b], %[a2]\n\t"      \
    OP " %[c], %[b], %[a3]\n\t" OP " %[c], %[b], %[a4]\n\t" OP " %[c], %[b], %[a5]\n\t"      \
    OP " %[c], %[b], %[a6]\n\t" OP " %[c], %[b], %[a7]\n\t" OP " %[c], %[b], %[a8]\n\t"      \
    OP " %[c], %[b], %[a9]\n\t" OP " %[c], %[b], %[a10]\n\t" OP " %[c], %[b], %[a11]\n\t"
/* acc = acc * b + c per lane (vfmadd213ps c, b, acc in AT&T order); b < 1 and c > 0 keep
 * the values normal (they converge to c / (1 - b) = 1) */
__attribute__((target("avx512f"))) static float loop_avx512(int64_t iters) {
    __m512 a[PEAK_ACC];
    for (int k = 0; k < PEAK_ACC; k++) a[k] = _mm512_set1_ps(1.0f + 0.001f * (float)k);
    const __m512 b = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
    __m512 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
    __m512 a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11];
    for (int64_t i = 0; i < iters; i++) {
        __asm__(PEAK_FMA12("vfmadd213ps") PEAK_FMA12("vfmadd213ps")
                : [a0] "+v"(a0), [a1] "+v"(a1), [a2] "+v"(a2), [a3] "+v"(a3), [a4] "+v"(a4),
                  [a5] "+v"(a5), [a6] "+v"(a6), [a7] "+v"(a7), [a8] "+v"(a8), [a9] "+v"(a9),
                  [a10] "+v"(a10), [a11] "+v"(a11)
                : [b] "v"(b), [c] "v"(c));
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                             _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) static float loop_avx2(int64_t iters) {
    __m256 a[PEAK_ACC];
    for (int k = 0; k < PEAK_ACC; k++) a[k] = _mm256_set1_ps(1.0f + 0.001f * (float)k);
    const __m256 b = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-7f);
    __m256 a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5];
    __m256 a6 = a[6], a7 = a[7], a8 = a[8], a9 = a[9], a10 = a[10], a11 = a[11];
    for (int64_t i = 0; i < iters; i++) {
        __asm__(PEAK_FMA12("vfmadd213ps") PEAK_FMA12("vfmadd213ps")
                : [a0] "+x"(a0), [a1] "+x"(a1), [a2] "+x"(a2), [a3] "+x"(a3), [a4] "+x"(a4),
                  [a5] "+x"(a5), [a6] "+x"(a6), [a7] "+x"(a7), [a8] "+x"(a8), [a9] "+x"(a9),
                  [a10] "+x"(a10), [a11] "+x"(a11)
                : [b] "x"(b), [c] "x"(c));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}
#define PEAK_ASM 1
#else
#define PEAK_ASM 0
#endif

typedef float v4f __attribute__((vector_size(16)));

static float loop_generic(int64_t iters) {
    v4f acc[PEAK_ACC];
    for (int k = 0; k < PEAK_ACC; k++) {
        float v = 1.0f + 0.001f * (float)k;
        acc[k] = (v4f){v, v, v, v};
    }
    const v4f b = {0.9999999f, 0.9999999f, 0.9999999f, 0.9999999f};
    const v4f c = {1e-7f, 1e-7f, 1e-7f, 1e-7f};
    for (int64_t i = 0; i < iters; i++) {
        for (int k = 0; k < PEAK_ACC; k++) acc[k] = acc[k] * b + c;
        __asm__ volatile("" : : : "memory");
    }
    float s = 0.0f;
    for (int k = 0; k < PEAK_ACC; k++) s += acc[k][0] + acc[k][1] + acc[k][2] + acc[k][3];
    return s;
}

static int32_t lanes(void) {
    return ov_isa_level == 2 ? 16 : (ov_isa_level >= 1 ? 8 : 4);
}

/* fused multiply-adds per accumulator and iteration: the assembly loops run two rounds */
static int32_t rounds(void) {
    return PEAK_ASM && ov_isa_level >= 1 ? 2 : 1;
}

static void peak_task(void *ctx, int64_t t, int32_t tid) {
    (void)t;
    peak_job *j = (peak_job *)ctx;
    double c0 = thread_cpu_s();
    float r;
#if PEAK_ASM
    if (ov_isa_level == 2)
        r = loop_avx512(j->iters);
    else if (ov_isa_level >= 1)
        r = loop_avx2(j->iters);
    else
        r = loop_generic(j->iters);
#else
    r = loop_generic(j->iters);
#endif
    double c1 = thread_cpu_s();
    if (tid >= 0 && tid < 256) {
        j->cpu[tid] += c1 - c0;
        j->sink[tid] += r;
    }
}

double ov_fma_peak(ov_pool *pool, int64_t ntasks, int64_t iters, double *wall, double *cpu) {
    ov_isa_init();
    if (ntasks < 0) ntasks = 0;
    if (iters < 0) iters = 0;
    peak_job j;
    memset(&j, 0, sizeof(j));
    j.iters = iters;
    double t0 = wall_s();
    ov_parallel(pool, ntasks, peak_task, &j);
    double t1 = wall_s();
    double sum = 0.0;
    float sink = 0.0f;
    for (int i = 0; i < 256; i++) {
        sum += j.cpu[i];
        sink += j.sink[i];
    }
    if (wall) *wall = t1 - t0;
    if (cpu) *cpu = sum + (sink != sink ? 1e-30 : 0.0); /* sink: results are used */
    return (double)ntasks * (double)iters * PEAK_ACC * rounds() * lanes() * 2.0;
}
