/**
 * Circuit file formats: OpenQASM 2 and Google qsim's text format, with auto-detection.
 */
import type { Circuit } from '../circuit/circuit.js';
import { CircuitSyntaxError } from './errors.js';
import { parseQasm } from './qasm2/index.js';
import { parseQsim } from './qsim.js';

/** A circuit text format. */
export type CircuitFormat = 'qasm' | 'qsim';

/** Options of {@link readCircuit}. */
export interface ReadCircuitOptions {
  /** Format; detected from the content (then the file extension) when omitted. */
  readonly format?: CircuitFormat;
  /** File name for error messages (and a hint for detection). */
  readonly file?: string;
}

/**
 * Guesses the format: an `OPENQASM` header (or a QASM statement) means OpenQASM, a first token
 * that is an integer means qsim; otherwise the file extension decides, and OpenQASM is the
 * default (its parser explains what it expected).
 */
export function detectFormat(text: string, file?: string): CircuitFormat {
  for (const raw of text.split(/\r\n|\r|\n/)) {
    let line = raw.trim();
    if (line.startsWith('//')) continue;
    const hash = line.indexOf('#');
    if (hash === 0) continue;
    if (hash > 0) line = line.slice(0, hash).trim();
    if (line === '') continue;
    if (/^OPENQASM\b/.test(line) || /^(include|qreg|creg|gate|opaque)\b/.test(line)) return 'qasm';
    if (/^\d+(\s|$)/.test(line)) return 'qsim';
    break;
  }
  if (file && /\.qsim$/i.test(file)) return 'qsim';
  return 'qasm';
}

/** Rejects files that are not text (NUL bytes or undecodable bytes), before any parser sees them. */
export function checkText(text: string, file = '<input>'): void {
  const bad = text.search(/[\u0000\uFFFD]|[\u0001-\u0008\u000E-\u001F]/);
  if (bad < 0) return;
  const before = text.slice(0, bad);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = bad - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) ;
  throw new CircuitSyntaxError('binary file: expected circuit text, found non-text bytes', line, column, file);
}

/**
 * Reads a circuit from text in either format.
 * @throws CircuitSyntaxError located `FILE:LINE:COL` for malformed input (including empty and
 *   binary files)
 */
export function readCircuit(text: string, options: ReadCircuitOptions = {}): Circuit {
  const file = options.file ?? '<input>';
  checkText(text, file);
  const format = options.format ?? detectFormat(text, file);
  return format === 'qsim' ? parseQsim(text, file) : parseQasm(text, file);
}

export { parseQsim, writeQsim, QSIM_GATE_NAMES } from './qsim.js';
export { parseQasm, writeQasm } from './qasm2/index.js';
export { CircuitSyntaxError, ResourceError } from './errors.js';
