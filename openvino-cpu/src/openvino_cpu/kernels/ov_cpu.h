/* The plan format shared by the Python compiler and the C kernels of the CPU device.
 *
 * A plan is a flat array of ov_step records. Every step names its operands as
 * (buffer table index, byte offset) pairs; the buffer table is filled by the infer
 * request (slot 0: the arena, then inputs, then constants). The Python compiler
 * (openvino_cpu.compiler) builds the records, checks every byte range a step can
 * touch against the size of its buffer, and only then hands the plan to C: the
 * kernels trust shapes, strides and offsets. Values read from tensors at run time
 * (gather indices) are checked here, in C.
 *
 * This header is parsed by cffi (cdef) as well as compiled: keep it to plain
 * declarations, integer constants in enums, and no preprocessor logic below the
 * OV_CDEF_BEGIN marker.
 */
#ifndef OV_CPU_H
#define OV_CPU_H
#include <stdint.h>

/* OV_CDEF_BEGIN */

enum {
    OV_MAX_BUFS = 8,
    OV_MAX_PARAMS = 64,
    OV_MAX_FLOATS = 8,
    OV_MAX_POST = 6
};

/* Step kinds. The parameter layout (p[], f[], operands) of each kind is documented at the
 * top of the kernel file that runs it; the Python side writes it in
 * openvino_cpu/compiler/lower_*.py. */
enum {
    OV_K_NOP = 0,        /* never valid: a zeroed record is refused                 */
    OV_K_COPY = 1,       /* strided copy, rank <= 8, any element size           */
    OV_K_BINARY = 2,     /* f32 broadcasting binary op (+ post ops)             */
    OV_K_UNARY = 3,      /* f32 elementwise activation chain (post ops)         */
    OV_K_GEMM = 4,       /* batched matmul, dense / prepacked / compressed B    */
    OV_K_CONV = 5,       /* convolution (grouped) as implicit GEMM              */
    OV_K_DWCONV = 6,     /* depthwise convolution, direct                       */
    OV_K_POOL = 7,       /* max / average pooling, NCHW, 1-3 spatial dims       */
    OV_K_SOFTMAX = 8,    /* softmax / log-softmax over one axis                 */
    OV_K_MVN = 9,        /* mean-variance normalisation over a contiguous tail  */
    OV_K_REDUCE = 10,    /* reduction of the middle of (outer, red, inner)      */
    OV_K_GATHER = 11,    /* gather along one axis, i32 / i64 indices            */
    OV_K_CONVERT = 12,   /* element type conversion                             */
    OV_K_CONCAT = 13,    /* concatenation of up to 7 inputs along one axis      */
    OV_K_SELECT = 14,    /* select(cond u8, a, b) with broadcasting, any size   */
    OV_K_SDPA = 15,      /* scaled dot-product attention (f32)                  */
    OV_K_FILL = 16,      /* fill a byte range with a repeated element           */
    OV_K_PY = 17,        /* call back into Python (reference implementation)    */
    OV_K_LRN = 18,       /* local response normalization over any axes (f32)    */
    OV_K_IBINARY = 19,   /* i32 / i64 arithmetic, boolean logic, broadcasting   */
    OV_K_TOPK = 20,      /* top k of f32 along one axis, values and indices     */
    OV_K_INTERP = 21,    /* Interpolate: one weighted / gathered pass over an axis */
    OV_K_COUNT = 22
};

/* OV_K_IBINARY ops (kernels/ieltwise.c). */
enum {
    OV_IOP_ADD = 1, OV_IOP_SUB = 2, OV_IOP_MUL = 3, OV_IOP_MAX = 4, OV_IOP_MIN = 5,
    OV_IOP_FLOORMOD = 6, OV_IOP_AND = 7, OV_IOP_OR = 8, OV_IOP_XOR = 9, OV_IOP_NOT = 10
};

/* Elementwise activation / unary kinds (OV_K_UNARY, post ops of type OV_PO_ACT). */
enum {
    OV_ACT_RELU = 1, OV_ACT_LEAKY = 2, OV_ACT_CLAMP = 3, OV_ACT_SIGMOID = 4,
    OV_ACT_TANH = 5, OV_ACT_GELU_ERF = 6, OV_ACT_GELU_TANH = 7, OV_ACT_SWISH = 8,
    OV_ACT_HSWISH = 9, OV_ACT_HSIGMOID = 10, OV_ACT_ELU = 11, OV_ACT_EXP = 12,
    OV_ACT_LOG = 13, OV_ACT_ABS = 14, OV_ACT_NEG = 15, OV_ACT_SQRT = 16,
    OV_ACT_SOFTPLUS = 17, OV_ACT_MISH = 18, OV_ACT_ERF = 19, OV_ACT_FLOOR = 20,
    OV_ACT_CEIL = 21, OV_ACT_LINEAR = 22, OV_ACT_SQUARE = 23, OV_ACT_SIGN = 24,
    OV_ACT_SIN = 25, OV_ACT_COS = 26, OV_ACT_RECIP = 27, OV_ACT_ROUND_EVEN = 28,
    OV_ACT_ROUND_AWAY = 29, OV_ACT_HARD_SIGMOID = 30, OV_ACT_SELU = 31,
    OV_ACT_POWC = 32, OV_ACT_TAN = 33, OV_ACT_COUNT = 34
};

/* Binary kinds (OV_K_BINARY p[0], post ops OV_PO_BIN_*). Comparisons write u8. */
enum {
    OV_BIN_ADD = 1, OV_BIN_SUB = 2, OV_BIN_MUL = 3, OV_BIN_DIV = 4, OV_BIN_MAX = 5,
    OV_BIN_MIN = 6, OV_BIN_POW = 7, OV_BIN_SQDIFF = 8, OV_BIN_PRELU = 9,
    OV_BIN_EQ = 10, OV_BIN_NE = 11, OV_BIN_LT = 12, OV_BIN_LE = 13, OV_BIN_GT = 14,
    OV_BIN_GE = 15, OV_BIN_COUNT = 16
};

/* Post ops, applied to a 2-D view (rows m, columns n) of an output tile.
 * An operand tensor is read at ptr + batch * bstride + m * ld_m + n * ld_n elements. */
enum {
    OV_PO_ACT = 1,        /* activation alpha/beta in f                            */
    OV_PO_BIN = 2         /* binary op sub-kind with a tensor operand              */
};

typedef struct ov_postop {
    int32_t kind;     /* OV_PO_*                                                   */
    int32_t op;       /* OV_ACT_* or OV_BIN_*                                      */
    int32_t buf;      /* operand: index into the step's operand list, -1 for none */
    int32_t swap;     /* binary: 1 when the operand is the left argument          */
    int64_t ld_m;     /* operand stride per row, elements (0 broadcasts)          */
    int64_t ld_n;     /* operand stride per column, elements (0 broadcasts)       */
    int64_t bstride;  /* operand stride per batch, elements                       */
    float alpha;
    float beta;
} ov_postop;

typedef struct ov_step {
    int32_t kind;                 /* OV_K_*                                        */
    int32_t nbuf;                 /* operands used in buf/off                      */
    int32_t npost;                /* post ops used                                 */
    int32_t tag;                  /* OV_K_PY: callback index; otherwise unused     */
    int32_t buf[OV_MAX_BUFS];     /* buffer table index of each operand            */
    int64_t off[OV_MAX_BUFS];     /* byte offset into that buffer                  */
    int64_t p[OV_MAX_PARAMS];     /* integer parameters (kind specific)            */
    float f[OV_MAX_FLOATS];       /* float parameters (kind specific)              */
    ov_postop post[OV_MAX_POST];  /* post ops (kinds that take them)               */
} ov_step;

typedef struct ov_pool ov_pool;

/* Threads: a pool of nthreads (the calling thread is one of them) with
 * scratch_bytes of 64-byte aligned scratch per thread. NULL when out of memory. */
ov_pool *ov_pool_create(int32_t nthreads, int64_t scratch_bytes);
void ov_pool_destroy(ov_pool *pool);
int32_t ov_pool_threads(const ov_pool *pool);
/* Pin thread i of the pool to core cpus[i] (ncpus >= the pool's threads): the workers at
 * once, the caller while it runs a plan (ov_run). Threads the system refuses a core stay
 * unpinned. Returns how many threads were pinned. */
int32_t ov_pool_pin(ov_pool *pool, const int32_t *cpus, int32_t ncpus);

/* Run a plan. bufs: the buffer table. times: NULL or one slot per step (seconds).
 * py: handle passed to ov_py_step. Returns 0, or -(1 + index of the failing step). */
int32_t ov_run(const ov_step *steps, int32_t nsteps, void *const *bufs, ov_pool *pool,
               double *times, void *py);

/* Kernel geometry the compiler packs constants for. */
int32_t ov_gemm_mr(void);
int32_t ov_gemm_nr(void);
/* Output channels per weight panel of the direct convolution (kernels/conv_ukr.c). */
int32_t ov_conv_mr(void);
/* Panel height of the pointwise convolution's channel-vector mode (OV_K_CONV mode 4), or 0
 * when this instruction set does not run that mode fast (the lowering then keeps mode 2). */
int32_t ov_conv_pwt_mr(void);
int64_t ov_scratch_bytes(void);
/* Integer dot products for dynamically quantised activations (DYNAMIC_QUANTIZATION_GROUP_SIZE)
 * at the current instruction set: 2 AVX512-VNNI, 1 AVX-VNNI, 0 none (exact f32 path). */
int32_t ov_gemm_dq_isa(void);
/* Pack G matrices (element (g, m, k) at src[g*ld_g + m*ld_m + k*ld_k]) into panels of mr
 * rows, out[g][p][k][r] = src(g, p*mr + r, k) * scale[g*M + p*mr + r] (scale NULL: 1; rows
 * past M zero), on the pool's threads (NULL: the caller's) (kernels/pack.c). Returns 0,
 * or 1 for a negative size or stride or mr outside 1..256. */
int32_t ov_pack_panels(const float *src, const float *scale, float *out, int64_t G,
                       int64_t M, int64_t K, int64_t ld_g, int64_t ld_m, int64_t ld_k,
                       int64_t mr, ov_pool *pool);
/* Winograd F(tile x tile, 3x3) filters (kernels/pack.c): w [M][C][3][3] (times scale[m],
 * NULL: 1) into U = G g G^T (computed in double) for the P = (tile + 2)^2 positions xi,
 * packed as out[xi][p][c][r] = U(p*mr + r, c)[xi], rows past M zero, on the pool's threads.
 * Returns 0, or 1 for tile not 2 or 4, a negative size or mr outside 1..256. */
int32_t ov_pack_winograd(const float *w, const float *scale, float *out, int64_t M,
                         int64_t C, int64_t tile, int64_t mr, ov_pool *pool);
/* "avx512", "avx2" or "generic": the instruction set the kernels dispatch to. */
const char *ov_isa(void);
/* Force an instruction set (tests): 0 generic, 1 avx2, 2 avx512 (each at most what the CPU
 * has), 3 the AVX-512 panel geometry (NR = 32) with AVX2 helpers and portable
 * micro-kernels, to test that geometry anywhere; returns the level used. */
int32_t ov_set_isa(int32_t level);
/* The FMA peak (benchmarks, kernels/peak.c): ntasks tasks of a register-only FMA loop of
 * iters iterations on the pool's threads, at the kernels' vector width. Returns the flops
 * done; *wall: seconds of the whole run, *cpu: the tasks' thread CPU seconds summed. */
double ov_fma_peak(ov_pool *pool, int64_t ntasks, int64_t iters, double *wall, double *cpu);
/* Hand the heap's free pages back to the system (malloc_trim where the C library has it):
 * 1 when some were. Called when a compiled model or an infer request is freed. */
int32_t ov_heap_release(void);
/* The same, a moment later on a thread of its own, once nothing asked again for a few
 * milliseconds (what is freed after the caller returns goes back too); 0 where the C
 * library has no trim. */
int32_t ov_heap_release_later(void);
/* Step kind of the last error and a message, filled by ov_run on failure. */
const char *ov_last_error(void);

/* Python callback of OV_K_PY steps: returns 0 on success. The cffi build declares it
 * extern "Python+C" (the build script rewrites this one line for cdef). */
int32_t ov_py_step(void *py, int32_t tag, void *const *bufs);

/* OV_CDEF_END */
#endif
