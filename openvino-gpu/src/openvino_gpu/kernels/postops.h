/* Fused post ops of GEMM and convolution kernels (lowering/eltwise.py post_chain): the
 * elementwise tail of the op applied to each result v before it is stored.
 * Build options:
 *   HAS_POST 1    a chain is fused: POST (statements on float v, calls of eltwise_ops.h
 *                 functions) runs for output element oi;
 *   NQ            its tensor operands q0..q5 (float tensors, read as Q0..Q5: LOAD at oi
 *                 or at strided_index(oi, post_meta, k) when broadcast);
 *   OUT_KIND      the stored type: 0 float tensor (STORE), 1 integer OUT_T (truncated,
 *                 saturated), 2 boolean.
 * Kernels append POST_PARAMS to their parameters and store with STORE_OUT(v, y, oi). */
#ifndef OV_GPU_POSTOPS_H
#define OV_GPU_POSTOPS_H

#ifndef HAS_POST
#define HAS_POST 0
#endif
#ifndef NQ
#define NQ 0
#endif
#ifndef OUT_KIND
#define OUT_KIND 0
#endif

#if HAS_POST
#define CT float
#define CT_FLOAT 1
#include "eltwise_ops.h"
#endif

#define QP __global const FTYPE*
#if !HAS_POST
#define POST_PARAMS
#elif NQ == 0
#define POST_PARAMS , __global const int* post_meta
#elif NQ == 1
#define POST_PARAMS , __global const int* post_meta, QP q0
#elif NQ == 2
#define POST_PARAMS , __global const int* post_meta, QP q0, QP q1
#elif NQ == 3
#define POST_PARAMS , __global const int* post_meta, QP q0, QP q1, QP q2
#elif NQ == 4
#define POST_PARAMS , __global const int* post_meta, QP q0, QP q1, QP q2, QP q3
#elif NQ == 5
#define POST_PARAMS , __global const int* post_meta, QP q0, QP q1, QP q2, QP q3, QP q4
#else
#define POST_PARAMS , __global const int* post_meta, QP q0, QP q1, QP q2, QP q3, QP q4, QP q5
#endif

#if OUT_KIND == 0
#define OUT_PTR __global FTYPE*
#define STORE_FINAL(v, y, i) STORE(v, y, i)
#elif OUT_KIND == 1
#define OUT_PTR __global OUT_T*
#define SAT_RTZ_(T, v) convert_##T##_sat_rtz(v)
#define SAT_RTZ(T, v) SAT_RTZ_(T, v)
#define STORE_FINAL(v, y, i) ((y)[(i)] = SAT_RTZ(OUT_T, v))
#else
#define OUT_PTR __global uchar*
#define STORE_FINAL(v, y, i) ((y)[(i)] = (v) != 0.0f ? (uchar)1 : (uchar)0)
#endif

#if HAS_POST
#define STORE_OUT(value, y, oi_) do { int oi = (oi_); float v = (value); POST STORE_FINAL(v, y, oi); } while (0)
#else
#define STORE_OUT(value, y, oi_) STORE_FINAL(value, y, oi_)
#endif

#endif
