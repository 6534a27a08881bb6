/** Worker side of the Node state-vector thread pool (threads.node.ts). */
import { parentPort } from 'node:worker_threads';
import { threadWorkerHandler, type ThreadsMessage } from './threads.js';
import './wasm.js'; // registers the wasm-simd kernels in this thread

const handle = threadWorkerHandler();
parentPort!.on('message', (msg: ThreadsMessage) => handle(msg));
