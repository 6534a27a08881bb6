/**
 * Sharing the best sliced contraction between parallel searches: a small record in a
 * `SharedArrayBuffer` (standard JavaScript, so worker threads and Web Workers alike) that each
 * search offers its improvements to and takes better ones from, so parallel re-planning chains
 * continue from the best slice set found by any of them instead of running apart.
 */
import type { SsaPath } from './types.js';

/** What a re-planning loop needs from a shared record (see `SliceExchange`). */
export interface SlicedShare {
  /** Offers a sliced contraction; kept only if cheaper than the shared one. */
  offer(multiplyAdds: number, sliced: readonly number[], path: SsaPath): void;
  /** The shared contraction if it is cheaper than `multiplyAdds`, else undefined. */
  take(multiplyAdds: number): { multiplyAdds: number; sliced: number[]; path: Array<[number, number]> } | undefined;
}

// Layout: Int32 header [lock, nSliced, nPath], pad, Float64 cost, then Int32 sliced ids and path pairs.
const HEADER_BYTES = 16;
const COST_BYTES = 8;

/** A shared best-sliced-contraction record over a `SharedArrayBuffer`. */
export class SliceExchange implements SlicedShare {
  private readonly head: Int32Array;
  private readonly cost: Float64Array;
  private readonly data: Int32Array;

  /** Buffer for a network of `numInputs` tensors whose index ids are below `numIndices`. */
  static allocate(numInputs: number, numIndices: number): SharedArrayBuffer {
    const ints = numIndices + 2 * Math.max(0, numInputs - 1);
    const sab = new SharedArrayBuffer(HEADER_BYTES + COST_BYTES + 4 * ints);
    new Float64Array(sab, HEADER_BYTES, 1)[0] = Infinity;
    return sab;
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.head = new Int32Array(buffer, 0, 3);
    this.cost = new Float64Array(buffer, HEADER_BYTES, 1);
    this.data = new Int32Array(buffer, HEADER_BYTES + COST_BYTES);
  }

  // A spin lock: critical sections only copy a few thousand integers, and Atomics.wait is not
  // allowed on a browser's main thread.
  private lock(): void {
    while (Atomics.compareExchange(this.head, 0, 0, 1) !== 0) {
      // spin
    }
  }

  private unlock(): void {
    Atomics.store(this.head, 0, 0);
  }

  offer(multiplyAdds: number, sliced: readonly number[], path: SsaPath): void {
    if (sliced.length + 2 * path.length > this.data.length) return;
    this.lock();
    try {
      if (!(multiplyAdds < this.cost[0])) return;
      this.cost[0] = multiplyAdds;
      this.head[1] = sliced.length;
      this.head[2] = path.length;
      this.data.set(sliced, 0);
      let k = sliced.length;
      for (const [a, b] of path) {
        this.data[k++] = a;
        this.data[k++] = b;
      }
    } finally {
      this.unlock();
    }
  }

  take(multiplyAdds: number): { multiplyAdds: number; sliced: number[]; path: Array<[number, number]> } | undefined {
    // Unlocked peek first: the common answer is "nothing better", and it must stay cheap.
    if (!(this.cost[0] < multiplyAdds)) return undefined;
    this.lock();
    try {
      const c = this.cost[0];
      if (!(c < multiplyAdds)) return undefined;
      const ns = this.head[1];
      const np = this.head[2];
      const sliced = Array.from(this.data.subarray(0, ns));
      const path: Array<[number, number]> = [];
      for (let j = 0; j < np; j++) path.push([this.data[ns + 2 * j], this.data[ns + 2 * j + 1]]);
      return { multiplyAdds: c, sliced, path };
    } finally {
      this.unlock();
    }
  }
}
