/**
 * Node-only: the hyper-optimizer across worker threads. Each worker runs `hyperOptimize` (trials,
 * final reconfiguration and, if asked, slicing) with its own seed for the same budget; the best
 * result by objective wins (ties: lowest worker number). With `shareSlicing`, the workers'
 * re-planning rounds share the cheapest slicing found so far through a `SliceExchange` (then
 * which chain continues from which result depends on timing).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { hyperOptimize } from './finders/index.js';
import type { HyperOptions, HyperResult } from './finders/index.js';
import { SliceExchange } from './exchange.js';
import { ContractionTree } from './tree.js';
import type { ContractionCost, ContractionProblem, SsaPath } from './types.js';

interface WorkerInput {
  problem: ContractionProblem;
  options: Omit<HyperOptions, 'share'>;
  /** `SliceExchange` buffer shared by all workers of one run. */
  share?: SharedArrayBuffer;
}

interface WorkerOutput {
  path: SsaPath;
  score: number;
  trials: number;
  best: HyperResult['best'];
  methodTrials?: Record<string, number>;
  sliced?: number[];
  slicedCost?: ContractionCost;
}

if (!isMainThread && parentPort && (workerData as { taizhangHyper?: boolean } | null)?.taizhangHyper) {
  const { problem, options, share } = (workerData as { input: WorkerInput }).input;
  const r = hyperOptimize(problem, { ...options, ...(share ? { share: new SliceExchange(share) } : {}) });
  const out: WorkerOutput = {
    path: r.tree.toPath(), score: r.score, trials: r.trials, best: r.best, methodTrials: r.methodTrials, sliced: r.sliced, slicedCost: r.slicedCost,
  };
  parentPort.postMessage(out);
}

/** `hyperOptimize` on `threads` worker threads (1 = in this thread). */
export async function hyperOptimizeThreads(
  problem: ContractionProblem,
  options: HyperOptions & { threads?: number; shareSlicing?: boolean } = {},
): Promise<HyperResult> {
  const threads = Math.max(1, options.threads ?? 1);
  const { threads: _t, shareSlicing, ...opts } = options;
  void _t;
  const { share: _s, ...optsNoShare } = opts;
  void _s;
  if (threads === 1) return hyperOptimize(problem, opts);
  const t0 = Date.now();
  const plain: ContractionProblem = { inputs: problem.inputs.map((t) => [...t]), output: [...problem.output], sizes: [...problem.sizes] };
  // With `shareSlicing`, workers share their best slicing, so each re-planning chain continues
  // from the best of all (off by default: it did not beat independent chains on m=20 in 2+2 runs).
  let numIndices = problem.sizes.length;
  for (const t of problem.inputs) for (const i of t) numIndices = Math.max(numIndices, i + 1);
  const share = shareSlicing ? SliceExchange.allocate(problem.inputs.length, numIndices) : undefined;
  const runs = Array.from({ length: threads }, (_, w) =>
    new Promise<WorkerOutput>((resolveRun, reject) => {
      const input: WorkerInput = { problem: plain, options: { ...optsNoShare, seed: (opts.seed ?? 1) * 1000 + w }, ...(share ? { share } : {}) };
      const worker = new Worker(new URL(import.meta.url), { workerData: { taizhangHyper: true, input } });
      worker.once('message', (m: WorkerOutput) => {
        resolveRun(m);
        void worker.terminate();
      });
      worker.once('error', reject);
    }),
  );
  const results = await Promise.all(runs);
  let best = 0;
  for (let w = 1; w < results.length; w++) if (results[w].score < results[best].score) best = w;
  const r = results[best];
  const methodTrials: Record<string, number> = {};
  for (const x of results) for (const [m, c] of Object.entries(x.methodTrials ?? {})) methodTrials[m] = (methodTrials[m] ?? 0) + c;
  return {
    tree: ContractionTree.fromPath(problem, r.path),
    score: r.score,
    trials: results.reduce((s, x) => s + x.trials, 0),
    seconds: (Date.now() - t0) / 1000,
    best: r.best,
    methodTrials,
    ...(r.sliced ? { sliced: r.sliced, slicedCost: r.slicedCost } : {}),
  };
}
