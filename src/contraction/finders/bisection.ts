/**
 * Recursive hypergraph bisection path finder (the approach of cotengra's KaHyPar driver, with
 * our own partitioner): the tensor set is split in two by a balanced min-cut bipartition of the
 * hypergraph whose vertices are tensors and whose hyperedges are the indices shared inside the
 * set (weight log2(dim) or 1); each half is split again, top-down, until it has at most `cutoff`
 * tensors, which are finished by (optionally randomized) greedy. The tree joins the two halves at
 * every split, so small cuts near the root mean small intermediates late in the contraction.
 */
import { greedyPath } from '../greedy.js';
import { partitionHypergraph } from '../partition/bisect.js';
import { makeHypergraph } from '../partition/hypergraph.js';
import { optimalSubtree, reconfigure } from '../reconfigure.js';
import { mulberry32 } from '../rng.js';
import { ContractionTree, IndexTotals } from '../tree.js';
import type { TreeNode } from '../tree.js';
import type { ContractionProblem } from '../types.js';

/** Parameters of the bisection finder (all optional; the hyper-optimizer samples them). */
export interface BisectionParams {
  /** Imbalance ε of each bipartition at the top level (default 0.1; values above 1 allow very uneven splits). */
  imbalance?: number;
  /**
   * How ε changes with the relative subset size s = |S|/n: decay ≥ 0 gives ε·s^decay (tighter
   * for small subsets), decay < 0 gives 1 − s^(−decay)·(1 − ε) (looser). Default 0.
   */
  imbalanceDecay?: number;
  /** Number of parts at the top level (default 2); a subset of relative size s gets max(2, ⌊s^partsDecay·parts⌋). */
  parts?: number;
  /** See `parts` (default 0.5). */
  partsDecay?: number;
  /** Subsets of at most this many tensors are finished by greedy (default 12). */
  cutoff?: number;
  /** Hyperedge weights: `log` = log2(dim) (default), `const` = 1. */
  weighting?: 'log' | 'const';
  /** Random jitter of edge weights, w·(1 + noise·Exp(1)), fixed per run (default 0). */
  noise?: number;
  /** Boltzmann temperature of the greedy finish (default 0). */
  finishTemperature?: number;
  /** Subtree size of a reconfiguration pass on the result (0 = none, default 0). */
  subtreeSize?: number;
  /** Initial partitions tried at the coarsest level (default 6; 3 when imbalance ≥ 1). */
  initialTries?: number;
  /** 1: open indices of a subset connect to a dummy "rest of network" vertex; 0 (default): ignored. */
  outputVertex?: number;
  /** Wall-clock deadline (`Date.now()` ms): past it, remaining subsets are finished by greedy. */
  deadline?: number;
}

/** Reads `BisectionParams` from the loosely typed `FinderOptions.params`. */
export function bisectionParams(p: Readonly<Record<string, number | string>> = {}): BisectionParams {
  const num = (k: string): number | undefined => (p[k] === undefined ? undefined : Number(p[k]));
  return {
    imbalance: num('imbalance'),
    imbalanceDecay: num('imbalanceDecay'),
    parts: num('parts'),
    partsDecay: num('partsDecay'),
    cutoff: num('cutoff'),
    weighting: p.weighting === 'const' ? 'const' : 'log',
    noise: num('noise'),
    finishTemperature: num('finishTemperature'),
    subtreeSize: num('subtreeSize'),
    initialTries: num('initialTries'),
    outputVertex: num('outputVertex'),
  };
}

/** Contraction tree of `problem` by recursive (k-way) hypergraph partitioning. */
export function bisectionTree(problem: ContractionProblem, params: BisectionParams = {}, seed = 0, totals?: IndexTotals): ContractionTree {
  const tot = totals ?? new IndexTotals(problem);
  const n = problem.inputs.length;
  if (n === 0) throw new Error('contraction problem has no tensors');
  const rand = mulberry32(seed);
  const imb = Math.min(8, Math.max(0.001, params.imbalance ?? 0.1));
  const decay = params.imbalanceDecay ?? 0;
  const parts0 = Math.max(2, Math.floor(params.parts ?? 2));
  const partsDecay = params.partsDecay ?? 0.5;
  const cutoff = Math.max(2, Math.floor(params.cutoff ?? 12));
  const constWeights = params.weighting === 'const';
  const noise = Math.max(0, params.noise ?? 0);
  const finishT = params.finishTemperature ?? 0;
  // Unconstrained (peeling) splits repeat the partitioner ~n times; 3 initial tries matched 6 in
  // quality on Sycamore m=20 at 3/4 of the time.
  const tries = params.initialTries ?? (imb >= 1 ? 3 : 6);
  const useOutVertex = (params.outputVertex ?? 0) !== 0;
  const sizes = problem.sizes;
  const output = new Set(problem.output);
  const sliced = new Set<number>();

  // Scratch per index id, reused by every subset (stamped instead of cleared).
  let numIdx = sizes.length;
  for (const t of problem.inputs) for (const i of t) numIdx = Math.max(numIdx, i + 1);
  const stamp = new Int32Array(numIdx).fill(-1);
  const cnt = new Int32Array(numIdx);
  const local = new Int32Array(numIdx);
  const weightOf = new Float64Array(numIdx);
  for (let i = 0; i < numIdx; i++) {
    // Size-1 indices (e.g. sliced ones) cost nothing to cut: a small weight keeps them as hints.
    const d = sizes[i] ?? 2;
    const w = d <= 1 ? 0.01 : constWeights ? 1 : Math.log2(d);
    weightOf[i] = noise > 0 ? w * (1 - noise * Math.log(1 - rand())) : w;
  }
  let stampId = 0;

  const countIn = (leaves: Int32Array): number[] => {
    const sid = stampId++;
    const used: number[] = [];
    for (const t of leaves) {
      for (const i of problem.inputs[t]) {
        if (stamp[i] !== sid) {
          stamp[i] = sid;
          cnt[i] = 0;
          used.push(i);
        }
        cnt[i]++;
      }
    }
    return used;
  };

  /** Joins nodes with disjoint leaf sets: exactly (DP) when few, else by greedy. */
  const combine = (nodes: TreeNode[]): TreeNode => {
    if (nodes.length === 1) return nodes[0];
    if (nodes.length <= 8) return optimalSubtree(nodes, tot, sizes, sliced, 0).node;
    const inputs = nodes.map((x) => [...x.legs.keys()]);
    const merged = nodes.reduce((acc, x) => tot.mergeLegs(acc, x.legs), new Map<number, number>() as ReadonlyMap<number, number>);
    const sub: ContractionProblem = { inputs, output: [...merged.keys()], sizes };
    const path = greedyPath(sub, { temperature: finishT, seed: Math.floor(rand() * 2 ** 31) });
    const all = [...nodes];
    for (const [a, b] of path) all.push(tot.join(all[a], all[b]));
    return all[all.length - 1];
  };

  const finish = (leaves: Int32Array): TreeNode => combine(Array.from(leaves, (t) => tot.leaf(t)));

  const deadline = params.deadline ?? Infinity;
  const split = (leaves: Int32Array): TreeNode => {
    if (leaves.length <= cutoff || Date.now() > deadline) return finish(leaves);
    const used = countIn(leaves);
    // Open indices (held outside the subset, or global outputs) may join a dummy vertex `nv`
    // standing for the rest of the network: the side without it then has exactly the cut as
    // its boundary.
    const nv = leaves.length;
    const isOpen = (i: number): boolean => useOutVertex && (output.has(i) || cnt[i] < tot.count.get(i)!);
    let hasOpen = false;
    let m = 0;
    let npins = 0;
    for (const i of used) {
      const open = isOpen(i);
      if (cnt[i] >= 2 || open) {
        local[i] = m++;
        npins += cnt[i] + (open ? 1 : 0);
        if (open) hasOpen = true;
      } else {
        local[i] = -1;
      }
    }
    const edgeStart = new Int32Array(m + 1);
    const edgeWeight = new Float64Array(m);
    for (const i of used) {
      const e = local[i];
      if (e < 0) continue;
      edgeWeight[e] = weightOf[i];
      edgeStart[e + 1] = cnt[i] + (isOpen(i) ? 1 : 0);
    }
    for (let e = 0; e < m; e++) edgeStart[e + 1] += edgeStart[e];
    const fill = edgeStart.slice(0, m);
    const pins = new Int32Array(npins);
    for (let v = 0; v < nv; v++) {
      for (const i of problem.inputs[leaves[v]]) {
        const e = local[i];
        if (e >= 0) pins[fill[e]++] = v;
      }
    }
    for (let e = 0; e < m; e++) if (fill[e] < edgeStart[e + 1]) pins[fill[e]++] = nv;
    const nvAll = hasOpen ? nv + 1 : nv;
    const vw = new Float64Array(nvAll).fill(1);
    if (hasOpen) vw[nv] = 0;
    const h = makeHypergraph(nvAll, vw, edgeStart, pins, edgeWeight);

    // cotengra-style schedules: parts and imbalance depend on the relative subset size.
    const s = nv / n;
    const k = Math.min(nv, Math.max(2, Math.floor(Math.pow(s, partsDecay) * parts0)));
    const eps = decay >= 0 ? Math.pow(s, decay) * imb : 1 - Math.pow(s, -decay) * (1 - imb);
    const block = partitionHypergraph(h, k, { epsilon: Math.max(0.001, eps), rand, initialTries: tries });
    const groups: number[][] = Array.from({ length: k }, () => []);
    for (let v = 0; v < nv; v++) groups[block[v]].push(leaves[v]);
    const nonEmpty = groups.filter((g) => g.length > 0);
    if (nonEmpty.length < 2) return finish(leaves);
    return combine(nonEmpty.map((g) => split(Int32Array.from(g))));
  };

  const all = new Int32Array(n);
  for (let t = 0; t < n; t++) all[t] = t;
  let tree = new ContractionTree(problem, split(all), tot);
  const sub = params.subtreeSize ?? 0;
  if (sub > 2) tree = reconfigure(tree, { subtreeSize: sub });
  return tree;
}
