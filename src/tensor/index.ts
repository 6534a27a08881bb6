/** Dense complex tensors and their kernels (issue 4). */
export * from './kernels.js';
export * from './tensor.js';
import './wasm.js'; // registers the 'wasm-simd' kernels
