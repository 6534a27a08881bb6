import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPauliSum, parsePauliSum, pauliSumMaxQubit } from '../../src/circuit/observable.js';
import { CircuitSyntaxError } from '../../src/formats/errors.js';
import type { PauliSum } from '../../src/engine/types.js';

test('parses the documented example', () => {
  const s = parsePauliSum('0.5*Z0Z1 + X3 - 2*Y2');
  assert.deepEqual(s, {
    terms: [
      { coefficient: 0.5, factors: [{ qubit: 0, pauli: 'Z' }, { qubit: 1, pauli: 'Z' }] },
      { coefficient: 1, factors: [{ qubit: 3, pauli: 'X' }] },
      { coefficient: -2, factors: [{ qubit: 2, pauli: 'Y' }] },
    ],
  });
  assert.equal(pauliSumMaxQubit(s), 3);
});

test('accepts spaces, *, lower case, I factors, leading sign, exponents and identity terms', () => {
  const s = parsePauliSum('  -1.5e-1 * x2 * I0 z1 + 3 -Y0 ');
  assert.deepEqual(s.terms, [
    { coefficient: -0.15, factors: [{ qubit: 1, pauli: 'Z' }, { qubit: 2, pauli: 'X' }] },
    { coefficient: 3, factors: [] },
    { coefficient: -1, factors: [{ qubit: 0, pauli: 'Y' }] },
  ]);
  assert.equal(pauliSumMaxQubit(parsePauliSum('2')), -1);
  assert.deepEqual(parsePauliSum('.25Z10').terms, [{ coefficient: 0.25, factors: [{ qubit: 10, pauli: 'Z' }] }]);
});

function errorAt(text: string, n: number | undefined, column: number, pattern: RegExp): void {
  assert.throws(
    () => parsePauliSum(text, n, { file: '--observable' }),
    (e: unknown) => {
      assert.ok(e instanceof CircuitSyntaxError, `not a CircuitSyntaxError: ${String(e)}`);
      assert.equal(e.line, 1);
      assert.equal(e.column, column, `column for ${JSON.stringify(text)}: ${e.message}`);
      assert.match(e.detail, pattern);
      assert.ok(e.format().startsWith(`--observable:1:${column}: error: `));
      return true;
    },
  );
}

test('located errors for malformed observables', () => {
  errorAt('', undefined, 1, /empty observable/);
  errorAt('   ', undefined, 4, /empty observable/);
  errorAt('Z', undefined, 2, /qubit index after 'Z'/);
  errorAt('0.5*', undefined, 5, /Pauli factor .* found end of input/);
  errorAt('Z0 + ', undefined, 6, /coefficient or a Pauli factor/);
  errorAt('Z0 Q1', undefined, 4, /expected '\+', '-' or end/);
  errorAt('Z0Z0', undefined, 3, /qubit 0 appears twice/);
  errorAt('X1 + Z5', 3, 7, /qubit index 5 out of range \(the circuit has 3 qubits\)/);
  errorAt('Z0 ++ X1', undefined, 5, /coefficient or a Pauli factor .*found '\+'/);
  errorAt('Z0*', undefined, 4, /Pauli factor after '\*'/);
  errorAt('2 3', undefined, 3, /expected '\+'/);
});

test('formatPauliSum round-trips', () => {
  assert.equal(formatPauliSum(parsePauliSum('0.5*Z0Z1 + X3 - 2*Y2')), '0.5*Z0Z1 + X3 - 2*Y2');
  assert.equal(formatPauliSum(parsePauliSum('-Z1Z0 - 0.25')), '-Z0Z1 - 0.25');
  assert.equal(formatPauliSum({ terms: [] }), '0');
  const factor = fc.record({ qubit: fc.nat(20), pauli: fc.constantFrom<'X' | 'Y' | 'Z'>('X', 'Y', 'Z') });
  const term = fc.record({
    coefficient: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    factors: fc.uniqueArray(factor, { selector: (f) => f.qubit, maxLength: 5 }).map((fs) => [...fs].sort((a, b) => a.qubit - b.qubit)),
  });
  fc.assert(
    fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), (terms) => {
      const sum: PauliSum = { terms };
      const back = parsePauliSum(formatPauliSum(sum));
      assert.equal(back.terms.length, terms.length);
      back.terms.forEach((t, i) => {
        // -0 prints as "- 0" and reads back as -0; compare numerically.
        assert.ok(t.coefficient === terms[i].coefficient, `${t.coefficient} vs ${terms[i].coefficient}`);
        assert.deepEqual(t.factors, terms[i].factors.map((f) => ({ qubit: f.qubit, pauli: f.pauli })));
      });
    }),
  );
});
