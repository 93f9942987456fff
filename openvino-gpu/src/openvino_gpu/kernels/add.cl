/* Add with numpy broadcasting: out[i] = a[ia] + b[ib].
 * dims: int rank followed by, per dimension (outermost first), the output extent and the
 * element strides of a and b in that dimension (0 where the input is broadcast).
 * T: the element type when not a float tensor (IS_FLOAT=0). */
#include "common.h"

#ifndef IS_FLOAT
#define IS_FLOAT 1
#endif

#if IS_FLOAT
#define ELEM FTYPE
#define GET(p, i) LOAD(p, i)
#define PUT(v, p, i) STORE(v, p, i)
#else
#define ELEM T
#define GET(p, i) ((p)[(i)])
#define PUT(v, p, i) ((p)[(i)] = (T)(v))
#endif

__kernel void add(__global const ELEM* a, __global const ELEM* b, __global ELEM* out,
                  __global const int* dims, const int n)
{
    int i = get_global_id(0);
    if (i >= n) return;
    int rank = dims[0];
    int rem = i, ia = 0, ib = 0;
    for (int d = rank - 1; d >= 0; --d) {
        int extent = dims[1 + 3 * d];
        int idx = rem % extent;
        rem /= extent;
        ia += idx * dims[2 + 3 * d];
        ib += idx * dims[3 + 3 * d];
    }
    PUT(GET(a, ia) + GET(b, ib), out, i);
}
