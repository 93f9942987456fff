/* Shared by every GPU kernel: how floating-point values are stored and computed.
 * Build options (OpContext.float_options()):
 *   FP16_STORAGE=1  floating-point tensors are 16-bit halves in device memory;
 *   FP16_COMPUTE=1  the device has cl_khr_fp16 and half arithmetic may be used.
 * LOAD(p, i) reads element i of a float tensor as ACC (float), STORE(v, p, i) writes it.
 * FTYPE is the pointer element type of float tensors in kernel signatures. */
#ifndef OV_GPU_COMMON_H
#define OV_GPU_COMMON_H

#ifndef FP16_STORAGE
#define FP16_STORAGE 0
#endif
#ifndef FP16_COMPUTE
#define FP16_COMPUTE 0
#endif

#if FP16_COMPUTE
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#endif

typedef float ACC;

#if FP16_STORAGE
#define FTYPE half
#define LOAD(p, i) vload_half((size_t)(i), (p))
#define STORE(v, p, i) vstore_half_rte((float)(v), (size_t)(i), (p))
#else
#define FTYPE float
#define LOAD(p, i) ((p)[(i)])
#define STORE(v, p, i) ((p)[(i)] = (float)(v))
#endif

#endif
