/**
 * Cheapest tensor form of a two-qubit gate for a network: an operator-Schmidt decomposition
 * (SVD of U reshaped to (o1 i1)×(o2 i2), by one-sided complex Jacobi in complex128) and a
 * SWAP relabelling. A gate U is written as SWAP^s·V where the SWAP costs nothing (the two wires
 * exchange their current indices), and V is emitted as
 *  - nothing, when V is the identity (e.g. SWAP itself);
 *  - a diagonal hyperedge on the wires' current indices, when V is diagonal (CZ, rzz, CPhase,
 *    iSWAP = SWAP·diag(1,i,i,1), and fSim(π/2, φ) = SWAP·diag(1,−i,−i,e^{−iφ}): fSim's phase part
 *    and its iSWAP part both become one rank-2 diagonal tensor);
 *  - two rank-3 tensors joined by a bond of V's Schmidt rank r, when r < 4 (CX, CY, CH, rxx …: 2);
 *  - one rank-4 tensor otherwise (generic fSim, generic unitaries: Schmidt rank 4).
 */
import type { ComplexMatrix } from '../circuit/matrix.js';

/** Relative threshold (to the largest singular value / entry) below which a value counts as zero. */
export const RANK_TOLERANCE = 1e-12;

/** Factors of an operator-Schmidt split: U[o1 o2][i1 i2] = Σ_b left[o1,i1,b]·right[b,o2,i2]. */
export interface SchmidtSplit {
  /** Bond dimension: the number of singular values above the tolerance. */
  readonly rank: number;
  /** Interleaved complex `[o1][i1][b]` (4·rank entries). */
  readonly left: Float64Array;
  /** Interleaved complex `[b][o2][i2]` (rank·4 entries). */
  readonly right: Float64Array;
  /** All four singular values, descending. */
  readonly singular: readonly number[];
}

/** The tensor form chosen for a two-qubit gate (see the module comment). */
export type TwoQubitForm =
  | { readonly kind: 'identity'; readonly swap: boolean }
  | { readonly kind: 'diagonal'; readonly swap: boolean; readonly diag: Float64Array }
  | { readonly kind: 'split'; readonly swap: boolean; readonly split: SchmidtSplit }
  | { readonly kind: 'full'; readonly swap: false; readonly matrix: ComplexMatrix };

/** SWAP·U: rows 1 and 2 (|01⟩, |10⟩ outputs) exchanged. */
export function swapOutputs(u: ComplexMatrix): Float64Array {
  const v = Float64Array.from(u);
  for (let c = 0; c < 8; c++) {
    v[8 + c] = u[16 + c];
    v[16 + c] = u[8 + c];
  }
  return v;
}

/** Largest entry modulus of an interleaved complex array. */
function maxAbs(m: Float64Array): number {
  let x = 0;
  for (let i = 0; i < m.length; i += 2) x = Math.max(x, Math.hypot(m[i], m[i + 1]));
  return x;
}

/**
 * The diagonal of a d×d matrix if every off-diagonal entry is below `tol`·(largest entry);
 * otherwise null. Off-diagonal entries under the threshold are dropped (e.g. cos(π/2) ≈ 6e-17).
 */
export function diagonalOf(m: ComplexMatrix, tol = RANK_TOLERANCE): Float64Array | null {
  const d = Math.round(Math.sqrt(m.length / 2));
  const eps = tol * maxAbs(m);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) if (i !== j && Math.hypot(m[2 * (i * d + j)], m[2 * (i * d + j) + 1]) > eps) return null;
  const diag = new Float64Array(2 * d);
  for (let i = 0; i < d; i++) {
    diag[2 * i] = m[2 * (i * d + i)];
    diag[2 * i + 1] = m[2 * (i * d + i) + 1];
  }
  return diag;
}

/** True when every entry of an interleaved diagonal is 1 within `tol`. */
export function isIdentityDiagonal(diag: Float64Array, tol = RANK_TOLERANCE): boolean {
  for (let i = 0; i < diag.length; i += 2) if (Math.abs(diag[i] - 1) > tol || Math.abs(diag[i + 1]) > tol) return false;
  return true;
}

/**
 * Operator-Schmidt decomposition of a two-qubit operator: SVD of M[(o1 i1)][(o2 i2)] =
 * U[(o1 o2)][(i1 i2)] by one-sided Jacobi (Hestenes) on M's columns. The rank counts singular
 * values above `tol`·σ_max; the factors carry √σ each, so their scales are balanced.
 */
export function operatorSchmidt(u: ComplexMatrix, tol = RANK_TOLERANCE): SchmidtSplit {
  if (u.length !== 32) throw new Error(`operatorSchmidt: expected a 4×4 complex matrix (got ${u.length / 2} entries)`);
  // W = M (columns w_c, stored w[c][r]); V = I; column operations keep M·V = W.
  const w: Float64Array[] = [];
  const v: Float64Array[] = [];
  for (let c = 0; c < 4; c++) {
    const col = new Float64Array(8);
    const o2 = c >> 1, i2 = c & 1;
    for (let r = 0; r < 4; r++) {
      const o1 = r >> 1, i1 = r & 1;
      const src = 2 * ((o1 * 2 + o2) * 4 + i1 * 2 + i2);
      col[2 * r] = u[src];
      col[2 * r + 1] = u[src + 1];
    }
    w.push(col);
    const e = new Float64Array(8);
    e[2 * c] = 1;
    v.push(e);
  }
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < 3; p++)
      for (let q = p + 1; q < 4; q++) {
        const wp = w[p], wq = w[q];
        let alpha = 0, beta = 0, gr = 0, gi = 0;
        for (let r = 0; r < 4; r++) {
          const pr = wp[2 * r], pi = wp[2 * r + 1], qr = wq[2 * r], qi = wq[2 * r + 1];
          alpha += pr * pr + pi * pi;
          beta += qr * qr + qi * qi;
          gr += pr * qr + pi * qi; // γ = w_p† w_q
          gi += pr * qi - pi * qr;
        }
        const g = Math.hypot(gr, gi);
        if (g <= 1e-17 * Math.sqrt(alpha * beta) || g === 0) continue;
        rotated = true;
        // Phase e^{-iψ} on column q makes γ real; then a real Jacobi rotation zeroes it.
        const er = gr / g, ei = -gi / g;
        const zeta = (beta - alpha) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (const mat of [w, v]) {
          const a = mat[p], b = mat[q];
          for (let r = 0; r < 4; r++) {
            const br = b[2 * r] * er - b[2 * r + 1] * ei;
            const bi = b[2 * r] * ei + b[2 * r + 1] * er;
            const ar = a[2 * r], ai = a[2 * r + 1];
            a[2 * r] = cs * ar - sn * br;
            a[2 * r + 1] = cs * ai - sn * bi;
            b[2 * r] = sn * ar + cs * br;
            b[2 * r + 1] = sn * ai + cs * bi;
          }
        }
      }
    if (!rotated) break;
  }
  const sigma = w.map((col) => Math.sqrt(col.reduce((s, x) => s + x * x, 0)));
  const order = [0, 1, 2, 3].sort((a, b) => sigma[b] - sigma[a] || a - b);
  const smax = sigma[order[0]];
  const kept = order.filter((j) => sigma[j] > tol * smax && sigma[j] > 0);
  const rank = kept.length;
  // M = W·V† = Σ_b (w_b/√σ_b)(√σ_b v_b†).
  const left = new Float64Array(2 * 4 * rank);
  const right = new Float64Array(2 * rank * 4);
  kept.forEach((j, b) => {
    const s = Math.sqrt(sigma[j]);
    for (let r = 0; r < 4; r++) {
      left[2 * (r * rank + b)] = w[j][2 * r] / s;
      left[2 * (r * rank + b) + 1] = w[j][2 * r + 1] / s;
    }
    for (let c = 0; c < 4; c++) {
      right[2 * (b * 4 + c)] = s * v[j][2 * c];
      right[2 * (b * 4 + c) + 1] = -s * v[j][2 * c + 1];
    }
  });
  return { rank, left, right, singular: order.map((j) => sigma[j]) };
}

/**
 * The cheapest form of a two-qubit gate (module comment): tries U and SWAP·U, prefers
 * identity < diagonal < lower Schmidt rank, and U over SWAP·U on ties.
 */
export function twoQubitForm(u: ComplexMatrix, tol = RANK_TOLERANCE): TwoQubitForm {
  let best: TwoQubitForm | null = null;
  let bestCost = Infinity;
  for (const swap of [false, true]) {
    const m = swap ? swapOutputs(u) : u;
    const diag = diagonalOf(m, tol);
    if (diag) {
      const form: TwoQubitForm = isIdentityDiagonal(diag, tol) ? { kind: 'identity', swap } : { kind: 'diagonal', swap, diag };
      const cost = form.kind === 'identity' ? 0 : 1;
      if (cost < bestCost) [best, bestCost] = [form, cost];
      continue;
    }
    const split = operatorSchmidt(m, tol);
    const cost = 1 + split.rank; // ≥ 2: any split costs more than a hyperedge
    if (split.rank < 4 && cost < bestCost) [best, bestCost] = [{ kind: 'split', swap, split }, cost];
  }
  return best ?? { kind: 'full', swap: false, matrix: u };
}
