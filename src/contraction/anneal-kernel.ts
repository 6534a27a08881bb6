/**
 * The annealer's rotation-move kernel (`annealSliced`'s hot loop) behind the backend registry:
 * a plain TypeScript implementation here (backend 'js'), a WebAssembly one with native popcount
 * in `anneal-wasm.ts` (backend 'wasm'). Both work on a *workspace*: one block of 32-bit words that
 * holds the annealer's bitsets, so the WebAssembly kernel reads them without copying.
 */
import { registerKernel } from '../backend/registry.js';
import { popcount32 } from './bits.js';

/** Registry name of the workspace factory. */
export const ANNEAL_ROTATION_KERNEL = 'annealRotation';

/** Words of a workspace plus the rotation move over bitsets stored in them. */
export interface RotationWorkspace {
  /** The workspace, 32-bit words; bitsets start at even word offsets and span an even number of words. */
  readonly words: Uint32Array;
  /** Where `rotation` writes its three counts. */
  readonly counts: Int32Array;
  /**
   * Rotation at N = (X, Y) under P, whose other child is C (N becomes (X, C)): writes N's new legs
   * (X ∪ C) ∩ (P ∪ Y ∪ out) at `tmp` and, into `counts`, the numbers of active bits of N's new legs,
   * of X ∪ C and of N' ∪ Y. Arguments are word offsets of `setWords`-word bitsets.
   */
  rotation(x: number, c: number, p: number, y: number, tmp: number, active: number, out: number): void;
}

/**
 * Creates a workspace of `words` 32-bit words (zeroed) whose bitsets are `setWords` words long
 * (even); `null` when the backend cannot allocate it.
 */
export type RotationWorkspaceFactory = (words: number, setWords: number) => RotationWorkspace | null;

/** The TypeScript workspace: a Uint32Array and the fused loop with popcounts by bit tricks. */
export const rotationWorkspaceJs = (words: number, setWords: number): RotationWorkspace => {
  const u = new Uint32Array(words);
  const counts = new Int32Array(3);
  return {
    words: u,
    counts,
    rotation(x, c, p, y, tmp, active, out): void {
      let pN = 0;
      let pcN = 0;
      let pcP = 0;
      for (let w = 0; w < setWords; w++) {
        const xc = u[x + w] | u[c + w];
        const yy = u[y + w];
        const t = xc & (u[p + w] | yy | u[out + w]);
        u[tmp + w] = t;
        const a = u[active + w];
        pN += popcount32(t & a);
        pcN += popcount32(xc & a);
        pcP += popcount32((t | yy) & a);
      }
      counts[0] = pN;
      counts[1] = pcN;
      counts[2] = pcP;
    },
  };
};

registerKernel<RotationWorkspaceFactory>(ANNEAL_ROTATION_KERNEL, 'js', rotationWorkspaceJs);
