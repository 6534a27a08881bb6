// Tensor kernels in AssemblyScript with SIMD128: batched complex GEMM (register-blocked
// micro-kernels, cache-blocked over k and n) and axis permutation, for interleaved
// complex64 (f32 pairs) and complex128 (f64 pairs). The JS side owns the (shared) memory
// and passes byte offsets.

const KC: i32 = 128;
const NC: i32 = 128;
/** Bytes of packing scratch `gemm_c64` needs: B (NC/4 tiles × KC steps × 64 bytes), then 2 rows of A (KC × 16 bytes, reserved as KC × 32). */
export const PACK_BYTES: i32 = (NC / 4) * KC * 64 + KC * 32;

/** C[t] = A[t]·B[t] for complex64, row-major; C is overwritten. */
export function gemm_c64(batch: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pack: usize): void {
  memory.fill(c, 0, <usize>batch * <usize>m * <usize>n * 8);
  const sign = f32x4(-1.0, 1.0, -1.0, 1.0);
  const apack = pack + <usize>(NC / 4) * <usize>KC * 64;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>k * 8;
    const B = b + <usize>t * <usize>k * <usize>n * 8;
    const C = c + <usize>t * <usize>m * <usize>n * 8;
    for (let j0 = 0; j0 < n; j0 += NC) {
      const j1 = min(n, j0 + NC);
      const jv = j0 + ((j1 - j0) & ~3); // end of 4-column tiles
      const j2 = j0 + ((j1 - j0) & ~1); // end of 2-column vectors
      for (let p0 = 0; p0 < k; p0 += KC) {
        const p1 = min(k, p0 + KC);
        // Pack the panel's 4-column tiles: per (tile, p) the two B vectors and their
        // swapped/signed copies, contiguous, so the micro-kernel streams 64 bytes per step.
        for (let j = j0; j < jv; j += 4) {
          let dst = pack + <usize>((j - j0) >> 2) * <usize>KC * 64;
          for (let p = p0; p < p1; p++) {
            const bp = B + (<usize>p * <usize>n + <usize>j) * 8;
            const b0 = v128.load(bp);
            const b1 = v128.load(bp, 16);
            v128.store(dst, b0);
            v128.store(dst, b1, 16);
            v128.store(dst, f32x4.mul(v128.shuffle<f32>(b0, b0, 1, 0, 3, 2), sign), 32);
            v128.store(dst, f32x4.mul(v128.shuffle<f32>(b1, b1, 1, 0, 3, 2), sign), 48);
            dst += 64;
          }
        }
        let i = 0;
        const kk = p1 - p0;
        // 2 rows × 4 complex columns (4 accumulators, 4 B vectors, 4 broadcasts: no spills in
        // V8's register allocation). The 2 rows of A are packed interleaved per p (16 bytes).
        for (; i + 2 <= m; i += 2) {
          const a0 = A + (<usize>i * <usize>k + <usize>p0) * 8;
          const ks = <usize>k * 8;
          let ad = apack;
          for (let p = 0; p < kk; p++) {
            const o = <usize>p * 8;
            store<u64>(ad, load<u64>(a0 + o));
            store<u64>(ad, load<u64>(a0 + ks + o), 8);
            ad += 16;
          }
          for (let j = j0; j < jv; j += 4) {
            const c0 = C + (<usize>i * <usize>n + <usize>j) * 8;
            const c1 = c0 + <usize>n * 8;
            let x00 = v128.load(c0), x01 = v128.load(c0, 16);
            let x10 = v128.load(c1), x11 = v128.load(c1, 16);
            let pk = pack + <usize>((j - j0) >> 2) * <usize>KC * 64;
            let ap = apack;
            const aend = apack + <usize>kk * 16;
            while (ap < aend) {
              const b0 = v128.load(pk);
              const b1 = v128.load(pk, 16);
              const s0 = v128.load(pk, 32);
              const s1 = v128.load(pk, 48);
              let r = v128.load32_splat(ap), q = v128.load32_splat(ap, 4);
              x00 = f32x4.add(x00, f32x4.add(f32x4.mul(r, b0), f32x4.mul(q, s0)));
              x01 = f32x4.add(x01, f32x4.add(f32x4.mul(r, b1), f32x4.mul(q, s1)));
              r = v128.load32_splat(ap, 8); q = v128.load32_splat(ap, 12);
              x10 = f32x4.add(x10, f32x4.add(f32x4.mul(r, b0), f32x4.mul(q, s0)));
              x11 = f32x4.add(x11, f32x4.add(f32x4.mul(r, b1), f32x4.mul(q, s1)));
              pk += 64;
              ap += 16;
            }
            v128.store(c0, x00); v128.store(c0, x01, 16);
            v128.store(c1, x10); v128.store(c1, x11, 16);
          }
        }
        // Remaining columns of the row tiles and remaining rows: one row, two columns at a time.
        for (let ii = 0; ii < m; ii++) {
          const jStart = ii < i ? jv : j0;
          const ar = A + <usize>ii * <usize>k * 8;
          const cr = C + <usize>ii * <usize>n * 8;
          for (let j = jStart; j < j2; j += 2) {
            const cp = cr + <usize>j * 8;
            let x = v128.load(cp);
            for (let p = p0; p < p1; p++) {
              const b0 = v128.load(B + (<usize>p * <usize>n + <usize>j) * 8);
              const s0 = f32x4.mul(v128.shuffle<f32>(b0, b0, 1, 0, 3, 2), sign);
              const o = <usize>p * 8;
              x = f32x4.add(x, f32x4.add(f32x4.mul(v128.load32_splat(ar + o), b0), f32x4.mul(v128.load32_splat(ar + o, 4), s0)));
            }
            v128.store(cp, x);
          }
          if (j2 < j1) {
            const cp = cr + <usize>j2 * 8;
            let re = load<f32>(cp), im = load<f32>(cp, 4);
            for (let p = p0; p < p1; p++) {
              const bp = B + (<usize>p * <usize>n + <usize>j2) * 8;
              const br = load<f32>(bp), bi = load<f32>(bp, 4);
              const xr = load<f32>(ar + <usize>p * 8), xi = load<f32>(ar + <usize>p * 8, 4);
              re += xr * br - xi * bi;
              im += xr * bi + xi * br;
            }
            store<f32>(cp, re);
            store<f32>(cp, im, 4);
          }
        }
      }
    }
  }
}

/** Columns per B panel of `gemm_c128` (its packed panel then fits the c64 packing scratch). */
const NC2: i32 = 64;

/** C[t] = A[t]·B[t] for complex128, row-major; C is overwritten; `pack` as for gemm_c64. */
export function gemm_c128(batch: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, pack: usize): void {
  memory.fill(c, 0, <usize>batch * <usize>m * <usize>n * 16);
  const sign = f64x2(-1.0, 1.0);
  const apack = pack + <usize>(NC2 / 2) * <usize>KC * 64;
  for (let t = 0; t < batch; t++) {
    const A = a + <usize>t * <usize>m * <usize>k * 16;
    const B = b + <usize>t * <usize>k * <usize>n * 16;
    const C = c + <usize>t * <usize>m * <usize>n * 16;
    for (let j0 = 0; j0 < n; j0 += NC2) {
      const j1 = min(n, j0 + NC2);
      const jv = j0 + ((j1 - j0) & ~1);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const p1 = min(k, p0 + KC);
        const kk = p1 - p0;
        // Pack the panel's 2-column tiles: per (tile, p) both B values and their swapped/signed copies.
        for (let j = j0; j < jv; j += 2) {
          let dst = pack + <usize>((j - j0) >> 1) * <usize>KC * 64;
          for (let p = p0; p < p1; p++) {
            const bp = B + (<usize>p * <usize>n + <usize>j) * 16;
            const b0 = v128.load(bp);
            const b1 = v128.load(bp, 16);
            v128.store(dst, b0);
            v128.store(dst, b1, 16);
            v128.store(dst, f64x2.mul(v128.shuffle<f64>(b0, b0, 1, 0), sign), 32);
            v128.store(dst, f64x2.mul(v128.shuffle<f64>(b1, b1, 1, 0), sign), 48);
            dst += 64;
          }
        }
        let i = 0;
        // 2 rows × 2 complex columns (4 accumulators, 4 B vectors, 4 broadcasts: all in registers);
        // the 2 rows of A are packed interleaved per p (32 bytes).
        for (; i + 2 <= m; i += 2) {
          const a0 = A + (<usize>i * <usize>k + <usize>p0) * 16;
          const ks = <usize>k * 16;
          let ad = apack;
          for (let p = 0; p < kk; p++) {
            const o = <usize>p * 16;
            v128.store(ad, v128.load(a0 + o));
            v128.store(ad, v128.load(a0 + ks + o), 16);
            ad += 32;
          }
          for (let j = j0; j < jv; j += 2) {
            const c0 = C + (<usize>i * <usize>n + <usize>j) * 16;
            const c1 = c0 + <usize>n * 16;
            let x00 = v128.load(c0), x01 = v128.load(c0, 16);
            let x10 = v128.load(c1), x11 = v128.load(c1, 16);
            let pk = pack + <usize>((j - j0) >> 1) * <usize>KC * 64;
            let ap = apack;
            const aend = apack + <usize>kk * 32;
            while (ap < aend) {
              const b0 = v128.load(pk);
              const b1 = v128.load(pk, 16);
              const s0 = v128.load(pk, 32);
              const s1 = v128.load(pk, 48);
              let r = v128.load64_splat(ap), q = v128.load64_splat(ap, 8);
              x00 = f64x2.add(x00, f64x2.add(f64x2.mul(r, b0), f64x2.mul(q, s0)));
              x01 = f64x2.add(x01, f64x2.add(f64x2.mul(r, b1), f64x2.mul(q, s1)));
              r = v128.load64_splat(ap, 16); q = v128.load64_splat(ap, 24);
              x10 = f64x2.add(x10, f64x2.add(f64x2.mul(r, b0), f64x2.mul(q, s0)));
              x11 = f64x2.add(x11, f64x2.add(f64x2.mul(r, b1), f64x2.mul(q, s1)));
              pk += 64;
              ap += 32;
            }
            v128.store(c0, x00); v128.store(c0, x01, 16);
            v128.store(c1, x10); v128.store(c1, x11, 16);
          }
        }
        // Remaining columns of the row tiles and remaining rows: one element at a time.
        for (let ii = 0; ii < m; ii++) {
          const jStart = ii < i ? jv : j0;
          const ar = A + <usize>ii * <usize>k * 16;
          const cr = C + <usize>ii * <usize>n * 16;
          for (let j = jStart; j < j1; j++) {
            const cp = cr + <usize>j * 16;
            let x = v128.load(cp);
            for (let p = p0; p < p1; p++) {
              const b0 = v128.load(B + (<usize>p * <usize>n + <usize>j) * 16);
              const s0 = f64x2.mul(v128.shuffle<f64>(b0, b0, 1, 0), sign);
              const o = <usize>p * 16;
              x = f64x2.add(x, f64x2.add(f64x2.mul(v128.load64_splat(ar + o), b0), f64x2.mul(v128.load64_splat(ar + o, 8), s0)));
            }
            v128.store(cp, x);
          }
        }
      }
    }
  }
}

/**
 * Axis permutation. `meta` holds i32 triples: rank r, then dShape[r], then srcStride[r] (in
 * elements, already permuted to destination order). `elemBytes` is 8 (complex64) or 16.
 */
export function permute(src: usize, dst: usize, meta: usize, elemBytes: i32): void {
  const r = load<i32>(meta);
  const dShape = meta + 4;
  const dStride = dShape + <usize>r * 4;
  const counter = dStride + <usize>r * 4; // scratch, r i32s
  let total: usize = 1;
  for (let ax = 0; ax < r; ax++) {
    total *= <usize>load<i32>(dShape + <usize>ax * 4);
    store<i32>(counter + <usize>ax * 4, 0);
  }
  const inner = <usize>load<i32>(dShape + <usize>(r - 1) * 4);
  const innerStride = <usize>load<i32>(dStride + <usize>(r - 1) * 4) * <usize>elemBytes;
  let srcPos: usize = 0;
  let dp = dst;
  for (let d: usize = 0; d < total; d += inner) {
    let sp = src + srcPos * <usize>elemBytes;
    if (elemBytes == 16) {
      for (let x: usize = 0; x < inner; x++) {
        v128.store(dp, v128.load(sp));
        dp += 16;
        sp += innerStride;
      }
    } else {
      for (let x: usize = 0; x < inner; x++) {
        store<i64>(dp, load<i64>(sp));
        dp += 8;
        sp += innerStride;
      }
    }
    for (let ax = r - 2; ax >= 0; ax--) {
      const cAx = counter + <usize>ax * 4;
      const cnt = load<i32>(cAx) + 1;
      const st = <usize>load<i32>(dStride + <usize>ax * 4);
      const sh = load<i32>(dShape + <usize>ax * 4);
      srcPos += st;
      if (cnt < sh) {
        store<i32>(cAx, cnt);
        break;
      }
      srcPos -= st * <usize>sh;
      store<i32>(cAx, 0);
    }
  }
}

export { PACK3_BYTES, gemm3m_c64, gemm3m_c128, packed_b_bytes } from './gemm3m';
