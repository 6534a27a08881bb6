/**
 * Path finders behind one interface, and the hyper-optimizer that samples them.
 */
import { GREEDY_COST_FNS, greedyPath } from '../greedy.js';
import { objectiveScore } from '../cost.js';
import type { Objective } from '../cost.js';
import { reconfigure } from '../reconfigure.js';
import { mulberry32 } from '../rng.js';
import { ContractionTree, IndexTotals } from '../tree.js';
import type { ContractionProblem } from '../types.js';

/** Common options of path finders. */
export interface FinderOptions {
  seed?: number;
  /** Finder-specific parameters (sampled by the hyper-optimizer). */
  params?: Readonly<Record<string, number | string>>;
}

/** A path finder: returns a complete contraction tree for a problem. */
export interface PathFinder {
  readonly name: string;
  find(problem: ContractionProblem, options?: FinderOptions): ContractionTree;
}

/** Plain greedy (deterministic, `out - a - b`). */
export const greedyFinder: PathFinder = {
  name: 'greedy',
  find(problem) {
    return ContractionTree.fromPath(problem, greedyPath(problem));
  },
};

/**
 * Randomized greedy: params `costFn` (a key of GREEDY_COST_FNS), `temperature` (Boltzmann),
 * `subtreeSize` (0 = no reconfiguration afterwards).
 */
export const randomGreedyFinder: PathFinder = {
  name: 'random-greedy',
  find(problem, options = {}) {
    const p = options.params ?? {};
    const fn = GREEDY_COST_FNS[String(p.costFn ?? 'size-diff')] ?? GREEDY_COST_FNS['size-diff'];
    const path = greedyPath(problem, { seed: options.seed ?? 0, temperature: Number(p.temperature ?? 0.1), costFn: fn });
    let tree = ContractionTree.fromPath(problem, path);
    const k = Number(p.subtreeSize ?? 0);
    if (k > 2) tree = reconfigure(tree, { subtreeSize: k });
    return tree;
  },
};

/** Options of `hyperOptimize`. */
export interface HyperOptions {
  /** Time budget in seconds (default 5). */
  timeSeconds?: number;
  /** Maximum number of trials (default unlimited within the budget). */
  maxTrials?: number;
  objective?: Objective;
  /** Width limit for the `limit` objective (default 27). */
  maxWidth?: number;
  seed?: number;
  /** Subtree size of the final reconfiguration of the best tree (default 8). */
  finalSubtreeSize?: number;
}

/** Result of the hyper-optimizer. */
export interface HyperResult {
  tree: ContractionTree;
  score: number;
  trials: number;
  seconds: number;
  best: { finder: string; params: Record<string, number | string>; seed: number };
}

/**
 * Runs randomized-greedy trials with sampled parameters (score function, temperature) inside a
 * time budget, reconfigures each candidate's subtrees, and keeps the best tree by `objective`.
 * Single-threaded: run several with different seeds on workers and keep the best to parallelise.
 */
export function hyperOptimize(problem: ContractionProblem, options: HyperOptions = {}): HyperResult {
  const t0 = Date.now();
  const budget = (options.timeSeconds ?? 5) * 1000;
  const objective = options.objective ?? 'flops';
  const maxWidth = options.maxWidth ?? 27;
  const rand = mulberry32(options.seed ?? 1);
  const fnNames = Object.keys(GREEDY_COST_FNS);
  const totals = new IndexTotals(problem);
  const score = (t: ContractionTree): number => objectiveScore(t.cost(), objective, maxWidth);
  // Trial 0: plain greedy, so the result is never worse than greedy.
  let bestTree = ContractionTree.fromPath(problem, greedyPath(problem), totals);
  let best = score(bestTree);
  let bestInfo: HyperResult['best'] = { finder: 'greedy', params: {}, seed: 0 };
  let trials = 1;
  while (Date.now() - t0 < budget && (options.maxTrials === undefined || trials < options.maxTrials)) {
    const seed = Math.floor(rand() * 2 ** 31);
    const params = {
      costFn: fnNames[Math.floor(rand() * fnNames.length)],
      temperature: rand() < 0.2 ? 0 : Math.exp(Math.log(0.001) + rand() * Math.log(1000)),
    };
    const fn = GREEDY_COST_FNS[params.costFn];
    let tree = ContractionTree.fromPath(problem, greedyPath(problem, { seed, temperature: params.temperature, costFn: fn }), totals);
    trials++;
    // Only polish promising candidates: reconfiguration costs more than a greedy run.
    if (score(tree) < best + 6) tree = reconfigure(tree, { subtreeSize: 5 });
    const s = score(tree);
    if (s < best) {
      best = s;
      bestTree = tree;
      bestInfo = { finder: 'random-greedy', params, seed };
    }
  }
  bestTree = reconfigure(bestTree, { subtreeSize: options.finalSubtreeSize ?? 8 });
  best = score(bestTree);
  return { tree: bestTree, score: best, trials, seconds: (Date.now() - t0) / 1000, best: bestInfo };
}

/** Hyper-optimizer as a `PathFinder` (params: `timeSeconds`, `objective`). */
export const hyperFinder: PathFinder = {
  name: 'hyper',
  find(problem, options = {}) {
    const p = options.params ?? {};
    return hyperOptimize(problem, {
      seed: options.seed,
      timeSeconds: Number(p.timeSeconds ?? 5),
      objective: (p.objective as Objective | undefined) ?? 'flops',
    }).tree;
  },
};

/** All built-in finders by name. */
export const FINDERS: Readonly<Record<string, PathFinder>> = {
  greedy: greedyFinder,
  'random-greedy': randomGreedyFinder,
  hyper: hyperFinder,
};
