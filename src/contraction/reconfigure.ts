/**
 * Subtree reconfiguration: every subtree's frontier of up to `subtreeSize` nodes is re-contracted
 * in the exactly optimal order (dynamic programming over subsets) and spliced back.
 */
import { popcount32 } from './bits.js';
import { ContractionTree, legSize, pairCost } from './tree.js';
import type { IndexTotals, TreeNode } from './tree.js';
import type { SlicedIndices } from './types.js';

/** Options of `reconfigure`. */
export interface ReconfigureOptions {
  /** Frontier size optimised exactly (default 8; cost grows as 3^k). */
  subtreeSize?: number;
  /** Indices treated as sliced (size 1) when costing. */
  sliced?: SlicedIndices;
  /** Extra weight on the output size of each contraction (favours smaller intermediates). */
  sizeWeight?: number;
  /**
   * Wall-clock deadline (`Date.now()` milliseconds): past it, the sweep stops optimising and
   * only rebuilds the remaining nodes, so callers can bound its time.
   */
  deadline?: number;
  /**
   * Skip the exact re-contraction at nodes whose own contraction costs less than this (under
   * `sliced`): the cheap branches of a large tree barely move its total, and skipping them makes
   * a pass several times faster (default 0 = optimise every node).
   */
  minCost?: number;
}

/**
 * Exactly optimal tree joining `frontier` nodes (disjoint leaf sets), by dynamic programming over
 * subsets (3^k work: keep k ≤ ~10). Cost = multiply-adds (+ `sizeWeight` × output sizes).
 *
 * Index sets are bitsets over the frontier's own legs, numbered locally: a subset's legs are the
 * legs of its members held outside it, i.e. in the output, in leaves outside the frontier, or on
 * another member. So the DP needs no per-subset maps, only a few words per subset.
 */
export function optimalSubtree(
  frontier: TreeNode[],
  totals: IndexTotals,
  sizes: readonly number[],
  sliced: ReadonlySet<number>,
  sizeWeight: number,
): { node: TreeNode; cost: number } {
  const k = frontier.length;
  const full = (1 << k) - 1;
  // Local numbering of the frontier's legs, and how many leaves of the frontier hold each.
  const local = new Map<number, number>();
  const ids: number[] = [];
  const held: number[] = [];
  for (const f of frontier) {
    for (const [i, c] of f.legs) {
      let b = local.get(i);
      if (b === undefined) { b = ids.length; local.set(i, b); ids.push(i); held.push(0); }
      held[b] += c;
    }
  }
  const L = ids.length;
  const W = Math.max(1, (L + 31) >>> 5);
  // union[s]: every leg of a member of s; ext: legs also held outside the frontier (or output);
  // active: legs that count in sizes (not sliced, not of size 1).
  const union = new Uint32Array((full + 1) * W);
  const ext = new Uint32Array(W);
  const active = new Uint32Array(W);
  let binary = true;
  for (let b = 0; b < L; b++) {
    const i = ids[b];
    const bit = 1 << (b & 31);
    if (totals.output.has(i) || held[b] < totals.count.get(i)!) ext[b >>> 5] |= bit;
    if (!sliced.has(i) && sizes[i] !== 1) {
      active[b >>> 5] |= bit;
      if (sizes[i] !== 2) binary = false;
    }
  }
  for (let j = 0; j < k; j++) {
    for (const i of frontier[j].legs.keys()) { const b = local.get(i)!; union[(1 << j) * W + (b >>> 5)] |= 1 << (b & 31); }
  }
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const low = s & -s;
    for (let w = 0; w < W; w++) union[s * W + w] = union[low * W + w] | union[(s ^ low) * W + w];
  }
  // legs[s] = union[s] ∩ (ext ∪ union[full \ s]); a member keeps its own legs (a leaf's include
  // indices only it holds, summed at its first contraction).
  const legs = new Uint32Array((full + 1) * W);
  for (let s = 1; s <= full; s++) {
    const c = (s & (s - 1)) === 0 ? s * W : (full ^ s) * W;
    for (let w = 0; w < W; w++) legs[s * W + w] = union[s * W + w] & (ext[w] | union[c + w]);
  }
  // Size (elements) of legs[a] ∪ legs[b] (b = 0: legs[a] alone).
  const sizeOf = (a: number, b: number): number => {
    const ao = a * W;
    const bo = b * W;
    if (binary) {
      let n = 0;
      for (let w = 0; w < W; w++) n += popcount32((legs[ao + w] | legs[bo + w]) & active[w]);
      return 2 ** n;
    }
    let size = 1;
    for (let w = 0; w < W; w++) {
      let x = (legs[ao + w] | legs[bo + w]) & active[w];
      while (x !== 0) {
        const t = x & -x;
        size *= sizes[ids[(w << 5) + 31 - Math.clz32(t)]];
        x ^= t;
      }
    }
    return size;
  };
  const best = new Float64Array(full + 1).fill(Infinity);
  const split = new Int32Array(full + 1);
  for (let j = 0; j < k; j++) best[1 << j] = 0;
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const low = s & -s;
    const outSize = sizeWeight > 0 ? sizeOf(s, 0) : 0;
    // Enumerate splits a|b with a holding the lowest bit, so each unordered split is seen once.
    for (let a = (s - 1) & s; a > 0; a = (a - 1) & s) {
      if (!(a & low)) continue;
      const b = s ^ a;
      const base = best[a] + best[b];
      if (base >= best[s]) continue;
      const c = base + sizeOf(a, b) + sizeWeight * outSize;
      if (c < best[s]) {
        best[s] = c;
        split[s] = a;
      }
    }
  }
  const build = (s: number): TreeNode => {
    if ((s & (s - 1)) === 0) return frontier[31 - Math.clz32(s)];
    const a = split[s];
    return totals.join(build(a), build(s ^ a));
  };
  return { node: build(full), cost: best[full] };
}

/** Cost of the current contractions inside a frontier (what the DP must beat). */
function currentCost(
  node: TreeNode,
  stop: Set<TreeNode>,
  sizes: readonly number[],
  sliced: ReadonlySet<number>,
  sizeWeight: number,
): number {
  if (stop.has(node) || node.leaf !== undefined) return 0;
  const own = pairCost(node.left!.legs, node.right!.legs, sizes, sliced) + (sizeWeight > 0 ? sizeWeight * legSize(node.legs.keys(), sizes, sliced) : 0);
  return own + currentCost(node.left!, stop, sizes, sliced, sizeWeight) + currentCost(node.right!, stop, sizes, sliced, sizeWeight);
}

/**
 * One bottom-up sweep of subtree reconfiguration. Returns a new tree never costlier than the
 * input under the same sliced indices.
 */
export function reconfigure(tree: ContractionTree, options: ReconfigureOptions = {}): ContractionTree {
  const k = Math.max(2, Math.min(12, options.subtreeSize ?? 8));
  const sliced = new Set(options.sliced ?? []);
  const sizeWeight = options.sizeWeight ?? 0;
  const sizes = tree.problem.sizes;
  const totals = tree.totals;
  const memo = new Map<TreeNode, TreeNode>();
  const deadline = options.deadline ?? Infinity;
  const minCost = options.minCost ?? 0;
  let visits = 0;
  let expired = false;
  // Iterative post-order: children are rewritten before their parent is optimised.
  const stack: Array<[TreeNode, boolean]> = [[tree.root, false]];
  while (stack.length) {
    const [node, expanded] = stack.pop()!;
    if (node.leaf !== undefined) {
      memo.set(node, node);
      continue;
    }
    if (!expanded) {
      stack.push([node, true], [node.right!, false], [node.left!, false]);
      continue;
    }
    const cur = totals.join(memo.get(node.left!)!, memo.get(node.right!)!);
    if (!expired && (++visits & 31) === 0 && Date.now() > deadline) expired = true;
    if (expired || (minCost > 0 && pairCost(cur.left!.legs, cur.right!.legs, sizes, sliced) < minCost)) {
      memo.set(node, cur);
      continue;
    }
    // Grow a frontier below `cur` by expanding the largest intermediate first.
    const frontier: TreeNode[] = [cur.left!, cur.right!];
    while (frontier.length < k) {
      let pick = -1;
      let pickSize = -1;
      for (let j = 0; j < frontier.length; j++) {
        const f = frontier[j];
        if (f.leaf !== undefined) continue;
        const s = legSize(f.legs.keys(), sizes, sliced);
        if (s > pickSize) {
          pickSize = s;
          pick = j;
        }
      }
      if (pick < 0) break;
      const f = frontier[pick];
      frontier.splice(pick, 1, f.left!, f.right!);
    }
    let result = cur;
    if (frontier.length > 2) {
      const before = currentCost(cur, new Set(frontier), sizes, sliced, sizeWeight);
      const opt = optimalSubtree(frontier, totals, sizes, sliced, sizeWeight);
      if (opt.cost < before * (1 - 1e-12)) result = opt.node;
    }
    memo.set(node, result);
  }
  return new ContractionTree(tree.problem, memo.get(tree.root)!, totals);
}
