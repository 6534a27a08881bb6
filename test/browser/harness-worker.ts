/**
 * Runs in a real browser, as a module Web Worker of the page served by browser.test.ts: loads the
 * public browser entry (src/index.js), then checks the state-vector engine (WASM kernels, Web
 * Worker threads over shared memory) and the Web Worker slice pool against in-browser references,
 * and posts a JSON report to the page. Everything here must use browser APIs only.
 */
// The public browser entry: loading it proves no Node-only module is reachable from it.
import { Rng, StatevectorEngine, simulateStatevector, webThreadExecutor, parseQasm, tensorEngine } from '../../src/index.js';
import { localExecutor } from '../../src/statevector/engine.js';
import { randomCircuit, maxDiff } from '../statevector/sv-helpers.js';
import { runSlicesWebWorkers, WebWorkerSlicePool } from '../../src/runtime/pool.browser.js';
import { createSliceJob, runSlicesInline } from '../../src/runtime/jobs.js';
import { networkJobSpec } from '../../src/runtime/network-job.js';
import { encodeFloat64, makeBatches, sumPartials, type SliceJobSpec } from '../../src/runtime/types.js';
import { svWasmVariant } from '../../src/statevector/wasm.js';
import { testCircuitQasm, testPlan } from '../runtime/helpers.js';

interface Scope {
  postMessage(message: unknown): void;
  crossOriginIsolated?: boolean;
}
const scope = globalThis as unknown as Scope;

/** One state-vector case: reference vs one thread, and Web Worker threads vs one thread (bits). */
interface SvCase { n: number; precision: string; fuse: number; threads: number; refDiff: number; identical: boolean }

/** Progress lines for the page (shown by the test when the harness stalls). */
const step = (what: string): void => scope.postMessage({ progress: what });

async function run(): Promise<unknown> {
  step('loaded');
  const sv: SvCase[] = [];
  const rng = new Rng(5);
  for (let trial = 0; trial < 3; trial++) {
    const n = 9 + trial;
    const c = randomCircuit(n, 50, rng);
    const want = simulateStatevector(c);
    for (const precision of ['double', 'single'] as const) {
      const fuse = 2 + trial;
      // Small cache-blocking groups and chunks so the blocked and global-qubit paths run too.
      const blocking = { blockBits: 6, high: 1 };
      const one = (await new StatevectorEngine({ maxChunkBits: n - 2, executor: () => localExecutor('wasm-simd', blocking) }).run(c, { statevector: true, precision, fuse })).statevector!;
      step(`sv n=${n} ${precision}: one thread done`);
      for (const threads of [2, 3]) {
        const e = new StatevectorEngine({ maxChunkBits: n - 2, executor: () => webThreadExecutor(threads, 'wasm-simd', undefined, blocking) });
        const got = (await e.run(c, { statevector: true, precision, fuse })).statevector!;
        let identical = got.length === one.length;
        for (let i = 0; identical && i < got.length; i++) if (!Object.is(got[i], one[i])) identical = false;
        sv.push({ n, precision, fuse, threads, refDiff: maxDiff(got, want), identical });
      }
    }
  }

  step('state vector done');
  // Tensor-network engine (WASM GEMM kernels) on amplitudes of a 12-qubit circuit.
  let tensorDiff = 0;
  {
    const c = randomCircuit(12, 60, rng);
    const want = simulateStatevector(c);
    const bits = ['000000000000', '101100111010', '110010001111', '011101100100'];
    const res = await tensorEngine.run(c, { amplitudes: bits });
    let norm = 0;
    bits.forEach((b) => {
      const idx = parseInt(b, 2); // qubit 0 leftmost = most significant index bit
      const [re, im] = res.amplitudes![b];
      tensorDiff = Math.max(tensorDiff, Math.hypot(re - want[2 * idx], im - want[2 * idx + 1]));
      norm += re * re + im * im;
    });
    if (!(norm > 0)) tensorDiff = Infinity; // all-zero amplitudes would prove nothing
  }
  step('tensor network done');
  // Slice pool: synthetic job and a sliced tensor network, bits against the inline reduction.
  const synthetic: SliceJobSpec = { kind: 'synthetic', input: { slices: 37, entries: 8, seed: 11, work: 20 } };
  const inline = encodeFloat64(sumPartials(runSlicesInline(createSliceJob(synthetic), makeBatches(37, 4))));
  const web = await runSlicesWebWorkers(synthetic, { threads: 2, batchSize: 4 });
  step('synthetic slice job done');
  const qasm = testCircuitQasm(10, 8, 2);
  const pattern = '01x0110x10';
  const spec = networkJobSpec(qasm, pattern, testPlan(qasm, pattern, 4, (s) => parseQasm(s)));
  const netInline = sumPartials(runSlicesInline(createSliceJob(spec), makeBatches(16, 3)));
  const pool = new WebWorkerSlicePool(2);
  let netWeb: Float64Array;
  try {
    netWeb = (await runSlicesWebWorkers(spec, { pool, batchSize: 3 })).data;
  } finally {
    await pool.close();
  }
  return {
    crossOriginIsolated: scope.crossOriginIsolated === true,
    wasmVariant: svWasmVariant(),
    sv,
    tensorDiff,
    slicePool: { syntheticIdentical: encodeFloat64(web.data) === inline, networkDiff: maxDiff(netWeb, netInline), networkNorm: Math.hypot(...netWeb), networkData: Array.from(netWeb) },
  };
}

// Only inside a browser worker: the Node test runner also loads this file (it lives under test/).
if ('WorkerGlobalScope' in globalThis) run().then(
  (report) => scope.postMessage({ ok: true, report }),
  (e: unknown) => scope.postMessage({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }),
);
