import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText, detectFormat, readCircuit } from '../../src/formats/index.js';
import { CircuitSyntaxError } from '../../src/formats/errors.js';

test('detectFormat: OPENQASM header or QASM statement → qasm, leading integer → qsim', () => {
  assert.equal(detectFormat('OPENQASM 2.0;\nqreg q[1];'), 'qasm');
  assert.equal(detectFormat('// comment\n\n  OPENQASM 2.0;'), 'qasm');
  assert.equal(detectFormat('qreg q[2];'), 'qasm');
  assert.equal(detectFormat('# qsim comment\n4\n0 h 0'), 'qsim');
  assert.equal(detectFormat('53 \n0 hz_1_2 0 \n'), 'qsim');
  assert.equal(detectFormat('', 'x.qsim'), 'qsim');
  assert.equal(detectFormat('garbage'), 'qasm');
});

test('readCircuit dispatches by content and by explicit format', () => {
  const a = readCircuit('3\n0 h 0\n1 cnot 0 2\n');
  assert.equal(a.numQubits, 3);
  assert.deepEqual(a.gates().map((g) => g.name), ['h', 'cx']);
  const b = readCircuit('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0], q[1];\n');
  assert.equal(b.numQubits, 2);
  assert.deepEqual(b.gates().map((g) => g.name), ['h', 'cx']);
  assert.throws(() => readCircuit('3\n0 h 0\n', { format: 'qasm', file: 'f.txt' }), (e: unknown) => e instanceof CircuitSyntaxError && e.file === 'f.txt' && e.line === 1);
});

test('binary input is a located error before parsing', () => {
  const check = (text: string, line: number, column: number) =>
    assert.throws(
      () => readCircuit(text, { file: 'b.bin' }),
      (e: unknown) => e instanceof CircuitSyntaxError && e.line === line && e.column === column && /binary file/.test(e.detail),
    );
  check('\u0000abc', 1, 1);
  check('2\n0 h\uFFFD 0', 2, 4);
  check('OPENQASM 2.0;\n\u0007', 2, 1);
  assert.doesNotThrow(() => checkText('tabs\tand\r\nCRLF\n'));
});
