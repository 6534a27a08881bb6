/** OpenQASM 2.0 language features: registers, broadcasting, custom gates, expressions, control flow. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import type { Operation } from '../../src/circuit/circuit.js';

const H = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';

/** Compact view of operations for comparisons (locations dropped). */
function view(ops: readonly Operation[]): string[] {
  return ops.map((o) => {
    const cond = 'condition' in o && o.condition ? `if(${o.condition.register}==${o.condition.value}) ` : '';
    switch (o.kind) {
      case 'gate':
        return `${cond}${o.name}${o.params.length ? `(${o.params.join(',')})` : ''} ${o.qubits.join(',')}`;
      case 'measure':
        return `${cond}measure ${o.qubit}->${o.clbit}`;
      case 'reset':
        return `${cond}reset ${o.qubit}`;
      case 'barrier':
        return `barrier ${o.qubits.join(',')}`;
    }
  });
}

function param(src: string): number {
  const c = parseQasm(`${H}qreg q[1];\nrz(${src}) q[0];\n`);
  const op = c.operations[0];
  assert.equal(op.kind, 'gate');
  return op.kind === 'gate' ? op.params[0] : NaN;
}

function repoRoot(): string {
  // Tests run from the compiled tree (.build/<name>/test/formats or dist/test/formats); the repo
  // root is the nearest ancestor holding test/fixtures.
  let dir = process.cwd();
  for (let i = 0; i < 6 && !existsSync(join(dir, 'test', 'fixtures')); i++) dir = join(dir, '..');
  return dir;
}

test('registers are declared in source order and numbered globally', () => {
  const c = parseQasm(`${H}qreg a[2];\ncreg m[3];\nqreg b[3];\ncreg n[1];\n`);
  assert.deepEqual(c.qregs.map((r) => [r.name, r.size, r.offset]), [['a', 2, 0], ['b', 3, 2]]);
  assert.deepEqual(c.cregs.map((r) => [r.name, r.size, r.offset]), [['m', 3, 0], ['n', 1, 3]]);
  assert.equal(c.numQubits, 5);
  assert.equal(c.numClbits, 4);
});

test('broadcasting: single register, pairs of registers, fixed qubit with register', () => {
  const c = parseQasm(`${H}qreg a[3];\nqreg b[3];\nh a;\ncx a, b;\ncx a[1], b;\nswap b, a[0];\n`);
  assert.deepEqual(view(c.operations), [
    'h 0', 'h 1', 'h 2',
    'cx 0,3', 'cx 1,4', 'cx 2,5',
    'cx 1,3', 'cx 1,4', 'cx 1,5',
    'swap 3,0', 'swap 4,0', 'swap 5,0',
  ]);
});

test('qelib1 gates are native table gates; U and CX map to u3 and cx', () => {
  const c = parseQasm(`${H}qreg q[3];\nrz(0.5) q[0];\nccx q[0],q[1],q[2];\nU(1,2,3) q[1];\nCX q[2],q[0];\ncu1(0.25) q[0],q[1];\n`);
  assert.deepEqual(view(c.operations), ['rz(0.5) 0', 'ccx 0,1,2', 'u3(1,2,3) 1', 'cx 2,0', 'cu1(0.25) 0,1']);
});

test('builtins U and CX work without any include', () => {
  const c = parseQasm('OPENQASM 2.0;\nqreg q[2];\nU(pi,0,pi) q[0];\nCX q[0],q[1];\n');
  assert.deepEqual(view(c.operations), [`u3(${Math.PI},0,${Math.PI}) 0`, 'cx 0,1']);
});

test('custom gates expand with nested calls and evaluated expressions', () => {
  const src = `${H}gate rot(a, b) x { rz(a) x; ry(-b / 2) x; }
gate pair(t) x, y { rot(t, 2*t) x; cx x, y; rot(t^2, pi) y; }
qreg q[2];
pair(0.5) q[1], q[0];
`;
  assert.deepEqual(view(parseQasm(src).operations), [
    'rz(0.5) 1', 'ry(-0.5) 1', 'cx 1,0', 'rz(0.25) 0', `ry(${-Math.PI / 2}) 0`,
  ]);
});

test('custom gates broadcast over registers and carry conditions to every expanded gate', () => {
  const src = `${H}gate bell a, b { h a; cx a, b; }\nqreg q[2];\nqreg r[2];\ncreg c[1];\nbell q, r;\nif(c==1) bell q[0], r[1];\n`;
  assert.deepEqual(view(parseQasm(src).operations), [
    'h 0', 'cx 0,2', 'h 1', 'cx 1,3', 'if(c==1) h 0', 'if(c==1) cx 0,3',
  ]);
});

test('gate parameters: zero-parameter parentheses, no-argument gates and barriers inside bodies', () => {
  const src = `${H}gate g() a { barrier a; x a; }\nqreg q[1];\ng() q[0];\ng q[0];\n`;
  assert.deepEqual(view(parseQasm(src).operations), ['x 0', 'x 0']);
});

test('parameter expressions: precedence, right-associative ^, unary minus, functions, reals', () => {
  assert.equal(param('1 + 2 * 3'), 7);
  assert.equal(param('(1 + 2) * 3'), 9);
  assert.equal(param('2 ^ 3 ^ 2'), 512);
  assert.equal(param('-2 ^ 2'), -4);
  assert.equal(param('2 ^ -1'), 0.5);
  assert.equal(param('- - 3'), 3);
  assert.equal(param('8 / 4 / 2'), 1);
  assert.equal(param('10 - 4 - 3'), 3);
  assert.equal(param('6.54e-1'), 0.654);
  assert.equal(param('.5'), 0.5);
  assert.equal(param('2.'), 2);
  assert.equal(param('1E2'), 100);
  assert.equal(param('pi / 2'), Math.PI / 2);
  assert.equal(param('sin(pi/6) + cos(0)'), Math.sin(Math.PI / 6) + 1);
  assert.equal(param('tan(1)'), Math.tan(1));
  assert.equal(param('exp(1)'), Math.E);
  assert.equal(param('ln(exp(2))'), 2);
  assert.equal(param('sqrt(2) * sqrt(2)'), Math.sqrt(2) * Math.sqrt(2));
  assert.equal(param('+3'), 3);
});

test('measure (single and broadcast), reset, barrier, if', () => {
  const src = `${H}qreg q[2];\ncreg c[2];\nmeasure q -> c;\nmeasure q[1] -> c[0];\nreset q;\nbarrier q;\nif(c==3) measure q[0] -> c[1];\nif(c==0) reset q[1];\n`;
  const c = parseQasm(src);
  assert.deepEqual(view(c.operations), [
    'measure 0->0', 'measure 1->1', 'measure 1->0', 'reset 0', 'reset 1', 'barrier 0,1',
    'if(c==3) measure 0->1', 'if(c==0) reset 1',
  ]);
  const last = c.operations[c.operations.length - 1];
  assert.ok(last.kind === 'reset' && last.condition);
  assert.deepEqual(last.kind === 'reset' ? last.condition : undefined, { register: 'c', clbits: [0, 1], value: 0 });
});

test('comments of both kinds and free layout are ignored; operations keep source locations', () => {
  const src = `// header comment\nOPENQASM 2.0; /* inline */ include "qelib1.inc";\nqreg q[1]; // trailing\n/* a\n b */ x\n  q[0]\n;\n`;
  const c = parseQasm(src);
  assert.deepEqual(view(c.operations), ['x 0']);
  assert.deepEqual(c.operations[0].loc, { line: 5, column: 7 });
});

test('opaque declarations parse when unused', () => {
  const c = parseQasm(`${H}opaque magic(a, b) x, y;\nqreg q[1];\nh q[0];\n`);
  assert.deepEqual(view(c.operations), ['h 0']);
});

test('include of qelib1.inc twice is harmless; CRLF line endings and a BOM are accepted', () => {
  const c = parseQasm('\uFEFFOPENQASM 2.0;\r\ninclude "qelib1.inc";\r\ninclude "qelib1.inc";\r\nqreg q[1];\r\nh q[0];\r\n');
  assert.deepEqual(view(c.operations), ['h 0']);
});

test('a user gate named like a table gate is native only when its body equals the table matrix', () => {
  // Exact fsim decomposition → native fsim.
  const exact = `${H}gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }
gate fsim(theta,phi) a,b { rxx(theta) a,b; ryy(theta) a,b; cp(-phi) a,b; }
qreg q[2];
fsim(0.3, 0.2) q[0], q[1];
`;
  assert.deepEqual(view(parseQasm(exact).operations), ['fsim(0.3,0.2) 0,1']);
  // Same name, different unitary → expanded, never silently replaced.
  const other = `${H}gate iswap a,b { swap a,b; }\nqreg q[2];\niswap q[0], q[1];\n`;
  assert.deepEqual(view(parseQasm(other).operations), ['swap 0,1']);
  // Matching can be switched off.
  // rxx (qelib1, native) + the 7 gates of the ryy body + cp.
  assert.equal(parseQasm(exact, 'x', { matchTableGates: false }).operations.length, 9);
});

test('fixture features.qasm parses to the expected operations', (t) => {
  const file = join(repoRoot(), 'test', 'fixtures', 'qasm2', 'features.qasm');
  if (!existsSync(file)) {
    t.skip(`fixture missing: ${file}`);
    return;
  }
  const c = parseQasm(readFileSync(file, 'utf8'), 'features.qasm');
  assert.equal(c.numQubits, 4);
  assert.equal(c.numClbits, 3);
  assert.deepEqual(view(c.operations), [
    'h 0', 'h 1',
    'cx 0,2', 'cx 1,3',
    'cx 0,2', 'cx 0,3',
    'rz(0.25) 1', 'ry(-0.25) 1', 'cx 1,2', 'rz(0.0625) 2', `ry(${-Math.PI / 2}) 2`,
    'barrier 0,1,3',
    'measure 0->0', 'measure 1->1', 'measure 2->2',
    'if(c==2) x 3',
    'reset 2', 'reset 3',
    'u3(0.1,0.2,0.3) 0', 'cx 1,0',
  ]);
});
