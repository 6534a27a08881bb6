/**
 * `npm run bench:scaling`: time for one sliced amplitude of a grid circuit with 1 and 2 worker
 * threads, and with 1 and 2 local worker processes through Redis/BullMQ (a redis-server is
 * started on a free loopback port; those rows are skipped when it is not installed).
 * Prints a table and one JSON line per row: seconds, parallel efficiency (T1 / (k · Tk), T1 =
 * one cold thread), scaling against the same mode's 1-worker row, the queue overhead per batch
 * (measured directly: --empty N batches of no work through one Redis worker), and the 1-minute
 * load average (the machine may be shared; efficiency drops when other processes run).
 *
 * Every row is the best of --repeat R runs (default 3).
 * Options: --rows R --cols C --layers L --sliced S (default 5×5, 20 layers, 5 sliced → 32 slices of ~0.5 s;
 * CZ gates became hyperedges in the network, so 16 layers now gives slices too short to time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parseQasm } from '../src/formats/qasm2/index.js';
import { amplitudeNetwork } from '../src/network/api.js';
import { toProblem } from '../src/network/types.js';
import { greedyPath } from '../src/contraction/greedy.js';
import { ContractionTree } from '../src/contraction/tree.js';
import { makePlan } from '../src/contraction/plan.js';
import { networkJobSpec } from '../src/runtime/network-job.js';
import { runSlicesThreads, SliceThreadPool } from '../src/runtime/pool.node.js';
import { jobKeyOf } from '../src/runtime/pool-core.js';
import { runSlicesRedis } from '../src/runtime/cluster.node.js';
import { encodeFloat64 } from '../src/runtime/types.js';
import { hasRedisServer, startRedisServer } from '../src/runtime/redis-server.node.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const rows = arg('rows', 5);
const cols = arg('cols', 5);
const layers = arg('layers', 20);
const slicedCount = arg('sliced', 5);
/** Each row is the best of this many runs (timings on shared machines are noisy). */
const repeat = arg('repeat', 3);
/** Batches of the no-work run that measures queue overhead. */
const emptyBatches = arg('empty', 200);

/** Processes besides this one whose CPU time a measurement counts (Redis workers, redis-server). */
const helperPids: number[] = [];

/**
 * CPU seconds used so far by this process (all threads) and by `helperPids` (Linux /proc;
 * NaN elsewhere). Unlike wall time, CPU time is only mildly inflated by other load, so it shows
 * what a run costs in total even on a busy machine.
 */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  let total = (u.user + u.system) / 1e6;
  for (const pid of helperPids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
    } catch {
      return NaN;
    }
  }
  return total;
}

/** Runs `f` `repeat` times and keeps the fastest result, with the CPU seconds that run used. */
async function best<T extends { elapsedSeconds: number }>(f: (rep: number) => Promise<T>): Promise<T & { cpu: number }> {
  let out: (T & { cpu: number }) | undefined;
  for (let i = 0; i < repeat; i++) {
    const c0 = cpuSeconds();
    const r = await f(i);
    const cpu = cpuSeconds() - c0;
    if (!out || r.elapsedSeconds < out.elapsedSeconds) out = { ...r, cpu };
  }
  return out as T & { cpu: number };
}

/** A rows×cols grid circuit: H, then layers of CZ in 4 alternating patterns and T/RZ/√X singles. */
function gridQasm(): string {
  const n = rows * cols;
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const q = (r: number, c: number) => r * cols + c;
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${n}];`];
  for (let i = 0; i < n; i++) lines.push(`h q[${i}];`);
  for (let l = 0; l < layers; l++) {
    const pat = l % 4;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        if (pat < 2 && c % 2 === pat && c + 1 < cols) lines.push(`cz q[${q(r, c)}],q[${q(r, c + 1)}];`);
        if (pat >= 2 && r % 2 === pat - 2 && r + 1 < rows) lines.push(`cz q[${q(r, c)}],q[${q(r + 1, c)}];`);
      }
    for (let i = 0; i < n; i++) {
      const u = rnd();
      lines.push(u < 0.33 ? `t q[${i}];` : u < 0.66 ? `sx q[${i}];` : `rz(${(u * 3).toFixed(5)}) q[${i}];`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const qasm = gridQasm();
  const circuit = parseQasm(qasm);
  const pattern = '0'.repeat(circuit.numQubits);
  const net = amplitudeNetwork(circuit, pattern);
  const problem = toProblem(net);
  const tree = ContractionTree.fromPath(problem, greedyPath(problem));
  // Slice the indices with the most occurrences first (a simple, deterministic choice).
  const counts = new Map<number, number>();
  for (const t of problem.inputs) for (const i of t) counts.set(i, (counts.get(i) ?? 0) + 1);
  const sliced = [...counts.keys()].filter((i) => problem.sizes[i] === 2 && (counts.get(i) ?? 0) >= 2).sort((a, b) => a - b).slice(0, slicedCount);
  const plan = makePlan(problem, tree, sliced, { finder: 'bench-greedy' });
  const spec = networkJobSpec(qasm, pattern, plan);
  const batchSize = 1;
  type Row = { mode: string; workers: number; seconds: number; slices: number; batches: number; efficiency: number; selfScaling?: number; cpuSeconds: number; cpuEfficiency: number; overheadMsPerBatch?: number; exact: boolean; load1: number };
  const rowsOut: Row[] = [];
  let t1 = 0;
  let c1 = 0;
  let ref = '';
  const load = () => Math.round(loadavg()[0] * 100) / 100;
  const load0 = loadavg();
  const emit = (r: Row) => {
    rowsOut.push(r);
    console.log(JSON.stringify({ bench: 'scaling', circuit: `grid ${rows}x${cols} depth ${layers}`, ...r }));
  };
  for (const threads of [1, 2]) {
    const r = await best(() => runSlicesThreads(spec, { threads, batchSize }));
    if (threads === 1) {
      t1 = r.elapsedSeconds;
      c1 = r.cpu;
      ref = encodeFloat64(r.data);
    }
    emit({ mode: 'threads', workers: threads, seconds: r.elapsedSeconds, slices: r.totalSlices, batches: r.batches, efficiency: t1 / (threads * r.elapsedSeconds), selfScaling: t1 / (threads * r.elapsedSeconds), exact: encodeFloat64(r.data) === ref, cpuSeconds: r.cpu, cpuEfficiency: c1 / r.cpu, load1: load() });
  }
  // Warm pools (threads started and the network already built): the steady-state scaling.
  let w1 = 0;
  for (const threads of [1, 2]) {
    const pool = new SliceThreadPool(threads);
    try {
      await Promise.all(Array.from({ length: threads }, () => pool.runBatch(jobKeyOf(spec), spec, 0, 1)));
      const r = await best(() => runSlicesThreads(spec, { pool, batchSize }));
      if (threads === 1) w1 = r.elapsedSeconds;
      emit({ mode: 'threads-warm', workers: threads, seconds: r.elapsedSeconds, slices: r.totalSlices, batches: r.batches, efficiency: t1 / (threads * r.elapsedSeconds), selfScaling: w1 / (threads * r.elapsedSeconds), exact: encodeFloat64(r.data) === ref, cpuSeconds: r.cpu, cpuEfficiency: c1 / r.cpu, load1: load() });
    } finally {
      await pool.close();
    }
  }
  if (!hasRedisServer()) {
    console.log('# redis-server not installed: Redis rows skipped');
  } else {
    const server = await startRedisServer();
    const url = server.url;
    if (server.process.pid) helperPids.push(server.process.pid);
    const workers: ChildProcess[] = [];
    try {
      const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
      let r1 = 0;
      for (const k of [1, 2]) {
        while (workers.length < k) {
          const w = spawn(process.execPath, [main, 'worker', '--redis', url, '--concurrency', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
          await new Promise<void>((resolve) => w.stdout!.on('data', (d: Buffer) => d.toString().includes('worker ready') && resolve()));
          workers.push(w);
          if (w.pid) helperPids.push(w.pid);
        }
        if (k === 1) {
          // Queue overhead measured directly: batches of (almost) no work through one worker.
          const empty = { kind: 'synthetic', input: { slices: emptyBatches, entries: 2, seed: 1, work: 1 } };
          const e = await best((rep) => runSlicesRedis(empty, { redis: url, batchSize: 1, runId: `bench-empty-${rep}-${Date.now()}` }));
          emit({ mode: 'redis-empty', workers: 1, seconds: e.elapsedSeconds, slices: e.totalSlices, batches: e.batches, efficiency: NaN, overheadMsPerBatch: (e.elapsedSeconds / e.batches) * 1000, exact: true, cpuSeconds: e.cpu, cpuEfficiency: NaN, load1: load() });
        }
        const r = await best((rep) => runSlicesRedis(spec, { redis: url, batchSize, runId: `bench-${k}-${rep}-${Date.now()}` }));
        if (k === 1) r1 = r.elapsedSeconds;
        emit({ mode: 'redis', workers: k, seconds: r.elapsedSeconds, slices: r.totalSlices, batches: r.batches, efficiency: t1 / (k * r.elapsedSeconds), selfScaling: r1 / (k * r.elapsedSeconds), exact: encodeFloat64(r.data) === ref, cpuSeconds: r.cpu, cpuEfficiency: c1 / r.cpu, load1: load() });
      }
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await sleep(500);
      for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      await server.stop();
    }
  }
  console.log('');
  console.log(`One amplitude of a ${rows}x${cols} grid circuit, depth ${layers}: ${plan.sliced.length} sliced indices, ${rowsOut[0]?.slices} slices, batch = 1 slice, best of ${repeat} runs`);
  console.log(`efficiency = T(threads, 1) / (k · T); vs 1 = T(same mode, 1) / (k · T); redis-empty = ${emptyBatches} batches of no work (queue overhead)`);
  const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : `${(x * 100).toFixed(1)}%`);
  console.log('CPU s = CPU time of every process involved (this one, Redis workers, redis-server); CPU eff. = CPU(threads, 1) / CPU s, the wall efficiency an idle machine could reach');
  console.log('mode          workers  seconds  s/slice  efficiency    vs 1   CPU s  CPU eff.  overhead ms/batch  bit-exact  load(1m)');
  for (const r of rowsOut) {
    console.log(
      `${r.mode.padEnd(13)} ${String(r.workers).padStart(7)}  ${r.seconds.toFixed(3).padStart(7)}  ${(r.seconds / r.slices).toFixed(3).padStart(7)}  ${pct(r.efficiency).padStart(10)}  ${pct(r.selfScaling).padStart(6)}  ${r.cpuSeconds.toFixed(2).padStart(6)}  ${pct(r.cpuEfficiency).padStart(8)}  ${(r.overheadMsPerBatch !== undefined ? r.overheadMsPerBatch.toFixed(2) : '-').padStart(17)}  ${(r.exact ? 'yes' : 'NO').padStart(9)}  ${r.load1.toFixed(2).padStart(8)}`,
    );
  }
  const l = loadavg();
  console.log(`load average (1/5/15 min): ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${l.map((x) => x.toFixed(2)).join(' ')} at end, on ${availableParallelism()} cores (other processes depress efficiency)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
