/**
 * Taizhang public API (isomorphic: runs in Node and in browsers/Web Workers).
 * Node-only features (threads, files, Redis) are exported from `taizhang/node`.
 */
// --- circuit model ---
export * from './circuit/matrix.js';
export * from './circuit/gates.js';
export * from './circuit/circuit.js';
// --- engines ---
import './engines.js';
export * from './engine/types.js';
export * from './engine/registry.js';
export * from './backend/registry.js';
// --- formats (issue 2) ---
export * from './formats/qasm2/index.js';
export * from './formats/errors.js';
export * from './circuit/observable.js';
export { readCircuit, detectFormat, checkText, parseQsim, writeQsim, QSIM_GATE_NAMES, type CircuitFormat, type ReadCircuitOptions } from './formats/index.js';
// --- state vector (issues 2, 3) ---
export { StatevectorEngine, statevectorEngine, precisionFor, DEFAULT_FUSE, defaultFuse, type StatevectorOptions, type SvExecutor } from './statevector/engine.js';
export { marginalProbabilities } from './statevector/state.js';
export { releaseIdleStateMemory } from './statevector/wasm.js';
export { fuseGates, fuseGatesLookahead, fuseForEngine, fusionCost, type FusedOp } from './statevector/fusion.js';
export * from './statevector/reference.js';
export { referenceEngine } from './statevector/reference-engine.js';
export { Rng } from './statevector/rng.js';
export { webThreadExecutor, installWebThreads, type WebWorkerConstructor } from './statevector/threads.web.js';
export { createThreadPool, type ThreadPool, type ThreadWorker, type SpawnThreadWorker } from './statevector/threads.js';
// --- tensor network (issue 4) ---
export * from './network/types.js';
export * from './tensor/index.js';
export * from './network/from-circuit.js';
export * from './network/simplify.js';
export * from './network/execute.js';
export * from './network/api.js';
export { tensorEngine, TENSOR_DENSE_MAX_QUBITS } from './network/engine.js';
// --- contraction (issue 5) ---
export * from './contraction/types.js';
export { greedyPath, GREEDY_COST_FNS } from './contraction/greedy.js';
export type { GreedyOptions, GreedyCostFn } from './contraction/greedy.js';
export { ContractionTree, IndexTotals, treeCost } from './contraction/tree.js';
export type { TreeNode } from './contraction/tree.js';
export { pathCost, objectiveScore } from './contraction/cost.js';
export type { Objective } from './contraction/cost.js';
export { fingerprintProblem, makePlan, serializePlan, parsePlan, checkPlan, PlanError } from './contraction/plan.js';
export { reconfigure } from './contraction/reconfigure.js';
export { sliceTree, estimateSlicing, DEFAULT_MAX_WIDTH } from './contraction/slicing.js';
export type { SliceOptions, SliceResult, SliceEstimate } from './contraction/slicing.js';
export { replanSliced, slicedProblem, dropUnneededSlices } from './contraction/replan.js';
export type { ReplanOptions } from './contraction/replan.js';
export { SliceExchange } from './contraction/exchange.js';
export type { SlicedShare } from './contraction/exchange.js';
export { FINDERS, hyperOptimize, greedyFinder, randomGreedyFinder, bisectionFinder, hyperFinder } from './contraction/finders/index.js';
export type { PathFinder, FinderOptions, HyperOptions, HyperResult, HyperMethod } from './contraction/finders/index.js';
export { bisectionTree } from './contraction/finders/bisection.js';
export type { BisectionParams } from './contraction/finders/bisection.js';
export { bisectHypergraph, partitionHypergraph } from './contraction/partition/bisect.js';
export type { BisectOptions, Bisection } from './contraction/partition/bisect.js';
export { makeHypergraph, hypergraphFromEdges, cutWeight } from './contraction/partition/hypergraph.js';
export type { Hypergraph } from './contraction/partition/hypergraph.js';
export { sycamoreCircuit, czCircuit, gridLayout, bristleconeLayout, czConfigurations, SYCAMORE53_LAYERS, SYCAMORE_PATTERN } from './circuits/random.js';
// --- runtime (issue 6, isomorphic parts) ---
export * from './runtime/types.js';
export * from './runtime/jobs.js';
export * from './runtime/shard.js';
export * from './runtime/network-job.js';
export * from './runtime/synthetic-job.js';
export * from './runtime/pool-protocol.js';
export * from './runtime/pool-core.js';
export * from './runtime/pool.browser.js';
