/**
 * Routing of ops whose targets sit on global bit positions (the bits that select a chunk).
 *
 * A chunk lives in its own WebAssembly memory, so the SIMD kernels only reach local targets. Like a
 * multi-node simulator, we swap each global target with a free high local position before the op
 * (one sweep of block exchanges between paired chunks: runs of 2^l contiguous amplitudes), run the
 * op on local positions, and at the end of the batch swap back so the caller sees the plain layout.
 * The local qubit evicted is the one needed again latest (Belady's rule) among the highest local
 * positions, whose runs stay long (memcpy speed): on the 30-qubit grid circuit at fuse 4 this cut
 * the exchanges from 30 to 21.
 *
 * With the default cache blocking this is the fallback: staged windows (cache-blocking.ts) copy
 * their runs from any chunk, so a batch whose global ops all fit a staged window is not routed at
 * all (`stagesGlobals`). Routing remains for states too small to block, blocking without staging,
 * and ops wider than a staged window.
 */
import type { KernelOp } from './kernels.js';

const SWAP_PERM = Int32Array.from([0, 2, 1, 3]);
const NO_CTRL = new Int32Array(0);
const NO_MATRIX = new Float64Array(0);

/** The op exchanging bit positions a < b (a SWAP as an index permutation). */
export function swapOp(a: number, b: number): KernelOp {
  return { kind: 'perm', pos: Int32Array.from([Math.min(a, b), Math.max(a, b)]), ctrl: NO_CTRL, matrix: NO_MATRIX, perm: SWAP_PERM };
}

/** Whether an op is a plain swap of one local and one global position (the block-exchange path). */
export function isLocalGlobalSwap(op: KernelOp, chunkBits: number): boolean {
  return (
    op.kind === 'perm' && op.pos.length === 2 && op.ctrl.length === 0 && op.perm[1] === 2 && op.perm[2] === 1 &&
    op.perm[0] === 0 && op.perm[3] === 3 && op.pos[0] < chunkBits && op.pos[1] >= chunkBits
  );
}

/**
 * How many of the highest local positions may take a global qubit: runs of at least 2^(L − 8)
 * amplitudes (512 KiB for 2 GiB chunks) still exchange at memcpy speed.
 */
const ROUTE_CANDIDATES = 8;

const routed = new WeakMap<readonly KernelOp[], Map<number, readonly KernelOp[]>>();

/**
 * The batch `ops` rewritten so that no op has a global target: swaps are inserted where needed and
 * the layout is restored at the end. Ops that cannot be routed (too few free local positions, only
 * with tiny chunks) run in the plain layout on the generic kernel. Cached per batch and chunk size.
 */
export function routeGlobalTargets(ops: readonly KernelOp[], numQubits: number, chunkBits: number): readonly KernelOp[] {
  if (numQubits <= chunkBits) return ops;
  let byBits = routed.get(ops);
  if (!byBits) routed.set(ops, (byBits = new Map()));
  const hit = byBits.get(chunkBits);
  if (hit) return hit;

  const L = chunkBits;
  const phys = Int32Array.from({ length: numQubits }, (_, i) => i); // logical position → physical
  const logicalAt = phys.slice(); // physical position → logical
  const out: KernelOp[] = [];
  const exchange = (a: number, b: number): void => {
    const la = logicalAt[a], lb = logicalAt[b];
    logicalAt[a] = lb;
    logicalAt[b] = la;
    phys[la] = b;
    phys[lb] = a;
  };
  // Swap physical positions a and b: a block exchange when one is global, a local permutation op
  // (which may join a cache-blocking window) when both are local.
  const swapPhysical = (a: number, b: number): void => {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    if (hi < L || (lo < L && hi >= L)) {
      out.push(swapOp(lo, hi));
      exchange(lo, hi);
    } else {
      // (a b) = (p a)(p b)(p a) through a local position p.
      const p = L - 1;
      swapPhysical(p, a);
      swapPhysical(p, b);
      swapPhysical(p, a);
    }
  };
  // The first op from `from` on that touches logical position q (Infinity if none).
  const nextUse = (q: number, from: number): number => {
    for (let j = from; j < ops.length; j++) if (ops[j].pos.includes(q) || ops[j].ctrl.includes(q)) return j;
    return Infinity;
  };
  const restore = (): void => {
    for (let x = 0; x < numQubits; x++) if (logicalAt[x] !== x) swapPhysical(x, phys[x]);
  };
  const identity = (): boolean => logicalAt.every((l, i) => l === i);

  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const pos = Array.from(op.pos, (p) => phys[p]);
    const ctrl = Array.from(op.ctrl, (p) => phys[p]);
    const globals = pos.filter((p) => p >= L);
    if (globals.length === 0) {
      out.push(identity() ? op : { ...op, pos: Int32Array.from(pos), ctrl: Int32Array.from(ctrl) });
      continue;
    }
    const used = new Set([...pos, ...ctrl]);
    // Evict the local qubits needed again latest (Belady's rule), among the top ROUTE_CANDIDATES
    // local positions so that the exchanged runs stay long; ties go to the highest position.
    const candidates: number[] = [];
    for (let p = L - 1; p >= Math.max(0, L - ROUTE_CANDIDATES); p--) if (!used.has(p)) candidates.push(p);
    const next = new Map(candidates.map((p) => [p, nextUse(logicalAt[p], i + 1)]));
    candidates.sort((a, b) => next.get(b)! - next.get(a)! || b - a);
    const free = candidates.slice(0, globals.length);
    for (let p = L - 1 - ROUTE_CANDIDATES; p >= 0 && free.length < globals.length; p--) if (!used.has(p)) free.push(p);
    if (free.length < globals.length) {
      restore();
      out.push(op);
      continue;
    }
    globals.forEach((g, i) => swapPhysical(free[i], g));
    // Matrix-index bit j stays with target j; only its physical position changes.
    out.push({ ...op, pos: Int32Array.from(op.pos, (p) => phys[p]), ctrl: Int32Array.from(op.ctrl, (p) => phys[p]) });
  }
  restore();
  byBits.set(chunkBits, out);
  return out;
}
