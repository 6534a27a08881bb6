/**
 * OpenQASM 2.0 front end: `parseQasm` (text → Circuit) and `writeQasm` (Circuit → text).
 */
export { parseQasm, type QasmParseOptions } from './parser.js';
export { writeQasm, formatReal, u3Decompose, QASM2_GATE_DEFINITIONS } from './writer.js';
export { QELIB1_INC, QELIB1_GATES } from './qelib1.js';
