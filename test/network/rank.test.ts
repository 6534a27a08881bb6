import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getGate } from '../../src/circuit/gates.js';
import { splitTwoQubit } from '../../src/network/from-circuit.js';
import { rebuild } from './schmidt-helpers.js';

test('two-qubit rank reduction: controlled gates split with bond 2 and reconstruct exactly; fsim/swap are kept whole', () => {
  for (const [name, params] of [['cx', []], ['cy', []], ['ch', []], ['crx', [0.7]], ['cu3', [0.3, 0.2, 0.1]]] as const) {
    const u = getGate(name).matrix(params as readonly number[]);
    const s = splitTwoQubit(u);
    assert.ok(s, name);
    assert.equal(s.rank, 2, name);
    // U[o1 o2][i1 i2] = Σ_b left[o1,i1,b] right[b,o2,i2]
    const back = rebuild(s);
    for (let e = 0; e < 32; e++) assert.ok(Math.abs(back[e] - u[e]) < 1e-12, `${name} entry ${e}`);
  }
  assert.equal(splitTwoQubit(getGate('fsim').matrix([1.2, 0.4])), null);
  assert.equal(splitTwoQubit(getGate('swap').matrix([])), null);
});
