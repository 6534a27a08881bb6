/**
 * Kernel/backend registry in the style of TensorFlow.js: a *backend* (plain TypeScript, WASM
 * SIMD, WebGPU, CUDA …) announces whether it can run here; *kernels* are registered per
 * (kernel name, backend). Callers ask for a kernel by name and get the implementation of the
 * highest-priority available backend, so one API runs on every platform.
 */

/** A compute backend. */
export interface Backend {
  readonly name: string;
  /** Higher wins when several backends provide the same kernel. */
  readonly priority: number;
  /** Whether the backend can run in this environment (feature detection, no side effects). */
  isAvailable(): boolean;
}

const backends = new Map<string, Backend>();
const kernels = new Map<string, Map<string, unknown>>();
let forced: string | undefined;

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Registers `impl` as kernel `kernelName` on backend `backendName`. */
export function registerKernel<F>(kernelName: string, backendName: string, impl: F): void {
  let byBackend = kernels.get(kernelName);
  if (!byBackend) kernels.set(kernelName, (byBackend = new Map()));
  byBackend.set(backendName, impl);
}

/**
 * Forces one backend by name (tests use it to run the TypeScript fallback and the WASM kernels
 * side by side); `undefined` restores automatic choice.
 */
export function setBackend(name: string | undefined): void {
  if (name !== undefined && !backends.has(name)) throw new Error(`unknown backend '${name}'`);
  forced = name;
}

/** Name of the backend that `getKernel(kernelName)` would use. */
export function resolveBackend(kernelName: string, backendName?: string): string {
  const byBackend = kernels.get(kernelName);
  if (!byBackend) throw new Error(`no kernel '${kernelName}' is registered`);
  const want = backendName ?? forced;
  if (want !== undefined) {
    if (!byBackend.has(want)) throw new Error(`kernel '${kernelName}' has no '${want}' implementation`);
    return want;
  }
  let best: Backend | undefined;
  for (const name of byBackend.keys()) {
    const b = backends.get(name);
    if (b && b.isAvailable() && (!best || b.priority > best.priority)) best = b;
  }
  if (!best) throw new Error(`no available backend implements kernel '${kernelName}'`);
  return best.name;
}

/** The implementation of `kernelName` on the best (or the named) available backend. */
export function getKernel<F>(kernelName: string, backendName?: string): F {
  const name = resolveBackend(kernelName, backendName);
  return kernels.get(kernelName)!.get(name) as F;
}

export function listBackends(): readonly Backend[] {
  return [...backends.values()].sort((a, b) => b.priority - a.priority);
}

// The plain TypeScript backend is always available: every kernel must have an implementation here.
registerBackend({ name: 'js', priority: 0, isAvailable: () => true });
