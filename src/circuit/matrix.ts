/**
 * Small dense complex matrices, stored as interleaved `[re, im, re, im, …]` in row-major order.
 *
 * These are gate-sized (at most a few qubits) helpers used by the gate table, fusion and
 * tests; they favour clarity over speed. A matrix acting on qubits `(q_0, …, q_{k-1})` is
 * indexed with `q_0` as the most significant bit (textbook order), see docs/conventions.md.
 */

/** Interleaved complex matrix `[re, im, …]`, row-major, `dim × dim` with `dim = 2^k`. */
export type ComplexMatrix = Float64Array;

/** A complex number as a `[re, im]` pair. */
export type Complex = readonly [number, number];

/** Dimension of a square interleaved matrix. */
export function matrixDim(m: ComplexMatrix): number {
  const d = Math.round(Math.sqrt(m.length / 2));
  if (2 * d * d !== m.length) throw new Error(`not a square complex matrix (length ${m.length})`);
  return d;
}

/** Builds a matrix from rows of complex entries (`number` means a real entry). */
export function fromRows(rows: ReadonlyArray<ReadonlyArray<number | Complex>>): ComplexMatrix {
  const d = rows.length;
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++) {
    if (rows[r].length !== d) throw new Error('fromRows: matrix must be square');
    for (let c = 0; c < d; c++) {
      const v = rows[r][c];
      if (typeof v === 'number') m[2 * (r * d + c)] = v;
      else {
        m[2 * (r * d + c)] = v[0];
        m[2 * (r * d + c) + 1] = v[1];
      }
    }
  }
  return m;
}

/** Diagonal matrix from complex entries. */
export function diagonal(entries: ReadonlyArray<number | Complex>): ComplexMatrix {
  const d = entries.length;
  const m = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) {
    const v = entries[i];
    m[2 * (i * d + i)] = typeof v === 'number' ? v : v[0];
    m[2 * (i * d + i) + 1] = typeof v === 'number' ? 0 : v[1];
  }
  return m;
}

/** `e^{iθ}` as a complex pair. */
export function expi(theta: number): Complex {
  return [Math.cos(theta), Math.sin(theta)];
}

export function identity(dim: number): ComplexMatrix {
  const m = new Float64Array(2 * dim * dim);
  for (let i = 0; i < dim; i++) m[2 * (i * dim + i)] = 1;
  return m;
}

/** Matrix product `a · b`. */
export function matmul(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const d = matrixDim(a);
  if (matrixDim(b) !== d) throw new Error('matmul: dimension mismatch');
  const out = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const ar = a[2 * (i * d + k)];
      const ai = a[2 * (i * d + k) + 1];
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < d; j++) {
        const br = b[2 * (k * d + j)];
        const bi = b[2 * (k * d + j) + 1];
        out[2 * (i * d + j)] += ar * br - ai * bi;
        out[2 * (i * d + j) + 1] += ar * bi + ai * br;
      }
    }
  }
  return out;
}

/** Kronecker product `a ⊗ b` (a acts on the more significant qubits). */
export function kron(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const da = matrixDim(a);
  const db = matrixDim(b);
  const d = da * db;
  const out = new Float64Array(2 * d * d);
  for (let i1 = 0; i1 < da; i1++)
    for (let j1 = 0; j1 < da; j1++) {
      const ar = a[2 * (i1 * da + j1)];
      const ai = a[2 * (i1 * da + j1) + 1];
      for (let i2 = 0; i2 < db; i2++)
        for (let j2 = 0; j2 < db; j2++) {
          const br = b[2 * (i2 * db + j2)];
          const bi = b[2 * (i2 * db + j2) + 1];
          const r = i1 * db + i2;
          const c = j1 * db + j2;
          out[2 * (r * d + c)] = ar * br - ai * bi;
          out[2 * (r * d + c) + 1] = ar * bi + ai * br;
        }
    }
  return out;
}

/** Conjugate transpose. */
export function dagger(a: ComplexMatrix): ComplexMatrix {
  const d = matrixDim(a);
  const out = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      out[2 * (j * d + i)] = a[2 * (i * d + j)];
      out[2 * (j * d + i) + 1] = -a[2 * (i * d + j) + 1];
    }
  return out;
}

/** Multiplies every entry by a complex scalar. */
export function scale(a: ComplexMatrix, s: Complex): ComplexMatrix {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i += 2) {
    out[i] = a[i] * s[0] - a[i + 1] * s[1];
    out[i + 1] = a[i] * s[1] + a[i + 1] * s[0];
  }
  return out;
}

/**
 * `|0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ u` repeated `controls` times: controls are the most significant
 * qubits, so `controlled(X, 1)` is CX with the control listed first.
 */
export function controlled(u: ComplexMatrix, controls = 1): ComplexMatrix {
  let m = u;
  for (let c = 0; c < controls; c++) {
    const d = matrixDim(m);
    const out = identity(2 * d);
    const D = 2 * d;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        out[2 * ((d + i) * D + (d + j))] = m[2 * (i * d + j)];
        out[2 * ((d + i) * D + (d + j)) + 1] = m[2 * (i * d + j) + 1];
      }
    m = out;
  }
  return m;
}

/** Largest entry-wise absolute difference. */
export function maxAbsDiff(a: ComplexMatrix, b: ComplexMatrix): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i += 2) {
    const dr = a[i] - b[i];
    const di = a[i + 1] - b[i + 1];
    worst = Math.max(worst, Math.hypot(dr, di));
  }
  return worst;
}

/**
 * The global phase `φ` with `a ≈ e^{iφ} b`, or `null` when the two differ by more than
 * `tol` after the best phase is removed.
 */
export function globalPhaseBetween(a: ComplexMatrix, b: ComplexMatrix, tol = 1e-9): number | null {
  if (a.length !== b.length) return null;
  // Phase from the largest entry of b, which is numerically the most reliable.
  let k = 0;
  let best = -1;
  for (let i = 0; i < b.length; i += 2) {
    const mag = b[i] * b[i] + b[i + 1] * b[i + 1];
    if (mag > best) {
      best = mag;
      k = i;
    }
  }
  if (best <= 0) return maxAbsDiff(a, b) <= tol ? 0 : null;
  // e^{iφ} = a_k / b_k
  const qr = (a[k] * b[k] + a[k + 1] * b[k + 1]) / best;
  const qi = (a[k + 1] * b[k] - a[k] * b[k + 1]) / best;
  const phi = Math.atan2(qi, qr);
  if (Math.abs(Math.hypot(qr, qi) - 1) > tol) return null;
  return maxAbsDiff(a, scale(b, expi(phi))) <= tol ? phi : null;
}

/** True when `u · u† = I` within `tol`. */
export function isUnitary(u: ComplexMatrix, tol = 1e-10): boolean {
  return maxAbsDiff(matmul(u, dagger(u)), identity(matrixDim(u))) <= tol;
}

/** True when every off-diagonal entry is exactly zero. */
export function isDiagonal(u: ComplexMatrix): boolean {
  const d = matrixDim(u);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) if (i !== j && (u[2 * (i * d + j)] !== 0 || u[2 * (i * d + j) + 1] !== 0)) return false;
  return true;
}

/**
 * Lifts a `2^m`-dimensional matrix acting on positions `targets` (indices into a register of
 * `k` qubits, position 0 most significant) to the full `2^k` space.
 */
export function embed(u: ComplexMatrix, targets: readonly number[], k: number): ComplexMatrix {
  const m = targets.length;
  if (matrixDim(u) !== 1 << m) throw new Error('embed: matrix size does not match targets');
  const D = 1 << k;
  const out = new Float64Array(2 * D * D);
  const shifts = targets.map((t) => k - 1 - t);
  for (let col = 0; col < D; col++) {
    let sub = 0;
    for (let j = 0; j < m; j++) sub = (sub << 1) | ((col >> shifts[j]) & 1);
    let rest = col;
    for (const s of shifts) rest &= ~(1 << s);
    for (let r = 0; r < 1 << m; r++) {
      const vr = u[2 * (r * (1 << m) + sub)];
      const vi = u[2 * (r * (1 << m) + sub) + 1];
      if (vr === 0 && vi === 0) continue;
      let row = rest;
      for (let j = 0; j < m; j++) if ((r >> (m - 1 - j)) & 1) row |= 1 << shifts[j];
      out[2 * (row * D + col)] += vr;
      out[2 * (row * D + col) + 1] += vi;
    }
  }
  return out;
}
