// State-vector kernels for the fast engine, AssemblyScript + SIMD128.
// Memory layout is set by src/statevector/wasm.ts: scratch (matrix as pre-split vectors, gather
// buffer, offsets) below STATE_OFFSET, amplitudes (interleaved) from STATE_OFFSET.
// Every amplitude is computed by the same instruction sequence whatever [begin, end) is, so
// splitting the range over threads gives bit-identical results.
// Built twice (scripts/build-wasm.mjs): plain SIMD128, and with relaxed SIMD, where the dense
// kernels use fused multiply-add (ASC_FEATURE_RELAXED_SIMD): they are bound by instruction
// throughput, and FMA halves their FP instructions (about 25% faster per pass measured).

/** a·b + c: fused where relaxed SIMD is enabled (one instruction), else mul + add. */
@inline function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
@inline function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/** Mask of the zero-inserted (target and control) positions. */
@inline function zeroMask(lz: usize, nz: i32): u32 {
  let z: u32 = 0;
  for (let j = 0; j < nz; j++) z |= <u32>1 << load<u32>(lz + (<usize>j << 2));
  return z;
}

/**
 * The base `step` places on in the free bits after b (step a power of two below the lowest zero
 * position's run): the carry of the add ripples through the fixed positions (all set to 1 first),
 * which are then cleared and the control bits set again. Four operations instead of re-inserting
 * every zero bit.
 */
@inline function nextBase(b: u32, z: u32, step: u32, lmask: u32): u32 {
  return (((b | z) + step) & ~z) | lmask;
}

@inline function insertZeros(i: u32, lz: usize, nz: i32): u32 {
  for (let j = 0; j < nz; j++) {
    const p = load<u32>(lz + (<usize>j << 2));
    const low = i & ((<u32>1 << p) - 1);
    i = ((i >> p) << (p + 1)) | low;
  }
  return i;
}

/**
 * First base of step t of a four-bases-per-step kernel, from `prev`: the previous step's first
 * base when the four are adjacent (`contig`), else its last one (the others follow by `nextBase`).
 */
@inline function quadBase(t: u32, begin: u32, prev: u32, contig: bool, run: u32, z: u32, lz: usize, nz: i32, lmask: u32): u32 {
  if (t == begin) return insertZeros(t << 2, lz, nz) | lmask;
  if (!contig) return nextBase(prev, z, 1, lmask);
  return (t & (run - 1)) == 0 ? nextBase(prev, z, 4, lmask) : prev + 4;
}

/**
 * First base of step t of a two-bases-per-step kernel, from the previous step's two bases: when
 * they are adjacent (`contig`) the pair advances by 2 until the lowest zero bit's run ends,
 * otherwise the next base follows the previous step's second one.
 */
@inline function pairBase(t: u32, begin: u32, prev0: u32, prev1: u32, contig: bool, run: u32, z: u32, lz: usize, nz: i32, lmask: u32): u32 {
  if (t == begin) return insertZeros(t << 1, lz, nz) | lmask;
  if (!contig) return nextBase(prev1, z, 1, lmask);
  return (t & (run - 1)) == 0 ? nextBase(prev0, z, 2, lmask) : prev0 + 2;
}

/**
 * Dense 2^k × 2^k block on complex64, four bases per step, computed in split form: for each matrix
 * column one f32x4 holds the real parts of the four bases and one the imaginary parts, so a complex
 * multiply-add is 4 mul + 4 add/sub with no shuffles (the layout qsim's AVX kernels use).
 * mat: per (r, c) two v128: splat(re), splat(im). lo: i32 local offsets per column.
 * When bits 0 and 1 are free the four bases are adjacent (two v128 loads per column); otherwise
 * each complex is gathered with 64-bit lane loads. Rows are done two at a time to reuse the column
 * vectors. Each amplitude sees the same instruction sequence either way.
 */
export function dense32q(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize): void {
  const contig = nz == 0 || load<u32>(lz) >= 2;
  // Consecutive t map to consecutive quads until the lowest zero bit: recompute only at run starts.
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 2 : 0x80000000;
  const z = zeroMask(lz, nz);
  let b0: u32 = 0, b1: u32 = 0, b2: u32 = 0, b3: u32 = 0;
  for (let t = begin; t < end; t++) {
    b0 = quadBase(t, begin, contig ? b0 : b3, contig, run, z, lz, nz, lmask);
    if (!contig) {
      b1 = nextBase(b0, z, 1, lmask);
      b2 = nextBase(b1, z, 1, lmask);
      b3 = nextBase(b2, z, 1, lmask);
    }
    // The layout test stays outside the column loop (inside it, k = 3 passes ran ~5% slower).
    if (contig) gatherColumns(state, lo, dim, tmp, true, b0, b1, b2, b3);
    else gatherColumns(state, lo, dim, tmp, false, b0, b1, b2, b3);
    for (let r = 0; r < dim; r += 2) {
      const rs = <usize>dim << 5;
      let m = mat + (<usize>(r * dim) << 5);
      const mEnd = m + rs;
      let s = tmp;
      // Column 0 starts the accumulators (products, no zeroing and one loop step less).
      let xr = v128.load(s), xi = v128.load(s, 16);
      let mr = v128.load(m), mi = v128.load(m, 16);
      let ar0 = f32x4.mul(mr, xr), br0 = f32x4.mul(mi, xi), ai0 = f32x4.mul(mr, xi), bi0 = f32x4.mul(mi, xr);
      mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
      let ar1 = f32x4.mul(mr, xr), br1 = f32x4.mul(mi, xi), ai1 = f32x4.mul(mr, xi), bi1 = f32x4.mul(mi, xr);
      if (!ASC_FEATURE_RELAXED_SIMD) {
        ar0 = f32x4.sub(ar0, br0); ai0 = f32x4.add(ai0, bi0);
        ar1 = f32x4.sub(ar1, br1); ai1 = f32x4.add(ai1, bi1);
      }
      for (m += 32, s += 32; m < mEnd; m += 32, s += 32) {
        xr = v128.load(s);
        xi = v128.load(s, 16);
        mr = v128.load(m); mi = v128.load(m, 16);
        if (ASC_FEATURE_RELAXED_SIMD) {
          // Separate accumulators for the two products of each part: a chain of two dependent
          // FMAs per step would make the loop latency-bound. br sums +mi·xi (subtracted below).
          ar0 = madd32(mr, xr, ar0); br0 = madd32(mi, xi, br0);
          ai0 = madd32(mr, xi, ai0); bi0 = madd32(mi, xr, bi0);
          mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
          ar1 = madd32(mr, xr, ar1); br1 = madd32(mi, xi, br1);
          ai1 = madd32(mr, xi, ai1); bi1 = madd32(mi, xr, bi1);
        } else {
          ar0 = f32x4.add(ar0, f32x4.sub(f32x4.mul(mr, xr), f32x4.mul(mi, xi)));
          ai0 = f32x4.add(ai0, f32x4.add(f32x4.mul(mr, xi), f32x4.mul(mi, xr)));
          mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
          ar1 = f32x4.add(ar1, f32x4.sub(f32x4.mul(mr, xr), f32x4.mul(mi, xi)));
          ai1 = f32x4.add(ai1, f32x4.add(f32x4.mul(mr, xi), f32x4.mul(mi, xr)));
        }
      }
      if (ASC_FEATURE_RELAXED_SIMD) {
        ar0 = f32x4.sub(ar0, br0); ai0 = f32x4.add(ai0, bi0);
        ar1 = f32x4.sub(ar1, br1); ai1 = f32x4.add(ai1, bi1);
      }
      storeRow(state, lo, contig, b0, b1, b2, b3, r, ar0, ai0);
      storeRow(state, lo, contig, b0, b1, b2, b3, r + 1, ar1, ai1);
    }
  }
}

/** Splits the four bases' amplitudes of every column into the gather buffer (re, im per column). */
@inline function gatherColumns(state: usize, lo: usize, dim: i32, tmp: usize, contig: bool, b0: u32, b1: u32, b2: u32, b3: u32): void {
  for (let c = 0; c < dim; c++) {
    const l = load<u32>(lo + (<usize>c << 2));
    const v0 = quadLo(state, contig, b0, b1, l), v1 = quadHi(state, contig, b0, b2, b3, l);
    const d = tmp + (<usize>c << 5);
    v128.store(d, reOf(v0, v1));
    v128.store(d, imOf(v0, v1), 16);
  }
}

/** Interleaves a row's split result back into the state (four bases). */
@inline function storeRow(state: usize, lo: usize, contig: bool, b0: u32, b1: u32, b2: u32, b3: u32, r: i32, ar: v128, ai: v128): void {
  const w0 = v128.shuffle<f32>(ar, ai, 0, 4, 1, 5), w1 = v128.shuffle<f32>(ar, ai, 2, 6, 3, 7);
  const l = load<u32>(lo + (<usize>r << 2));
  if (contig) {
    const o = state + ((<usize>(b0 + l)) << 3);
    v128.store(o, w0);
    v128.store(o, w1, 16);
  } else {
    v128.store64_lane(state + ((<usize>(b0 + l)) << 3), w0, 0);
    v128.store64_lane(state + ((<usize>(b1 + l)) << 3), w0, 1);
    v128.store64_lane(state + ((<usize>(b2 + l)) << 3), w1, 0);
    v128.store64_lane(state + ((<usize>(b3 + l)) << 3), w1, 1);
  }
}

/** First complex of each pair of four bases at column offset l (contiguous or gathered). */
@inline function quadLo(state: usize, contig: bool, b0: u32, b1: u32, l: u32): v128 {
  if (contig) return v128.load(state + ((<usize>(b0 + l)) << 3));
  const v = v128.load64_zero(state + ((<usize>(b0 + l)) << 3));
  return v128.load64_lane(state + ((<usize>(b1 + l)) << 3), v, 1);
}
/** Last two complex of the four bases at column offset l. */
@inline function quadHi(state: usize, contig: bool, b0: u32, b2: u32, b3: u32, l: u32): v128 {
  if (contig) return v128.load(state + ((<usize>(b0 + l)) << 3), 16);
  const v = v128.load64_zero(state + ((<usize>(b2 + l)) << 3));
  return v128.load64_lane(state + ((<usize>(b3 + l)) << 3), v, 1);
}
@inline function reOf(v0: v128, v1: v128): v128 { return v128.shuffle<f32>(v0, v1, 0, 2, 4, 6); }
@inline function imOf(v0: v128, v1: v128): v128 { return v128.shuffle<f32>(v0, v1, 1, 3, 5, 7); }

/** Σ_c m[c]·x[c], real part, for two columns: (m0r·x0r + m1r·x1r) − (m0i·x0i + m1i·x1i). */
@inline function re2(m: usize, x0r: v128, x0i: v128, x1r: v128, x1i: v128): v128 {
  return f32x4.sub(madd32(v128.load(m, 32), x1r, f32x4.mul(v128.load(m), x0r)), madd32(v128.load(m, 48), x1i, f32x4.mul(v128.load(m, 16), x0i)));
}
/** Imaginary part: (m0r·x0i + m1r·x1i) + (m0i·x0r + m1i·x1r). */
@inline function im2(m: usize, x0r: v128, x0i: v128, x1r: v128, x1i: v128): v128 {
  return f32x4.add(madd32(v128.load(m, 32), x1i, f32x4.mul(v128.load(m), x0i)), madd32(v128.load(m, 48), x1r, f32x4.mul(v128.load(m, 16), x0r)));
}

/** Dense 1-qubit block on complex64, four bases per step, columns in registers. */
export function dense1q32(state: usize, mat: usize, lo: usize, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  // One loop per layout: the layout test hoisted out of the loop leaves registers to the columns.
  if (nz == 0 || load<u32>(lz) >= 2) smallDense32(state, mat, lo, lz, nz, lmask, begin, end, true, false);
  else smallDense32(state, mat, lo, lz, nz, lmask, begin, end, false, false);
}

/** Dense 2-qubit block on complex64, four bases per step, the four columns in registers. */
export function dense2q32(state: usize, mat: usize, lo: usize, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  if (nz == 0 || load<u32>(lz) >= 2) smallDense32(state, mat, lo, lz, nz, lmask, begin, end, true, true);
  else smallDense32(state, mat, lo, lz, nz, lmask, begin, end, false, true);
}

/** Row r of a 2-qubit block: Σ over the four columns, stored back. */
@inline function row2q(state: usize, mat: usize, lo: usize, contig: bool, b0: u32, b1: u32, b2: u32, b3: u32, r: i32,
  x0r: v128, x0i: v128, x1r: v128, x1i: v128, x2r: v128, x2i: v128, x3r: v128, x3i: v128): void {
  const m = mat + (<usize>r << 7);
  const ar = f32x4.add(re2(m, x0r, x0i, x1r, x1i), re2(m + 64, x2r, x2i, x3r, x3i));
  const ai = f32x4.add(im2(m, x0r, x0i, x1r, x1i), im2(m + 64, x2r, x2i, x3r, x3i));
  storeRow(state, lo, contig, b0, b1, b2, b3, r, ar, ai);
}

/**
 * The 1- and 2-qubit register kernels; `contig` and `two` are constants at each call site, so
 * every instance compiles to its own branch-free loop.
 */
@inline function smallDense32(state: usize, mat: usize, lo: usize, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, contig: bool, two: bool): void {
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 2 : 0x80000000;
  const z = zeroMask(lz, nz);
  const l0 = load<u32>(lo), l1 = load<u32>(lo, 4);
  const l2 = two ? load<u32>(lo, 8) : 0, l3 = two ? load<u32>(lo, 12) : 0;
  let b0: u32 = 0, b1: u32 = 0, b2: u32 = 0, b3: u32 = 0;
  for (let t = begin; t < end; t++) {
    b0 = quadBase(t, begin, contig ? b0 : b3, contig, run, z, lz, nz, lmask);
    if (!contig) {
      b1 = nextBase(b0, z, 1, lmask);
      b2 = nextBase(b1, z, 1, lmask);
      b3 = nextBase(b2, z, 1, lmask);
    }
    let v0 = quadLo(state, contig, b0, b1, l0), v1 = quadHi(state, contig, b0, b2, b3, l0);
    const x0r = reOf(v0, v1), x0i = imOf(v0, v1);
    v0 = quadLo(state, contig, b0, b1, l1); v1 = quadHi(state, contig, b0, b2, b3, l1);
    const x1r = reOf(v0, v1), x1i = imOf(v0, v1);
    if (!two) {
      storeRow(state, lo, contig, b0, b1, b2, b3, 0, re2(mat, x0r, x0i, x1r, x1i), im2(mat, x0r, x0i, x1r, x1i));
      storeRow(state, lo, contig, b0, b1, b2, b3, 1, re2(mat + 64, x0r, x0i, x1r, x1i), im2(mat + 64, x0r, x0i, x1r, x1i));
      continue;
    }
    v0 = quadLo(state, contig, b0, b1, l2); v1 = quadHi(state, contig, b0, b2, b3, l2);
    const x2r = reOf(v0, v1), x2i = imOf(v0, v1);
    v0 = quadLo(state, contig, b0, b1, l3); v1 = quadHi(state, contig, b0, b2, b3, l3);
    const x3r = reOf(v0, v1), x3i = imOf(v0, v1);
    // Each row: columns (0, 1) and (2, 3) as two independent pairs, then summed. Rows written out:
    // as a loop, V8 spilled the columns and re-split them every row.
    row2q(state, mat, lo, contig, b0, b1, b2, b3, 0, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
    row2q(state, mat, lo, contig, b0, b1, b2, b3, 1, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
    row2q(state, mat, lo, contig, b0, b1, b2, b3, 2, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
    row2q(state, mat, lo, contig, b0, b1, b2, b3, 3, x0r, x0i, x1r, x1i, x2r, x2i, x3r, x3i);
  }
}

/**
 * Dense 3-qubit block on complex64 by column broadcasts: two bases per step, each with all eight
 * rows in registers as four interleaved (re, im, re, im) accumulators. Column c adds
 * mat_c·splat(x_c.re) + swap_c·splat(x_c.im), where mat_c holds rows (r, r+1) as (re, im, re, im)
 * and swap_c as (−im, re, −im, re): no gather buffer and no shuffles, since every input is read
 * before any output is stored. mat: per column 128 bytes (four mat_c vectors, then four swap_c).
 */
export function dense3b32(state: usize, mat: usize, lo: usize, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  if (nz == 0 || load<u32>(lz) >= 1) bcast3_32(state, mat, lo, lz, nz, lmask, begin, end, true);
  else bcast3_32(state, mat, lo, lz, nz, lmask, begin, end, false);
}

@inline function bcast3_32(state: usize, mat: usize, lo: usize, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, contig: bool): void {
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 1 : 0x80000000;
  const z = zeroMask(lz, nz);
  let b0: u32 = 0, b1: u32 = 0;
  for (let t = begin; t < end; t++) {
    b0 = pairBase(t, begin, b0, b1, contig, run, z, lz, nz, lmask);
    b1 = contig ? b0 + 1 : nextBase(b0, z, 1, lmask);
    const pa = state + (<usize>b0 << 3), pb = state + (<usize>b1 << 3);
    // Column 0 starts the accumulators.
    let m = mat;
    let o = <usize>load<u32>(lo) << 3;
    let xr = v128.load32_splat(pa + o), xi = v128.load32_splat(pa + o, 4);
    let yr = v128.load32_splat(pb + o), yi = v128.load32_splat(pb + o, 4);
    let mc = v128.load(m), ms = v128.load(m, 64);
    let a0 = madd32(ms, xi, f32x4.mul(mc, xr)), c0 = madd32(ms, yi, f32x4.mul(mc, yr));
    mc = v128.load(m, 16); ms = v128.load(m, 80);
    let a1 = madd32(ms, xi, f32x4.mul(mc, xr)), c1 = madd32(ms, yi, f32x4.mul(mc, yr));
    mc = v128.load(m, 32); ms = v128.load(m, 96);
    let a2 = madd32(ms, xi, f32x4.mul(mc, xr)), c2 = madd32(ms, yi, f32x4.mul(mc, yr));
    mc = v128.load(m, 48); ms = v128.load(m, 112);
    let a3 = madd32(ms, xi, f32x4.mul(mc, xr)), c3 = madd32(ms, yi, f32x4.mul(mc, yr));
    let l = lo + 4;
    const lEnd = lo + 32;
    for (m += 128; l < lEnd; l += 4, m += 128) {
      o = <usize>load<u32>(l) << 3;
      xr = v128.load32_splat(pa + o); xi = v128.load32_splat(pa + o, 4);
      yr = v128.load32_splat(pb + o); yi = v128.load32_splat(pb + o, 4);
      mc = v128.load(m); ms = v128.load(m, 64);
      a0 = bcastAcc(mc, ms, xr, xi, a0); c0 = bcastAcc(mc, ms, yr, yi, c0);
      mc = v128.load(m, 16); ms = v128.load(m, 80);
      a1 = bcastAcc(mc, ms, xr, xi, a1); c1 = bcastAcc(mc, ms, yr, yi, c1);
      mc = v128.load(m, 32); ms = v128.load(m, 96);
      a2 = bcastAcc(mc, ms, xr, xi, a2); c2 = bcastAcc(mc, ms, yr, yi, c2);
      mc = v128.load(m, 48); ms = v128.load(m, 112);
      a3 = bcastAcc(mc, ms, xr, xi, a3); c3 = bcastAcc(mc, ms, yr, yi, c3);
    }
    storePair(pa, pb, lo, 0, a0, c0);
    storePair(pa, pb, lo, 2, a1, c1);
    storePair(pa, pb, lo, 4, a2, c2);
    storePair(pa, pb, lo, 6, a3, c3);
  }
}

/**
 * a + mc·xr + ms·xi. With FMA as a chain of two FMAs (two per column on each accumulator matches
 * the two FMA pipes: 4.96–4.99 cycles per amplitude in cache against 5.83–5.91 with the products
 * summed first); without, the products are summed first so the chain on a is one add (6.6 against
 * 7.1 cycles).
 */
@inline function bcastAcc(mc: v128, ms: v128, xr: v128, xi: v128, a: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return madd32(ms, xi, madd32(mc, xr, a));
  return f32x4.add(a, f32x4.add(f32x4.mul(mc, xr), f32x4.mul(ms, xi)));
}

/** Rows r and r+1 of two bases (accumulators a and c) back into the state. */
@inline function storePair(pa: usize, pb: usize, lo: usize, r: i32, a: v128, c: v128): void {
  const o0 = <usize>load<u32>(lo + (<usize>r << 2)) << 3, o1 = <usize>load<u32>(lo + (<usize>r << 2), 4) << 3;
  v128.store64_lane(pa + o0, a, 0);
  v128.store64_lane(pa + o1, a, 1);
  v128.store64_lane(pb + o0, c, 0);
  v128.store64_lane(pb + o1, c, 1);
}

/** Diagonal block on complex64 (two bases per step); mat holds the dim diagonal entries as above. */
export function diag32(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  // Consecutive t map to consecutive bases until the lowest zero bit: recompute only at run starts.
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 1 : 0x80000000;
  const z = zeroMask(lz, nz);
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin) b = insertZeros(t << 1, lz, nz) | lmask;
    else if ((t & (run - 1)) == 0) b = nextBase(b, z, 2, lmask);
    else b += 2;
    for (let r = 0; r < dim; r++) {
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 3);
      const v = v128.load(o);
      const sw = v128.shuffle<f32>(v, v, 1, 0, 3, 2);
      const m = mat + (<usize>r << 5);
      v128.store(o, f32x4.add(f32x4.mul(v128.load(m), v), f32x4.mul(v128.load(m, 16), sw)));
    }
  }
}

/**
 * Dense block on complex128, two bases per step in split form (one f64x2 of real parts and one of
 * imaginary parts per column, as dense32q does with four). mat per (r, c): splat(re), splat(im).
 * The two bases are adjacent when bit 0 is free; otherwise each is loaded on its own.
 */
export function dense64p(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize): void {
  const contig = nz == 0 || load<u32>(lz) >= 1;
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 1 : 0x80000000;
  const z = zeroMask(lz, nz);
  let b0: u32 = 0, b1: u32 = 0;
  for (let t = begin; t < end; t++) {
    b0 = pairBase(t, begin, b0, b1, contig, run, z, lz, nz, lmask);
    b1 = contig ? b0 + 1 : nextBase(b0, z, 1, lmask);
    for (let c = 0; c < dim; c++) {
      const l = load<u32>(lo + (<usize>c << 2));
      const v0 = v128.load(state + ((<usize>(b0 + l)) << 4));
      const v1 = v128.load(state + ((<usize>(b1 + l)) << 4));
      const d = tmp + (<usize>c << 5);
      v128.store(d, v128.shuffle<f64>(v0, v1, 0, 2));
      v128.store(d, v128.shuffle<f64>(v0, v1, 1, 3), 16);
    }
    for (let r = 0; r < dim; r += 2) {
      const rs = <usize>dim << 5;
      let m = mat + (<usize>(r * dim) << 5);
      const mEnd = m + rs;
      let s = tmp;
      // Column 0 starts the accumulators, as in dense32q.
      let xr = v128.load(s), xi = v128.load(s, 16);
      let mr = v128.load(m), mi = v128.load(m, 16);
      let ar0 = f64x2.mul(mr, xr), br0 = f64x2.mul(mi, xi), ai0 = f64x2.mul(mr, xi), bi0 = f64x2.mul(mi, xr);
      mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
      let ar1 = f64x2.mul(mr, xr), br1 = f64x2.mul(mi, xi), ai1 = f64x2.mul(mr, xi), bi1 = f64x2.mul(mi, xr);
      if (!ASC_FEATURE_RELAXED_SIMD) {
        ar0 = f64x2.sub(ar0, br0); ai0 = f64x2.add(ai0, bi0);
        ar1 = f64x2.sub(ar1, br1); ai1 = f64x2.add(ai1, bi1);
      }
      for (m += 32, s += 32; m < mEnd; m += 32, s += 32) {
        xr = v128.load(s);
        xi = v128.load(s, 16);
        mr = v128.load(m); mi = v128.load(m, 16);
        if (ASC_FEATURE_RELAXED_SIMD) {
          ar0 = madd64(mr, xr, ar0); br0 = madd64(mi, xi, br0);
          ai0 = madd64(mr, xi, ai0); bi0 = madd64(mi, xr, bi0);
          mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
          ar1 = madd64(mr, xr, ar1); br1 = madd64(mi, xi, br1);
          ai1 = madd64(mr, xi, ai1); bi1 = madd64(mi, xr, bi1);
        } else {
          ar0 = f64x2.add(ar0, f64x2.sub(f64x2.mul(mr, xr), f64x2.mul(mi, xi)));
          ai0 = f64x2.add(ai0, f64x2.add(f64x2.mul(mr, xi), f64x2.mul(mi, xr)));
          mr = v128.load(m + rs); mi = v128.load(m + rs, 16);
          ar1 = f64x2.add(ar1, f64x2.sub(f64x2.mul(mr, xr), f64x2.mul(mi, xi)));
          ai1 = f64x2.add(ai1, f64x2.add(f64x2.mul(mr, xi), f64x2.mul(mi, xr)));
        }
      }
      if (ASC_FEATURE_RELAXED_SIMD) {
        ar0 = f64x2.sub(ar0, br0); ai0 = f64x2.add(ai0, bi0);
        ar1 = f64x2.sub(ar1, br1); ai1 = f64x2.add(ai1, bi1);
      }
      const l0 = load<u32>(lo + (<usize>r << 2)), l1 = load<u32>(lo + (<usize>(r + 1) << 2));
      v128.store(state + ((<usize>(b0 + l0)) << 4), v128.shuffle<f64>(ar0, ai0, 0, 2));
      v128.store(state + ((<usize>(b1 + l0)) << 4), v128.shuffle<f64>(ar0, ai0, 1, 3));
      v128.store(state + ((<usize>(b0 + l1)) << 4), v128.shuffle<f64>(ar1, ai1, 0, 2));
      v128.store(state + ((<usize>(b1 + l1)) << 4), v128.shuffle<f64>(ar1, ai1, 1, 3));
    }
  }
}

/** Diagonal block on complex128. */
export function diag64(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  const run: u32 = nz > 0 ? <u32>1 << load<u32>(lz) : 0x80000000;
  const z = zeroMask(lz, nz);
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin) b = insertZeros(t, lz, nz) | lmask;
    else if ((t & (run - 1)) == 0) b = nextBase(b, z, 1, lmask);
    else b += 1;
    for (let r = 0; r < dim; r++) {
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 4);
      const v = v128.load(o);
      const sw = v128.shuffle<f64>(v, v, 1, 0);
      const m = mat + (<usize>r << 5);
      v128.store(o, f64x2.add(f64x2.mul(v128.load(m), v), f64x2.mul(v128.load(m, 16), sw)));
    }
  }
}

/** Diagonal block on complex64, one basis per step (bit 0 among targets or controls). */
export function diag32s(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  const z = zeroMask(lz, nz);
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    b = t == begin ? insertZeros(t, lz, nz) | lmask : nextBase(b, z, 1, lmask);
    for (let r = 0; r < dim; r++) {
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 3);
      const v = v128.load64_zero(o);
      const sw = v128.shuffle<f32>(v, v, 1, 0, 3, 2);
      const m = mat + (<usize>r << 5);
      v128.store64_lane(o, f32x4.add(f32x4.mul(v128.load(m), v), f32x4.mul(v128.load(m, 16), sw)), 0);
    }
  }
}

/**
 * Permutation block (X, CX, SWAP, CCX …): amplitude in column c moves to row perm[c], no
 * arithmetic. shift: log2 bytes per amplitude (3 complex64, 4 complex128); perm: i32 per column.
 */
export function perm(state: usize, perm: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize, shift: u32): void {
  const z = zeroMask(lz, nz);
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    b = t == begin ? insertZeros(t, lz, nz) | lmask : nextBase(b, z, 1, lmask);
    for (let c = 0; c < dim; c++) {
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>c << 2)))) << shift);
      v128.store(tmp + (<usize>c << 4), shift == 3 ? v128.load64_zero(o) : v128.load(o));
    }
    for (let c = 0; c < dim; c++) {
      const r = load<u32>(perm + (<usize>c << 2));
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>r << 2)))) << shift);
      const v = v128.load(tmp + (<usize>c << 4));
      if (shift == 3) v128.store64_lane(o, v, 0);
      else v128.store(o, v);
    }
  }
}
