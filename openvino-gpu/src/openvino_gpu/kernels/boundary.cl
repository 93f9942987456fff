/* Conversions at a model's boundary on the device: a remote tensor's f32 data to f16
 * storage (an input of a model compiled with INFERENCE_PRECISION_HINT f16) and f16
 * storage to f32 (an output written into a remote tensor), n elements, one per work item.
 * Half values are read and written with vload_half / vstore_half_rte (no cl_khr_fp16
 * needed). */

__kernel void f32_to_f16(__global const float* x, __global half* y, int n) {
    int i = get_global_id(0);
    if (i < n) vstore_half_rte(x[i], (size_t)i, y);
}

__kernel void f16_to_f32(__global const half* x, __global float* y, int n) {
    int i = get_global_id(0);
    if (i < n) y[i] = vload_half((size_t)i, x);
}
