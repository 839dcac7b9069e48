package dev.keel.core.kernel;

import java.util.Arrays;

/**
 * The blocked GEMM both kernel paths run, {@code C (+)= op(A) . op(B)}, in the GotoBLAS/BLIS
 * structure: {@code op(B)} is cut into {@code kc x nc} blocks packed into {@code nr}-column panels,
 * {@code op(A)} into {@code mc x kc} blocks packed into {@code mr}-row panels, and a micro-kernel
 * adds the product of one A panel and one B panel to an {@code mr x nr} tile of C that it holds in
 * registers. Packing absorbs the transposed forms, so one micro-kernel serves all three; it makes
 * the kernel's reads strictly sequential; and its zero padding lets the kernel always compute a full
 * tile (edge tiles go through a small scratch tile).
 *
 * <p>{@code op(A)} is {@code m x k} and {@code op(B)} is {@code k x n}. Without transposition A is
 * stored {@code m x k} and B {@code k x n}; {@code transA} means A is stored {@code k x m},
 * {@code transB} that B is stored {@code n x k}. All matrices are dense and row-major.
 *
 * <p>Panel layout: a block of {@code op(A)} with rows {@code [i0, i0+rows)} and depths
 * {@code [p0, p0+depth)} becomes {@code ceil(rows / mr)} panels; panel {@code q} holds, for each depth
 * {@code p}, the {@code mr} values {@code op(A)[i0 + q*mr + r][p0 + p]} contiguously, rows past the
 * block's end padded with zeros. B blocks are the same with columns for rows.
 *
 * <p>Every element of C is {@code c + t_0 + t_1 + ...} with {@code t_p = op(A)[i][p] * op(B)[p][j]}
 * added in increasing {@code p}, since the micro-kernels start from the values in C; whether each
 * step is a fused multiply-add is the subclass's choice. Very small shapes, where packing costs more
 * than it saves, go to row loops the subclass supplies ({@link #preferRowLoops}).
 */
abstract class PackedGemm {

    private final int mr;
    private final int nr;
    private final int kc;
    private final int mc;
    private final int nc;
    /** Packed panels of B and A and an edge tile, per thread (at most {@code kc * (nc + mc)} floats). */
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Tile {@code mr x nr}; blocks {@code kc} deep, {@code mc} rows (a multiple of mr), {@code nc} columns (of nr). */
    PackedGemm(int mr, int nr, int kc, int mc, int nc) {
        this.mr = mr;
        this.nr = nr;
        this.kc = kc;
        this.mc = mc;
        this.nc = nc;
    }

    /** Adds {@code Apanel . Bpanel} over depth {@code depth} to the {@code mr x nr} tile of C at {@code cOff}. */
    abstract void microKernel(int depth, float[] aPanels, int aOff, float[] bPanels, int bOff,
                              float[] c, int cOff, int ldc);

    /** {@code c + sum_p a[ao+p] * b[bo+p]} for {@code p < n}. */
    abstract float dotOnto(float c, float[] a, int ao, float[] b, int bo, int n);

    /** {@code y += alpha * x} over n elements. */
    abstract void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /**
     * True when packing would cost more than it saves: one or two rows (packing B then costs as much
     * as the product), or {@code A . B^T} with at most eight columns (a few long dot products; a tile
     * would be mostly padding). Chosen from measurements of both paths on small shapes.
     */
    static boolean preferRowLoops(boolean transB, int m, int n) {
        return m <= 2 || (transB && n <= 8);
    }

    /** {@code C[m x n] (+)= op(A) . op(B)} with A, B, C at offsets ao, bo, co, stored as the class comment says. */
    final void gemm(float[] a, int ao, boolean transA, float[] b, int bo, boolean transB,
                    float[] c, int co, int m, int k, int n, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, co, co + m * n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (preferRowLoops(transB, m, n)) {
            rowLoops(a, ao, transA, b, bo, transB, c, co, m, k, n);
        } else {
            packed(a, ao, transA, b, bo, transB, c, co, m, k, n);
        }
    }

    private void rowLoops(float[] a, int ao, boolean transA, float[] b, int bo, boolean transB,
                          float[] c, int co, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            if (transB) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = dotOnto(c[ci + j], a, ao + i * k, b, bo + j * k, k);
                }
            } else {
                for (int p = 0; p < k; p++) {
                    axpy(transA ? a[ao + p * m + i] : a[ao + i * k + p], b, bo + p * n, c, ci, n);
                }
            }
        }
    }

    private void packed(float[] a, int ao, boolean transA, float[] b, int bo, boolean transB,
                        float[] c, int co, int m, int k, int n) {
        int kcMax = Math.min(k, kc);
        // Per-thread buffers: thread-safe, and a training loop's steady state allocates nothing.
        float[][] buffers = scratch.get();
        float[] bPack = atLeast(buffers, 0, kcMax * roundUp(Math.min(n, nc), nr));
        float[] aPack = atLeast(buffers, 1, kcMax * roundUp(Math.min(m, mc), mr));
        float[] edge = atLeast(buffers, 2, mr * nr);
        // op(A)[i][p] and op(B)[p][j] as (lane, depth) strides of the stored arrays.
        int aLaneStride = transA ? 1 : k, aDepthStride = transA ? m : 1;
        int bLaneStride = transB ? k : 1, bDepthStride = transB ? 1 : n;
        for (int j0 = 0; j0 < n; j0 += nc) {
            int ncCur = Math.min(nc, n - j0);
            for (int p0 = 0; p0 < k; p0 += kc) {
                int kcCur = Math.min(kc, k - p0);
                pack(b, bo + j0 * bLaneStride + p0 * bDepthStride, bLaneStride, bDepthStride,
                        ncCur, kcCur, nr, bPack);
                for (int i0 = 0; i0 < m; i0 += mc) {
                    int mcCur = Math.min(mc, m - i0);
                    pack(a, ao + i0 * aLaneStride + p0 * aDepthStride, aLaneStride, aDepthStride,
                            mcCur, kcCur, mr, aPack);
                    for (int jr = 0; jr < ncCur; jr += nr) {
                        int cols = Math.min(nr, ncCur - jr);
                        for (int ir = 0; ir < mcCur; ir += mr) {
                            int rows = Math.min(mr, mcCur - ir);
                            int cOff = co + (i0 + ir) * n + j0 + jr;
                            if (rows == mr && cols == nr) {
                                microKernel(kcCur, aPack, ir * kcCur, bPack, jr * kcCur, c, cOff, n);
                            } else {
                                copyTile(c, cOff, n, edge, 0, nr, rows, cols);
                                microKernel(kcCur, aPack, ir * kcCur, bPack, jr * kcCur, edge, 0, nr);
                                copyTile(edge, 0, nr, c, cOff, n, rows, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs a block of {@code lanes x depth} elements, element {@code (l, p)} at
     * {@code src[so + l * laneStride + p * depthStride]}, into panels of {@code width} lanes: panel
     * {@code q} holds, depth after depth, lanes {@code q*width ..} contiguously, zero-padded.
     */
    static void pack(float[] src, int so, int laneStride, int depthStride, int lanes, int depth, int width,
                     float[] dst) {
        for (int q = 0; q * width < lanes; q++) {
            int valid = Math.min(width, lanes - q * width);
            int panelSrc = so + q * width * laneStride;
            int panelDst = q * width * depth;
            for (int p = 0; p < depth; p++) {
                int s = panelSrc + p * depthStride;
                int d = panelDst + p * width;
                if (laneStride == 1) { // a contiguous run: a loop the JIT vectorizes
                    for (int l = 0; l < valid; l++) {
                        dst[d + l] = src[s + l];
                    }
                } else {
                    for (int l = 0; l < valid; l++) {
                        dst[d + l] = src[s + l * laneStride];
                    }
                }
                Arrays.fill(dst, d + valid, d + width, 0f);
            }
        }
    }

    /** Copies a {@code rows x cols} tile between matrices of row strides {@code lds} and {@code ldd}. */
    private static void copyTile(float[] src, int so, int lds, float[] dst, int dOff, int ldd, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, so + r * lds, dst, dOff + r * ldd, cols);
        }
    }

    /** Buffer {@code i} of this thread's scratch, grown to at least {@code length} floats. */
    private static float[] atLeast(float[][] buffers, int i, int length) {
        if (buffers[i].length < length) {
            buffers[i] = new float[length];
        }
        return buffers[i];
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
