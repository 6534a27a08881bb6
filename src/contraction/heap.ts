/** A small binary min-heap keyed by numbers (ties broken by insertion order). */
export class MinHeap<T> {
  private keys: number[] = [];
  private seq: number[] = [];
  private vals: T[] = [];
  private counter = 0;

  /** Number of items. */
  get size(): number {
    return this.keys.length;
  }

  private less(i: number, j: number): boolean {
    return this.keys[i] < this.keys[j] || (this.keys[i] === this.keys[j] && this.seq[i] < this.seq[j]);
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.seq[i], this.seq[j]] = [this.seq[j], this.seq[i]];
    [this.vals[i], this.vals[j]] = [this.vals[j], this.vals[i]];
  }

  /** Inserts `value` with priority `key`. */
  push(key: number, value: T): void {
    this.keys.push(key);
    this.seq.push(this.counter++);
    this.vals.push(value);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes and returns the value with the smallest key. */
  pop(): T | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top = this.vals[0];
    this.swap(0, n - 1);
    this.keys.pop();
    this.seq.pop();
    this.vals.pop();
    let i = 0;
    const m = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < m && this.less(l, s)) s = l;
      if (r < m && this.less(r, s)) s = r;
      if (s === i) break;
      this.swap(i, s);
      i = s;
    }
    return top;
  }
}
