/**
 * Path finders behind one interface, and the hyper-optimizer that samples them.
 */
import { GREEDY_COST_FNS, greedyPath, greedyPathBounded } from '../greedy.js';
import type { GreedyBounds } from '../greedy.js';
import { estimateSlicing, sliceTree } from '../slicing.js';
import type { SliceResult } from '../slicing.js';
import type { ContractionCost } from '../types.js';
import { HyperSampler } from './sampler.js';
import type { HyperMethod } from './sampler.js';
import { objectiveScore } from '../cost.js';
import type { Objective } from '../cost.js';
import { reconfigure } from '../reconfigure.js';
import type { SlicedShare } from '../exchange.js';
import { replanSliced } from '../replan.js';
import { annealSliced } from '../anneal.js';
import { bisectionParams, bisectionTree } from './bisection.js';
import { mulberry32 } from '../rng.js';
import { ContractionTree, IndexTotals } from '../tree.js';
import type { ContractionProblem } from '../types.js';

export type { HyperMethod } from './sampler.js';

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

/**
 * Recursive hypergraph bisection (our multilevel partitioner): params `imbalance`,
 * `imbalanceDecay`, `cutoff`, `weighting` (`log`/`const`), `noise`, `finishTemperature`,
 * `subtreeSize` (see `BisectionParams`).
 */
export const bisectionFinder: PathFinder = {
  name: 'bisection',
  find(problem, options = {}) {
    return bisectionTree(problem, bisectionParams(options.params), options.seed ?? 0);
  },
};

/** Number of best candidates kept for the final slice–reconfigure loops. */
const POOL_SIZE = 3;

/** Options of `hyperOptimize`. */
export interface HyperOptions {
  /**
   * Time budget in seconds for everything (default 5): the trials, the final reconfiguration
   * and, when slicing is asked for, the slicing. Trials get 80% (50% when slicing: then 12% go
   * to slice–reconfigure loops on the best few candidates, and the rest to re-planning around the
   * best slice set (`replanSliced`) and to annealing, see `annealShare`; when slicing is the
   * bottleneck, trials stop at 10%, see `slicingBoundStop`).
   */
  timeSeconds?: number;
  /** Maximum number of trials (default unlimited within the budget). */
  maxTrials?: number;
  /** What is minimised (default `flops`); `sliced` slices candidates to `maxWidth` and scores the sliced cost. */
  objective?: Objective;
  /** Width limit for the `limit` and `sliced` objectives and for slicing (default 27). */
  maxWidth?: number;
  seed?: number;
  /** Subtree size of the final reconfiguration of the best tree (default 8). */
  finalSubtreeSize?: number;
  /** Methods sampled (default both `random-greedy` and `bisection`). */
  methods?: readonly HyperMethod[];
  /**
   * Slice the result to `maxWidth` inside the budget (default: only for the `sliced` objective).
   * The slicing always reaches the width target; past the deadline it just stops reconfiguring.
   */
  slice?: boolean;
  /**
   * Record shared with parallel searches (`SliceExchange`, see `hyperOptimizeThreads`): the
   * re-planning rounds continue from the cheapest slicing any search has found so far.
   */
  share?: SlicedShare;
  /**
   * Share of the budget after which trials stop when slicing is the bottleneck (see above;
   * default 0.1 when the search is bounded by time alone, never with `maxTrials`, which keeps
   * such runs deterministic). The time freed goes to re-planning and annealing the sliced tree,
   * which is where the sliced cost falls on deep circuits. 60 s, 2 threads, one loaded machine
   * (session 6), log10 sliced multiply-adds at width 27: Sycamore m=20 mean 20.06 over 5 runs
   * (0.25: 19.90 over 3) against 20.53 over 5 runs without the stop; m=16 generator 17.70 and
   * 17.60 against 17.79 and 17.79; 10×10 grid 1+40+1 17.40 against 18.25. (Before annealing
   * existed it had helped at 30 s on one thread but not at 60 s on two, so it was off.)
   */
  slicingBoundStop?: number;
  /**
   * Share of the budget for simulated annealing of the best sliced result under the sliced cost
   * (`annealSliced`), at the end, after re-planning (default 0.45, which leaves no time to
   * re-planning after full-length trials, and 25%–52% of the budget after an early stop, see
   * `slicingBoundStop`: on m=20 at 60 s on 2 threads, 0.3 with re-planning gave 10^20.6 and 0.45
   * with two annealing runs 10^19.9, one loaded run each). With the `flops` and
   * `limit` objectives the final tree is annealed without slicing from 88% to 97% when this is > 0.
   */
  annealShare?: number;
  /** Number of chained annealing runs (each from the best so far) for annealing shares shorter than two `annealRunSeconds` runs (default 2). */
  annealRestarts?: number;
  /**
   * Length of one annealing run in seconds (default 20). When the annealing share holds at least
   * two such runs, it is spent on independent runs of about this length, all from the re-planned
   * result, and the cheapest is kept; otherwise on `annealRestarts` chained runs. Runs from the
   * same start spread widely, so on m=20 at width 27 (12 fixed starts) the best of three 20 s runs
   * beat one 60 s run and two chained 30 s runs (docs/contraction.md, session 17).
   */
  annealRunSeconds?: number;
  /** Share of SPR (prune-and-regraft) moves in the annealing runs (`annealSliced`'s `sprRate`; default 0). */
  annealSprRate?: number;
  /**
   * Number of re-planning-and-annealing chains (default 3), run one after the other from the
   * cheapest distinct sliced results of the slicing loops (cycling through them when there are
   * fewer), each with an equal share of the time left; the cheapest result is kept. Searches
   * bounded by `maxTrials` run one chain. The annealed result depends more on the start than on
   * its length, and the start's own cost predicts it poorly, so several starts beat one start
   * re-planned for longer: on m=20 at width 27 (60 s, one thread, 12 interleaved pairs each),
   * 3 chains gave a mean of 10^19.71 against 10^19.98 for one, and 10^19.74 against 10^19.96 for
   * the search before the faster annealing and reconfiguration kernels (docs/contraction.md).
   */
  sliceStarts?: number;
}

/** Result of the hyper-optimizer. */
export interface HyperResult {
  /** Best tree (after the final reconfiguration; when sliced, the slice-reconfigured tree). */
  tree: ContractionTree;
  score: number;
  trials: number;
  seconds: number;
  best: { finder: string; params: Record<string, number | string>; seed: number };
  /** Trials per method. */
  methodTrials?: Record<string, number>;
  /** Sliced indices and sliced cost, when slicing was asked for. */
  sliced?: number[];
  slicedCost?: ContractionCost;
}

/**
 * Runs trials of randomized greedy and recursive hypergraph bisection with sampled parameters
 * (see `HyperSampler`) inside a time budget, reconfigures promising candidates' subtrees, and
 * keeps the best tree by `objective`. Then, still within the budget, it reconfigures the winner,
 * or (when slicing) runs slice–reconfigure loops on the best three candidates, keeps the
 * cheapest sliced result, re-plans around its slice set (`replanSliced`) and anneals it under the
 * sliced cost (`annealSliced`) until the budget ends. Single-threaded: `hyperOptimizeThreads` runs several on workers.
 */
export function hyperOptimize(problem: ContractionProblem, options: HyperOptions = {}): HyperResult {
  const t0 = Date.now();
  const budget = (options.timeSeconds ?? 5) * 1000;
  const objective = options.objective ?? 'flops';
  const maxWidth = options.maxWidth ?? 27;
  const doSlice = options.slice ?? objective === 'sliced';
  // Slicing with interleaved reconfiguration is costly and changes trees a lot, so it gets a
  // larger share of the budget, spread over several of the best candidates.
  // (Only while the best tree still needs slicing; otherwise trials get 80%.)
  const searchEndSliced = t0 + 0.5 * budget;
  const searchEndPlain = t0 + 0.8 * budget;
  let searchEnd = doSlice ? searchEndSliced : searchEndPlain;
  const pool: Array<{ score: number; tree: ContractionTree; info: HyperResult['best'] }> = [];
  const addToPool = (score: number, tree: ContractionTree, info: HyperResult['best']): void => {
    if (pool.length >= POOL_SIZE && score >= pool[pool.length - 1].score) return;
    if (pool.some((x) => x.tree === tree)) return;
    pool.push({ score, tree, info });
    pool.sort((a, b) => a.score - b.score);
    if (pool.length > POOL_SIZE) pool.length = POOL_SIZE;
  };
  const rand = mulberry32(options.seed ?? 1);
  const sampler = new HyperSampler(rand, options.methods ?? ['random-greedy', 'bisection']);
  const totals = new IndexTotals(problem);
  // Score of a tree; for `sliced`, candidates that cannot beat `bound` unsliced are not sliced
  // (slicing never lowers the total cost).
  const evaluate = (t: ContractionTree, bound: number): { score: number } => {
    const c = t.cost();
    if (objective !== 'sliced') return { score: objectiveScore(c, objective, maxWidth) };
    const lower = objectiveScore(c, 'flops', maxWidth);
    if (c.width <= maxWidth || lower >= bound) return { score: objectiveScore(c, 'sliced', maxWidth) };
    const est = estimateSlicing(t, maxWidth);
    return { score: objectiveScore({ ...c, multiplyAdds: est.multiplyAdds, width: est.width }, 'sliced', maxWidth) };
  };
  // Trial 0: plain greedy, so the result is never worse than greedy.
  let bestTree = ContractionTree.fromPath(problem, greedyPath(problem), totals);
  let best = evaluate(bestTree, Infinity).score;
  let bestInfo: HyperResult['best'] = { finder: 'greedy', params: {}, seed: 0 };
  addToPool(best, bestTree, bestInfo);
  // With slicing, the unsliced-cheapest tree also gets a slicing slot: slice–reconfigure loops
  // reshape trees a lot, and the sliced estimate alone is a poor predictor of their outcome.
  let flopsBest = { madds: bestTree.cost().multiplyAdds, tree: bestTree, info: bestInfo };
  const updateSearchEnd = (): void => {
    if (doSlice) searchEnd = pool[0].tree.cost().width > maxWidth + 1e-9 ? searchEndSliced : searchEndPlain;
  };
  updateSearchEnd();
  let trials = 1;
  // `slicingBoundStop`: with the `sliced` objective, trials stop early when slicing is
  // the bottleneck (the best candidate's estimated sliced cost is over 10× the cheapest unsliced
  // tree), leaving more time to slicing, re-planning and annealing; trees that slice cheaply keep
  // their trials (on the deep circuits of bench:paths, m=16 and the 10×10 grid included, the
  // estimate at 10% of the budget is still over 10×).
  const stopShare = options.slicingBoundStop ?? (options.maxTrials === undefined ? 0.1 : undefined);
  const earlyStop = stopShare === undefined ? Infinity : t0 + stopShare * budget;
  let slicingBound = false;
  while (Date.now() < searchEnd && (options.maxTrials === undefined || trials < options.maxTrials)) {
    if (doSlice && objective === 'sliced' && Date.now() > earlyStop && searchEnd === searchEndSliced
      && pool[0].score - Math.log2(Math.max(1, flopsBest.madds)) > Math.log2(10)) {
      slicingBound = true;
      break;
    }
    const method = sampler.pickMethod();
    const params = sampler.sample(method);
    const seed = Math.floor(rand() * 2 ** 31);
    trials++;
    let tree: ContractionTree;
    if (method === 'bisection') {
      tree = bisectionTree(problem, { ...bisectionParams(params), deadline: searchEnd }, seed, totals);
    } else {
      // A greedy trial that is sure to score over best + 6 (too poor even to polish) stops early.
      const path = greedyPathBounded(problem, {
        seed, temperature: Number(params.temperature), costFn: GREEDY_COST_FNS[String(params.costFn)] ?? GREEDY_COST_FNS['size-diff'],
      }, { ...trialBounds(objective, best + 6, maxWidth), deadline: searchEnd });
      if (path === null) {
        sampler.report(method, params, Infinity);
        continue;
      }
      tree = ContractionTree.fromPath(problem, path, totals);
    }
    // Only polish promising candidates: reconfiguration costs more than a greedy run.
    let ev = evaluate(tree, best + 6);
    if (ev.score < best + 6) {
      tree = reconfigure(tree, { subtreeSize: 5, deadline: searchEnd });
      ev = evaluate(tree, best);
    }
    sampler.report(method, params, ev.score);
    addToPool(ev.score, tree, { finder: method, params, seed });
    if (doSlice) {
      const m = tree.cost().multiplyAdds;
      if (m < flopsBest.madds) flopsBest = { madds: m, tree, info: { finder: method, params, seed } };
    }
    if (pool[0].tree === tree) updateSearchEnd();
    if (ev.score < best) {
      best = ev.score;
      bestTree = tree;
      bestInfo = { finder: method, params, seed };
    }
  }
  let result: HyperResult;
  if (doSlice) {
    // Slice–reconfigure loops on the pool's trees (best three by score, then the unsliced-cheapest),
    // sharing the time left until 62% of the budget (past a slot's deadline the fast estimate
    // finishes that slicing); then re-planning around the best slice set until 97% − annealShare
    // (if that is past 62%), and annealing until 97%.
    const sliceEnd = slicingBound ? Date.now() + 0.15 * budget : t0 + 0.62 * budget;
    if (!pool.some((x) => x.tree === flopsBest.tree)) pool.push({ score: Infinity, tree: flopsBest.tree, info: flopsBest.info });
    // Every slot's sliced result, with the pool entry it came from.
    const sliceds: Array<{ sl: SliceResult; info: HyperResult['best'] }> = [];
    for (let j = 0; j < pool.length; j++) {
      const now = Date.now();
      if (sliceds.length > 0 && now >= sliceEnd) break;
      const share = Math.max(0, sliceEnd - now) / (pool.length - j);
      // One reconfiguration pass (size 6, as in the slicing loop) both polishes the candidate
      // and times a pass, which sets how often the slicing loop can afford to reconfigure.
      const cand = reconfigure(pool[j].tree, { subtreeSize: 6, deadline: now + 0.3 * share });
      const passMs = Math.max(1, Date.now() - now);
      const need = Math.ceil(cand.cost().width - maxWidth);
      const passes = Math.max(1, Math.floor((now + share - Date.now()) / (1.5 * passMs)));
      const every = Math.max(1, Math.ceil(need / passes));
      sliceds.push({ sl: sliceTree(cand, { maxWidth, reconfigureEvery: every, deadline: now + share }), info: pool[j].info });
    }
    // Cheapest first; equal costs (the same tree reached twice) count once.
    sliceds.sort((a, b) => a.sl.cost.multiplyAdds - b.sl.cost.multiplyAdds);
    const distinct = sliceds.filter((x, j) => j === 0 || x.sl.cost.multiplyAdds !== sliceds[j - 1].sl.cost.multiplyAdds);
    options.share?.offer(distinct[0].sl.cost.multiplyAdds, distinct[0].sl.sliced, distinct[0].sl.tree.toPath());
    const annealShare = Math.min(0.9, Math.max(0, options.annealShare ?? 0.45));
    // Re-planning runs from the end of the slicing loops (62%, or 25% after an early stop) until
    // 97% − annealShare, so the annealing gets its full share: after an early stop on m=20 at 60 s
    // (3 runs each) that gave a mean of 10^19.79 against 10^20.00 when re-planning ran until 62%,
    // and annealing with no re-planning at all failed once (10^23.5) from a poor slicing.
    const end = t0 + 0.97 * budget;
    const replanEnd = Math.max(sliceEnd, t0 + (0.97 - annealShare) * budget);
    // `sliceStarts` chains (re-planning, then annealing) from the cheapest distinct sliced results,
    // one after the other, each with an equal slot of the time left and the same split of it.
    const chains = options.maxTrials === undefined ? Math.max(1, Math.floor(options.sliceStarts ?? 3)) : 1;
    const now0 = Date.now();
    const replanFraction = end > now0 ? Math.max(0, Math.min(1, (replanEnd - now0) / (end - now0))) : 0;
    let sl = distinct[0].sl;
    let slInfo = distinct[0].info;
    const chainCosts: string[] = [];
    for (let c = 0; c < chains; c++) {
      const from = distinct[c % distinct.length];
      const slotStart = Date.now();
      const slotEnd = c === chains - 1 ? end : slotStart + (end - slotStart) / (chains - c);
      const r = refineSliced(problem, from.sl, from.info, {
        maxWidth, replanEnd: slotStart + replanFraction * (slotEnd - slotStart), annealEnd: annealShare > 0 ? slotEnd : 0, rand, totals, options,
      });
      chainCosts.push(Math.log10(r.sl.cost.multiplyAdds).toFixed(3));
      if (c === 0 || r.sl.cost.multiplyAdds < sl.cost.multiplyAdds) {
        sl = r.sl;
        slInfo = r.info;
        if (chains > 1) slInfo = { ...slInfo, params: { ...slInfo.params, chain: c, chains } };
      }
    }
    // Provenance of a multi-chain search: every chain's log10 result.
    if (chains > 1) slInfo = { ...slInfo, params: { ...slInfo.params, chainCosts: chainCosts.join(',') } };
    const slScore = objectiveScore(sl.cost, objective === 'sliced' ? 'sliced' : objective, maxWidth);
    result = {
      tree: sl.tree, score: slScore, trials, seconds: 0, best: slInfo, sliced: sl.sliced, slicedCost: sl.cost,
    };
  } else {
    // Final polish, bounded: reconfiguration until 88% of the budget, then (for the `flops` and
    // `limit` objectives) annealing of the tree without slicing until 97%.
    let polished = reconfigure(bestTree, { subtreeSize: options.finalSubtreeSize ?? 8, deadline: t0 + 0.88 * budget });
    let ev = evaluate(polished, Infinity);
    if ((objective === 'flops' || objective === 'limit') && (options.annealShare ?? 0.45) > 0) {
      const a = annealSliced({ tree: polished, sliced: [], cost: polished.cost() }, {
        maxWidth: objective === 'limit' ? maxWidth : Infinity, slicing: false, seed: Math.floor(rand() * 2 ** 31), deadline: t0 + 0.97 * budget,
        ...(options.maxTrials !== undefined ? { maxMoves: 2000 * options.maxTrials } : {}),
      });
      const ea = evaluate(a.tree, Infinity);
      if (ea.score < ev.score) {
        polished = a.tree;
        ev = ea;
      }
    }
    result = ev.score <= best
      ? { tree: polished, score: ev.score, trials, seconds: 0, best: bestInfo }
      : { tree: bestTree, score: best, trials, seconds: 0, best: bestInfo };
  }
  result.methodTrials = sampler.counts();
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

/**
 * Bounds on a partial contraction path past which its tree must score over `score` under
 * `objective`: every score grows with the multiply-adds and the width, and the summed cost and the
 * largest intermediate of a partial path only grow as it is completed. (For `sliced`, slicing
 * never lowers the multiply-adds, so the unsliced partial cost bounds the sliced score too.)
 */
export function trialBounds(objective: Objective, score: number, maxWidth: number): GreedyBounds {
  if (!Number.isFinite(score)) return {};
  switch (objective) {
    case 'width':
      return { widthCap: score / 1000 };
    case 'limit':
      return { costCap: 2 ** score, widthCap: maxWidth + score / 1000 };
    case 'flops':
    case 'combo':
    case 'sliced':
      return { costCap: 2 ** score };
  }
}

/**
 * One chain of the sliced stage: re-planning around the slice set of `start` until `replanEnd`,
 * then annealing until `annealEnd` (0: none): in independent runs from the re-planned result when
 * the time holds two runs of `annealRunSeconds`, else in `annealRestarts` chained runs. Returns
 * the cheapest state and its provenance.
 */
function refineSliced(
  problem: ContractionProblem,
  start: SliceResult,
  startInfo: HyperResult['best'],
  ctx: { maxWidth: number; replanEnd: number; annealEnd: number; rand: () => number; totals: IndexTotals; options: HyperOptions },
): { sl: SliceResult; info: HyperResult['best'] } {
  const { maxWidth, replanEnd, annealEnd, rand, totals, options } = ctx;
  let sl = start;
  let info = startInfo;
  if (sl.sliced.length > 0 && Date.now() < replanEnd) {
    // No patience limit: rounds run until the deadline (time left unused would be wasted).
    const r = replanSliced(problem, sl, {
      maxWidth, deadline: replanEnd, seed: Math.floor(rand() * 2 ** 31), totals, patience: Infinity, share: options.share,
      ...(options.maxTrials !== undefined ? { maxRounds: options.maxTrials } : {}),
    });
    if (r.cost.multiplyAdds < sl.cost.multiplyAdds) {
      // Provenance: rounds run and the log10 multiply-adds before re-planning.
      info = { ...info, params: { ...info.params, replanRounds: r.rounds, beforeReplan: Math.log10(sl.cost.multiplyAdds) } };
      sl = r;
    }
  }
  if (annealEnd > 0) {
    const runMs = 1000 * Math.max(0.001, options.annealRunSeconds ?? 20);
    // Independent runs need a fixed start; with `maxTrials` (deterministic, move-bounded runs)
    // the runs stay chained.
    const independent = options.maxTrials === undefined && annealEnd - Date.now() >= 2 * runMs;
    const runs = independent ? Math.floor((annealEnd - Date.now()) / runMs) : Math.max(1, options.annealRestarts ?? 2);
    const from = sl;
    let done = 0;
    for (let k = 0; k < runs; k++) {
      const now = Date.now();
      if (now >= annealEnd) break;
      done++;
      const a = annealSliced(independent ? from : sl, {
        maxWidth, seed: Math.floor(rand() * 2 ** 31), deadline: now + (annealEnd - now) / (runs - k), sprRate: options.annealSprRate ?? 0,
        ...(options.maxTrials !== undefined ? { maxMoves: 2000 * options.maxTrials } : {}),
      });
      if (a.cost.multiplyAdds < sl.cost.multiplyAdds) {
        info = { ...info, params: { ...info.params, beforeAnneal: Math.log10(from.cost.multiplyAdds) } };
        sl = a;
      }
    }
    // Provenance: how many annealing runs there were, and whether they were independent.
    info = { ...info, params: { ...info.params, annealRuns: done, annealRunsIndependent: independent ? 1 : 0 } };
  }
  return { sl, info };
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
  bisection: bisectionFinder,
  hyper: hyperFinder,
};
