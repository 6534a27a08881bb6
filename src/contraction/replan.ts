/**
 * Re-planning under slicing: once a slice set S is known, the tree it was chosen for is no longer
 * the right one. Each round builds a fresh tree for the *sliced* problem (indices of S have size
 * 1, so the partitioner cuts them for free and the tree wraps itself around them), then slices
 * that tree again to the width target (dropping slices that became useless, or re-slicing from
 * scratch when it is still too wide). A round's result replaces the current one only when its
 * total multiply-adds (over all slices) are lower, so the result never gets worse.
 *
 * Why: slice-then-reconfigure only makes local changes to a tree chosen for the unsliced
 * problem; on deep Sycamore circuits the cheapest unsliced trees (long stems whose indices live
 * briefly) need many slices, while trees planned around a slice set need far fewer.
 */
import type { SlicedShare } from './exchange.js';
import { bisectionTree } from './finders/bisection.js';
import type { BisectionParams } from './finders/bisection.js';
import { reconfigure } from './reconfigure.js';
import { mulberry32 } from './rng.js';
import { sliceTree, targetWidth } from './slicing.js';
import type { SliceOptions, SliceResult } from './slicing.js';
import { ContractionTree, IndexTotals } from './tree.js';
import type { ContractionProblem, SlicedIndices } from './types.js';

/** Options of `replanSliced`. */
export interface ReplanOptions extends Pick<SliceOptions, 'maxWidth' | 'maxBytes' | 'bytesPerElement'> {
  /** Wall-clock deadline (`Date.now()` ms); rounds stop starting after it. Default: 5 s from now. */
  deadline?: number;
  /** Maximum number of re-planning rounds (default unlimited within the deadline). */
  maxRounds?: number;
  /** Stop after this many rounds in a row without improvement (default 16). */
  patience?: number;
  seed?: number;
  /** Reconfiguration interval of the re-slicing inside a round (see `SliceOptions`; default 4). */
  reconfigureEvery?: number;
  /**
   * Subtree size of the reconfiguration passes inside the re-slicing (default 5: half the time
   * of size 6 on Sycamore m=20 at about the same sliced cost, so twice the rounds).
   */
  sliceSubtreeSize?: number;
  /** Subtree size of the reconfiguration of each fresh bisection tree (0 = none; default 8). */
  subtreeSize?: number;
  /** Called after each round with its sliced multiply-adds and the best so far (progress, tests). */
  onRound?: (round: number, multiplyAdds: number, best: number) => void;
  /** Shared per-index totals of `problem` (saves recomputing them). */
  totals?: IndexTotals;
  /**
   * Record shared with parallel searches (`SliceExchange`): each round first continues from the
   * shared result when it is cheaper, and every improvement is offered to it.
   */
  share?: SlicedShare;
}

/** `problem` with the indices of `sliced` shrunk to size 1 (one slice's network shape). */
export function slicedProblem(problem: ContractionProblem, sliced: SlicedIndices): ContractionProblem {
  const sizes = problem.sizes.slice();
  for (const i of sliced) sizes[i] = 1;
  return { inputs: problem.inputs, output: problem.output, sizes };
}

/** Removes, last first, every slice the tree no longer needs to meet the width target. */
export function dropUnneededSlices(tree: ContractionTree, sliced: SlicedIndices, target: number): number[] {
  const s = [...sliced];
  for (let j = s.length - 1; j >= 0; j--) {
    const trial = s.filter((_, k) => k !== j);
    if (tree.cost(trial).width <= target + 1e-9) s.splice(j, 1);
  }
  return s;
}

/**
 * Bisection parameters of the rounds, in turn: mostly balanced splits with a few imbalances and
 * part counts (around a slice set they were the cheapest, ~0.4 s a round on Sycamore m=20), and
 * one stem-peeling round in eight (slower, rarely but sometimes much better).
 */
const ROUND_PARAMS: readonly BisectionParams[] = [
  { imbalance: 0.1 },
  { imbalance: 0.5 },
  { imbalance: 0.3, parts: 3 },
  { imbalance: 0.2 },
  { imbalance: 2 },
  { imbalance: 0.1, parts: 3 },
  { imbalance: 0.4 },
  { imbalance: 0.05 },
];

/**
 * Improves a sliced contraction by re-planning around its slice set (module comment). `start`
 * must be a slicing of `problem` that meets the width target; the result meets it too and costs
 * at most as many multiply-adds.
 */
export function replanSliced(problem: ContractionProblem, start: SliceResult, options: ReplanOptions = {}): SliceResult & { rounds: number } {
  const target = targetWidth(options);
  const deadline = options.deadline ?? Date.now() + 5000;
  const maxRounds = options.maxRounds ?? Infinity;
  const totals = options.totals ?? start.tree.totals;
  const rand = mulberry32(options.seed ?? 1);
  let best = start;
  let rounds = 0;
  let lastRoundMs = 0;
  let stale = 0;
  const patience = options.patience ?? 16;
  while (rounds < maxRounds && stale < patience) {
    const t = Date.now();
    // Stop when a round like the last one would overrun the deadline.
    if (t + 0.5 * lastRoundMs > deadline) break;
    const other = options.share?.take(best.cost.multiplyAdds);
    if (other) {
      const tree = ContractionTree.fromPath(problem, other.path, totals);
      const cost = tree.cost(other.sliced);
      if (cost.width <= target + 1e-9 && cost.multiplyAdds < best.cost.multiplyAdds) best = { tree, sliced: other.sliced, cost };
    }
    const ps = slicedProblem(problem, best.sliced);
    const seed = Math.floor(rand() * 2 ** 31);
    let sub = bisectionTree(ps, { ...ROUND_PARAMS[rounds % ROUND_PARAMS.length], deadline }, seed);
    const fresh = options.subtreeSize ?? 8;
    if (fresh > 2) sub = reconfigure(sub, { subtreeSize: fresh, deadline });
    const tree = ContractionTree.fromPath(problem, sub.toPath(), totals);
    let cand: SliceResult;
    if (tree.cost(best.sliced).width <= target + 1e-9) {
      const sliced = dropUnneededSlices(tree, best.sliced, target);
      cand = { tree, sliced, cost: tree.cost(sliced) };
    } else {
      // Re-slice from scratch: extending the old set (`initial`) gave worse rounds on m=20.
      cand = sliceTree(tree, {
        maxWidth: target, deadline, reconfigureEvery: options.reconfigureEvery ?? 4, subtreeSize: options.sliceSubtreeSize ?? 5,
      });
    }
    rounds++;
    options.onRound?.(rounds, cand.cost.multiplyAdds, best.cost.multiplyAdds);
    if (cand.cost.width <= target + 1e-9 && cand.cost.multiplyAdds < best.cost.multiplyAdds) {
      best = cand;
      stale = 0;
      options.share?.offer(best.cost.multiplyAdds, best.sliced, best.tree.toPath());
    } else {
      stale++;
    }
    lastRoundMs = Date.now() - t;
  }
  // Overhead against the cheapest unsliced tree seen (the start's), as `sliceTree` reports it.
  const base = Math.min(start.cost.multiplyAdds / start.cost.overhead, best.tree.cost().multiplyAdds);
  const cost = { ...best.cost, overhead: base > 0 ? best.cost.multiplyAdds / base : 1 };
  return { tree: best.tree, sliced: best.sliced, cost, rounds };
}
