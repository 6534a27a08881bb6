/**
 * Registers every built-in engine with the engine registry. Import this module once (the CLI and
 * `src/index.ts` do) before calling `getEngine`/`selectEngine`. One import line per engine.
 */
import './statevector/reference-engine.js';
import './statevector/engine.js';
import './network/engine.js';
