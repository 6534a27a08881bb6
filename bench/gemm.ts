/**
 * `npm run bench:gemm`: GFLOP/s of the tensor kernels (complex64 GEMM, square and skinny, and
 * one complex128 square, on the 'js' and 'wasm-simd' backends) and of whole contractions, next
 * to native BLAS (numpy's matmul, 1 and 2 threads) measured in the same run as a yardstick. Both
 * sides report their fastest run (best-of over ≥ 0.4 s), the fairest figure on a shared machine;
 * the interleaved rows alternate ours and numpy's runs so that both see the same load.
 * Prints a table and one JSON line per row.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { gemmKernel } from '../src/tensor/kernels.js';
import '../src/tensor/wasm.js';
import { disableTensorThreads, enableTensorThreads } from '../src/tensor/threads.node.js';
import { resolveBackend } from '../src/backend/registry.js';
import { Circuit } from '../src/circuit/circuit.js';
import { greedyPath } from '../src/contraction/greedy.js';
import { contractNetwork } from '../src/network/execute.js';
import { amplitudeNetwork } from '../src/network/api.js';
import { toProblem } from '../src/network/types.js';
import { mulberry32 } from '../src/contraction/rng.js';

type Shape = { name: string; m: number; n: number; k: number; c128?: boolean };
const shapes: Shape[] = [
  { name: 'square 256', m: 256, n: 256, k: 256 },
  { name: 'square 512', m: 512, n: 512, k: 512 },
  { name: 'square 1024', m: 1024, n: 1024, k: 1024 },
  { name: 'skinny 16384x64·64x4', m: 16384, n: 4, k: 64 },
  { name: 'skinny 64x4096·4096x64', m: 64, n: 64, k: 4096 },
  { name: 'skinny 4096x16·16x4096', m: 4096, n: 4096, k: 16 },
  { name: 'square 512', m: 512, n: 512, k: 512, c128: true },
];

const flopsOf = (s: Shape): number => 8 * s.m * s.n * s.k;

/**
 * Fastest single run of `fn` over at least `minSeconds` (after one warm-up): on the shared,
 * loaded machine the minimum is the least disturbed measurement (numpy is timed the same way).
 */
function time(fn: () => void, minSeconds = 0.4): number {
  fn();
  let best = Infinity;
  const t0 = performance.now();
  do {
    const t = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  } while ((performance.now() - t0) / 1000 < minSeconds);
  return best;
}

function ours(backend: string, s: Shape): number {
  const r = mulberry32(1);
  const F = s.c128 ? Float64Array : Float32Array;
  const a = new F(2 * s.m * s.k).map(() => r() - 0.5);
  const b = new F(2 * s.k * s.n).map(() => r() - 0.5);
  const c = new F(2 * s.m * s.n);
  const g = gemmKernel(backend);
  const secs = time(() => g(1, s.m, s.n, s.k, a, b, c), flopsOf(s) > 4e9 && backend === 'js' ? 0 : 0.4);
  return flopsOf(s) / secs / 1e9;
}

/** numpy matmul (complex64, or complex128 for `c128` shapes) GFLOP/s per shape with `threads` BLAS threads, or null if unavailable. */
function native(threads: number): number[] | null {
  const script = `
import json, time, numpy as np
shapes = json.loads(${JSON.stringify(JSON.stringify(shapes.map((s) => [s.m, s.n, s.k, s.c128 ? 1 : 0])))})
out = []
rng = np.random.default_rng(1)
for m, n, k, c128 in shapes:
    dt = np.complex128 if c128 else np.complex64
    a = (rng.random((m, k)) + 1j * rng.random((m, k))).astype(dt)
    b = (rng.random((k, n)) + 1j * rng.random((k, n))).astype(dt)
    a @ b
    best = float('inf'); t0 = time.perf_counter()
    while True:
        t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
        if time.perf_counter() - t0 > 0.4: break
    out.append(8.0 * m * n * k / best / 1e9)
print(json.dumps(out))
`;
  const t = String(threads);
  const res = spawnSync('python3', ['-c', script], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: t, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0) return null;
  try {
    return JSON.parse(res.stdout.trim().split('\n').pop()!) as number[];
  } catch {
    return null;
  }
}

function sycamoreLike(cycles: number, rows: number, cols: number, seed: number): Circuit {
  const n = rows * cols;
  const c = new Circuit(n);
  const rand = mulberry32(seed);
  const singles = ['sx', 'sy', 'sqrtw'];
  const pats: Array<Array<[number, number]>> = [[], [], [], []];
  for (let r = 0; r < rows; r++)
    for (let q = 0; q < cols; q++) {
      if (q + 1 < cols) pats[q % 2].push([r * cols + q, r * cols + q + 1]);
      if (r + 1 < rows) pats[2 + (r % 2)].push([r * cols + q, (r + 1) * cols + q]);
    }
  const order = [0, 1, 2, 3, 2, 3, 0, 1];
  for (let m = 0; m < cycles; m++) {
    for (let q = 0; q < n; q++) c.gate(singles[Math.floor(rand() * 3)], [q]);
    for (const [a, b] of pats[order[m % 8]]) c.fsim(Math.PI / 2, Math.PI / 6, a, b);
  }
  return c;
}

/**
 * wasm vs numpy with the runs interleaved (one of ours, one numpy matmul in a persistent python
 * process, repeated), best of each, both on `threads` threads: on a loaded machine both sides
 * then see the same load. Returns [ours, native] GFLOP/s, or null without numpy.
 */
async function interleaved(s: Shape, reps: number, threads: number): Promise<[number, number] | null> {
  const py = spawn('python3', ['-u', '-c', `
import sys, time, numpy as np
rng = np.random.default_rng(1)
a = (rng.random((${s.m}, ${s.k})) + 1j * rng.random((${s.m}, ${s.k}))).astype(np.complex64)
b = (rng.random((${s.k}, ${s.n})) + 1j * rng.random((${s.k}, ${s.n}))).astype(np.complex64)
a @ b
for line in sys.stdin:
    t = time.perf_counter(); a @ b; print(time.perf_counter() - t, flush=True)
`], { env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) } });
  const pending: Array<(line: string | null) => void> = [];
  createInterface({ input: py.stdout }).on('line', (l) => pending.shift()?.(l)).on('close', () => pending.splice(0).forEach((f) => f(null)));
  py.on('error', () => pending.splice(0).forEach((f) => f(null)));
  const ask = (): Promise<string | null> =>
    new Promise((resolve) => {
      pending.push(resolve);
      py.stdin.write('go\n');
    });
  if (threads > 1 && !(await enableTensorThreads(threads))) return null;
  try {
    const r = mulberry32(1);
    const a = new Float32Array(2 * s.m * s.k).map(() => r() - 0.5);
    const b = new Float32Array(2 * s.k * s.n).map(() => r() - 0.5);
    const c = new Float32Array(2 * s.m * s.n);
    const g = gemmKernel('wasm-simd');
    g(1, s.m, s.n, s.k, a, b, c);
    if ((await ask()) === null) return null;
    let ours = Infinity;
    let native = Infinity;
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      g(1, s.m, s.n, s.k, a, b, c);
      ours = Math.min(ours, (performance.now() - t) / 1000);
      const line = await ask();
      if (line === null) return null;
      native = Math.min(native, Number(line));
    }
    return [flopsOf(s) / ours / 1e9, flopsOf(s) / native / 1e9];
  } finally {
    py.stdin.end();
    disableTensorThreads();
  }
}

const rows: Array<Record<string, string | number | null>> = [];
const wasmOk = (() => {
  try {
    return resolveBackend('tensor.gemm', 'wasm-simd') === 'wasm-simd' && gemmKernel('wasm-simd') !== undefined;
  } catch {
    return false;
  }
})();
const n1 = native(1);
const n2 = native(2);
if (!n1) console.log('native: unavailable');
const wasm2: number[] = [];
if (wasmOk && (await enableTensorThreads(2))) {
  for (const s of shapes) wasm2.push(ours('wasm-simd', s));
  disableTensorThreads();
}
shapes.forEach((s, i) => {
  const js = ours('js', s);
  const wasm = wasmOk ? ours('wasm-simd', s) : null;
  const best = Math.max(js, wasm ?? 0);
  const best2 = Math.max(best, wasm2[i] ?? 0);
  rows.push({
    kind: s.c128 ? 'gemm c128' : 'gemm c64',
    case: s.name,
    js_gflops: +js.toFixed(2),
    wasm_gflops: wasm === null ? null : +wasm.toFixed(2),
    wasm2t_gflops: wasm2.length ? +wasm2[i].toFixed(2) : null,
    native1_gflops: n1 ? +n1[i].toFixed(2) : null,
    native2_gflops: n2 ? +n2[i].toFixed(2) : null,
    ratio_vs_native1: n1 ? +(best / n1[i]).toFixed(3) : null,
    ratio_vs_native2: n2 ? +(best2 / n2[i]).toFixed(3) : null,
  });
});

// Interleaved comparisons on the large squares, 1 and 2 threads (the fairest ratios under load).
if (wasmOk)
  for (const s of shapes.filter((x) => x.name.startsWith('square') && x.m >= 512 && !x.c128)) {
    const res = await interleaved(s, s.m >= 1024 ? 10 : 20, 1);
    if (res) rows.push({ kind: 'interleaved 1t', case: s.name, wasm_gflops: +res[0].toFixed(2), native1_gflops: +res[1].toFixed(2), ratio_vs_native1: +(res[0] / res[1]).toFixed(3) });
    const res2 = await interleaved(s, s.m >= 1024 ? 10 : 20, 2);
    if (res2) rows.push({ kind: 'interleaved 2t', case: s.name, wasm2t_gflops: +res2[0].toFixed(2), native2_gflops: +res2[1].toFixed(2), ratio_vs_native2: +(res2[0] / res2[1]).toFixed(3) });
  }

// Whole contractions: amplitude batches of grid circuits (greedy paths).
for (const [name, cyc, r, cc, open] of [
  ['grid 5x6 m=8, 6 open', 8, 5, 6, 6],
  ['grid 6x7 m=6, 8 open', 6, 6, 7, 8],
] as const) {
  const circ = sycamoreLike(cyc, r, cc, 7);
  const pattern = 'x'.repeat(open) + '0'.repeat(circ.numQubits - open);
  const net = amplitudeNetwork(circ, pattern);
  const path = greedyPath(toProblem(net));
  const row: Record<string, string | number | null> = { kind: 'contraction', case: name };
  for (const backend of ['js', ...(wasmOk ? ['wasm-simd'] : [])]) {
    for (const precision of ['single', 'double'] as const) {
      const res = contractNetwork(net, path, { backend, precision });
      row[`${backend}_${precision}_gflops`] = +res.gflops.toFixed(2);
      row.width = +res.width.toFixed(1);
      row.gflop = +(res.flops / 1e9).toFixed(3);
    }
  }
  rows.push(row);
}

const cols = ['kind', 'case', 'js_gflops', 'wasm_gflops', 'wasm2t_gflops', 'native1_gflops', 'native2_gflops', 'ratio_vs_native1', 'ratio_vs_native2'];
console.log(cols.map((c) => c.padEnd(16)).join(' '));
console.log('(ratio_vs_native1: best single-thread ours / BLAS 1 thread; ratio_vs_native2: best ours with ≤2 threads / BLAS 2 threads)');
for (const r of rows) {
  if (r.kind === 'contraction') {
    console.log(`${String(r.kind).padEnd(16)} ${String(r.case).padEnd(24)} ` + Object.entries(r).filter(([k]) => k.endsWith('gflops') || k === 'width' || k === 'gflop').map(([k, v]) => `${k}=${v}`).join(' '));
  } else console.log(cols.map((c) => String(r[c] ?? '-').padEnd(16)).join(' '));
}
for (const r of rows) console.log(JSON.stringify({ bench: 'gemm', ...r }));
