/**
 * The core clock as benchmarks see it: a WebAssembly loop of 200 dependent `i32.add` per step
 * runs at one add per cycle on current x86 and Arm cores, so adds per second ≈ cycles per second
 * (turbo included, which a nominal clock would miss). Best of several runs.
 */

/** `(func (param n i32) (param y i32) (result i32) (local x i32) loop: x += y ×200; n -= 1; br_if n)` */
function chainModule(): Uint8Array<ArrayBuffer> {
  const adds = 200;
  const step = [0x20, 0x02, 0x20, 0x01, 0x6a, 0x21, 0x02]; // local.get x, local.get y, i32.add, local.set x
  const body = [
    0x01, 0x01, 0x7f, // one local of type i32
    0x03, 0x40, // loop
    ...Array.from({ length: adds }, () => step).flat(),
    0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, // n = n − 1; br_if (n ≠ 0)
    0x0b, // end loop
    0x20, 0x02, // local.get x
    0x0b, // end
  ];
  const leb = (v: number): number[] => {
    const out: number[] = [];
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v) b |= 0x80;
      out.push(b);
    } while (v);
    return out;
  };
  const bodyBytes = [...leb(body.length), ...body];
  const code = [0x01, ...bodyBytes];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, // type: (i32, i32) → i32
    0x03, 0x02, 0x01, 0x00, // function 0 has type 0
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f"
    0x0a, ...leb(code.length), ...code,
  ]);
}

/** Measured clock in GHz (dependent adds per nanosecond, best of `runs`). */
export function measureClockGHz(runs = 5): number {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(chainModule()));
  const f = inst.exports.f as (n: number, y: number) => number;
  f(20000, 3); // tier up
  const steps = 2_000_000;
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f(steps, 3);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (steps * 200) / s / 1e9);
  }
  return best;
}
