/**
 * Cluster mode against a real redis-server on a free loopback port: worker processes started
 * through the CLI, a worker SIGKILLed mid-run, a client restarted mid-run, a wrong plan.
 * Skips (with a message) when redis-server is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseQasm } from '../../src/formats/qasm2/index.js';
import { serializePlan } from '../../src/contraction/plan.js';
import { networkJobSpec } from '../../src/runtime/network-job.js';
import { runSlicesThreads } from '../../src/runtime/pool.node.js';
import { batchComputeCounts, runSlicesRedis } from '../../src/runtime/cluster.node.js';
import { encodeFloat64 } from '../../src/runtime/types.js';
import type { SliceJobSpec } from '../../src/runtime/types.js';
import type { ProgressEvent } from '../../src/engine/types.js';
import { hasRedisServer, startRedisServer, stopChild, type LocalRedisServer } from '../../src/runtime/redis-server.node.js';
import { testCircuitQasm, testPlan } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const hasRedis = hasRedisServer();
const skip = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server); cluster tests skipped';
if (!hasRedis) console.log(`# SKIP: ${skip}`);

let server: LocalRedisServer | undefined;
let url = '';
const children = new Set<ChildProcess>();
const dir = mkdtempSync(join(tmpdir(), 'tz-cluster-'));

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `taizhang worker` and resolves once it is ready; `lines` collects its stdout lines. */
async function startWorker(queue: string, lines: string[] = []): Promise<ChildProcess> {
  const p = spawn(process.execPath, [MAIN, 'worker', '--redis', url, '--queue', queue, '--concurrency', '1', '--lock-ms', '1000', '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(p);
  p.on('exit', () => children.delete(p));
  let buf = '';
  p.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await until(() => lines.some((l) => l.startsWith('worker ready')) || p.exitCode !== null, 15000, 'worker to start');
  if (p.exitCode !== null) throw new Error(`worker exited early: ${err}`);
  return p;
}

const stopWorker = (p: ChildProcess): Promise<void> => stopChild(p, 5000);

before(async () => {
  if (!hasRedis) return;
  server = await startRedisServer();
  url = server.url;
});

after(async () => {
  await Promise.all([...children].map(stopWorker));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const qasm = testCircuitQasm();
const pattern = '0110x0101x';

test('3 worker processes compute a sliced amplitude batch bit-identical to the local run (API and CLI)', { skip, timeout: 40000 }, async () => {
  const plan = testPlan(qasm, pattern, 5, (s) => parseQasm(s));
  const spec = networkJobSpec(qasm, pattern, plan);
  const local = await runSlicesThreads(spec, { threads: 1, batchSize: 2 });
  const workers = await Promise.all([0, 1, 2].map(() => startWorker('q-net')));
  const r = await runSlicesRedis(spec, { redis: url, queue: 'q-net', batchSize: 2, timeoutMs: 30000 });
  assert.equal(r.totalSlices, 32);
  assert.equal(r.batches, 16);
  assert.equal(encodeFloat64(r.data), encodeFloat64(local.data));

  // Same through the CLI (fresh run id, so it really computes again).
  const qf = join(dir, 'c.qasm');
  const pf = join(dir, 'plan.json');
  writeFileSync(qf, qasm);
  writeFileSync(pf, serializePlan(plan));
  const cli = spawnSync(process.execPath, [MAIN, 'contract', qf, '--plan', pf, '--open', pattern, '--redis', url, '--queue', 'q-net', '--batch-size', '2', '--run-id', 'cli-run', '--json', '--timeout', '30'], { encoding: 'utf8', timeout: 35000 });
  assert.equal(cli.status, 0, cli.stderr);
  const out = JSON.parse(cli.stdout) as { amplitudes: Record<string, [number, number]>; runId: string; slices: number };
  assert.equal(out.runId, 'cli-run');
  assert.equal(out.slices, 32);
  const b0 = '0110001010';
  assert.deepEqual(out.amplitudes[b0], [local.data[0], local.data[1]]);
  await Promise.all(workers.map(stopWorker));
});

const slow: SliceJobSpec = { kind: 'synthetic', input: { slices: 24, entries: 16, seed: 3, work: 60000 } };

test('a worker SIGKILLed mid-batch: its batch is retried elsewhere, result exact, every batch stored once', { skip, timeout: 40000 }, async () => {
  const local = await runSlicesThreads(slow, { threads: 1, batchSize: 2 });
  const victimLines: string[] = [];
  const victim = await startWorker('q-kill', victimLines);
  const survivor = await startWorker('q-kill');
  const run = runSlicesRedis(slow, { redis: url, queue: 'q-kill', batchSize: 2, runId: 'kill-run', timeoutMs: 35000 });
  await until(() => victimLines.some((l) => l.startsWith('batch start')), 15000, 'the victim to start a batch');
  const started = victimLines.filter((l) => l.startsWith('batch start')).map((l) => Number(l.split(' ')[3]));
  const victimDone = new Set(victimLines.filter((l) => l.startsWith('batch done')).map((l) => Number(l.split(' ')[3])));
  victim.kill('SIGKILL');
  const killedBatch = started.find((b) => !victimDone.has(b));
  const r = await run;
  assert.equal(encodeFloat64(r.data), encodeFloat64(local.data));
  const conn = new Redis(url);
  const stored = await conn.hlen('q-kill:run:kill-run:parts');
  conn.disconnect();
  assert.equal(stored, 12);
  const counts = await batchComputeCounts(url, 'kill-run', 'q-kill');
  assert.equal(counts.size, 12);
  if (killedBatch !== undefined) assert.ok((counts.get(killedBatch) ?? 0) >= 1, `killed batch ${killedBatch} was finished by another worker`);
  await stopWorker(survivor);
});

test('a client restarted mid-run resumes from the finished batches without recomputing them', { skip, timeout: 40000 }, async () => {
  const spec: SliceJobSpec = { kind: 'synthetic', input: { slices: 20, entries: 16, seed: 9, work: 60000 } };
  const local = await runSlicesThreads(spec, { threads: 1, batchSize: 2 });
  const worker = await startWorker('q-resume');
  const ac = new AbortController();
  const first = runSlicesRedis(spec, {
    redis: url,
    queue: 'q-resume',
    batchSize: 2,
    signal: ac.signal,
    onProgress: (e) => {
      if (e.done >= 4) ac.abort();
    },
  });
  await assert.rejects(first, /interrupted; \d+\/10 batches finished \(run again to resume\)/);
  const second = await runSlicesRedis(spec, { redis: url, queue: 'q-resume', batchSize: 2, timeoutMs: 30000 });
  assert.ok(second.resumedBatches >= 2, `resumed ${second.resumedBatches} batches`);
  assert.equal(encodeFloat64(second.data), encodeFloat64(local.data));
  const counts = await batchComputeCounts(url, second.runId, 'q-resume');
  assert.equal(counts.size, 10);
  for (const [b, c] of counts) assert.equal(c, 1, `batch ${b} computed ${c} times`);
  // A third client finds everything done and computes nothing.
  const third = await runSlicesRedis(spec, { redis: url, queue: 'q-resume', batchSize: 2, timeoutMs: 10000 });
  assert.equal(third.resumedBatches, 10);
  assert.equal(encodeFloat64(third.data), encodeFloat64(local.data));
  await stopWorker(worker);
});

test('a wrong plan is refused with a clear error before anything is queued; a reused run id for another problem too', { skip, timeout: 20000 }, async () => {
  const qf = join(dir, 'w.qasm');
  const pf = join(dir, 'wrong-plan.json');
  writeFileSync(qf, qasm);
  writeFileSync(pf, serializePlan(testPlan(testCircuitQasm(10, 8, 7), pattern, 3, (s) => parseQasm(s))));
  const cli = spawnSync(process.execPath, [MAIN, 'contract', qf, '--plan', pf, '--open', pattern, '--redis', url, '--queue', 'q-wrong', '--timeout', '5'], { encoding: 'utf8', timeout: 15000 });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /wrong-plan\.json does not fit .*w\.qasm.*plan does not match this network: plan fingerprint/);
  const conn = new Redis(url);
  assert.equal(await conn.exists('bull:q-wrong:meta', 'bull:q-wrong:wait'), 0);
  conn.disconnect();
  await runSlicesRedis({ kind: 'synthetic', input: { slices: 2, entries: 1, seed: 1, work: 1 } }, { redis: url, queue: 'q-wrong', runId: 'taken', timeoutMs: 1 }).catch(() => undefined);
  await assert.rejects(
    runSlicesRedis({ kind: 'synthetic', input: { slices: 3, entries: 1, seed: 1, work: 1 } }, { redis: url, queue: 'q-wrong', runId: 'taken', timeoutMs: 1000 }),
    /run taken already exists in Redis for a different problem/,
  );
});

test('taizhang run --method tensor --plan --redis: same JSON amplitudes as the local pool, bit for bit; usage errors', { skip, timeout: 60000 }, async () => {
  const open = '00x11x0111';
  const bits = ['0001100111', '0011110111'];
  const openPlan = testPlan(qasm, open, 4, (s) => parseQasm(s));
  const bitPlan = testPlan(qasm, bits[0], 4, (s) => parseQasm(s));
  const qf = join(dir, 'run.qasm');
  const pOpen = join(dir, 'run-open-plan.json');
  const pBits = join(dir, 'run-bits-plan.json');
  writeFileSync(qf, qasm);
  writeFileSync(pOpen, serializePlan(openPlan));
  writeFileSync(pBits, serializePlan(bitPlan));
  // Reference: the single-process executor on the same batches.
  const refOpen = await runSlicesThreads(networkJobSpec(qasm, open, openPlan), { threads: 1, batchSize: 3 });
  const refBits = await Promise.all(bits.map((b) => runSlicesThreads(networkJobSpec(qasm, b, bitPlan), { threads: 1, batchSize: 3 })));
  const expected: Record<string, [number, number]> = {};
  ['0001100111', '0001110111', '0011100111', '0011110111'].forEach((b, e) => (expected[b] = [refOpen.data[2 * e], refOpen.data[2 * e + 1]]));
  assert.ok(Math.hypot(...expected['0001100111']) > 0.05, 'the test amplitude is not trivially zero');

  const workers = await Promise.all([0, 1].map(() => startWorker('q-run')));
  const runTz = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [MAIN, 'run', qf, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
  const viaRedis = await runTz('--method', 'tensor', '--plan', pOpen, '--amplitudes', open, '--redis', url, '--queue', 'q-run', '--batch-size', '3', '--timeout', '40', '--json');
  assert.equal(viaRedis.status, 0, viaRedis.stderr);
  assert.equal(viaRedis.stderr, '', 'no progress bar under --json / non-TTY');
  const R = JSON.parse(viaRedis.stdout) as { qubits: number; amplitudes: Record<string, [number, number]> };
  assert.deepEqual(Object.keys(R), ['qubits', 'amplitudes']);
  assert.equal(R.qubits, 10);
  assert.deepEqual(R.amplitudes, expected);

  // Same command without --redis (local pool, 2 threads) prints the same bytes.
  const local = await runTz('--method', 'tensor', '--plan', pOpen, '--amplitudes', open, '--threads', '2', '--batch-size', '3', '--json');
  assert.equal(local.status, 0, local.stderr);
  assert.equal(local.stdout, viaRedis.stdout);

  // Two fixed bitstrings with a plan for fixed outputs: two cluster jobs, enqueued together.
  const two = await runTz('--method', 'tensor', '--plan', pBits, '--amplitudes', bits.join(','), '--redis', url, '--queue', 'q-run', '--batch-size', '3', '--run-id', 'run-two', '--timeout', '40', '--json');
  assert.equal(two.status, 0, two.stderr);
  const T = JSON.parse(two.stdout) as { amplitudes: Record<string, [number, number]> };
  bits.forEach((b, k) => assert.deepEqual(T.amplitudes[b], [refBits[k].data[0], refBits[k].data[1]]));
  const counts = await batchComputeCounts(url, 'run-two-1', 'q-run');
  assert.equal(counts.size, refBits[1].batches);

  // Clear refusals.
  const wrong = await runTz('--method', 'tensor', '--plan', pOpen, '--amplitudes', bits[0], '--redis', url, '--queue', 'q-run');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /run-open-plan\.json does not fit .*run\.qasm with output '0001100111': plan does not match this network/);
  const noPlan = await runTz('--amplitudes', bits[0], '--redis', url);
  assert.equal(noPlan.status, 1);
  assert.match(noPlan.stderr, /--redis needs --plan plan\.json/);
  const sv = await runTz('--method', 'statevector', '--plan', pOpen, '--amplitudes', bits[0], '--redis', url);
  assert.equal(sv.status, 1);
  assert.match(sv.stderr, /--redis runs the tensor method; --method statevector cannot use it/);
  const probs = await runTz('--method', 'tensor', '--plan', pOpen, '--probabilities', '--redis', url);
  assert.equal(probs.status, 1);
  assert.match(probs.stderr, /--redis computes amplitudes only/);
  const queueOnly = await runTz('--amplitudes', bits[0], '--queue', 'q');
  assert.equal(queueOnly.status, 1);
  assert.match(queueOnly.stderr, /--queue needs --redis URL/);
  // API behind `run --redis`: progress events (slices done/total, GFLOP/s) reach the caller.
  const { slicedAmplitudes } = await import('../../src/cli/sliced-amplitudes.js');
  const events: ProgressEvent[] = [];
  const amps = await slicedAmplitudes(parseQasm(qasm), [open], openPlan, { planFile: pOpen, redis: url, queue: 'q-run', batchSize: 3, runId: 'run-progress', timeoutMs: 30000, onProgress: (e) => events.push(e) });
  assert.deepEqual(amps, expected);
  assert.ok(events.length >= 1);
  assert.equal(events[events.length - 1].done, refOpen.totalSlices);
  assert.ok(events.every((e) => e.total === refOpen.totalSlices && e.gflops !== undefined));
  await Promise.all(workers.map(stopWorker));
});

test('two clients waiting on the same run both finish with the exact sum (wake-ups taken by the other are caught up)', { skip, timeout: 40000 }, async () => {
  const spec: SliceJobSpec = { kind: 'synthetic', input: { slices: 16, entries: 4, seed: 21, work: 20000 } };
  const local = await runSlicesThreads(spec, { threads: 1, batchSize: 1 });
  const worker = await startWorker('q-two');
  const [a, b] = await Promise.all([0, 1].map(() => runSlicesRedis(spec, { redis: url, queue: 'q-two', batchSize: 1, runId: 'shared-run', timeoutMs: 30000, pollMs: 50 })));
  assert.equal(encodeFloat64(a.data), encodeFloat64(local.data));
  assert.equal(encodeFloat64(b.data), encodeFloat64(local.data));
  const counts = await batchComputeCounts(url, 'shared-run', 'q-two');
  assert.equal(counts.size, 16);
  for (const [i, c] of counts) assert.equal(c, 1, `batch ${i} computed ${c} times`);
  await stopWorker(worker);
});
