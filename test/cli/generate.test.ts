import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCommand } from '../../src/cli/commands/generate.js';
import { UsageError } from '../../src/cli/args.js';
import { CliInputError } from '../../src/cli/errors.js';
import { bristleconeLayout, czCircuit, gridLayout, sycamoreCircuit } from '../../src/circuits/random.js';
import { readCircuit } from '../../src/formats/index.js';
import { gateMatrix } from '../../src/network/from-circuit.js';
import { simulateStatevector } from '../../src/statevector/reference.js';
import type { Circuit } from '../../src/circuit/circuit.js';

/** Runs `taizhang generate ARGS -o FILE` in a fresh folder and reads the file back as a circuit. */
async function generate(args: string[], file: string): Promise<{ text: string; circuit: Circuit }> {
  const dir = mkdtempSync(join(tmpdir(), 'tz-gen-'));
  const err = process.stderr.write;
  try {
    const out = join(dir, file);
    process.stderr.write = () => true;
    let code: number;
    try {
      code = await generateCommand.run([...args, '-o', out]);
    } finally {
      process.stderr.write = err;
    }
    assert.equal(code, 0);
    const text = readFileSync(out, 'utf8');
    return { text, circuit: readCircuit(text, { file: out }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Same gates on the same qubits with the same matrices (entrywise 1e-12, global phase included),
 * in the same order on every qubit (qsim files list gates by time step, so gates on disjoint
 * qubits may come in another order).
 */
function assertSameGates(got: Circuit, want: Circuit, what: string): void {
  assert.equal(got.numQubits, want.numQubits, `${what}: qubits`);
  assert.equal(got.gates().length, want.gates().length, `${what}: gate count`);
  const perQubit = (c: Circuit) => {
    const lists: Array<Array<{ qubits: readonly number[]; matrix: ArrayLike<number>; name: string }>> = Array.from({ length: c.numQubits }, () => []);
    for (const op of c.gates()) for (const q of op.qubits) lists[q].push({ qubits: op.qubits, matrix: gateMatrix(op), name: op.name });
    return lists;
  };
  const g = perQubit(got);
  const w = perQubit(want);
  for (let q = 0; q < want.numQubits; q++) {
    assert.equal(g[q].length, w[q].length, `${what}: gates on qubit ${q}`);
    w[q].forEach((x, i) => {
      const y = g[q][i];
      assert.deepEqual([...y.qubits], [...x.qubits], `${what}: qubits of gate ${i} on qubit ${q}`);
      assert.equal(y.matrix.length, x.matrix.length);
      for (let j = 0; j < x.matrix.length; j++) assert.ok(Math.abs(y.matrix[j] - x.matrix[j]) < 1e-12, `${what}: gate ${i} (${x.name}) on qubit ${q}, entry ${j}`);
    });
  }
}

test('generate sycamore: the qsim and OpenQASM files read back to the generator\'s gates, angles and seed included', async () => {
  for (const [file, format] of [['s.qsim', 'qsim'], ['s.qasm', 'qasm']] as const) {
    const { text, circuit } = await generate(['sycamore', '--cycles', '6', '--seed', '3', '--theta', '1.5', '--phi', '0.5'], file);
    assert.ok(format === 'qsim' ? /^53\n/.test(text) : text.startsWith('OPENQASM 2.0;'), `${format} text`);
    assertSameGates(circuit, sycamoreCircuit(6, { seed: 3, theta: 1.5, phi: 0.5 }), `sycamore ${format}`);
  }
  // Defaults: 20 cycles, θ = π/2, φ = π/6, seed 0.
  const { circuit } = await generate(['sycamore', '--format', 'qsim'], 'default.txt');
  assertSameGates(circuit, sycamoreCircuit(20), 'sycamore defaults');
});

test('generate grid and bristlecone: 1+d+1 CZ circuits; a small grid read back gives the generator\'s state', async () => {
  for (const file of ['g.qsim', 'g.qasm']) {
    const { circuit } = await generate(['grid', '--rows', '3', '--cols', '3', '--depth', '8', '--seed', '5'], file);
    const want = czCircuit(gridLayout(3, 3), 8, 5);
    assertSameGates(circuit, want, `grid ${file}`);
    const a = simulateStatevector(circuit);
    const b = simulateStatevector(want);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-10, `grid ${file}: amplitude entry ${i}`);
  }
  const { circuit } = await generate(['bristlecone', '--size', '70', '--depth', '4', '--seed', '1'], 'b.qsim');
  assertSameGates(circuit, czCircuit(bristleconeLayout(70), 4, 1), 'bristlecone-70');
});

test('generate refuses an unknown kind and flags of another kind, naming them', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /one kind/],
    [['torus'], /unknown circuit kind 'torus'/],
    [['grid', '--cycles', '3'], /--cycles applies to sycamore/],
    [['sycamore', '--rows', '3'], /--rows applies to grid/],
    [['bristlecone', '--size', '64'], /expects one of 70, 72/],
    [['grid', '--depth', '-1'], /at least 0/],
    // Too large to write: refused before building anything (these used to run out of heap).
    [['grid', '--rows', '1000000000'], /a 1000000000×10 grid has 10000000000 qubits; generate writes at most 1048576/],
    [['sycamore', '--cycles', '100000'], /sycamore with 100000 cycles would have up to \d+ gates; generate writes at most 2000000/],
    [['grid', '--rows', '1000', '--cols', '1000', '--depth', '24'], /1000000 qubits and depth 24 would have up to \d+ gates/],
  ];
  for (const [argv, re] of cases) {
    await assert.rejects(generateCommand.run(argv), (e: unknown) => e instanceof UsageError && re.test(e.message), argv.join(' '));
  }
});

test('generate checks the output path before building the circuit', async () => {
  await assert.rejects(generateCommand.run(['sycamore', '-o', join(tmpdir(), 'no-such-dir-tz', 'x.qasm')]), (e: unknown) => {
    assert.ok(e instanceof CliInputError);
    assert.match(e.message, /cannot write '.*x\.qasm': no such directory/);
    return true;
  });
  await assert.rejects(generateCommand.run(['sycamore', '-o', tmpdir()]), /cannot write '.*': it is a directory/);
});
