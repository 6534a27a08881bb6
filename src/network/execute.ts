/**
 * The executor: contracts a tensor network along an SSA path, optionally summing over slices.
 * Every pairwise step is planned first (layouts, permutations, sizes), so memory is accounted
 * exactly and a path that would not fit is refused before anything is allocated.
 */
import type { SsaPath } from '../contraction/types.js';
import { ResourceError } from '../formats/errors.js';
import { type ComplexArray, type DType, type PairPlan, type Tensor, bytesPerElement, contractPlanned, permuteTo, planPair, product, sumOver } from '../tensor/tensor.js';
import '../tensor/wasm.js'; // registers the WebAssembly SIMD kernels (preferred when available)
import type { TensorNetwork } from './types.js';

/** Options of the executor. */
export interface ExecuteOptions {
  /** 'double' (complex128, default) or 'single' (complex64). */
  readonly precision?: 'single' | 'double';
  /** Peak working memory allowed (bytes); a path needing more is refused with a ResourceError. */
  readonly memoryLimitBytes?: number;
  /** Kernel backend name ('js', 'wasm-simd'); default: best available. */
  readonly backend?: string;
  /** Filled in with the work done (accumulates over calls). */
  readonly stats?: ExecuteStats;
}

/** Work counters of an execution. */
export interface ExecuteStats {
  /** Real floating-point operations done by GEMMs (8 per complex multiply-add). */
  flops: number;
  seconds: number;
}

/** Structure of a whole contraction: per-step plans and memory figures (per slice). */
export interface ExecutionPlan {
  readonly steps: ReadonlyArray<{ readonly a: number; readonly b: number; readonly plan: PairPlan }>;
  /** Index order of the last tensor before the final permutation. */
  readonly finalIndices: readonly number[];
  /** log2 of the largest intermediate's element count. */
  readonly width: number;
  /** Peak bytes held at once (live tensors + permutation copies + result). */
  readonly peakBytes: number;
  /** Real FLOPs of one slice. */
  readonly flops: number;
}

function dtypeOf(precision: 'single' | 'double' | undefined): DType {
  return precision === 'single' ? 'complex64' : 'complex128';
}

/**
 * Plans the contraction of `net` along `path` with `sliced` indices fixed: per-step layouts,
 * largest intermediate and exact peak memory for `dtype`.
 */
export function planExecution(net: TensorNetwork, path: SsaPath, sliced: readonly number[] = [], dtype: DType = 'complex128'): ExecutionPlan {
  const n = net.tensors.length;
  if (n === 0) throw new Error('cannot contract an empty network');
  if (path.length !== n - 1) throw new Error(`path has ${path.length} steps, a network of ${n} tensors needs ${n - 1}`);
  const slicedSet = new Set(sliced);
  for (const s of sliced) if (net.output.includes(s)) throw new Error(`sliced index ${s} is an output index`);
  const size = (i: number): number => (slicedSet.has(i) ? 1 : net.sizes[i]);
  const idx: (readonly number[] | undefined)[] = net.tensors.map((t) => t.indices.filter((i) => !slicedSet.has(i)));
  // Reference counts: live tensors holding an index (+1 for outputs).
  const refs = new Map<number, number>();
  for (const t of idx) for (const i of t!) refs.set(i, (refs.get(i) ?? 0) + 1);
  for (const i of net.output) refs.set(i, (refs.get(i) ?? 0) + 1);
  const bpe = bytesPerElement(dtype);
  const elems: number[] = idx.map((t) => product(t!.map(size)));
  let live = elems.reduce((x, y) => x + y, 0);
  let peak = live;
  let width = Math.log2(Math.max(1, ...elems));
  let flops = 0;
  const steps: Array<{ a: number; b: number; plan: PairPlan }> = [];
  for (const [a, b] of path) {
    const ia = idx[a];
    const ib = idx[b];
    if (!ia || !ib || a === b) throw new Error(`invalid path step (${a}, ${b})`);
    for (const i of ia) refs.set(i, refs.get(i)! - 1);
    for (const i of ib) refs.set(i, refs.get(i)! - 1);
    const plan = planPair(ia, ib, size, (i) => (refs.get(i) ?? 0) > 0);
    const outElems = plan.batch * plan.m * plan.n;
    const lSize = plan.leftIsFirst ? elems[a] : elems[b];
    const rSize = plan.leftIsFirst ? elems[b] : elems[a];
    const lPre = product(plan.leftOrder.map(size));
    const rPre = product(plan.rightOrder.map(size));
    let extra = outElems;
    if (plan.preSumLeft.length) extra += lSize + lPre; // permute copy + reduced copy
    if (plan.preSumRight.length) extra += rSize + rPre;
    if (plan.permuteLeft) extra += lPre;
    if (plan.permuteRight) extra += rPre;
    peak = Math.max(peak, live + extra);
    live += outElems - elems[a] - elems[b];
    width = Math.max(width, Math.log2(Math.max(1, outElems)));
    flops += 8 * plan.batch * plan.m * plan.n * plan.k;
    for (const i of plan.out) refs.set(i, (refs.get(i) ?? 0) + 1);
    idx[a] = undefined;
    idx[b] = undefined;
    idx.push(plan.out);
    elems.push(outElems);
    steps.push({ a, b, plan });
  }
  const last = idx[idx.length - 1]!;
  const finalIndices = last;
  for (const o of net.output) if (!finalIndices.includes(o)) throw new Error(`output index ${o} is not on the final tensor`);
  // A final reduction/permutation may copy the result once more.
  peak = Math.max(peak, live + elems[elems.length - 1]);
  return { steps, finalIndices, width, peakBytes: peak * bpe, flops };
}

function checkMemory(plan: ExecutionPlan, limit: number | undefined, dtype: DType): void {
  if (limit === undefined || plan.peakBytes <= limit) return;
  const bpe = bytesPerElement(dtype);
  const allowed = Math.floor(Math.log2(limit / bpe));
  throw new ResourceError(
    `contraction needs ${plan.peakBytes} bytes (largest intermediate width ${plan.width.toFixed(1)}, i.e. 2^${Math.ceil(plan.width)} ${dtype} elements), ` +
      `over the memory limit of ${limit} bytes (room for width ≤ ${allowed}); slice more indices or raise the limit`,
    plan.peakBytes,
  );
}

/** The sub-tensor with sliced indices fixed to `values` (their axes removed). */
function sliceTensor(t: Tensor, fixed: ReadonlyMap<number, number>, dtype: DType): Tensor {
  const keepAxes: number[] = [];
  let offset = 0;
  let stride = 1;
  const strides = new Array<number>(t.indices.length);
  for (let ax = t.indices.length - 1; ax >= 0; ax--) {
    strides[ax] = stride;
    stride *= t.shape[ax];
  }
  for (let ax = 0; ax < t.indices.length; ax++) {
    const v = fixed.get(t.indices[ax]);
    if (v === undefined) keepAxes.push(ax);
    else offset += v * strides[ax];
  }
  const shape = keepAxes.map((ax) => t.shape[ax]);
  const total = product(shape);
  const out: ComplexArray = dtype === 'complex64' ? new Float32Array(2 * total) : new Float64Array(2 * total);
  const counter = new Array<number>(keepAxes.length).fill(0);
  let pos = offset;
  for (let e = 0; e < total; e++) {
    out[2 * e] = t.data[2 * pos];
    out[2 * e + 1] = t.data[2 * pos + 1];
    for (let j = keepAxes.length - 1; j >= 0; j--) {
      counter[j]++;
      pos += strides[keepAxes[j]];
      if (counter[j] < shape[j]) break;
      pos -= strides[keepAxes[j]] * shape[j];
      counter[j] = 0;
    }
  }
  return { indices: keepAxes.map((ax) => t.indices[ax]), shape, data: out };
}

function inputTensors(net: TensorNetwork, dtype: DType, fixed: ReadonlyMap<number, number>): Tensor[] {
  return net.tensors.map((t) => {
    const base: Tensor = {
      indices: t.indices,
      shape: t.indices.map((i) => net.sizes[i]),
      data: dtype === 'complex64' ? Float32Array.from(t.data) : t.data,
    };
    return t.indices.some((i) => fixed.has(i)) ? sliceTensor(base, fixed, dtype) : base;
  });
}

function runPlan(net: TensorNetwork, plan: ExecutionPlan, dtype: DType, fixed: ReadonlyMap<number, number>, backend: string | undefined): ComplexArray {
  const tensors: (Tensor | undefined)[] = inputTensors(net, dtype, fixed);
  for (const { a, b, plan: p } of plan.steps) {
    const r = contractPlanned(tensors[a]!, tensors[b]!, p, backend);
    tensors[a] = undefined;
    tensors[b] = undefined;
    tensors.push(r.tensor);
  }
  let last = tensors[tensors.length - 1]!;
  const extra = last.indices.filter((i) => !net.output.includes(i));
  last = sumOver(last, extra);
  return permuteTo(last, net.output, backend).data;
}

/** Decodes slice number `k` into fixed values of the sliced indices (`s_0` most significant). */
export function sliceValues(net: TensorNetwork, sliced: readonly number[], k: number): Map<number, number> {
  const fixed = new Map<number, number>();
  for (let j = sliced.length - 1; j >= 0; j--) {
    const d = net.sizes[sliced[j]];
    fixed.set(sliced[j], k % d);
    k = Math.floor(k / d);
  }
  return fixed;
}

/** Number of slices for `sliced` indices. */
export function sliceCount(net: TensorNetwork, sliced: readonly number[]): number {
  return product(sliced.map((i) => net.sizes[i]));
}

/**
 * Sum over slices `[start, end)` of the contraction result: interleaved complex128, axes in
 * `net.output` order. Refuses (ResourceError) before starting when a slice's peak memory exceeds
 * `memoryLimitBytes`.
 */
export function contractSlices(
  net: TensorNetwork,
  plan: { readonly path: SsaPath; readonly sliced: readonly number[] },
  range: { readonly start: number; readonly end: number },
  options: ExecuteOptions = {},
): Float64Array {
  const dtype = dtypeOf(options.precision);
  const exec = planExecution(net, plan.path, plan.sliced, dtype);
  checkMemory(exec, options.memoryLimitBytes, dtype);
  const total = sliceCount(net, plan.sliced);
  if (!(range.start >= 0 && range.end <= total && range.start <= range.end && Number.isInteger(range.start) && Number.isInteger(range.end)))
    throw new Error(`slice range [${range.start}, ${range.end}) outside [0, ${total})`);
  const outSize = product(net.output.map((i) => net.sizes[i]));
  const acc = new Float64Array(2 * outSize);
  const t0 = performance.now();
  for (let k = range.start; k < range.end; k++) {
    const r = runPlan(net, exec, dtype, sliceValues(net, plan.sliced, k), options.backend);
    for (let e = 0; e < acc.length; e++) acc[e] += r[e];
  }
  if (options.stats) {
    options.stats.flops += exec.flops * (range.end - range.start);
    options.stats.seconds += (performance.now() - t0) / 1000;
  }
  return acc;
}

/** Result of `contractNetwork`. */
export interface ContractResult {
  /** Interleaved complex128 result, axes in `net.output` order. */
  readonly data: Float64Array;
  readonly flops: number;
  readonly seconds: number;
  /** Achieved real GFLOP/s of the GEMMs over the whole run. */
  readonly gflops: number;
  readonly width: number;
  readonly peakBytes: number;
}

/** Contracts a whole network along `path` (all slices when `sliced` is given). */
export function contractNetwork(net: TensorNetwork, path: SsaPath, options: ExecuteOptions & { readonly sliced?: readonly number[] } = {}): ContractResult {
  const sliced = options.sliced ?? [];
  const dtype = dtypeOf(options.precision);
  const exec = planExecution(net, path, sliced, dtype);
  checkMemory(exec, options.memoryLimitBytes, dtype);
  const stats: ExecuteStats = { flops: 0, seconds: 0 };
  const data = contractSlices(net, { path, sliced }, { start: 0, end: sliceCount(net, sliced) }, { ...options, stats });
  if (options.stats) {
    options.stats.flops += stats.flops;
    options.stats.seconds += stats.seconds;
  }
  return {
    data,
    flops: stats.flops,
    seconds: stats.seconds,
    gflops: stats.seconds > 0 ? stats.flops / stats.seconds / 1e9 : 0,
    width: exec.width,
    peakBytes: exec.peakBytes,
  };
}
