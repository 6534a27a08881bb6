import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { serializePlan } from '../../src/contraction/plan.js';
import { amplitude } from '../../src/network/api.js';
import type { ProgressEvent } from '../../src/engine/types.js';
import { testCircuitQasm, testPlan } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tz-shard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const qasm = testCircuitQasm(10, 8, 4);
const bits = '1010011100';
const qf = join(dir, 'c.qasm');
const pf = join(dir, 'plan.json');
writeFileSync(qf, qasm);
writeFileSync(pf, serializePlan(testPlan(qasm, bits, 4, (s) => parseQasm(s))));

function tz(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30000 });
}

/** Writes a test circuit (qubits, depth, seed) and plans it with `taizhang plan` and these flags. */
function plannedCircuit(name: string, n: number, depth: number, seed: number, ...planArgs: string[]): { q: string; p: string } {
  const q = join(dir, `${name}.qasm`);
  const p = join(dir, `${name}-plan.json`);
  writeFileSync(q, testCircuitQasm(n, depth, seed));
  const plan = tz('plan', q, ...planArgs, '-o', p);
  assert.equal(plan.status, 0, plan.stderr);
  return { q, p };
}

/** Checks amplitudes against `taizhang run --method statevector` (complex128) to 1e-10. */
function assertStatevectorAmplitudes(q: string, pattern: string, amps: Record<string, [number, number]>): void {
  const sv = tz('run', q, '--amplitudes', pattern, '--method', 'statevector', '--precision', 'double', '--json');
  assert.equal(sv.status, 0, sv.stderr);
  const S = JSON.parse(sv.stdout) as { amplitudes: Record<string, [number, number]> };
  for (const [b, [re, im]] of Object.entries(amps)) assert.ok(Math.abs(re - S.amplitudes[b][0]) < 1e-10 && Math.abs(im - S.amplitudes[b][1]) < 1e-10, b);
}

test('contract --shard I/N + reduce equals the local contract bit for bit; missing or duplicated shards refused', { timeout: 60000 }, () => {
  const local = tz('contract', qf, '--plan', pf, '--amplitude', bits, '--threads', '2', '--batch-size', '3', '--json');
  assert.equal(local.status, 0, local.stderr);
  const L = JSON.parse(local.stdout) as { amplitudes: Record<string, [number, number]>; slices: number };
  assert.equal(L.slices, 16);
  const ref = amplitude(parseQasm(qasm), bits);
  assert.ok(Math.abs(L.amplitudes[bits][0] - ref[0]) < 1e-12 && Math.abs(L.amplitudes[bits][1] - ref[1]) < 1e-12);

  const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.json`));
  for (let i = 0; i < 3; i++) {
    const r = tz('contract', qf, '--plan', pf, '--amplitude', bits, '--batch-size', '3', '--threads', '1', '--shard', `${i}/3`, '-o', parts[i]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`shard ${i}/3: \\d+ batches written`));
  }
  const out = join(dir, 'result.json');
  const red = tz('reduce', parts[2], parts[0], parts[1], '-o', out, '--json');
  assert.equal(red.status, 0, red.stderr);
  const R = JSON.parse(red.stdout) as { amplitudes: Record<string, [number, number]>; shards: number };
  assert.equal(R.shards, 3);
  assert.deepEqual(R.amplitudes, L.amplitudes); // exact: same batches, same order
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), R);

  const missing = tz('reduce', parts[0], parts[2]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /taizhang: error: missing shard 1\/3 \(have 2 of 3\)/);
  const dup = tz('reduce', parts[0], parts[1], parts[1], parts[2]);
  assert.equal(dup.status, 1);
  assert.match(dup.stderr, /shard 1\/3 given twice/);
});

test('contract usage errors are clear', () => {
  const noPlan = tz('contract', qf);
  assert.equal(noPlan.status, 1);
  assert.match(noPlan.stderr, /needs --plan/);
  const noOut = tz('contract', qf, '--plan', pf, '--shard', '0/2');
  assert.equal(noOut.status, 1);
  assert.match(noOut.stderr, /--shard needs -o FILE/);
  const badPlan = join(dir, 'bad.json');
  writeFileSync(badPlan, '{"format":"nope"}');
  const bad = tz('contract', qf, '--plan', badPlan);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.json: plan\.format must be "taizhang-plan"/);
  const w = tz('worker');
  assert.equal(w.status, 1);
  assert.match(w.stderr, /worker needs --redis URL/);
});

test('plan and contract refuse non-unitary circuits and unwritable outputs as input errors, before any search', () => {
  const mid = join(dir, 'mid.qasm');
  writeFileSync(mid, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[1];\nh q[0];\nmeasure q[0] -> c[0];\ncx q[0], q[1];\n');
  for (const r of [tz('plan', mid, '--time', '0.2'), tz('contract', mid, '--plan', pf)]) {
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /mid\.qasm: taizhang (plan|contract) needs a unitary circuit .*mid-circuit measurements, resets or classical conditions/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const missingDir = join(dir, 'no-such-dir', 'plan.json');
  const t0 = Date.now();
  const p = tz('plan', qf, '--time', '30', '-o', missingDir);
  assert.equal(p.status, 1, p.stderr);
  assert.match(p.stderr, /cannot write '.*plan\.json': no such directory/);
  assert.ok(Date.now() - t0 < 20000, 'refused before the 30 s search');
  const c = tz('contract', qf, '--plan', pf, '--shard', '0/2', '-o', dir);
  assert.equal(c.status, 1, c.stderr);
  assert.match(c.stderr, /cannot write '.*': it is a directory/);
  const t = tz('plan', qf, '--threads', '257');
  assert.equal(t.status, 1);
  assert.match(t.stderr, /'--threads' must be at most 256/);
  const o = tz('plan', qf, '--open', '0,1');
  assert.equal(o.status, 1);
  assert.match(o.stderr, /--open '0,1' must contain only 0, 1 and x/);
});

test('a plan from `taizhang plan` drives `taizhang contract`; the amplitude equals the state-vector engine', { timeout: 60000 }, () => {
  const b = '0110100101101001';
  const { q, p } = plannedCircuit('p', 16, 14, 3, '--amplitude', b, '--max-width', '6', '--time', '1');
  const c = tz('contract', q, '--plan', p, '--amplitude', b, '--threads', '2', '--json');
  assert.equal(c.status, 0, c.stderr);
  const C = JSON.parse(c.stdout) as { amplitudes: Record<string, [number, number]>; slices: number };
  assert.ok(C.slices > 1, `plan is sliced (${C.slices} slices)`);
  assert.deepEqual(Object.keys(C.amplitudes), [b]);
  assertStatevectorAmplitudes(q, b, C.amplitudes);
});

test('contract without --amplitude/--open contracts the output the plan was made for (an open pattern here), as the state vector gives', { timeout: 60000 }, () => {
  const pattern = '01x010x1';
  const { q, p } = plannedCircuit('po', 8, 8, 5, '--open', pattern, '--max-width', '4', '--time', '0.5');
  const implicit = tz('contract', q, '--plan', p, '--threads', '1', '--json');
  assert.equal(implicit.status, 0, implicit.stderr);
  const explicit = tz('contract', q, '--plan', p, '--open', pattern, '--threads', '1', '--json');
  assert.equal(explicit.status, 0, explicit.stderr);
  const I = JSON.parse(implicit.stdout) as { amplitudes: Record<string, [number, number]> };
  const E = JSON.parse(explicit.stdout) as { amplitudes: Record<string, [number, number]> };
  assert.deepEqual(Object.keys(I.amplitudes).sort(), ['01001001', '01001011', '01101001', '01101011']);
  assert.deepEqual(I.amplitudes, E.amplitudes);
  // `run` with the plan but no --amplitudes is refused, naming the output the plan was made for.
  const noAmps = tz('run', q, '--method', 'tensor', '--plan', p);
  assert.notEqual(noAmps.status, 0);
  assert.match(noAmps.stderr, /a --plan applies to amplitude networks only: give --amplitudes \(this plan was made for 01x010x1\)/);
  assertStatevectorAmplitudes(q, pattern, I.amplitudes);
});

test('plan --max-memory sets the width target from bytes and the element size; conflicting flags are refused', { timeout: 60000 }, () => {
  const q = join(dir, 'm.qasm');
  const b = '0110100101101001';
  writeFileSync(q, testCircuitQasm(16, 14, 3));
  const width = (...extra: string[]): number => {
    const r = tz('plan', q, '--amplitude', b, '--time', '0.5', '--json', ...extra);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { width: number }).width;
  };
  // 1 KiB holds 2^6 complex128 (the default element) or 2^7 complex64 elements.
  const w128 = width('--max-memory', '1KiB');
  assert.ok(w128 <= 6 + 1e-9, `width ${w128} within 2^6 complex128`);
  const w64 = width('--max-memory', '1KiB', '--precision', 'single');
  assert.ok(w64 <= 7 + 1e-9, `width ${w64} within 2^7 complex64`);
  assert.ok(width('--max-memory', '1000') <= Math.log2(1000 / 16) + 1e-9);
  const refuse = (re: RegExp, ...args: string[]): void => {
    const r = tz('plan', q, '--time', '0.1', ...args);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, re);
  };
  refuse(/give --max-width or --max-memory, not both/, '--max-memory', '1KiB', '--max-width', '6');
  refuse(/--precision only sets the element size for --max-memory/, '--precision', 'single');
  refuse(/--max-memory '12XB': expected a positive number of bytes/, '--max-memory', '12XB');
  refuse(/--max-memory 8 bytes holds no complex128 element \(16 bytes\)/, '--max-memory', '8');
  // The result is never sliced, so more open qubits than the width limit are refused up front.
  refuse(/8 open qubits make a result of 2\^8 elements, over the width limit of 2\^6: open at most 6 qubits, or raise --max-width \(width 8 needed\)/,
    '--open', 'xxxxxxxx01101001', '--max-width', '6');
  refuse(/over the width limit of 2\^6: open at most 6 qubits, or raise --max-memory/, '--open', 'xxxxxxxx01101001', '--max-memory', '1KiB');
});

test('plan of a circuit whose network simplifies to one tensor says there is nothing to contract (no -Infinity)', { timeout: 60000 }, () => {
  const q = join(dir, 'ghz3.qasm');
  writeFileSync(q, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n');
  const text = tz('plan', q, '--time', '0');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /nothing to contract/);
  assert.doesNotMatch(text.stdout, /Infinity|NaN/);
  const json = tz('plan', q, '--time', '0', '--json');
  assert.equal(json.status, 0, json.stderr);
  const j = JSON.parse(json.stdout) as { multiplyAdds: number; flops: number; log10MultiplyAdds: number | null; tensors: number };
  assert.equal(j.tensors, 1);
  assert.equal(j.multiplyAdds, 0);
  assert.equal(j.flops, 0);
  assert.equal(j.log10MultiplyAdds, null);
});

test('run --method tensor with a sliced plan sums slices on the local pool: same bits for 1 and 2 threads, equal to the state vector; progress events', { timeout: 60000 }, async () => {
  const { slicedAmplitudes } = await import('../../src/cli/sliced-amplitudes.js');
  const q = testCircuitQasm(10, 8, 4);
  const pattern = '1x10x11100';
  const pp = join(dir, 'run-plan.json');
  const plan = testPlan(q, pattern, 4, (s) => parseQasm(s));
  writeFileSync(pp, serializePlan(plan));
  const one = tz('run', qf, '--method', 'tensor', '--plan', pp, '--amplitudes', pattern, '--threads', '1', '--json');
  const two = tz('run', qf, '--method', 'tensor', '--plan', pp, '--amplitudes', pattern, '--threads', '2', '--json');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(one.stdout, two.stdout);
  assert.equal(one.stderr, '');
  const A = JSON.parse(one.stdout) as { amplitudes: Record<string, [number, number]> };
  assert.equal(Object.keys(A.amplitudes).length, 4);
  const sv = tz('run', qf, '--method', 'statevector', '--amplitudes', pattern, '--json');
  const S = JSON.parse(sv.stdout) as { amplitudes: Record<string, [number, number]> };
  for (const b of Object.keys(S.amplitudes)) {
    assert.ok(Math.abs(A.amplitudes[b][0] - S.amplitudes[b][0]) < 1e-12 && Math.abs(A.amplitudes[b][1] - S.amplitudes[b][1]) < 1e-12, b);
  }
  // The table form works too, and --batch-size without a sliced plan is refused.
  const table = tz('run', qf, '--method', 'tensor', '--plan', pp, '--amplitudes', pattern, '--threads', '2');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /engine {4}tensor/);
  const bs = tz('run', qf, '--method', 'statevector', '--amplitudes', '1010011100', '--batch-size', '2');
  assert.equal(bs.status, 1);
  assert.match(bs.stderr, /--batch-size applies to --method tensor with a sliced --plan/);

  // API: progress events over every job, ending at the total slice count.
  const events: ProgressEvent[] = [];
  const amps = await slicedAmplitudes(parseQasm(q), [pattern], plan, { planFile: pp, threads: 2, batchSize: 3, onProgress: (e) => events.push(e) });
  assert.deepEqual(Object.keys(amps).sort(), Object.keys(A.amplitudes).sort());
  assert.equal(events[events.length - 1].done, 16);
  assert.ok(events.every((e) => e.total === 16 && e.gflops !== undefined));
});
