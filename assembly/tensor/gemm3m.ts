// Complex GEMM by the 3M method (Gauss's trick, as BLAS's cgemm3m/zgemm3m): with A = Ar + i·Ai
// and B = Br + i·Bi, the three real products P = Ar·Br, Q = Ai·Bi, R = (Ar+Ai)·(Br+Bi) give
// Re C = P − Q and Im C = R − P − Q: 3 real multiply-adds per complex one instead of 4, and a
// real micro-kernel (broadcast × vector, no shuffles) with a 4-row × 2-vector register tile
// (8 accumulators, 2 B vectors, 4 broadcasts and a product fit V8's 15 usable xmm registers; a
// 5-row tile, or unrolling k twice, made V8 hoist the loads and spill accumulators).
// B is packed once per call into split parts (Br, Bi, Br+Bi), in a buffer that threads computing
// blocks of rows share; A is packed per block (Ar, Ai, Ar+Ai). Per B micro-panel (in L1) each
// product runs over the block's row tiles; their contributions are then added to C in one pass
// (re += P − Q, im += R − (P + Q)), so C needs no extra storage and is written once per k-block.
// Operands are packed zero-padded to whole tiles: every element of C sees the same operations
// whatever its tile, row block or thread count, so results are deterministic.

/** Rows of the register tile. */
const MR: i32 = 4;
/** k-block (real elements per packed row of a micro-panel). */
const KC: i32 = 512;
/** Bytes of a column panel's packed B part (KC × NC reals). */
const NCB: i32 = 512 * 1024;
/** Bytes of one packed A part (MC × KC reals). */
const APART: i32 = 80 * 1024;
/** Bytes of the Δ tiles (P, Q, R: 3 × 128 bytes) of one A block's row tiles. */
const TILES: i32 = 8192;
/** Bytes of packing scratch `gemm3m_c64`/`gemm3m_c128` need per thread: 3 A parts, the Δ tiles. */
export const PACK3_BYTES: i32 = 3 * APART + TILES;

/** c + a·b: one fused instruction in the relaxed-SIMD build (ASC_FEATURE_RELAXED_SIMD), else mul + add. */
// @ts-ignore: decorator
@inline
function madd<T>(c: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    if (sizeof<T>() == 4) return f32x4.relaxed_madd(a, b, c);
    return f64x2.relaxed_madd(a, b, c);
  }
  return v128.add<T>(c, v128.mul<T>(a, b));
}

/** Δ tile (MR × NR reals, row-major) = packed A micro-panel (kk × MR) · packed B micro-panel (kk × NR). */
// @ts-ignore: decorator
@inline
function kernel<T>(ap: usize, bp: usize, kk: i32, tile: usize): void {
  const z = v128.splat<T>(<T>0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  const es = <usize>sizeof<T>();
  const aend = ap + <usize>kk * es * <usize>MR;
  // One k-step per iteration: unrolled twice, V8 hoists all 8 broadcasts and spills.
  while (ap < aend) {
    const b00 = v128.load(bp);
    const b10 = v128.load(bp, 16);
    const a00 = v128.load_splat<T>(ap);
    c00 = madd<T>(c00, a00, b00);
    c01 = madd<T>(c01, a00, b10);
    const a10 = v128.load_splat<T>(ap, es);
    c10 = madd<T>(c10, a10, b00);
    c11 = madd<T>(c11, a10, b10);
    const a20 = v128.load_splat<T>(ap, 2 * es);
    c20 = madd<T>(c20, a20, b00);
    c21 = madd<T>(c21, a20, b10);
    const a30 = v128.load_splat<T>(ap, 3 * es);
    c30 = madd<T>(c30, a30, b00);
    c31 = madd<T>(c31, a30, b10);
    ap += es * <usize>MR;
    bp += 32;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
}

/**
 * Packs all of B (k × n, interleaved complex) into three parts (Br, Bi, Br+Bi) `part` bytes
 * apart, each as micro-panels of NR columns over all k: [tile][p][NR], zero-padded.
 */
// @ts-ignore: decorator
@inline
function packB<T>(B: usize, n: i32, k: i32, dst: usize, part: usize): void {
  const es = <usize>sizeof<T>();
  const nr = 32 / <i32>es;
  for (let j = 0; j < n; j += nr) {
    let d = dst + <usize>(j / nr) * <usize>k * 32;
    const w = min(nr, n - j);
    for (let p = 0; p < k; p++) {
      const bp = B + (<usize>p * <usize>n + <usize>j) * 2 * es;
      if (w == nr) {
        if (es == 4) {
          const v0 = v128.load(bp), v1 = v128.load(bp, 16), v2 = v128.load(bp, 32), v3 = v128.load(bp, 48);
          const r0 = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), i0 = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          const r1 = v128.shuffle<f32>(v2, v3, 0, 2, 4, 6), i1 = v128.shuffle<f32>(v2, v3, 1, 3, 5, 7);
          v128.store(d, r0); v128.store(d, r1, 16);
          v128.store(d + part, i0); v128.store(d + part, i1, 16);
          v128.store(d + 2 * part, f32x4.add(r0, i0)); v128.store(d + 2 * part, f32x4.add(r1, i1), 16);
        } else {
          const v0 = v128.load(bp), v1 = v128.load(bp, 16), v2 = v128.load(bp, 32), v3 = v128.load(bp, 48);
          const r0 = v128.shuffle<f64>(v0, v1, 0, 2), i0 = v128.shuffle<f64>(v0, v1, 1, 3);
          const r1 = v128.shuffle<f64>(v2, v3, 0, 2), i1 = v128.shuffle<f64>(v2, v3, 1, 3);
          v128.store(d, r0); v128.store(d, r1, 16);
          v128.store(d + part, i0); v128.store(d + part, i1, 16);
          v128.store(d + 2 * part, f64x2.add(r0, i0)); v128.store(d + 2 * part, f64x2.add(r1, i1), 16);
        }
      } else {
        for (let x = 0; x < nr; x++) {
          let re = <T>0, im = <T>0;
          if (x < w) {
            re = load<T>(bp + <usize>x * 2 * es);
            im = load<T>(bp + <usize>x * 2 * es, es);
          }
          const o = d + <usize>x * es;
          store<T>(o, re);
          store<T>(o + part, im);
          store<T>(o + 2 * part, re + im);
        }
      }
      d += 32;
    }
  }
}

/**
 * Packs A[i0 .. i1)[p0 .. p0+kk) (interleaved complex, row stride `k`) into three parts
 * (Ar, Ai, Ar+Ai), each as micro-panels of MR rows: [tile][p][MR], zero-padded.
 */
// @ts-ignore: decorator
@inline
function packA<T>(A: usize, k: i32, i0: i32, i1: i32, p0: i32, kk: i32, dst: usize): void {
  const es = <usize>sizeof<T>();
  const ks = <usize>k * 2 * es; // bytes per row of A
  for (let i = i0; i < i1; i += MR) {
    const d = dst + <usize>((i - i0) / MR) * <usize>KC * <usize>MR * es;
    let pv = 0; // k-steps done by the vector path
    if (i + MR <= i1) {
      const a0 = A + (<usize>i * <usize>k + <usize>p0) * 2 * es;
      const a1 = a0 + ks, a2 = a1 + ks, a3 = a2 + ks;
      if (es == 4) {
        // 4 rows × 4 k-steps: deinterleave each row, transpose the 4 × 4 blocks of re and im.
        pv = kk & ~3;
        let o = d;
        for (let p = 0; p < pv; p += 4) {
          const x = <usize>p * 8;
          let v0 = v128.load(a0 + x), v1 = v128.load(a0 + x, 16);
          const r0 = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), m0 = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          v0 = v128.load(a1 + x); v1 = v128.load(a1 + x, 16);
          const r1 = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), m1 = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          v0 = v128.load(a2 + x); v1 = v128.load(a2 + x, 16);
          const r2 = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), m2 = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          v0 = v128.load(a3 + x); v1 = v128.load(a3 + x, 16);
          const r3 = v128.shuffle<f32>(v0, v1, 0, 2, 4, 6), m3 = v128.shuffle<f32>(v0, v1, 1, 3, 5, 7);
          let t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          let t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          const e0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), e1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
          const e2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), e3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
          t0 = v128.shuffle<f32>(m0, m1, 0, 4, 1, 5); t1 = v128.shuffle<f32>(m2, m3, 0, 4, 1, 5);
          t2 = v128.shuffle<f32>(m0, m1, 2, 6, 3, 7); t3 = v128.shuffle<f32>(m2, m3, 2, 6, 3, 7);
          const f0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), f1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
          const f2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), f3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
          v128.store(o, e0); v128.store(o, e1, 16); v128.store(o, e2, 32); v128.store(o, e3, 48);
          v128.store(o + APART, f0); v128.store(o + APART, f1, 16); v128.store(o + APART, f2, 32); v128.store(o + APART, f3, 48);
          v128.store(o + 2 * APART, f32x4.add(e0, f0)); v128.store(o + 2 * APART, f32x4.add(e1, f1), 16);
          v128.store(o + 2 * APART, f32x4.add(e2, f2), 32); v128.store(o + 2 * APART, f32x4.add(e3, f3), 48);
          o += 64;
        }
      } else {
        // Rows in pairs: one k-step of two rows is one vector of re and one of im.
        pv = kk;
        let o = d;
        for (let p = 0; p < pv; p++) {
          const x = <usize>p * 16;
          const v0 = v128.load(a0 + x), v1 = v128.load(a1 + x), v2 = v128.load(a2 + x), v3 = v128.load(a3 + x);
          const r01 = v128.shuffle<f64>(v0, v1, 0, 2), m01 = v128.shuffle<f64>(v0, v1, 1, 3);
          const r23 = v128.shuffle<f64>(v2, v3, 0, 2), m23 = v128.shuffle<f64>(v2, v3, 1, 3);
          v128.store(o, r01); v128.store(o, r23, 16);
          v128.store(o + APART, m01); v128.store(o + APART, m23, 16);
          v128.store(o + 2 * APART, f64x2.add(r01, m01)); v128.store(o + 2 * APART, f64x2.add(r23, m23), 16);
          o += 32;
        }
      }
    }
    // The rest (k tail, rows past i1 as zeros), one element at a time.
    for (let r = 0; r < MR; r++) {
      let o = d + (<usize>pv * <usize>MR + <usize>r) * es;
      if (i + r < i1) {
        let ap = A + (<usize>(i + r) * <usize>k + <usize>(p0 + pv)) * 2 * es;
        for (let p = pv; p < kk; p++) {
          const re = load<T>(ap), im = load<T>(ap, es);
          store<T>(o, re);
          store<T>(o + APART, im);
          store<T>(o + 2 * APART, re + im);
          ap += 2 * es;
          o += <usize>MR * es;
        }
      } else {
        for (let p = pv; p < kk; p++) {
          store<T>(o, <T>0);
          store<T>(o + APART, <T>0);
          store<T>(o + 2 * APART, <T>0);
          o += <usize>MR * es;
        }
      }
    }
  }
}

/**
 * Adds the k-block's contribution to the mr × nr corner of C at `cp` (interleaved complex, row
 * stride `ldc` bytes), from the Δ tiles of P, Q and R at `tile`, `tile + 128`, `tile + 256`:
 * re += P − Q, im += R − (P + Q); the first k-block (`first`) adds to 0 instead of C's old value.
 */
// @ts-ignore: decorator
@inline
function update<T>(tile: usize, cp: usize, ldc: usize, mr: i32, nr: i32, first: bool): void {
  const es = <usize>sizeof<T>();
  const full = 32 / <i32>es;
  const z = v128.splat<T>(<T>0);
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>r * 32;
    const c = cp + <usize>r * ldc;
    if (nr == full) {
      const p0 = v128.load(t), p1 = v128.load(t, 16);
      const q0 = v128.load(t, 128), q1 = v128.load(t, 144);
      const x0 = v128.sub<T>(p0, q0), x1 = v128.sub<T>(p1, q1);
      const y0 = v128.sub<T>(v128.load(t, 256), v128.add<T>(p0, q0));
      const y1 = v128.sub<T>(v128.load(t, 272), v128.add<T>(p1, q1));
      if (es == 4) {
        v128.store(c, f32x4.add(first ? z : v128.load(c), v128.shuffle<f32>(x0, y0, 0, 4, 1, 5)));
        v128.store(c, f32x4.add(first ? z : v128.load(c, 16), v128.shuffle<f32>(x0, y0, 2, 6, 3, 7)), 16);
        v128.store(c, f32x4.add(first ? z : v128.load(c, 32), v128.shuffle<f32>(x1, y1, 0, 4, 1, 5)), 32);
        v128.store(c, f32x4.add(first ? z : v128.load(c, 48), v128.shuffle<f32>(x1, y1, 2, 6, 3, 7)), 48);
      } else {
        v128.store(c, f64x2.add(first ? z : v128.load(c), v128.shuffle<f64>(x0, y0, 0, 2)));
        v128.store(c, f64x2.add(first ? z : v128.load(c, 16), v128.shuffle<f64>(x0, y0, 1, 3)), 16);
        v128.store(c, f64x2.add(first ? z : v128.load(c, 32), v128.shuffle<f64>(x1, y1, 0, 2)), 32);
        v128.store(c, f64x2.add(first ? z : v128.load(c, 48), v128.shuffle<f64>(x1, y1, 1, 3)), 48);
      }
    } else {
      // Same operations as the vector path, one element at a time.
      for (let x = 0; x < nr; x++) {
        const o = t + <usize>x * es;
        const p = load<T>(o), q = load<T>(o, 128);
        const cx = c + <usize>x * 2 * es;
        store<T>(cx, (first ? <T>0 : load<T>(cx)) + (p - q));
        store<T>(cx, (first ? <T>0 : load<T>(cx, es)) + (load<T>(o, 256) - (p + q)), es);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function gemm3m<T>(batch: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pack: usize, bpk: usize, packb: bool): void {
  const es = <usize>sizeof<T>();
  const nr = 32 / <i32>es; // columns per micro-panel (2 vectors)
  const MC = (APART / (KC * <i32>es)) / MR * MR; // block rows: an A part holds MC × KC reals
  const NC = NCB / (KC * <i32>es); // panel columns
  if (k == 0) memory.fill(c, 0, <usize>batch * <usize>m * <usize>n * 2 * es);
  const apack = pack;
  const tile = apack + 3 * <usize>APART;
  const ldc = <usize>n * 2 * es;
  const part = packedPartBytes(n, k, <i32>es);
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>k * 2 * es;
    const C = c + <usize>t * <usize>m * <usize>n * 2 * es;
    if (packb) packB<T>(b + <usize>t * <usize>k * <usize>n * 2 * es, n, k, bpk, part);
    // Column panels of NC (their B micro-panels stay in L2/L3 across the row blocks).
    for (let j0 = 0; j0 < n; j0 += NC) {
      const j1 = min(n, j0 + NC);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kk = min(k, p0 + KC) - p0;
        for (let i0 = 0; i0 < m; i0 += MC) {
          const i1 = min(m, i0 + MC);
          packA<T>(A, k, i0, i1, p0, kk, apack);
          // Per B micro-panel (kept in L1) each product over the block's row tiles (A streams
          // from L2), Δ tiles kept aside; then one pass over C's tiles.
          for (let j = j0; j < j1; j += nr) {
            const bp = bpk + (<usize>(j / nr) * <usize>k + <usize>p0) * 32;
            for (let q = 0; q < 3; q++) {
              const bq = bp + <usize>q * part;
              let ap = apack + <usize>q * <usize>APART;
              let tq = tile + <usize>q * 128;
              for (let i = i0; i < i1; i += MR) {
                kernel<T>(ap, bq, kk, tq);
                ap += <usize>KC * <usize>MR * es;
                tq += 384;
              }
            }
            const w = min(nr, j1 - j);
            let tp = tile;
            for (let i = i0; i < i1; i += MR) {
              update<T>(tp, C + <usize>i * ldc + <usize>j * 2 * es, ldc, min(MR, i1 - i), w, p0 == 0);
              tp += 384;
            }
          }
        }
      }
    }
  }
}

/** Bytes of one part of a packed B (k × n): whole micro-panels of 32 bytes per k-step. */
function packedPartBytes(n: i32, k: i32, es: i32): usize {
  const nr = 32 / es;
  return <usize>((n + nr - 1) / nr) * <usize>k * 32;
}

/** Bytes the packed B of a k × n operand takes (its three parts), for `gemm3m_*`'s `bpk`. */
export function packed_b_bytes(n: i32, k: i32, elemBytes: i32): usize {
  return 3 * packedPartBytes(n, k, elemBytes);
}

/**
 * C[t] = A[t]·B[t] for complex64 (row-major, interleaved) by the 3M method; C is overwritten.
 * `pack` is PACK3_BYTES of scratch; `bpk` holds the packed B (`packed_b_bytes`): with `packb`
 * each B[t] is packed there first, otherwise (batch 1) it is already there, so that threads
 * computing blocks of rows share one packed B. With m = 0 and `packb` it only packs.
 */
export function gemm3m_c64(batch: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pack: usize, bpk: usize, packb: bool): void {
  gemm3m<f32>(batch, m, n, k, a, b, c, pack, bpk, packb);
}

/** C[t] = A[t]·B[t] for complex128 (row-major, interleaved) by the 3M method; as `gemm3m_c64`. */
export function gemm3m_c128(batch: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pack: usize, bpk: usize, packb: bool): void {
  gemm3m<f64>(batch, m, n, k, a, b, c, pack, bpk, packb);
}
