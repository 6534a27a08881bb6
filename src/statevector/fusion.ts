/**
 * Gate fusion for the fast state-vector engine, in the spirit of qsim: consecutive gates are merged
 * into dense blocks acting on at most `k` qubits, so the state is swept once per block instead of
 * once per gate. A block that holds a single table gate keeps its structure (diagonal, controlled,
 * permutation) so the kernels can take the cheap path for it.
 *
 * Block matrices are written on the block's qubits sorted ascending, first (smallest) qubit the most
 * significant bit of the matrix index, matching docs/conventions.md.
 */
import { Circuit, type GateOperation } from '../circuit/circuit.js';
import { embed, isDiagonal, matrixDim } from '../circuit/matrix.js';

/** One fused operation ready for a kernel. */
export interface FusedOp {
  /** `dense`: full matrix; `diag`: phases only; `perm`: unit-entry permutation (index moves). */
  readonly kind: 'dense' | 'diag' | 'perm';
  /** Target qubits, ascending; the first is the most significant bit of the matrix index. */
  readonly qubits: readonly number[];
  /** Control qubits (the op acts only where all of them are 1). */
  readonly controls: readonly number[];
  /**
   * `dense`: interleaved `2^k × 2^k` matrix; `diag`: the `2^k` interleaved diagonal entries;
   * `perm`: unused (empty).
   */
  readonly matrix: Float64Array;
  /** `perm` only: `perm[col] = row` of the unit entry in column `col`. */
  readonly perm: Int32Array;
  /** How many circuit gates this op stands for. */
  readonly gates: number;
}

interface Block {
  qubits: number[]; // ascending
  matrix: Float64Array; // on `qubits`
  ops: GateOperation[];
}

/** The matrix of `m` (on `from` qubits, listed order) re-expressed on `to` (a superset, in its order). */
function lift(m: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  const targets = from.map((q) => to.indexOf(q));
  if (targets.length === to.length && targets.every((t, i) => t === i)) return m;
  return embed(m, targets, to.length);
}

/**
 * `g · m` in place, where `m` is a matrix on `on` (ascending, first qubit the most significant bit)
 * and `g` a matrix on `gq` (listed order, a subset of `on`): `g` is applied to every column of `m`
 * like a gate to a state, 2^k·2^k·2^|gq| multiply-adds instead of a full 2^k-dimensional product.
 */
function leftApply(m: Float64Array, on: readonly number[], g: Float64Array, gq: readonly number[]): Float64Array {
  const k = on.length;
  const d = 1 << k;
  const kg = gq.length;
  if (kg === 1) {
    // One-qubit gate (the common case): rows r and r | bit, each column.
    const bit = 1 << (k - 1 - on.indexOf(gq[0]));
    const [ar, ai, br, bi, cr, ci, dr, di] = g;
    for (let r = 0; r < d; r++) {
      if (r & bit) continue;
      for (let c = 0; c < d; c++) {
        const i = 2 * (r * d + c);
        const j = 2 * ((r | bit) * d + c);
        const xr = m[i], xi = m[i + 1], yr = m[j], yi = m[j + 1];
        m[i] = ar * xr - ai * xi + br * yr - bi * yi;
        m[i + 1] = ar * xi + ai * xr + br * yi + bi * yr;
        m[j] = cr * xr - ci * xi + dr * yr - di * yi;
        m[j + 1] = cr * xi + ci * xr + dr * yi + di * yr;
      }
    }
    return m;
  }
  const dg = 1 << kg;
  // Row-index bit of each gate qubit; gate-index bit kg−1−j belongs to gq[j].
  const bits = gq.map((q) => k - 1 - on.indexOf(q));
  const offs = new Int32Array(dg);
  for (let s = 0; s < dg; s++) {
    let o = 0;
    for (let j = 0; j < kg; j++) if ((s >> (kg - 1 - j)) & 1) o |= 1 << bits[j];
    offs[s] = o;
  }
  let gmask = 0;
  for (const b of bits) gmask |= 1 << b;
  const vr = new Float64Array(dg), vi = new Float64Array(dg);
  for (let c = 0; c < d; c++)
    for (let r0 = 0; r0 < d; r0++) {
      if (r0 & gmask) continue;
      for (let s = 0; s < dg; s++) {
        const i = 2 * ((r0 | offs[s]) * d + c);
        vr[s] = m[i];
        vi[s] = m[i + 1];
      }
      for (let s = 0; s < dg; s++) {
        let ar = 0, ai = 0;
        for (let t = 0; t < dg; t++) {
          const gr = g[2 * (s * dg + t)], gi = g[2 * (s * dg + t) + 1];
          ar += gr * vr[t] - gi * vi[t];
          ai += gr * vi[t] + gi * vr[t];
        }
        const i = 2 * ((r0 | offs[s]) * d + c);
        m[i] = ar;
        m[i + 1] = ai;
      }
    }
  return m;
}

/** Union of two ascending qubit lists, ascending (a linear merge: fusion calls it per candidate). */
function sortedUnion(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || out[out.length - 1] !== x) out.push(x);
  }
  return out;
}

/** Structured op for a block holding exactly one table gate. */
function singleGateOp(op: GateOperation): FusedOp {
  const spec = Circuit.specOf(op);
  const full = Circuit.matrixOf(op);
  const nc = spec ? spec.controls : 0;
  const controls = op.qubits.slice(0, nc);
  const targetsListed = op.qubits.slice(nc);
  const tdim = 1 << targetsListed.length;
  const fdim = matrixDim(full);
  // Target block = bottom-right tdim × tdim corner of the controlled matrix.
  let sub: Float64Array = new Float64Array(2 * tdim * tdim);
  const off = fdim - tdim;
  for (let r = 0; r < tdim; r++)
    for (let c = 0; c < tdim; c++) {
      sub[2 * (r * tdim + c)] = full[2 * ((off + r) * fdim + off + c)];
      sub[2 * (r * tdim + c) + 1] = full[2 * ((off + r) * fdim + off + c) + 1];
    }
  const targets = [...targetsListed].sort((a, b) => a - b);
  sub = lift(sub, targetsListed, targets);
  return classify(targets, controls, sub, 1, spec?.permutation ?? false);
}

function classify(qubits: number[], controls: readonly number[], m: Float64Array, gates: number, maybePerm: boolean): FusedOp {
  const d = matrixDim(m);
  if (isDiagonal(m)) {
    const diag = new Float64Array(2 * d);
    for (let i = 0; i < d; i++) {
      diag[2 * i] = m[2 * (i * d + i)];
      diag[2 * i + 1] = m[2 * (i * d + i) + 1];
    }
    return { kind: 'diag', qubits, controls, matrix: diag, perm: new Int32Array(0), gates };
  }
  if (maybePerm) {
    const perm = new Int32Array(d).fill(-1);
    let ok = true;
    for (let c = 0; c < d && ok; c++)
      for (let r = 0; r < d; r++) {
        const re = m[2 * (r * d + c)];
        const im = m[2 * (r * d + c) + 1];
        if (re === 1 && im === 0) {
          if (perm[c] >= 0) ok = false;
          perm[c] = r;
        } else if (re !== 0 || im !== 0) ok = false;
      }
    if (ok && perm.every((p) => p >= 0)) return { kind: 'perm', qubits, controls, matrix: new Float64Array(0), perm, gates };
  }
  return { kind: 'dense', qubits, controls, matrix: m, perm: new Int32Array(0), gates };
}

function finish(b: Block): FusedOp {
  if (b.ops.length === 1) return singleGateOp(b.ops[0]);
  const allPerm = b.ops.every((o) => Circuit.specOf(o)?.permutation === true);
  return classify(b.qubits, [], b.matrix, b.ops.length, allPerm);
}

/**
 * Fuses a run of unconditioned gates into blocks of at most `maxQubits` qubits (gates wider than
 * that stay alone). Blocks on disjoint qubits stay open side by side, so a gate can join a block
 * across unrelated gates, as qsim's fuser does.
 */
export function fuseGates(gates: readonly GateOperation[], maxQubits: number): FusedOp[] {
  const k = Math.max(1, Math.floor(maxQubits));
  const out: FusedOp[] = [];
  let open: Block[] = [];
  for (const g of gates) {
    const gm = Circuit.matrixOf(g);
    const gq = [...g.qubits];
    const gqSorted = [...gq].sort((x, y) => x - y);
    const touching = open.filter((b) => b.qubits.some((q) => gq.includes(q)));
    // Join the gate with the subset of touching blocks that fits in k qubits and holds the most
    // gates; the others are emitted first (they share no qubit with the chosen ones, so they commute).
    let best: Block[] = [];
    let bestGates = -1;
    let bestUnion: number[] = [];
    if (gq.length <= k) {
      for (let mask = 0; mask < 1 << touching.length; mask++) {
        const chosen = touching.filter((_, i) => (mask >> i) & 1);
        let union = gqSorted;
        for (const b of chosen) union = sortedUnion(union, b.qubits);
        const count = chosen.reduce((n, b) => n + b.ops.length, 0);
        if (union.length <= k && (count > bestGates || (count === bestGates && union.length < bestUnion.length))) {
          best = chosen;
          bestGates = count;
          bestUnion = union;
        }
      }
    }
    for (const b of touching) if (!best.includes(b)) out.push(finish(b));
    open = open.filter((b) => !touching.includes(b));
    if (gq.length > k) {
      out.push(singleGateOp(g));
      continue;
    }
    // The chosen blocks act on disjoint qubits (they commute); the gate comes after all of them.
    // The chosen blocks leave `open`, so the first one's matrix (when already on the union) and
    // op list are reused in place: copying them for every gate made long blocks quadratic.
    let m: Float64Array | undefined;
    let ops: GateOperation[] | undefined;
    for (const b of best) {
      if (m) m = leftApply(m, bestUnion, b.matrix, b.qubits);
      else m = b.qubits.length === bestUnion.length ? b.matrix : lift(b.matrix, b.qubits, bestUnion);
      if (ops) for (const o of b.ops) ops.push(o);
      else ops = b.ops;
    }
    ops ??= [];
    m = m ? leftApply(m, bestUnion, gm, gq) : Float64Array.from(lift(gm, gq, bestUnion));
    ops.push(g);
    open.push({ qubits: bestUnion, matrix: m, ops });
  }
  for (const b of open) out.push(finish(b));
  return out;
}

/**
 * Relative cost of one pass of a block, per amplitude, by its number of qubits (dense blocks;
 * cycles per amplitude measured in cache by `npm run bench:sv-kernels` with the FMA build: about
 * 2–3.4 at k = 1, 4.2 at 2, 5.2 at 3, 8.5 at 4; beyond that the 2^k multiply-adds dominate).
 * Diagonal and permutation blocks cost about one memory pass.
 */
const DENSE_PASS_COST = [1, 2.6, 4.4, 5.4, 8.6, 17];
const STRUCTURED_PASS_COST = 1.5;

/** Modelled cost of one dense pass on k qubits (doubling per qubit past the table). */
function densePassCost(k: number): number {
  const last = DENSE_PASS_COST.length - 1;
  return k <= last ? DENSE_PASS_COST[k] : DENSE_PASS_COST[last] * 2 ** (k - last);
}

/** Modelled cost of running `ops` (sum of per-pass costs; lower is faster), used to pick a fusion. */
export function fusionCost(ops: readonly FusedOp[]): number {
  let c = 0;
  for (const o of ops) c += o.kind === 'dense' ? densePassCost(o.qubits.length) : STRUCTURED_PASS_COST;
  return c;
}

/** The fused op of `ops` (in order) on the union of their qubits. */
function blockOf(ops: GateOperation[]): FusedOp {
  // A lone gate keeps its structure (`finish` would drop a matrix built for it).
  if (ops.length === 1) return singleGateOp(ops[0]);
  const qubits = [...new Set(ops.flatMap((o) => o.qubits))].sort((a, b) => a - b);
  let m: Float64Array | undefined;
  for (const o of ops) {
    const gm = Circuit.matrixOf(o);
    m = m ? leftApply(m, qubits, gm, o.qubits) : Float64Array.from(lift(gm, o.qubits, qubits));
  }
  return finish({ qubits, matrix: m as Float64Array, ops });
}

/**
 * Gate fusion with look-ahead. Blocks grow from the earliest multi-qubit gate not yet fused: every
 * qubit set of at most `maxQubits` qubits that the next gates on the block's wires suggest is
 * tried, each takes all the gates it can run from the current frontier, and the set that takes
 * the most multi-qubit gates per unit of modelled pass cost wins. On grid circuits this
 * mixes 3- and 4-qubit blocks: a 2×2 plaquette takes its four couplers in one block, where the
 * in-order fuser closes blocks early (Sycamore-like grid, 24 qubits, k = 4: modelled cost 462
 * against 522, in 70 passes against 65).
 */
export function fuseGatesLookahead(gates: readonly GateOperation[], maxQubits: number): FusedOp[] {
  const k = Math.max(1, Math.floor(maxQubits));
  const out: FusedOp[] = [];
  // Each qubit's gates in circuit order, and the position of its first gate not yet fused.
  let nq = 0;
  for (const g of gates) for (const q of g.qubits) nq = Math.max(nq, q + 1);
  const lanes: number[][] = Array.from({ length: nq }, () => []);
  gates.forEach((g, i) => {
    for (const q of g.qubits) lanes[q].push(i);
  });
  const pos = new Int32Array(nq);
  const done = new Uint8Array(gates.length);
  const head = (q: number, at: Int32Array): number => (at[q] < lanes[q].length ? lanes[q][at[q]] : -1);
  // Scratch for `take`: positions while a candidate block grows, and which qubits it holds.
  const at = new Int32Array(nq);
  const inQ = new Int32Array(nq);
  let stamp = 0;
  // Takes the gates on qubit set Q (ascending) that can run from the frontier, in a valid order;
  // `at` then holds the positions after them.
  const take = (Q: readonly number[]): { taken: number[]; multi: number } => {
    stamp++;
    for (const q of Q) {
      inQ[q] = stamp;
      at[q] = pos[q];
    }
    const taken: number[] = [];
    let multi = 0;
    for (let progress = true; progress; ) {
      progress = false;
      for (const q of Q) {
        for (let g = head(q, at); g >= 0; g = head(q, at)) {
          const gq = gates[g].qubits;
          if (gq.length > k) break;
          let ready = true;
          for (const x of gq) if (inQ[x] !== stamp || head(x, at) !== g) ready = false;
          if (!ready) break;
          taken.push(g);
          if (gq.length > 1) multi++;
          for (const x of gq) at[x]++;
          progress = true;
        }
      }
    }
    return { taken, multi };
  };
  const emit = (taken: readonly number[]): void => {
    for (const g of taken) {
      done[g] = 1;
      for (const x of gates[g].qubits) pos[x]++;
    }
    out.push(blockOf(taken.map((g) => gates[g])));
  };
  // The not yet fused gates on q before `stop` (-1: to the end), as one block.
  const emitLane = (q: number, stop: number): void => {
    const run: number[] = [];
    for (let g = head(q, pos); g >= 0 && g !== stop; g = head(q, pos)) {
      run.push(g);
      pos[q]++;
    }
    for (const g of run) done[g] = 1;
    if (run.length) out.push(blockOf(run.map((g) => gates[g])));
  };
  for (let seed = 0; seed < gates.length; seed++) {
    const sq = gates[seed].qubits;
    if (done[seed] || sq.length < 2) continue;
    // Every gate before the seed on its wires is a 1-qubit gate (earlier multi-qubit gates were
    // seeds or taken), so the seed can always run from the frontier.
    if (sq.length > k) {
      for (const q of sq) emitLane(q, seed);
      emit([seed]);
      continue;
    }
    let best = { taken: [] as number[], score: -1 };
    const seen = new Set<string>();
    const grow = (Q: number[]): void => {
      const key = Q.join(',');
      if (seen.has(key)) return;
      seen.add(key);
      const r = take(Q);
      const score = r.multi / densePassCost(Q.length);
      if (score > best.score + 1e-12 || (score > best.score - 1e-12 && r.taken.length > best.taken.length)) best = { taken: r.taken, score };
      if (Q.length >= k) return;
      // The gates that stopped the block, read before `take` runs again for the wider sets.
      const next = Q.map((q) => head(q, at));
      for (const g of next) {
        if (g < 0) continue;
        const wider = sortedUnion(Q, [...gates[g].qubits].sort((a, b) => a - b));
        if (wider.length <= k) grow(wider);
      }
    };
    grow([...sq].sort((a, b) => a - b));
    emit(best.taken);
  }
  // Left: each qubit's 1-qubit gates after its last multi-qubit gate.
  for (let q = 0; q < nq; q++) emitLane(q, -1);
  // Every gate is on some wire, so every one was emitted; a miss would silently change the state.
  if (done.includes(0)) throw new Error('internal: look-ahead fusion left a gate out');
  return out;
}

/** Below this many qubits, `fuseForEngine` at k ≤ 3 keeps the in-order plan without trying the other. */
const LOOKAHEAD_SMALL_BELOW_QUBITS = 18;

/**
 * The engine's fusion: both fusers at block size `maxQubits`, keeping the plan with the lower
 * `fusionCost`. The look-ahead fuser wins on grid and qsim circuits at k = 4 (10–15% lower
 * modelled cost); at k = 3 it rarely gains more than 3%, so on states under 18 qubits
 * (`numQubits`, default: the highest qubit used plus one), where planning is a visible share of
 * the run (0.7 against 1.5 ms at 16 qubits, depth 20), it is not tried.
 */
export function fuseForEngine(gates: readonly GateOperation[], maxQubits: number, numQubits?: number): FusedOp[] {
  const inOrder = fuseGates(gates, maxQubits);
  let n = numQubits ?? 0;
  if (numQubits === undefined) for (const g of gates) for (const q of g.qubits) n = Math.max(n, q + 1);
  if (maxQubits < 2 || gates.length < 2 || (maxQubits <= 3 && n < LOOKAHEAD_SMALL_BELOW_QUBITS)) return inOrder;
  const ahead = fuseGatesLookahead(gates, maxQubits);
  return fusionCost(ahead) < fusionCost(inOrder) ? ahead : inOrder;
}
