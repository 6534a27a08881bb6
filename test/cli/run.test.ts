import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The repository root: the nearest folder above this file holding taizhang's package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'taizhang') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
}
const ROOT = repoRoot();
const example = (name: string) => join(ROOT, 'examples', name);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function taizhang(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', input, env: { ...process.env, TAIZHANG_DEBUG: '' }, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** JSON output of the reference engine (exact values; other engines are checked against it below). */
function json(args: string[], method = 'reference'): Record<string, unknown> {
  const r = taizhang([...args, '--json', '--method', method]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'exactly one JSON line');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
/** A user error: exit 1, one line on stderr, no stack trace, nothing on stdout. */
function userError(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
}

const tmp = mkdtempSync(join(tmpdir(), 'taizhang-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
function tmpFile(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

test('--json prints exactly the requested keys (GHZ amplitudes and counts)', () => {
  const o = json(['run', example('ghz.qasm'), '--amplitudes', '000,111', '--amplitudes=010', '--shots', '200', '--seed', '5']);
  assert.deepEqual(Object.keys(o), ['qubits', 'amplitudes', 'counts']);
  assert.equal(o.qubits, 3);
  const a = o.amplitudes as Record<string, [number, number]>;
  assert.ok(Math.abs(a['000'][0] - Math.SQRT1_2) < 1e-12 && a['000'][1] === 0);
  assert.ok(Math.abs(a['111'][0] - Math.SQRT1_2) < 1e-12);
  assert.deepEqual(a['010'], [0, 0]);
  const c = o.counts as Record<string, number>;
  assert.deepEqual(Object.keys(c).sort(), ['000', '111']);
  assert.equal(c['000'] + c['111'], 200);
});

test('probabilities, state vector and expectations in JSON', () => {
  const q = json(['run', example('qft4.qasm'), '--probabilities', '--statevector', '--observable', 'X0', '--observable', 'Z3']);
  assert.deepEqual(Object.keys(q), ['qubits', 'probabilities', 'statevector', 'expectations']);
  const p = q.probabilities as number[];
  assert.equal(p.length, 16);
  for (const v of p) assert.ok(Math.abs(v - 1 / 16) < 1e-12);
  const s = q.statevector as [number, number][];
  // QFT|5⟩: amplitude of y is e^{2πi·5y/16}/4.
  s.forEach(([re, im], y) => {
    assert.ok(Math.abs(re - Math.cos((2 * Math.PI * 5 * y) / 16) / 4) < 1e-12);
    assert.ok(Math.abs(im - Math.sin((2 * Math.PI * 5 * y) / 16) / 4) < 1e-12);
  });
  const e = q.expectations as number[];
  assert.equal(e.length, 2);
  assert.ok(Math.abs(e[0] + 1) < 1e-12, `⟨X0⟩ = ${e[0]}`);
  const g = json(['run', example('ghz.qasm'), '--observable', 'Z0Z1 + 0.5*X0X1X2']);
  assert.ok(Math.abs((g.expectations as number[])[0] - 1.5) < 1e-12);
});

test('--method auto agrees with the reference engine', () => {
  for (const f of ['qft4.qasm', 'grover3.qasm', 'small.qsim']) {
    const args = ['run', example(f), '--probabilities', '--amplitudes', f === 'grover3.qasm' ? '101' : '0101'];
    const ref = json(args);
    const auto = json(args, 'auto');
    assert.deepEqual(Object.keys(auto), Object.keys(ref));
    const pr = ref.probabilities as number[];
    (auto.probabilities as number[]).forEach((p, i) => assert.ok(Math.abs(p - pr[i]) < 1e-6, `${f}[${i}]`));
  }
});

test('--amplitudes patterns with x expand to every matching bitstring', () => {
  const o = json(['run', example('ghz.qasm'), '--amplitudes', 'x1x,111']);
  assert.deepEqual(Object.keys(o.amplitudes as object).sort(), ['010', '011', '110', '111']);
  assert.ok(Math.abs((o.amplitudes as Record<string, number[]>)['111'][0] - Math.SQRT1_2) < 1e-12);
});

test('same seed gives the same output; Grover and teleportation examples behave', () => {
  const a = taizhang(['run', example('grover3.qasm'), '--shots', '500', '--seed', '9', '--json']);
  const b = taizhang(['run', example('grover3.qasm'), '--shots', '500', '--seed', '9', '--json']);
  assert.equal(a.code, 0);
  assert.equal(a.stdout, b.stdout);
  const counts = JSON.parse(a.stdout).counts as Record<string, number>;
  assert.ok(counts['101'] > 440, `p(101) ≈ 0.945: ${counts['101']}/500`);
  const t = json(['run', example('teleport.qasm'), '--shots', '300', '--seed', '2']);
  const tc = t.counts as Record<string, number>;
  for (const k of Object.keys(tc)) assert.ok(k.endsWith('0'), `teleported state undone: ${k}`);
  assert.ok(Object.keys(tc).length >= 3);
});

test('readable table by default; qsim input and stdin', () => {
  const r = taizhang(['run', example('ghz.qasm')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /circuit\s+.*ghz\.qasm \(3 qubits, 3 gates\)/);
  assert.match(r.stdout, /engine\s+\w+ \(\d+\.\d+ s\)/);
  assert.match(r.stdout, /probabilities \(2 nonzero of 8\)\n {2}000 {2}0\.50000000\n {2}111 {2}0\.50000000/);
  const s = taizhang(['run', example('small.qsim'), '--shots', '100', '--seed', '1']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /\(4 qubits, 20 gates\)/);
  assert.match(s.stdout, /counts \(100 shots, seed 1/);
  const stdin = taizhang(['run', '-', '--format', 'qsim', '--json', '--amplitudes', '11'], '2\n0 x 0\n1 x 1\n');
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.deepEqual(JSON.parse(stdin.stdout), { qubits: 2, amplitudes: { '11': [1, 0] } });
});

test('help and version', () => {
  const h = taizhang(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /Usage: taizhang <command>/);
  assert.match(h.stdout, /\n {2}run +simulate/);
  const rh = taizhang(['run', '--help']);
  assert.equal(rh.code, 0);
  assert.match(rh.stdout, /--amplitudes B1,B2,…/);
  assert.match(rh.stdout, /reference +reference state vector/);
  const v = taizhang(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
  const none = taizhang([]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^Usage: taizhang <command>/);
});

test('located syntax errors: FILE:LINE:COL: error:, exit 1, no stack', () => {
  const qasm = tmpFile('bad.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0]\ncx q[0], q[1];\n');
  userError(taizhang(['run', qasm]), new RegExp(`^${qasm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[45]:\\d+: error: .*';'`));
  const qsim = tmpFile('bad.qsim', '2\n0 h 2\n');
  userError(taizhang(['run', qsim]), /bad\.qsim:2:5: error: qubit 2 out of range/);
  const gate = tmpFile('unknown.qasm', 'OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n');
  userError(taizhang(['run', gate]), /unknown\.qasm:3:1: error: .*foo/);
  userError(taizhang(['run', example('ghz.qasm'), '--observable', 'Z0 + Q1']), /^--observable:1:6: error: /);
  userError(taizhang(['run', example('ghz.qasm'), '--observable', 'Z7']), /^--observable:1:2: error: qubit index 7 out of range/);
});

test('file problems are clear user errors', () => {
  userError(taizhang(['run', join(tmp, 'missing.qasm')]), /cannot read '.*missing\.qasm': no such file/);
  const dir = join(tmp, 'adir');
  mkdirSync(dir, { recursive: true });
  userError(taizhang(['run', dir]), /it is a directory/);
  userError(taizhang(['run', tmpFile('empty.qasm', '')]), /empty\.qasm:1:1: error: empty file/);
  userError(taizhang(['run', tmpFile('empty.qsim', '\n\n')]), /empty\.qsim:1:1: error: empty file/);
  userError(taizhang(['run', tmpFile('bin.qasm', new Uint8Array([0x4f, 0x50, 0x00, 0xff, 0xfe, 0x01]))]), /bin\.qasm:1:3: error: binary file/);
});

test('usage errors: bitstrings, methods, flags, missing output choice', () => {
  const ghz = example('ghz.qasm');
  userError(taizhang(['run', ghz, '--amplitudes', '01']), /bitstring '01' has 2 bits, the circuit has 3 qubits/);
  userError(taizhang(['run', ghz, '--amplitudes', '0a1']), /bitstring '0a1' may contain only 0 and 1/);
  userError(taizhang(['run', ghz, '--method', 'magic']), /unknown method 'magic' \(known: auto, .*reference/);
  userError(taizhang(['run', ghz, '--frobnicate']), /unknown option '--frobnicate'/);
  userError(taizhang(['run', ghz, '--shots', 'many']), /'--shots' expects a number, found 'many'/);
  userError(taizhang(['run', ghz, '--shots']), /'--shots' expects a value/);
  userError(taizhang(['run']), /expected a circuit FILE/);
  userError(taizhang(['nosuch']), /unknown command 'nosuch'/);
  userError(taizhang(['run', ghz, '--threads', '1111']), /'--threads' must be at most 256, found '1111'/);
  userError(taizhang(['run', ghz, '--fuse', '9']), /'--fuse' must be at most 8, found '9'/);
  userError(taizhang(['run', example('teleport.qasm'), '--method', 'tensor']), /the tensor engine needs a unitary circuit/);
  const wide = tmpFile('wide.qsim', '25\n0 h 0\n');
  userError(taizhang(['run', wide]), /25 qubits: choose an output/);
});

test('a state too large for memory is refused before allocating, with the bytes needed', () => {
  const big = tmpFile('big.qsim', '40\n0 h 0\n1 cz 0 39\n');
  userError(taizhang(['run', big, '--method', 'reference', '--amplitudes', '0'.repeat(40)]), /needs 17592186044416 bytes \(16 TiB\)/);
});

test('--method tensor reports each network before and after simplification in the table', () => {
  const r = taizhang(['run', example('qft4.qasm'), '--method', 'tensor', '--amplitudes', '0101']);
  assert.equal(r.code, 0, r.stderr);
  const m = /network +(\d+) tensors, \d+ indices, max rank \d+, \d+ elements → simplified (\d+) tensors/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.ok(Number(m[2]) < Number(m[1]));
});
