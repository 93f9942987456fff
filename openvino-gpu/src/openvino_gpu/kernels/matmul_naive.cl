/* Batched MatMul, one work item per output element: out[b, m, n] = sum_k A[b, m, k] B[b, k, n].
 * a_off/b_off: the element offset of each output batch's matrix in A and B (numpy batch
 * broadcasting resolved on the host); a_ms/a_ks, b_ks/b_ns: row/column strides in elements
 * (transposed operands need no copy). */
#include "common.h"

__kernel void matmul_naive(__global const FTYPE* a, __global const FTYPE* b,
                           __global FTYPE* out,
                           const int M, const int N, const int K,
                           __global const int* a_off, __global const int* b_off,
                           const int a_ms, const int a_ks, const int b_ks, const int b_ns)
{
    int n = get_global_id(0);
    int m = get_global_id(1);
    int bt = get_global_id(2);
    if (n >= N || m >= M) return;
    int pa = a_off[bt] + m * a_ms;
    int pb = b_off[bt] + n * b_ns;
    ACC acc = 0.0f;
    for (int k = 0; k < K; ++k)
        acc += LOAD(a, pa + k * a_ks) * LOAD(b, pb + k * b_ks);
    STORE(acc, out, (bt * M + m) * N + n);
}
