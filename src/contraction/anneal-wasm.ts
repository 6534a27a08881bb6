/**
 * WebAssembly rotation kernel of the annealer (assembly/anneal/), registered as backend 'wasm'
 * (priority 5; scalar code, no SIMD needed). Each workspace is its own instance over its own
 * plain (unshared) memory, so it runs on any thread and in browsers without cross-origin
 * isolation; where WebAssembly is missing the backend reports itself unavailable and the
 * TypeScript kernel is used.
 */
import { registerBackend, registerKernel } from '../backend/registry.js';
import { decodeWasmBase64 } from '../backend/wasm-binary.js';
import { wasmBase64 } from '../wasm/anneal.wasm.js';
import { ANNEAL_ROTATION_KERNEL, type RotationWorkspaceFactory } from './anneal-kernel.js';

type RotationExport = (x: number, c: number, p: number, y: number, tmp: number, active: number, out: number, words: number, res: number) => void;

const PAGE = 65536;
const BASE = PAGE; // the first page is left to the module's own statics
let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decodeWasmBase64(wasmBase64));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const rotationWorkspaceWasm: RotationWorkspaceFactory = (words, setWords) => {
  const mod = module();
  if (!mod) return null;
  // Three result counts after the words, rounded up to 8 bytes.
  const bytes = BASE + words * 4 + 16;
  const pages = Math.ceil(bytes / PAGE);
  let memory: WebAssembly.Memory;
  let rotation: RotationExport;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const inst = new WebAssembly.Instance(mod, { env: { memory, abort: () => { throw new Error('anneal wasm abort'); } } });
    rotation = inst.exports.rotation as RotationExport;
  } catch {
    return null;
  }
  const res = BASE + ((words * 4 + 7) & ~7);
  const w = new Uint32Array(memory.buffer, BASE, words);
  const counts = new Int32Array(memory.buffer, res, 3);
  return {
    words: w,
    counts,
    rotation: (x, c, p, y, tmp, active, out) => rotation(BASE + 4 * x, BASE + 4 * c, BASE + 4 * p, BASE + 4 * y, BASE + 4 * tmp, BASE + 4 * active, BASE + 4 * out, setWords >>> 1, res),
  };
};

registerBackend({ name: 'wasm', priority: 5, isAvailable: () => module() !== null });
registerKernel<RotationWorkspaceFactory>(ANNEAL_ROTATION_KERNEL, 'wasm', rotationWorkspaceWasm);
