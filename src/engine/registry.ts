/**
 * The engine registry: engines register themselves by name; `auto` picks the cheapest engine
 * that accepts a request.
 */
import type { Circuit } from '../circuit/circuit.js';
import type { Engine, Estimate, SimulationRequest } from './types.js';

const engines = new Map<string, Engine>();

/** Registers (or replaces) an engine under its name. */
export function registerEngine(engine: Engine): void {
  engines.set(engine.name, engine);
}

/** The engine registered under `name`, or throws listing the known ones. */
export function getEngine(name: string): Engine {
  const e = engines.get(name);
  if (!e) throw new Error(`unknown method '${name}' (known: ${[...engines.keys()].join(', ') || 'none'})`);
  return e;
}

export function listEngines(): readonly Engine[] {
  return [...engines.values()];
}

/**
 * Chooses the engine with the lowest estimated FLOPs among those that accept the request.
 * Engines named in `exclude` (e.g. the slow reference oracle) are skipped unless nothing else fits.
 */
export function selectEngine(circuit: Circuit, request: SimulationRequest, exclude: readonly string[] = ['reference']): Engine {
  const reasons: string[] = [];
  let best: { engine: Engine; flops: number } | undefined;
  let fallback: Engine | undefined;
  for (const engine of engines.values()) {
    const est: Estimate = engine.estimate(circuit, request);
    if (!est.ok) {
      reasons.push(`${engine.name}: ${est.reason}`);
      continue;
    }
    if (exclude.includes(engine.name)) {
      fallback ??= engine;
      continue;
    }
    if (!best || est.flops < best.flops) best = { engine, flops: est.flops };
  }
  if (best) return best.engine;
  if (fallback) return fallback;
  throw new Error(`no simulation method can run this request:\n  ${reasons.join('\n  ')}`);
}
