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
