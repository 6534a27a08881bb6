/** Test helper shared by the two-qubit split tests. */
import type { SchmidtSplit } from '../../src/network/two-qubit.js';

/** Σ_b left[o1,i1,b]·right[b,o2,i2] back as U[(o1 o2)][(i1 i2)] (independent of the SVD code). */
export function rebuild(s: Pick<SchmidtSplit, 'rank' | 'left' | 'right'>): Float64Array {
  const u = new Float64Array(32);
  for (let o1 = 0; o1 < 2; o1++) for (let o2 = 0; o2 < 2; o2++) for (let i1 = 0; i1 < 2; i1++) for (let i2 = 0; i2 < 2; i2++) {
    let re = 0, im = 0;
    for (let b = 0; b < s.rank; b++) {
      const l = 2 * ((o1 * 2 + i1) * s.rank + b), r = 2 * (b * 4 + o2 * 2 + i2);
      re += s.left[l] * s.right[r] - s.left[l + 1] * s.right[r + 1];
      im += s.left[l] * s.right[r + 1] + s.left[l + 1] * s.right[r];
    }
    const e = 2 * ((o1 * 2 + o2) * 4 + i1 * 2 + i2);
    u[e] = re;
    u[e + 1] = im;
  }
  return u;
}
