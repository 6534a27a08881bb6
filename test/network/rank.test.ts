import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getGate } from '../../src/circuit/gates.js';
import { splitTwoQubit } from '../../src/network/from-circuit.js';

test('two-qubit rank reduction: controlled gates split with bond 2 and reconstruct exactly; fsim/swap are kept whole', () => {
  for (const [name, params] of [['cx', []], ['cy', []], ['ch', []], ['crx', [0.7]], ['cu3', [0.3, 0.2, 0.1]]] as const) {
    const u = getGate(name).matrix(params as readonly number[]);
    const s = splitTwoQubit(u);
    assert.ok(s, name);
    assert.equal(s.rank, 2, name);
    // U[o1 o2][i1 i2] = Σ_b left[o1,i1,b] right[b,o2,i2]
    for (let o1 = 0; o1 < 2; o1++) for (let o2 = 0; o2 < 2; o2++) for (let i1 = 0; i1 < 2; i1++) for (let i2 = 0; i2 < 2; i2++) {
      let re = 0, im = 0;
      for (let b = 0; b < s.rank; b++) {
        const l = 2 * ((o1 * 2 + i1) * s.rank + b), r = 2 * (b * 4 + o2 * 2 + i2);
        re += s.left[l] * s.right[r] - s.left[l + 1] * s.right[r + 1];
        im += s.left[l] * s.right[r + 1] + s.left[l + 1] * s.right[r];
      }
      const e = 2 * ((o1 * 2 + o2) * 4 + i1 * 2 + i2);
      assert.ok(Math.abs(re - u[e]) < 1e-12 && Math.abs(im - u[e + 1]) < 1e-12, `${name} entry ${e}`);
    }
  }
  assert.equal(splitTwoQubit(getGate('fsim').matrix([1.2, 0.4])), null);
  assert.equal(splitTwoQubit(getGate('swap').matrix([])), null);
});
