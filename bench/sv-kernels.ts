/**
 * `npm run bench:sv-kernels`: one state-vector kernel pass at a time, for the two WASM builds side
 * by side in one process (plain SIMD128 and relaxed SIMD with FMA), on a state that fits the caches
 * (default 2^12 amplitudes) so the kernels' own speed shows, not memory bandwidth. Blocks of passes
 * alternate between the builds and the fastest block of each counts, which filters out other load.
 * Reports cycles per amplitude at the core clock measured in the same run (a chain of dependent
 * adds, `bench/clock.ts`; `--ghz` overrides it) next to the multiply-bound of the CPU: 2^k complex multiply-adds = 4·2^k real products per amplitude, at
 * 8 products per cycle (two multiplying pipes × 4 lanes), i.e. 2^(k−1) cycles.
 * Options: --qubits N (12), --k 1,2,3,4,5, --blocks B (40), --precision single|double.
 */
import { measureClockGHz } from './clock.js';
import { allocWasmState, applyWasm, chunkVariant, type SvWasmVariant } from '../src/statevector/wasm.js';
import { enableRelaxedSimd } from '../src/backend/relaxed-simd.node.js';
import { disableRelaxedSimd } from '../src/backend/relaxed-simd.js';
import type { ChunkedState, KernelOp } from '../src/statevector/kernels.js';
import type { Precision } from '../src/engine/types.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const n = Number(opt('qubits', '12'));
const ks = opt('k', '1,2,3,4,5').split(',').map(Number);
const blocks = Number(opt('blocks', '40'));
const ghzArg = opt('ghz', '');
const ghz = ghzArg ? Number(ghzArg) : measureClockGHz();
const precision = opt('precision', 'single') as Precision;

/** A unitary (DFT with a phase) so amplitudes keep their size over many passes: no denormals. */
function dft(k: number): Float64Array {
  const d = 1 << k;
  const m = new Float64Array(2 * d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) {
      const a = (2 * Math.PI * r * c) / d + (r === c ? 0.3 : 0);
      m[2 * (r * d + c)] = Math.cos(a) / Math.sqrt(d);
      m[2 * (r * d + c) + 1] = Math.sin(a) / Math.sqrt(d);
    }
  return m;
}

function stateFor(variant: SvWasmVariant): ChunkedState {
  disableRelaxedSimd(variant === 'simd');
  const st = allocWasmState(n, precision, n);
  disableRelaxedSimd(false);
  if (chunkVariant(st.chunks[0]) !== variant) throw new Error(`${variant} build not available here`);
  for (const ch of st.chunks) for (let i = 0; i < ch.length; i++) ch[i] = (((i * 7919) % 1000) - 500) / 5e4;
  return st;
}

const variants: SvWasmVariant[] = enableRelaxedSimd() ? ['simd', 'relaxed-simd'] : ['simd'];
const states = variants.map(stateFor);
// Targets relative to the top qubit, so 'high' means the largest strides at any --qubits.
const positions: Array<[string, number[]]> = [['high', [n - 5, n - 4, n - 3, n - 2, n - 1]], ['mixed', [2, 5, n - 3, n - 2, n - 1]], ['low', [0, 1, 6, n - 3, n - 1]]];
const rows: Array<Record<string, string | number>> = [];
console.log(`state-vector kernel passes, ${precision}, 2^${n} amplitudes (in cache), cycles/amplitude at ${ghz.toFixed(2)} GHz (${ghzArg ? '--ghz' : 'measured: dependent-add chain'}; best block)`);
console.log('k  targets     mult-bound ' + variants.map((v) => v.padStart(13)).join('') + (variants.length > 1 ? '   fma/plain' : ''));
for (const k of ks)
  for (const [where, all] of positions) {
    const pos = all.slice(0, k).filter((p) => p < n);
    if (pos.length < k) continue;
    const op: KernelOp = { kind: 'dense', pos: Int32Array.from(pos), ctrl: new Int32Array(0), matrix: dft(k), perm: new Int32Array(0) };
    const reps = Math.max(3, Math.round(2 ** 22 / 2 ** n / 2 ** k));
    const best = variants.map(() => Infinity);
    for (let b = 0; b < blocks; b++)
      states.forEach((st, v) => {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) applyWasm(st, op, 0, 1);
        best[v] = Math.min(best[v], (performance.now() - t0) / 1000 / reps);
      });
    const cyc = best.map((s) => (s * ghz * 1e9) / 2 ** n);
    const bound = 2 ** (k - 1) * (precision === 'single' ? 1 : 2);
    const row: Record<string, string | number> = { bench: 'sv-kernels', precision, qubits: n, k, targets: pos.join(','), ghz: +ghz.toFixed(3), multiplyBoundCycles: bound };
    variants.forEach((v, i) => (row[`${v}Cycles`] = +cyc[i].toFixed(2)));
    if (variants.length > 1) row.fmaOverPlain = +(best[1] / best[0]).toFixed(3);
    rows.push(row);
    console.log(`${k}  ${where.padEnd(6)} ${String(bound).padStart(11)} ` + cyc.map((c) => c.toFixed(2).padStart(13)).join('') + (variants.length > 1 ? `   ${(best[1] / best[0]).toFixed(3).padStart(9)}` : ''));
  }
for (const r of rows) console.log(JSON.stringify(r));
