/**
 * Binary contraction trees over a `ContractionProblem`, kept apart from execution: path
 * finders build and rewrite trees; executors read the SSA path a tree emits.
 */
import type { ContractionCost, ContractionProblem, SlicedIndices, SsaPath } from './types.js';

/** A node of a contraction tree: a leaf (input tensor) or a pairwise contraction. */
export interface TreeNode {
  /** Input tensor number for leaves. */
  readonly leaf?: number;
  readonly left?: TreeNode;
  readonly right?: TreeNode;
  /** Indices of this node's tensor, with how many leaves below it hold each. */
  readonly legs: ReadonlyMap<number, number>;
  /** Number of leaves below (1 for a leaf). */
  readonly leafCount: number;
}

/** Per-index totals a tree needs to decide which indices a contraction keeps. */
export class IndexTotals {
  /** How many input tensors hold each index. */
  readonly count = new Map<number, number>();
  readonly output: ReadonlySet<number>;
  constructor(readonly problem: ContractionProblem) {
    for (const t of problem.inputs) for (const i of t) this.count.set(i, (this.count.get(i) ?? 0) + 1);
    this.output = new Set(problem.output);
  }

  /** Leaf node of input `t`. */
  leaf(t: number): TreeNode {
    const legs = new Map<number, number>();
    for (const i of this.problem.inputs[t]) legs.set(i, 1);
    return { leaf: t, legs, leafCount: 1 };
  }

  /** Legs of the contraction of two nodes' leg maps (kept iff output or held outside). */
  mergeLegs(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
    const out = new Map<number, number>();
    for (const [i, c] of a) {
      const t = c + (b.get(i) ?? 0);
      if (this.output.has(i) || t < this.count.get(i)!) out.set(i, t);
    }
    for (const [i, c] of b) {
      if (a.has(i)) continue;
      if (this.output.has(i) || c < this.count.get(i)!) out.set(i, c);
    }
    return out;
  }

  /** Internal node joining `left` and `right`. */
  join(left: TreeNode, right: TreeNode): TreeNode {
    return { left, right, legs: this.mergeLegs(left.legs, right.legs), leafCount: left.leafCount + right.leafCount };
  }
}

/** Product of index sizes over the keys of `legs` (sliced indices count as 1). */
export function legSize(legs: Iterable<number>, sizes: readonly number[], sliced?: ReadonlySet<number>): number {
  let s = 1;
  for (const i of legs) if (!sliced?.has(i)) s *= sizes[i];
  return s;
}

/** Multiply-adds of one pairwise contraction: the product of all sizes of indices on either operand. */
export function pairCost(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  sizes: readonly number[],
  sliced?: ReadonlySet<number>,
): number {
  let s = legSize(a.keys(), sizes, sliced);
  for (const i of b.keys()) if (!a.has(i) && !sliced?.has(i)) s *= sizes[i];
  return s;
}

/** A complete binary contraction tree. */
export class ContractionTree {
  readonly totals: IndexTotals;
  constructor(
    readonly problem: ContractionProblem,
    readonly root: TreeNode,
    totals?: IndexTotals,
  ) {
    this.totals = totals ?? new IndexTotals(problem);
  }

  /**
   * Builds a tree from an SSA path. A path that leaves several tensors (an incomplete path) is
   * completed by outer products in id order.
   */
  static fromPath(problem: ContractionProblem, path: SsaPath, totals?: IndexTotals): ContractionTree {
    const tot = totals ?? new IndexTotals(problem);
    const n = problem.inputs.length;
    if (n === 0) throw new Error('contraction problem has no tensors');
    const nodes = new Map<number, TreeNode>();
    for (let t = 0; t < n; t++) nodes.set(t, tot.leaf(t));
    let next = n;
    for (const [a, b] of path) {
      const na = nodes.get(a);
      const nb = nodes.get(b);
      if (!na || !nb || a === b) throw new Error(`invalid SSA path: pair (${a}, ${b}) at step ${next - n}`);
      nodes.delete(a);
      nodes.delete(b);
      nodes.set(next++, tot.join(na, nb));
    }
    let rest = [...nodes.values()];
    while (rest.length > 1) rest = [tot.join(rest[0], rest[1]), ...rest.slice(2)];
    return new ContractionTree(problem, rest[0], tot);
  }

  /** The SSA path of this tree (post-order, left before right). */
  toPath(): SsaPath {
    const n = this.problem.inputs.length;
    const path: Array<[number, number]> = [];
    let next = n;
    // Iterative post-order so deep (chain-like) trees do not overflow the stack.
    const ids = new Map<TreeNode, number>();
    const stack: Array<[TreeNode, boolean]> = [[this.root, false]];
    while (stack.length) {
      const [node, expanded] = stack.pop()!;
      if (node.leaf !== undefined) {
        ids.set(node, node.leaf);
      } else if (expanded) {
        path.push([ids.get(node.left!)!, ids.get(node.right!)!]);
        ids.set(node, next++);
      } else {
        stack.push([node, true], [node.right!, false], [node.left!, false]);
      }
    }
    return path;
  }

  /** All internal nodes, children before parents. */
  internalNodes(): TreeNode[] {
    const out: TreeNode[] = [];
    const stack: Array<[TreeNode, boolean]> = [[this.root, false]];
    while (stack.length) {
      const [node, expanded] = stack.pop()!;
      if (node.leaf !== undefined) continue;
      if (expanded) out.push(node);
      else stack.push([node, true], [node.right!, false], [node.left!, false]);
    }
    return out;
  }

  /** Input numbers under the tree, in left-to-right order. */
  leaves(): number[] {
    const out: number[] = [];
    const stack: TreeNode[] = [this.root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.leaf !== undefined) out.push(node.leaf);
      else stack.push(node.right!, node.left!);
    }
    return out;
  }

  /** Exact costs of contracting this tree, optionally with `sliced` indices fixed per slice. */
  cost(sliced: SlicedIndices = []): ContractionCost {
    return treeCost(this, sliced);
  }
}

/** Costs of `tree` with and without slicing (see `ContractionCost`). */
export function treeCost(tree: ContractionTree, sliced: SlicedIndices = []): ContractionCost {
  const sizes = tree.problem.sizes;
  const sl = new Set(sliced);
  let slices = 1;
  for (const i of sl) slices *= sizes[i];
  let madd = 0;
  let maddUnsliced = 0;
  let writes = 0;
  let maxSize = 0;
  const nodes = tree.internalNodes();
  for (const node of nodes) {
    madd += pairCost(node.left!.legs, node.right!.legs, sizes, sl);
    maddUnsliced += pairCost(node.left!.legs, node.right!.legs, sizes);
    const s = legSize(node.legs.keys(), sizes, sl);
    writes += s;
    if (s > maxSize) maxSize = s;
  }
  if (nodes.length === 0) maxSize = legSize(tree.root.legs.keys(), sizes, sl);
  const multiplyAdds = madd * slices;
  return {
    multiplyAdds,
    flops: 8 * multiplyAdds,
    width: Math.log2(maxSize),
    writes: writes * slices,
    slices,
    overhead: maddUnsliced > 0 ? multiplyAdds / maddUnsliced : 1,
  };
}
