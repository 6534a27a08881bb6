/**
 * Node-only entry point (`taizhang/node`): file I/O, worker threads, Redis cluster mode.
 * Re-exports the isomorphic API as well.
 */
export * from './index.js';
// relaxed SIMD (FMA kernel builds) on Node 20, where V8 has it behind a flag
export { enableRelaxedSimd } from './backend/relaxed-simd.node.js';
// --- node-only (issues 3, 6) ---
// state vector threads (issue 3): importing installs the worker_threads executor as the default
export { threadExecutor, installThreads } from './statevector/threads.node.js';
// tensor networks (issue 4): opt-in multi-threaded wasm complex64 GEMM
export { enableTensorThreads, disableTensorThreads } from './tensor/threads.node.js';
// slice runtime (issue 6): worker-thread pool, BullMQ/Redis cluster, static shards, progress bar
export * from './runtime/pool.node.js';
export * from './runtime/cluster.node.js';
export * from './runtime/shard.node.js';
export * from './runtime/progress.node.js';
