// The rotation move of the sliced-tree annealer (src/contraction/anneal.ts), its hot loop.
// Index sets are bitsets of `words` u64 words at 8-byte-aligned byte offsets in the imported
// memory, laid out by src/contraction/anneal-wasm.ts. Native popcnt is what makes this faster
// than the TypeScript loop, which counts bits with shifts and masks.

/**
 * Rotation at node N = (X, Y) under P, whose other child is C: N becomes (X, C), Y moves up.
 * Writes N's new legs (X ∪ C) ∩ (P ∪ Y ∪ out) to `tmp` and three counts of active bits as i32
 * at `res`: N's new legs, the contraction X·C, and the contraction N'·Y.
 */
export function rotation(x: usize, c: usize, p: usize, y: usize, tmp: usize, active: usize, out: usize, words: i32, res: usize): void {
  let pN: u64 = 0;
  let pcN: u64 = 0;
  let pcP: u64 = 0;
  for (let w = 0; w < words; w++) {
    const o = <usize>w << 3;
    const xc = load<u64>(x + o) | load<u64>(c + o);
    const yy = load<u64>(y + o);
    const t = xc & (load<u64>(p + o) | yy | load<u64>(out + o));
    store<u64>(tmp + o, t);
    const a = load<u64>(active + o);
    pN += popcnt<u64>(t & a);
    pcN += popcnt<u64>(xc & a);
    pcP += popcnt<u64>((t | yy) & a);
  }
  store<i32>(res, <i32>pN);
  store<i32>(res, <i32>pcN, 4);
  store<i32>(res, <i32>pcP, 8);
}
