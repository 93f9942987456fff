/* The 64x64 output tile of gemm_tiled (gemm.cl) and conv_igemm (conv.cl): a 16x16 work
 * group computes a TS x TS block of C = A * B (WPT x WPT results per work item), staging
 * TK-deep slices of A and B in local memory as [TK][TS + 1] floats (the +1 keeps columns
 * off one bank).
 *
 * A kernel stages each slice with TILE_STAGE, then calls tile_multiply between barriers,
 * and writes its results with TILE_STORE; what differs between kernels is only how an
 * element of A or B is loaded and where a result goes. */
#ifndef OV_GPU_TILE_H
#define OV_GPU_TILE_H

#define TS 64
#define TK 16
#define WPT 4

/* Stage the TK x TS slice S[kk][mm] with the 256 items of the group (item tid): element e
 * of the slice is (kk, mm) = (e % TK, e / TK) when K_FAST (consecutive items read
 * consecutive k: rows of k in memory), else (e / TS, e % TS) (consecutive mm). VALUE(mm, kk)
 * is the element's value, 0.0f outside the matrix. */
#define TILE_STAGE(S, tid, K_FAST, VALUE)                                   \
    for (int l_ = 0; l_ < (TS * TK) / 256; ++l_) {                          \
        int e_ = (tid) + l_ * 256;                                          \
        int kk_ = (K_FAST) ? e_ % TK : e_ / TS;                             \
        int mm_ = (K_FAST) ? e_ / TK : e_ % TS;                             \
        S[kk_][mm_] = VALUE(mm_, kk_);                                      \
    }

inline void tile_zero(float acc[WPT][WPT]) {
    for (int i = 0; i < WPT; ++i)
        for (int j = 0; j < WPT; ++j) acc[i][j] = 0.0f;
}

/* acc[i][j] += sum over the staged slice of As[kk][ty + 16 i] * Bs[kk][tx + 16 j]. */
inline void tile_multiply(__local float (*As)[TS + 1], __local float (*Bs)[TS + 1],
                          float acc[WPT][WPT], int tx, int ty) {
    for (int kk = 0; kk < TK; ++kk) {
        float a[WPT], b[WPT];
        for (int i = 0; i < WPT; ++i) a[i] = As[kk][ty + i * 16];
        for (int j = 0; j < WPT; ++j) b[j] = Bs[kk][tx + j * 16];
        for (int i = 0; i < WPT; ++i)
            for (int j = 0; j < WPT; ++j) acc[i][j] = fma(a[i], b[j], acc[i][j]);
    }
}

/* Write the results inside the M x N matrix: STORE_AT(m, n, value) for the rows
 * m0 + ty + 16 i and columns n0 + tx + 16 j of this work item. */
#define TILE_STORE(acc, m0, n0, M, N, tx, ty, STORE_AT)                     \
    for (int i_ = 0; i_ < WPT; ++i_) {                                      \
        int m_ = (m0) + (ty) + i_ * 16;                                     \
        if (m_ >= (M)) continue;                                            \
        for (int j_ = 0; j_ < WPT; ++j_) {                                  \
            int n_ = (n0) + (tx) + j_ * 16;                                 \
            if (n_ < (N)) STORE_AT(m_, n_, acc[i_][j_]);                    \
        }                                                                   \
    }

#endif
