/**
 * Versioned JSON contraction plans: what `taizhang plan` writes and executors/runtimes read.
 */
import { PLAN_VERSION } from './types.js';
import type { ContractionCost, ContractionPlan, ContractionProblem, SlicedIndices, SsaPath } from './types.js';
import type { ContractionTree } from './tree.js';

/** FNV-1a over a string's UTF-16 code units, 32-bit, from a given offset basis. */
export function fnv1a(s: string, basis: number): number {
  let h = basis >>> 0;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Canonical text of a problem's structure: tensors' index ids and sizes in order, then the output. */
export function canonicalProblem(problem: ContractionProblem): string {
  const parts: string[] = [`n${problem.inputs.length}`];
  for (const t of problem.inputs) parts.push(t.map((i) => `${i}:${problem.sizes[i]}`).join(','));
  parts.push(`o${problem.output.map((i) => `${i}:${problem.sizes[i]}`).join(',')}`);
  return parts.join(';');
}

/**
 * Stable 64-bit fingerprint (hex) of a problem's structure: two FNV-1a passes with different
 * bases over the canonical serialisation. Same on Node and in browsers (no crypto module).
 */
export function fingerprintProblem(problem: ContractionProblem): string {
  const s = canonicalProblem(problem);
  const h1 = fnv1a(s, 0x811c9dc5);
  const h2 = fnv1a(s, 0x01000193 ^ h1);
  return `fnv1a64:${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** Builds a plan for `problem` from a tree (or SSA path) and sliced indices. */
export function makePlan(
  problem: ContractionProblem,
  tree: ContractionTree | SsaPath,
  sliced: SlicedIndices = [],
  meta?: Record<string, string | number | boolean>,
  cost?: ContractionCost,
): ContractionPlan {
  const isTree = !Array.isArray(tree);
  const path = isTree ? (tree as ContractionTree).toPath() : (tree as SsaPath);
  let c = cost;
  if (!c) {
    if (!isTree) throw new Error('makePlan: pass a ContractionTree or an explicit cost with a path');
    c = (tree as ContractionTree).cost(sliced);
  }
  return {
    format: 'taizhang-plan',
    version: PLAN_VERSION,
    fingerprint: fingerprintProblem(problem),
    numInputs: problem.inputs.length,
    output: [...problem.output],
    path: path.map(([a, b]) => [a, b] as const),
    sliced: [...sliced],
    cost: c,
    ...(meta ? { meta } : {}),
  };
}

/** The output pattern (0/1/x per qubit) a plan was made for, when its `meta.pattern` records one (`taizhang plan` does). */
export function plannedPattern(plan: ContractionPlan): string | undefined {
  const p = plan.meta?.pattern;
  return typeof p === 'string' ? p : undefined;
}

/** Serialises a plan as JSON (one pair per line of the path would be long; keep compact). */
export function serializePlan(plan: ContractionPlan): string {
  return JSON.stringify(plan);
}

/** Error in a plan file or a plan that does not fit its network. */
export class PlanError extends Error {
  override name = 'PlanError';
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Parses and validates a plan's JSON text; throws `PlanError` naming the first bad field. */
export function parsePlan(text: string): ContractionPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`plan is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new PlanError('plan must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== 'taizhang-plan') throw new PlanError(`plan.format must be "taizhang-plan", got ${JSON.stringify(o.format)}`);
  if (o.version !== PLAN_VERSION) {
    throw new PlanError(`unsupported plan version ${JSON.stringify(o.version)} (this build reads version ${PLAN_VERSION})`);
  }
  if (typeof o.fingerprint !== 'string' || !o.fingerprint) throw new PlanError('plan.fingerprint must be a non-empty string');
  if (!isInt(o.numInputs) || o.numInputs < 1) throw new PlanError('plan.numInputs must be a positive integer');
  const n = o.numInputs;
  if (!Array.isArray(o.output) || !o.output.every(isInt)) throw new PlanError('plan.output must be an array of index ids');
  if (!Array.isArray(o.sliced) || !o.sliced.every(isInt)) throw new PlanError('plan.sliced must be an array of index ids');
  if (!Array.isArray(o.path)) throw new PlanError('plan.path must be an array of pairs');
  if (o.path.length !== n - 1) throw new PlanError(`plan.path has ${o.path.length} pairs; a complete path over ${n} tensors has ${n - 1}`);
  const used = new Set<number>();
  o.path.forEach((p: unknown, k: number) => {
    if (!Array.isArray(p) || p.length !== 2 || !isInt(p[0]) || !isInt(p[1])) throw new PlanError(`plan.path[${k}] must be a pair of ids`);
    for (const x of p as number[]) {
      if (x >= n + k) throw new PlanError(`plan.path[${k}] uses id ${x} before it exists`);
      if (used.has(x)) throw new PlanError(`plan.path[${k}] uses id ${x} a second time`);
      used.add(x);
    }
  });
  const c = o.cost as Record<string, unknown> | undefined;
  if (typeof c !== 'object' || c === null) throw new PlanError('plan.cost must be an object');
  for (const k of ['multiplyAdds', 'flops', 'width', 'writes', 'slices', 'overhead']) {
    if (typeof c[k] !== 'number' || !Number.isFinite(c[k] as number)) throw new PlanError(`plan.cost.${k} must be a finite number`);
  }
  if (o.meta !== undefined && (typeof o.meta !== 'object' || o.meta === null)) throw new PlanError('plan.meta must be an object');
  return o as unknown as ContractionPlan;
}

/** Throws `PlanError` unless `plan` was made for `problem` (same fingerprint and shape). */
export function checkPlan(plan: ContractionPlan, problem: ContractionProblem): void {
  const fp = fingerprintProblem(problem);
  if (plan.fingerprint !== fp) {
    throw new PlanError(
      `plan does not match this network: plan fingerprint ${plan.fingerprint}, network fingerprint ${fp} ` +
        '(the plan was made for a different circuit, output pattern or simplification; re-run `taizhang plan`)',
    );
  }
  if (plan.numInputs !== problem.inputs.length) {
    throw new PlanError(`plan is for ${plan.numInputs} tensors but the network has ${problem.inputs.length}`);
  }
  const outputs = new Set(problem.output);
  for (const s of plan.sliced) {
    if (outputs.has(s)) throw new PlanError(`plan slices output index ${s}`);
    if (!(problem.sizes[s] > 0)) throw new PlanError(`plan slices index ${s}, which the network does not have`);
  }
}
