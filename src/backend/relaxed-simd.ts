/**
 * Relaxed SIMD (the WebAssembly proposal that adds fused multiply-add, standard in Wasm 3.0):
 * shipped in Chrome/Edge 114+ and Node 22+, behind a V8 flag in Node 20
 * (`relaxed-simd.node.ts` sets it). Kernels that gain from FMA are built twice and the relaxed
 * build is used wherever it validates; the plain SIMD128 build stays the fallback.
 */

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b,
]);

let disabled = false;

/** Whether this engine validates relaxed SIMD instructions now (no side effects). */
export function relaxedSimdAvailable(): boolean {
  if (disabled) return false;
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(PROBE);
  } catch {
    return false;
  }
}

/**
 * Turns the relaxed builds off (`true`) or back on for modules compiled from now on: tests use it
 * to run the plain SIMD128 kernels beside the FMA ones.
 */
export function disableRelaxedSimd(off: boolean): void {
  disabled = off;
}
