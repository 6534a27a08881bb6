/**
 * `npm run bench:sv [-- --max-qubits 26 --min-qubits 20 --sizes 20,24 --fuse 3,4 --threads 1,2 --depth 20 --no-qc --qc-sizes 16 --no-files --blocking 0,18/2 --reps 3 --precision double]`: fast state-vector
 * benchmark. Measures this machine's copy bandwidth, then runs random grid circuits (depth 20) and
 * qsim's circuit_q24/circuit_q30 (../shared/circuits) at n = 20, 24, 26, 28, 30 (up to
 * --max-qubits), single precision (--precision double: complex128), for each fusion size (and --blocking choice) on 1 and 2 threads (from 28 qubits on, only
 * the largest thread count unless --all-threads); and the same kind of 16/20-qubit circuits
 * through the npm package quantum-circuit. Prints a table and one JSON line per row.
 * Bandwidth counts bytes read + written: one fused op sweeps the state once (2 × state bytes).
 */
import { readFileSync, existsSync } from 'node:fs';
import { freemem } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Circuit } from '../src/circuit/circuit.js';
import { parseQsim } from '../src/formats/qsim.js';
import { StatevectorEngine, planCircuit, localExecutor, DEFAULT_FUSE, defaultFuse, defaultChunkBits } from '../src/statevector/engine.js';
import { allocState, sampleIndices } from '../src/statevector/state.js';
import { Rng } from '../src/statevector/rng.js';
import { threadExecutor } from '../src/statevector/threads.node.js';
import { blockedSteps, blockingApplies, defaultBlocking, type BlockingOptions } from '../src/statevector/cache-blocking.js';
import { gridCircuit } from './sv-circuits.js';
import { svWasmVariant } from '../src/statevector/wasm.js';
import { disableRelaxedSimd } from '../src/backend/relaxed-simd.js';
import type { Precision } from '../src/engine/types.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const maxQubits = Number(opt('max-qubits', '26'));
const minQubits = Number(opt('min-qubits', '20'));
const fuses = opt('fuse', String(DEFAULT_FUSE)).split(',').map(Number);
const depth = Number(opt('depth', '20'));
const threadList = opt('threads', '1,2').split(',').map(Number);
const sizes = opt('sizes', '20,24,26,28,30').split(',').map(Number).filter((n) => n >= minQubits && n <= maxQubits);
const withQc = !args.includes('--no-qc');
// quantum-circuit takes minutes at 16 qubits and over half an hour at 20: --qc-sizes 16 skips 20.
const qcSizes = opt('qc-sizes', '16,20').split(',').map(Number);
const withFiles = !args.includes('--no-files');
const allThreads = args.includes('--all-threads');
const reps = Math.max(1, Number(opt('reps', '1')));
const precision = opt('precision', 'single') as Precision;
if (precision !== 'single' && precision !== 'double') throw new Error(`--precision must be single or double, found '${precision}'`);
/** Bytes per amplitude. */
const amp = precision === 'single' ? 8 : 16;
// Cache blockings to compare, each BITS/HIGH[/EXTRA[/FROM[/GLOBALS]]] (log2 group size / high
// positions per in-place window / extra high positions of a staged window, 0 = never staged /
// position from which windows are staged / 0 = route global qubits by chunk exchanges instead of
// staging them; 0 = no blocking), e.g. --blocking 0,18/2/0,18/2/2/25,18/2/4/26/0; default: the engine's.
const blockingList: Array<BlockingOptions | undefined> = opt('blocking', '')
  .split(',')
  .filter((x) => x !== '')
  .map((x) => {
    const [bits, high, extra, from, globals] = x.split('/');
    const d = defaultBlocking(precision);
    const stage = extra === undefined ? d.stage : extra === '0' ? undefined : {
      extraHigh: Number(extra), from: from === undefined ? d.stage!.from : Number(from), globals: globals !== '0',
    };
    return { blockBits: Number(bits), high: high === undefined ? d.high : Number(high), stage };
  });
// --plain-simd: the SIMD128 kernel build instead of the relaxed-SIMD (FMA) one, for comparison.
if (args.includes('--plain-simd')) disableRelaxedSimd(true);
// npm runs scripts from the repository root; the shared circuits sit next to it.
const shared = join(process.cwd(), '..', 'shared', 'circuits');

/** Copy bandwidth of a large TypedArray.set, read + written bytes per second (best of 5). */
function copyBandwidth(): number {
  const floats = 64 * 1024 * 1024; // 256 MiB
  const a = new Float32Array(floats).fill(1);
  const b = new Float32Array(floats);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    b.set(a);
    best = Math.min(best, performance.now() - t);
  }
  return (2 * floats * 4) / (best / 1000) / 1e9;
}

interface Row {
  circuit: string;
  qubits: number;
  precision: Precision;
  engine: string;
  threads: number;
  fuse: number;
  /** Cache blocking: log2 group size / high positions per window, or none. */
  blocking?: string;
  gates: number;
  passes: number;
  /** Median over the --reps runs (seconds is the best). */
  medianSeconds?: number;
  /** Memory sweeps after cache blocking (≤ passes). */
  sweeps?: number;
  seconds: number;
  gatesPerSecond: number;
  gbPerSecond: number;
  copyGBs: number;
  fractionOfCopy: number;
  speedup?: number;
}

const rows: Row[] = [];
function report(r: Row): void {
  rows.push(r);
  console.log(JSON.stringify({ bench: 'sv', ...r, kernels: svWasmVariant() }));
}

const copy = copyBandwidth();
console.log(`${precision === 'single' ? 'complex64' : 'complex128'} states; copy bandwidth (TypedArray.set, 256 MiB, read+write): ${copy.toFixed(2)} GB/s; free memory ${(freemem() / 1024 ** 3).toFixed(1)} GiB; kernels: ${svWasmVariant()}`);

async function timeTaizhang(name: string, c: Circuit, threads: number, fuse: number, blocking?: BlockingOptions): Promise<Row> {
  const n = c.numQubits;
  const plan = planCircuit(c, fuse);
  const passes = plan.reduce((s, st) => s + (st.kind === 'ops' ? st.ops.length : 0), 0);
  // Memory sweeps: a cache-blocked window of ops streams the state once.
  const b = blocking ?? defaultBlocking(precision);
  // The schedule the engine runs: chunks of the default size, global qubits staged or routed.
  const layout = { numQubits: n, chunkBits: Math.min(n, defaultChunkBits(precision)), chunks: [] };
  const sweeps = plan.reduce((s, st) => s + (st.kind !== 'ops' ? 0 : blockedSteps(layout, st.ops, b).length), 0);
  const e = new StatevectorEngine({ executor: () => threadExecutor(threads, undefined, blocking) });
  // The shared host's memory system varies run to run (±25% seen): best of --reps runs, median kept too.
  const all: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await e.run(c, { precision, fuse, amplitudes: ['0'.repeat(n)] });
    all.push((performance.now() - t) / 1000);
  }
  const seconds = Math.min(...all);
  const median = [...all].sort((x, y) => x - y)[Math.floor(all.length / 2)];
  const gates = c.gates().length;
  const gb = (passes * 2 * 2 ** n * amp) / seconds / 1e9;
  return { circuit: name, qubits: n, precision, engine: 'taizhang', threads, fuse, blocking: blockingApplies(layout.chunkBits, b) ? `${b.blockBits}/${b.high}${b.stage ? `/${b.stage.extraHigh}/${b.stage.from}${b.stage.globals === false ? '/0' : ''}` : ''}` : 'none', gates, passes, sweeps, seconds, medianSeconds: median, gatesPerSecond: gates / seconds, gbPerSecond: gb, copyGBs: copy, fractionOfCopy: gb / copy };
}

for (const n of sizes) {
  const need = 2 ** n * amp;
  if (need * 1.3 > freemem()) {
    console.log(`skip n=${n}: needs ${(need / 1024 ** 3).toFixed(1)} GiB, ${(freemem() / 1024 ** 3).toFixed(1)} GiB free`);
    continue;
  }
  const circuits: Array<[string, Circuit]> = [[`grid-fsim-d${depth}`, gridCircuit(n, depth)]];
  const file = n === 24 ? 'circuit_q24' : n === 30 ? 'circuit_q30' : undefined;
  if (file && withFiles) {
    const path = join(shared, file);
    if (existsSync(path)) circuits.push([file, parseQsim(readFileSync(path, 'utf8'), path)]);
    else console.log(`skip ${file}: ${path} missing`);
  }
  const threadsHere = n >= 28 && !allThreads ? [Math.max(...threadList)] : threadList;
  for (const [name, c] of circuits)
    for (const fuse of fuses)
      for (const blocking of blockingList.length ? blockingList : [undefined]) {
      let one: number | undefined;
      for (const threads of threadsHere) {
        const r = await timeTaizhang(name, c, threads, fuse, blocking);
        if (threads === 1) one = r.seconds;
        else if (one) r.speedup = one / r.seconds;
        report(r);
      }
    }
}

{
  // A million shots from a state of min(26, max) qubits: only the sampling is timed.
  const n = Math.min(26, maxQubits);
  const st = allocState(n, 'single', 26);
  const exec = localExecutor();
  for (const step of planCircuit(gridCircuit(n, 2), DEFAULT_FUSE)) if (step.kind === 'ops') exec.apply(st, step.ops);
  const rng = new Rng(1);
  const u = new Float64Array(1_000_000).map(() => rng.random());
  const t = performance.now();
  const idx = sampleIndices(st, u);
  const seconds = (performance.now() - t) / 1000;
  console.log(JSON.stringify({ bench: 'sv-shots', qubits: n, shots: idx.length, seconds }));
  console.log(`1e6 shots from a ${n}-qubit state: ${seconds.toFixed(2)} s`);
}

if (withQc) {
  // quantum-circuit (npm) on the same style of circuit, with gates it has (u3 + cz).
  const require = createRequire(import.meta.url);
  type QC = { appendGate(g: string, w: number | number[], o?: object): void; run(): void };
  const QuantumCircuit = require('quantum-circuit') as new (n: number) => QC;
  for (const n of qcSizes) {
    if (n > maxQubits) continue;
    const c = gridCircuit(n, depth, { style: 'cz' });
    const ours = await timeTaizhang(`grid-cz-d${depth}`, c, 1, defaultFuse(n));
    report(ours);
    const qc = new QuantumCircuit(n);
    for (const g of c.gates()) {
      if (g.name === 'cz') qc.appendGate('cz', [...g.qubits]);
      else qc.appendGate('u3', g.qubits[0], { params: { theta: g.params[0], phi: g.params[1], lambda: g.params[2] } });
    }
    const t = performance.now();
    qc.run();
    const seconds = (performance.now() - t) / 1000;
    report({
      circuit: `grid-cz-d${depth}`, qubits: n, precision: 'double', engine: 'quantum-circuit', threads: 1, fuse: 0, gates: c.gates().length, passes: c.gates().length,
      seconds, gatesPerSecond: c.gates().length / seconds, gbPerSecond: 0, copyGBs: copy, fractionOfCopy: 0, speedup: ours.seconds / seconds,
    });
    console.log(`quantum-circuit ${n} qubits: ${seconds.toFixed(2)} s; taizhang ${ours.seconds.toFixed(3)} s → ${(seconds / ours.seconds).toFixed(0)}× faster`);
  }
}

console.log('\ncircuit            n  engine           thr fuse block gates passes sweeps   seconds    median   gates/s    GB/s  %copy  speedup');
for (const r of rows)
  console.log(
    `${r.circuit.padEnd(18)} ${String(r.qubits).padStart(2)}  ${r.engine.padEnd(15)} ${String(r.threads).padStart(3)} ${String(r.fuse).padStart(4)} ${String(r.blocking ?? '').padStart(5)} ${String(r.gates).padStart(5)} ${String(r.passes).padStart(6)} ${String(r.sweeps ?? '').padStart(6)} ${r.seconds.toFixed(3).padStart(9)} ${(r.medianSeconds ?? r.seconds).toFixed(3).padStart(9)} ${r.gatesPerSecond.toExponential(2).padStart(9)} ${r.gbPerSecond.toFixed(2).padStart(7)} ${(100 * r.fractionOfCopy).toFixed(0).padStart(5)}% ${r.speedup !== undefined ? r.speedup.toFixed(2).padStart(8) : ''}`,
  );
process.exit(0);
