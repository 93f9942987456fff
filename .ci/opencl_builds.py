"""Exit 0 when some OpenCL device of this machine builds a trivial kernel program, 1 when
none does; each device's line says which.

PoCL 3.0 in the pyopencl wheel carries LLVM 14, which knows no CPU newer than itself: on
an AMD EPYC of family 26 (Zen 5) it reads the host as 'generic' and rejects it, so every
GPU test on PoCL would be skipped. .ci/run then installs the distribution's PoCL instead.
"""

import sys

import pyopencl as cl

SOURCE = "__kernel void probe(__global float *a) { a[get_global_id(0)] += 1.0f; }"

for platform in cl.get_platforms():
    for device in platform.get_devices():
        try:
            cl.Program(cl.Context([device]), SOURCE).build()
        except Exception as exc:  # any failure means this device is unusable
            print(f"{device.name} ({platform.version}): cannot build: "
                  f"{str(exc).strip().splitlines()[-1]}")
            continue
        print(f"{device.name} ({platform.version}): builds")
        sys.exit(0)
sys.exit(1)
