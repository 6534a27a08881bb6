// State-vector kernels for the fast engine, AssemblyScript + SIMD128.
// Memory layout is set by src/statevector/wasm.ts: scratch (matrix as pre-split vectors, gather
// buffer, offsets) below STATE_OFFSET, amplitudes (interleaved) from STATE_OFFSET.
// Every amplitude is computed by the same instruction sequence whatever [begin, end) is, so
// splitting the range over threads gives bit-identical results.

@inline function insertZeros(i: u32, lz: usize, nz: i32): u32 {
  for (let j = 0; j < nz; j++) {
    const p = load<u32>(lz + (<usize>j << 2));
    const low = i & ((<u32>1 << p) - 1);
    i = ((i >> p) << (p + 1)) | low;
  }
  return i;
}

/**
 * Dense 2^k × 2^k block on complex64, two neighbouring bases per step (bit 0 is not a target or
 * control, so amplitudes b and b+1 sit side by side in one f32x4).
 * mat: per (r, c) two v128: splat(re) and (−im, im, −im, im). lo: i32 local offsets per column.
 */
export function dense32(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize): void {
  // Consecutive t map to consecutive bases until the lowest zero bit: recompute only at run starts.
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 1 : 0x80000000;
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin || (t & (run - 1)) == 0) b = insertZeros(t << 1, lz, nz) | lmask;
    else b += 2;
    for (let c = 0; c < dim; c++) {
      const o = (<usize>(b + load<u32>(lo + (<usize>c << 2)))) << 3;
      const v = v128.load(state + o);
      v128.store(tmp + (<usize>c << 5), v);
      v128.store(tmp + (<usize>c << 5), v128.shuffle<f32>(v, v, 1, 0, 3, 2), 16);
    }
    for (let r = 0; r < dim; r++) {
      let acc = f32x4.splat(0);
      const row = mat + (<usize>(r * dim) << 5);
      for (let c = 0; c < dim; c++) {
        const v = v128.load(tmp + (<usize>c << 5));
        const sw = v128.load(tmp + (<usize>c << 5), 16);
        const m = row + (<usize>c << 5);
        acc = f32x4.add(acc, f32x4.add(f32x4.mul(v128.load(m), v), f32x4.mul(v128.load(m, 16), sw)));
      }
      const o = (<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 3;
      v128.store(state + o, acc);
    }
  }
}

/** Diagonal block on complex64 (two bases per step); mat holds the dim diagonal entries as above. */
export function diag32(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  // Consecutive t map to consecutive bases until the lowest zero bit: recompute only at run starts.
  const run: u32 = nz > 0 ? (<u32>1 << load<u32>(lz)) >> 1 : 0x80000000;
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin || (t & (run - 1)) == 0) b = insertZeros(t << 1, lz, nz) | lmask;
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

/** Dense block on complex128, one basis per step; mat per (r, c): splat(re), (−im, im). */
export function dense64(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize): void {
  const run: u32 = nz > 0 ? <u32>1 << load<u32>(lz) : 0x80000000;
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin || (t & (run - 1)) == 0) b = insertZeros(t, lz, nz) | lmask;
    else b += 1;
    for (let c = 0; c < dim; c++) {
      const o = (<usize>(b + load<u32>(lo + (<usize>c << 2)))) << 4;
      const v = v128.load(state + o);
      v128.store(tmp + (<usize>c << 5), v);
      v128.store(tmp + (<usize>c << 5), v128.shuffle<f64>(v, v, 1, 0), 16);
    }
    for (let r = 0; r < dim; r++) {
      let acc = f64x2.splat(0);
      const row = mat + (<usize>(r * dim) << 5);
      for (let c = 0; c < dim; c++) {
        const v = v128.load(tmp + (<usize>c << 5));
        const sw = v128.load(tmp + (<usize>c << 5), 16);
        const m = row + (<usize>c << 5);
        acc = f64x2.add(acc, f64x2.add(f64x2.mul(v128.load(m), v), f64x2.mul(v128.load(m, 16), sw)));
      }
      const o = (<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 4;
      v128.store(state + o, acc);
    }
  }
}

/** Diagonal block on complex128. */
export function diag64(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  const run: u32 = nz > 0 ? <u32>1 << load<u32>(lz) : 0x80000000;
  let b: u32 = 0;
  for (let t = begin; t < end; t++) {
    if (t == begin || (t & (run - 1)) == 0) b = insertZeros(t, lz, nz) | lmask;
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

/**
 * Dense block on complex64 when bit 0 is a target or control: one basis per step, each complex
 * loaded into the low half of a vector (the high half is ignored).
 */
export function dense32s(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32, tmp: usize): void {
  for (let t = begin; t < end; t++) {
    const b = insertZeros(t, lz, nz) | lmask;
    for (let c = 0; c < dim; c++) {
      const o = (<usize>(b + load<u32>(lo + (<usize>c << 2)))) << 3;
      const v = v128.load64_zero(state + o);
      v128.store(tmp + (<usize>c << 5), v);
      v128.store(tmp + (<usize>c << 5), v128.shuffle<f32>(v, v, 1, 0, 3, 2), 16);
    }
    for (let r = 0; r < dim; r++) {
      let acc = f32x4.splat(0);
      const row = mat + (<usize>(r * dim) << 5);
      for (let c = 0; c < dim; c++) {
        const v = v128.load(tmp + (<usize>c << 5));
        const sw = v128.load(tmp + (<usize>c << 5), 16);
        const m = row + (<usize>c << 5);
        acc = f32x4.add(acc, f32x4.add(f32x4.mul(v128.load(m), v), f32x4.mul(v128.load(m, 16), sw)));
      }
      const o = (<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 3;
      v128.store64_lane(state + o, acc, 0);
    }
  }
}

/** Diagonal block on complex64, one basis per step (bit 0 among targets or controls). */
export function diag32s(state: usize, mat: usize, lo: usize, dim: i32, lz: usize, nz: i32, lmask: u32, begin: u32, end: u32): void {
  for (let t = begin; t < end; t++) {
    const b = insertZeros(t, lz, nz) | lmask;
    for (let r = 0; r < dim; r++) {
      const o = state + ((<usize>(b + load<u32>(lo + (<usize>r << 2)))) << 3);
      const v = v128.load64_zero(o);
      const sw = v128.shuffle<f32>(v, v, 1, 0, 3, 2);
      const m = mat + (<usize>r << 5);
      v128.store64_lane(o, f32x4.add(f32x4.mul(v128.load(m), v), f32x4.mul(v128.load(m, 16), sw)), 0);
    }
  }
}
