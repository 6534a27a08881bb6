/**
 * Property tests: random circuits survive writeQasm → parseQasm unchanged, writer definitions of
 * non-qelib gates preserve the unitary exactly, and arbitrary input never crashes the parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Circuit, type Operation } from '../../src/circuit/circuit.js';
import { allGates, getGate } from '../../src/circuit/gates.js';
import { type ComplexMatrix, embed, globalPhaseBetween, identity, matmul } from '../../src/circuit/matrix.js';
import { parseQasm, QELIB1_INC, u3Decompose, writeQasm } from '../../src/formats/qasm2/index.js';
import { CircuitSyntaxError } from '../../src/formats/errors.js';

const GATES = allGates();

interface OpSeed {
  readonly kind: number;
  readonly gate: number;
  readonly picks: readonly number[];
  readonly params: readonly number[];
  readonly cond: { readonly reg: number; readonly value: number } | null;
}

const paramArb = fc.oneof(
  fc.double({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
  fc.constantFrom(0, Math.PI, -Math.PI / 2, 1e-300, 5e-324, 1.7976931348623157e308, 123456789.123456789),
);

const opSeedArb: fc.Arbitrary<OpSeed> = fc.record({
  kind: fc.nat(99),
  gate: fc.nat(GATES.length - 1),
  picks: fc.array(fc.nat(1000), { minLength: 10, maxLength: 10 }),
  params: fc.array(paramArb, { minLength: 4, maxLength: 4 }),
  cond: fc.option(fc.record({ reg: fc.nat(5), value: fc.nat(7) }), { freq: 4 }),
});

const circuitArb = fc
  .record({
    qregs: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    cregs: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
    ops: fc.array(opSeedArb, { maxLength: 25 }),
  })
  .map(({ qregs, cregs, ops }) => build(qregs, cregs, ops));

/** Distinct qubits drawn from `n` by the seed picks (a partial Fisher–Yates shuffle). */
function distinct(n: number, k: number, picks: readonly number[]): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + (picks[i] % (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
    out.push(pool[i]);
  }
  return out;
}

function build(qregs: number[], cregs: number[], seeds: readonly OpSeed[]): Circuit {
  const c = new Circuit();
  qregs.forEach((s, i) => c.addQreg(`q${i}`, s));
  cregs.forEach((s, i) => c.addCreg(i === 0 ? 'c' : `flags${i}`, s));
  for (const s of seeds) {
    const condition = s.cond && c.cregs.length ? c.condition(c.cregs[s.cond.reg % c.cregs.length].name, s.cond.value) : undefined;
    const opts = condition ? { condition } : {};
    if (s.kind < 70) {
      const g = GATES[s.gate];
      if (g.qubits > c.numQubits) continue;
      c.gate(g.name, distinct(c.numQubits, g.qubits, s.picks), s.params.slice(0, g.params.length), opts);
    } else if (s.kind < 82) {
      if (!c.numClbits) continue;
      c.measure(s.picks[0] % c.numQubits, s.picks[1] % c.numClbits, opts);
    } else if (s.kind < 92) {
      c.reset(s.picks[0] % c.numQubits, opts);
    } else {
      c.barrier(...distinct(c.numQubits, 1 + (s.picks[4] % c.numQubits), s.picks));
    }
  }
  return c;
}

function sameOps(a: readonly Operation[], b: readonly Operation[]): void {
  assert.equal(b.length, a.length, 'operation count');
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    assert.equal(y.kind, x.kind, `op ${i} kind`);
    if (x.kind === 'gate' && y.kind === 'gate') {
      assert.equal(y.name, x.name, `op ${i} name`);
      assert.deepEqual(y.qubits, x.qubits, `op ${i} qubits`);
      assert.equal(y.params.length, x.params.length);
      x.params.forEach((p, j) => assert.ok(Math.abs(y.params[j] - p) <= 1e-15 * Math.max(1, Math.abs(p)), `op ${i} param ${j}: ${p} vs ${y.params[j]}`));
    } else if (x.kind === 'measure' && y.kind === 'measure') {
      assert.deepEqual([y.qubit, y.clbit], [x.qubit, x.clbit]);
    } else if (x.kind === 'reset' && y.kind === 'reset') {
      assert.equal(y.qubit, x.qubit);
    } else if (x.kind === 'barrier' && y.kind === 'barrier') {
      assert.deepEqual(y.qubits, x.qubits);
    }
    const cx = 'condition' in x ? x.condition : undefined;
    const cy = 'condition' in y ? y.condition : undefined;
    assert.deepEqual(cy, cx, `op ${i} condition`);
  }
}

test('random circuits: writeQasm → parseQasm gives the same registers and operations', () => {
  fc.assert(
    fc.property(circuitArb, (c) => {
      const text = writeQasm(c);
      const back = parseQasm(text, 'roundtrip.qasm');
      assert.deepEqual(back.qregs, c.qregs);
      assert.deepEqual(back.cregs, c.cregs);
      sameOps(c.operations, back.operations);
      // Writing again is a fixed point.
      assert.equal(writeQasm(back), text);
    }),
    { numRuns: 300, seed: 20261123 },
  );
});

/** Unitary of a measurement-free circuit on k ≤ 5 qubits. */
function circuitUnitary(c: Circuit): ComplexMatrix {
  const k = c.numQubits;
  let m = identity(1 << k);
  for (const op of c.operations) {
    if (op.kind === 'barrier') continue;
    assert.equal(op.kind, 'gate');
    if (op.kind === 'gate') m = matmul(embed(Circuit.matrixOf(op), op.qubits, k), m);
  }
  return m;
}

test('writer definitions of non-qelib gates are exact (global phase 0) when expanded to qelib1 gates', () => {
  const r = mulberry(7);
  for (const g of GATES.filter((x) => !x.qelib1)) {
    for (let trial = 0; trial < 3; trial++) {
      const params = g.params.map(() => (r() - 0.5) * 10);
      const c = new Circuit(g.qubits).gate(g.name, Array.from({ length: g.qubits }, (_, i) => i), params);
      const expanded = parseQasm(writeQasm(c), 'defs.qasm', { matchTableGates: false });
      assert.ok(expanded.operations.every((o) => o.kind === 'gate' && getGate(o.name).qelib1), `${g.name} expands to qelib1 gates`);
      const phase = globalPhaseBetween(circuitUnitary(expanded), g.matrix(params), 1e-12);
      assert.notEqual(phase, null, `${g.name}(${params}) definition differs`);
      assert.ok(Math.abs(phase!) < 1e-12, `${g.name}(${params}) definition phase ${phase}`);
    }
  }
});

test('one-qubit explicit unitaries are written as exact u3 + phase definitions', () => {
  const r = mulberry(11);
  for (let trial = 0; trial < 30; trial++) {
    // Random unitary e^{iα}·u3 from random angles, plus special cases with zero entries.
    const [t, p, l, a] = [r() * 7, r() * 7 - 3.5, r() * 7 - 3.5, r() * 7 - 3.5];
    const base = trial === 0 ? getGate('x').matrix([]) : trial === 1 ? getGate('s').matrix([]) : getGate('u3').matrix([t, p, l]);
    const m = base.map((v, i, arr) => (i % 2 === 0 ? v * Math.cos(a) - arr[i + 1] * Math.sin(a) : arr[i - 1] * Math.sin(a) + v * Math.cos(a)));
    const c = new Circuit(2).h(0).unitary(m, [1], 'custom').cx(1, 0);
    const back = parseQasm(writeQasm(c));
    const phase = globalPhaseBetween(circuitUnitary(back), circuitUnitary(c), 1e-12);
    assert.notEqual(phase, null);
    assert.ok(Math.abs(phase!) < 1e-12, `phase ${phase}`);
    const d = u3Decompose(m);
    assert.ok(Number.isFinite(d.theta + d.phi + d.lambda + d.alpha));
  }
  assert.throws(() => writeQasm(new Circuit(2).unitary(getGate('swap').matrix([]), [0, 1])), /more than one qubit/);
});

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses, accepting only success or a well-formed located CircuitSyntaxError. */
function parsesOrLocatedError(text: string): void {
  try {
    parseQasm(text, 'fuzz.qasm');
  } catch (e) {
    if (!(e instanceof CircuitSyntaxError)) throw new Error(`non-syntax error ${String(e)} for ${JSON.stringify(text.slice(0, 300))}`);
    assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}`);
    assert.ok(Number.isInteger(e.column) && e.column >= 1, `column ${e.column}`);
    assert.ok(e.detail.length > 0);
  }
}

const TOKENS = [
  'OPENQASM 2.0;', 'include "qelib1.inc";', 'qreg', 'creg', 'q', 'c', 'r', '[', ']', '0', '1', '2', '3', '-1', '1e400',
  '0.5', '.5e-3', ';', ',', '(', ')', '{', '}', '->', '==', '+', '-', '*', '/', '^', 'pi', 'sin', 'ln', 'sqrt', 'foo',
  'h', 'cx', 'rz', 'u3', 'U', 'CX', 'ccx', 'fsim', 'gate', 'opaque', 'measure', 'reset', 'barrier', 'if', 'g', 'a', 'b',
  '"', '//', '/*', '*/', '\n', ' ', '\t', '\u0000', '\uFFFD', '@',
];

test('fuzz: random strings and token soups parse or raise a located CircuitSyntaxError', { timeout: 60_000 }, () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), parsesOrLocatedError), { numRuns: 500, seed: 1 });
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }), (toks) => parsesOrLocatedError('OPENQASM 2.0;\ninclude "qelib1.inc";\n' + toks.join(' '))),
    { numRuns: 1500, seed: 2 },
  );
});

const VALID = `OPENQASM 2.0;
include "qelib1.inc";
gate rot(a, b) x { rz(a) x; ry(-b / 2) x; }
gate pair(t) x, y { rot(t, 2*t^2) x; cx x, y; rot(sin(t), pi) y; }
qreg q[2];
qreg anc[2];
creg c[2];
h q;
cx q, anc;
pair(0.25) q[1], anc[0];
fsim(0.1, 0.2) q[0], anc[1];
barrier q, anc[1];
measure q -> c;
if(c==2) x anc[1];
reset anc;
`;

test('fuzz: random mutations of a valid program parse or raise a located CircuitSyntaxError', { timeout: 60_000 }, () => {
  const mutation = fc.record({
    kind: fc.nat(3),
    at: fc.nat(VALID.length),
    len: fc.nat(20),
    insert: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 4 })),
  });
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (muts) => {
      let s = VALID;
      for (const m of muts) {
        const at = Math.min(m.at, s.length);
        if (m.kind === 0) s = s.slice(0, at) + s.slice(at + m.len);
        else if (m.kind === 1) s = s.slice(0, at) + m.insert + s.slice(at);
        else if (m.kind === 2) s = s.slice(0, at) + s.slice(at, at + m.len) + s.slice(at);
        else s = s.slice(0, at) + m.insert + s.slice(at + m.len);
      }
      parsesOrLocatedError(s);
    }),
    { numRuns: 1500, seed: 3 },
  );
});

test('adversarial inputs: deep nesting, long operator chains, huge tokens', { timeout: 60_000 }, () => {
  const H = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n';
  for (const text of [
    `${H}rz(${'('.repeat(100_000)}1${')'.repeat(100_000)}) q[0];`,
    `${H}rz(${'-'.repeat(100_000)}1) q[0];`,
    `${H}rz(${'2^'.repeat(50_000)}1) q[0];`,
    `${H}rz(${'1+'.repeat(50_000)}1) q[0];`,
    `${H}${'h q[0];\n'.repeat(20_000)}`,
    `${H}qreg ${'a'.repeat(100_000)}[1];`,
    `${H}rz(${'9'.repeat(100_000)}) q[0];`,
    `${H}gate g a {${' h a;'.repeat(10_000)}`,
  ]) parsesOrLocatedError(text);
});

// ---- native qelib1 mapping vs the literal qelib1.inc text ----

const QELIB1_SMALL = GATES.filter((g) => g.qelib1 && g.qubits <= 3 && g.name !== 'c4x');

/** Random program: one custom gate with expressions and nested calls, broadcasting, two registers. */
const programArb = fc
  .record({
    sizes: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    body: fc.array(fc.record({ g: fc.nat(QELIB1_SMALL.length - 1), perm: fc.nat(5), k: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 4, maxLength: 4 }) }), { minLength: 1, maxLength: 5 }),
    main: fc.array(fc.record({ kind: fc.nat(9), g: fc.nat(QELIB1_SMALL.length - 1), picks: fc.array(fc.nat(100), { minLength: 3, maxLength: 3 }), x: fc.double({ min: -4, max: 4, noNaN: true }) }), { maxLength: 12 }),
  })
  .map(({ sizes, body, main }) => {
    const locals = ['x', 'y', 'z'];
    const bodyText = body
      .map(({ g, perm, k }) => {
        const spec = QELIB1_SMALL[g];
        const order = [[0, 1, 2], [1, 0, 2], [2, 1, 0], [0, 2, 1], [1, 2, 0], [2, 0, 1]][perm];
        const args = order.slice(0, spec.qubits).map((i) => locals[i]);
        const ps = spec.params.map((_, i) => `${k[i]}*a/3 + b^2 - sin(${k[(i + 1) % 4]}*pi/7)`);
        return `${spec.name}${ps.length ? `(${ps.join(', ')})` : ''} ${args.join(', ')};`;
      })
      .join(' ');
    const regs = [['r', sizes[0]], ['s', sizes[1]]] as const;
    const all = regs.flatMap(([n, s]) => Array.from({ length: s }, (_, i) => `${n}[${i}]`));
    const lines: string[] = [`gate cg(a, b) x, y, z { ${bodyText} }`, `qreg r[${sizes[0]}];`, `qreg s[${sizes[1]}];`];
    for (const m of main) {
      const pick = (n: number) => {
        const pool = [...all];
        return m.picks.slice(0, n).map((p) => pool.splice(p % pool.length, 1)[0]);
      };
      if (m.kind < 3 && all.length >= 3) lines.push(`cg(${m.x}, -${Math.abs(m.x)}/2) ${pick(3).join(', ')};`);
      else if (m.kind < 5) lines.push(`h r; rz(${m.x}) s;`);
      else if (m.kind < 6 && sizes[0] === sizes[1]) lines.push(`cx r, s;`);
      else if (m.kind < 7) lines.push(`crz(${m.x}) r[0], s;`);
      else {
        const spec = QELIB1_SMALL[m.g];
        if (spec.qubits > all.length) continue;
        const ps = spec.params.map((_, i) => `${m.x} * ${i + 1}`);
        lines.push(`${spec.name}${ps.length ? `(${ps.join(',')})` : ''} ${pick(spec.qubits).join(', ')};`);
      }
    }
    return lines.join('\n') + '\n';
  });

test('native qelib1 gates and the literal qelib1.inc text give the same circuit unitary (up to global phase)', () => {
  fc.assert(
    fc.property(programArb, (program) => {
      const native = parseQasm(`OPENQASM 2.0;\ninclude "qelib1.inc";\n${program}`, 'native.qasm');
      const literal = parseQasm(`OPENQASM 2.0;\n${QELIB1_INC}\n${program}`, 'literal.qasm', { matchTableGates: false });
      assert.ok(literal.operations.every((o) => o.kind === 'gate' && (o.name === 'u3' || o.name === 'cx')));
      const phase = globalPhaseBetween(circuitUnitary(native), circuitUnitary(literal), 1e-8);
      assert.notEqual(phase, null, program);
    }),
    { numRuns: 150, seed: 99 },
  );
});
