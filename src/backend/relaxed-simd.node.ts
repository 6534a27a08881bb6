/**
 * Node side of relaxed SIMD: Node 20's V8 has it behind `--experimental-wasm-relaxed-simd`; set the
 * flag (process-wide, before any kernel module is compiled) so the FMA kernel builds run there
 * too. Node 22+ has it on already, and then nothing is changed.
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable } from './relaxed-simd.js';

/** Enables relaxed SIMD in this process if V8 has it behind a flag; returns whether it is available. */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  const major = Number(process.versions.v8.split('.')[0]);
  // The flag exists from V8 9 (behind it) until it shipped in V8 11.4; don't pass unknown flags.
  if (major >= 9 && major <= 11) setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdAvailable();
}

enableRelaxedSimd();
