import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQsim, writeQsim } from '../../src/formats/qsim.js';
import { CircuitSyntaxError } from '../../src/formats/errors.js';
import { Circuit } from '../../src/circuit/circuit.js';
import { getGate } from '../../src/circuit/gates.js';
import { controlled, matmul, maxAbsDiff } from '../../src/circuit/matrix.js';

const SHARED = join(process.cwd(), '..', 'shared', 'circuits');

test('reads every qsim file in ../shared/circuits', (t) => {
  if (!existsSync(SHARED)) {
    t.skip(`missing ${SHARED}`);
    return;
  }
  const expected: Record<string, { qubits: number; gates: number }> = {
    circuit_q24: { qubits: 24, gates: 474 + 24 + 269 + 243 + 247 },
    circuit_q30: { qubits: 30, gates: 615 + 30 + 331 + 308 + 333 },
    circuit_q40: { qubits: 40, gates: 224 + 202 + 896 + 210 + 188 },
    'sycamore_n53_m20.qsim': { qubits: 53, gates: 430 + 369 + 1720 + 386 + 358 },
  };
  for (const name of ['circuit_q24', 'circuit_q30', 'circuit_q40', 'sycamore_n53_m10.qsim', 'sycamore_n53_m12.qsim', 'sycamore_n53_m20.qsim']) {
    const path = join(SHARED, name);
    if (!existsSync(path)) continue;
    const c = parseQsim(readFileSync(path, 'utf8'), name);
    const want = expected[name];
    if (want) {
      assert.equal(c.numQubits, want.qubits, name);
      assert.equal(c.gates().length, want.gates, name);
    } else assert.equal(c.numQubits, 53);
    const names = new Set(c.gates().map((g) => g.name));
    for (const g of names) assert.ok(['h', 'cz', 't', 'sx', 'sy', 'sqrtw', 'fsim', 'rz'].includes(g), `${name}: ${g}`);
    // Writing and reading back gives the same operation sequence per qubit (times may be renumbered).
    const again = parseQsim(writeQsim(c), name);
    assert.equal(again.gates().length, c.gates().length);
  }
});

test('maps qsim names and parameter conventions onto the gate table', () => {
  const c = parseQsim(
    [
      '# header comment',
      '',
      '3   ',
      '0 id1 0',
      '0 x_1_2 1 # trailing comment',
      '0 y_1_2 2',
      '1 hz_1_2 0',
      '1 fs 1 2 0.5 0.25',
      '2 cp 0 1 0.75',
      '3 is 0 2',
      '3 rxy 1 0.1 0.2',
      '4 cnot 2 0',
      '4 cx 1 0',
      '5 sw 1 2',
      '6 id2 0 1',
      '7 rx 0 -1.5e-1',
      '7 ry 1 2',
      '7 rz 2 .5',
      '8 s 0',
      '8 t 1',
      '8 h 2',
      '9 x 0',
      '9 y 1',
      '9 z 2',
      '10 cz 0 1',
    ].join('\n'),
  );
  assert.deepEqual(
    c.gates().map((g) => [g.name, [...g.qubits], [...g.params]]),
    [
      ['id', [0], []], ['sx', [1], []], ['sy', [2], []],
      ['sqrtw', [0], []], ['fsim', [1, 2], [0.5, 0.25]],
      ['cp', [0, 1], [-0.75]],
      ['iswap', [0, 2], []], ['rxy', [1], [0.1, 0.2]],
      ['cx', [2, 0], []], ['cx', [1, 0], []],
      ['swap', [1, 2], []],
      ['id', [0], []], ['id', [1], []],
      ['rx', [0], [-0.15]], ['ry', [1], [2]], ['rz', [2], [0.5]],
      ['s', [0], []], ['t', [1], []], ['h', [2], []],
      ['x', [0], []], ['y', [1], []], ['z', [2], []],
      ['cz', [0, 1], []],
    ],
  );
  // qsim cp(φ) = diag(1, 1, 1, e^{-iφ}).
  const cp = getGate('cp').matrix([-0.75]);
  assert.ok(Math.abs(cp[30] - Math.cos(0.75)) < 1e-15 && Math.abs(cp[31] + Math.sin(0.75)) < 1e-15);
});

test('orders gates by time, stable for equal times, and reads measurements and controlled gates', () => {
  const c = parseQsim('2\n3 x 1\n1 h 0\n3 z 0\n1 y 1\n5 m 0 1\n4 m 1\n6 c 0 h 1\n');
  const ops = c.operations.map((o) => (o.kind === 'gate' ? `${o.name}${o.qubits.join('')}` : o.kind === 'measure' ? `m${o.qubit}->${o.clbit}` : o.kind));
  assert.deepEqual(ops, ['h0', 'y1', 'x1', 'z0', 'm1->2', 'm0->0', 'm1->1', 'unitary01']);
  assert.deepEqual(c.cregs, [{ name: 'm', size: 3, offset: 0 }]);
  const u = c.gates()[4];
  assert.ok(u.matrix && maxAbsDiff(u.matrix, controlled(getGate('h').matrix([]))) < 1e-15);
});

function errorAt(text: string, line: number, column: number, pattern: RegExp): void {
  assert.throws(
    () => parseQsim(text, 'bad.qsim'),
    (e: unknown) => {
      assert.ok(e instanceof CircuitSyntaxError, `not a CircuitSyntaxError: ${String(e)}`);
      assert.deepEqual([e.line, e.column], [line, column], `${JSON.stringify(text)}: ${e.message}`);
      assert.match(e.detail, pattern);
      assert.ok(e.format().startsWith(`bad.qsim:${line}:${column}: error: `));
      return true;
    },
  );
}

test('located errors for malformed qsim files', () => {
  errorAt('', 1, 1, /empty file/);
  errorAt('# only a comment\n', 1, 1, /found only comments/);
  errorAt('two\n0 h 0', 1, 1, /number of qubits on the first line, found 'two'/);
  errorAt('0\n', 1, 1, /at least 1/);
  errorAt('2 3\n', 1, 3, /only the number of qubits/);
  errorAt('2\n0 h 2\n', 2, 5, /qubit 2 out of range \(the circuit has 2 qubits: 0..1\)/);
  errorAt('2\n0 foo 1\n', 2, 3, /unknown qsim gate 'foo' \(known: id1, h/);
  errorAt('2\n0 cz 0\n', 2, 7, /expected qubit 2 of 2 for gate 'cz', found end of line/);
  errorAt('2\n0 cz 1 1\n', 2, 8, /qubit 1 used twice/);
  errorAt('2\n0 rz 0\n', 2, 7, /'rz' takes 1 parameter, found 0/);
  errorAt('2\n0 fs 0 1 0.5\n', 2, 13, /'fs' takes 2 parameters, found 1/);
  errorAt('2\n0 rz 0 abc\n', 2, 8, /numeric parameter for gate 'rz', found 'abc'/);
  errorAt('2\n0 h 0 1\n', 2, 7, /unexpected '1' after gate 'h'/);
  errorAt('2\n-1 h 0\n', 2, 1, /time step \(a non-negative integer\), found '-1'/);
  errorAt('2\n  x h 0\n', 2, 3, /time step/);
  errorAt('2\n0\n', 2, 2, /gate name after the time step/);
  errorAt('2\n0 m\n', 2, 4, /at least one qubit after 'm'/);
  errorAt('2\n0 m 0 x\n', 2, 7, /expected a qubit index, found 'x'/);
  errorAt('2\n0 c h 1\n', 2, 5, /control qubits after 'c', found 'h'/);
  errorAt('2\n0 c 0 1\n', 2, 8, /gate name after the control qubits/);
  errorAt('2\n0 h q0\n', 2, 5, /found 'q0'/);
});

test('writeQsim writes qsim names, ASAP times and refuses what qsim cannot express', () => {
  const c = new Circuit(3).h(0).cx(0, 1).cp(0.5, 1, 2).fsim(0.1, 0.2, 0, 2).sx(1).sy(2).sqrtw(0).rz(0.3, 1).iswap(0, 1);
  const text = writeQsim(c);
  assert.equal(
    text,
    ['3', '0 h 0', '1 cnot 0 1', '2 cp 1 2 -0.5', '3 fs 0 2 0.1 0.2', '3 x_1_2 1', '4 y_1_2 2', '4 hz_1_2 0', '4 rz 1 0.3', '5 is 0 1', ''].join('\n'),
  );
  const back = parseQsim(text);
  assert.deepEqual(back.gates().map((g) => [g.name, g.params]), c.gates().map((g) => [g.name, g.params]));
  assert.throws(() => writeQsim(new Circuit(2).swap(0, 1)), /gate 'swap' has no qsim equivalent/);
  assert.throws(() => writeQsim(new Circuit(2).gate('u3', [0], [1, 2, 3])), /gate 'u3' has no qsim equivalent/);
  assert.throws(() => writeQsim(new Circuit(1).reset(0)), /no reset/);
});

test("qsim gate definitions: hz_1_2 = √i·rxy(π/4, π/2), x_1_2² = X, y_1_2² = Y, controlled fs", () => {
  const c = parseQsim('2\n0 hz_1_2 0\n1 rxy 1 0.7853981633974483 1.5707963267948966\n2 x_1_2 0\n3 x_1_2 0\n4 y_1_2 1\n5 y_1_2 1\n');
  const [hz, rxy, sx1, sx2, sy1, sy2] = c.gates().map((g) => Circuit.matrixOf(g));
  const sqrtI: [number, number] = [Math.SQRT1_2, Math.SQRT1_2];
  const scaled = new Float64Array(rxy.length);
  for (let i = 0; i < rxy.length; i += 2) {
    scaled[i] = sqrtI[0] * rxy[i] - sqrtI[1] * rxy[i + 1];
    scaled[i + 1] = sqrtI[0] * rxy[i + 1] + sqrtI[1] * rxy[i];
  }
  assert.ok(maxAbsDiff(hz, scaled) < 1e-15);
  assert.ok(maxAbsDiff(matmul(sx1, sx2), getGate('x').matrix([])) < 1e-15);
  assert.ok(maxAbsDiff(matmul(sy1, sy2), getGate('y').matrix([])) < 1e-15);
  const cf = parseQsim('3\n0 c 2 fs 0 1 0.3 0.2\n').gates()[0];
  assert.deepEqual(cf.qubits, [2, 0, 1]);
  assert.ok(maxAbsDiff(cf.matrix!, controlled(getGate('fsim').matrix([0.3, 0.2]))) < 1e-15);
});
