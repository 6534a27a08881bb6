/**
 * Node-only entry point (`taizhang/node`): file I/O, worker threads, Redis cluster mode.
 * Re-exports the isomorphic API as well.
 */
export * from './index.js';
// --- node-only (issues 3, 6) ---
