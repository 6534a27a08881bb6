/**
 * Test-only stand-in for a browser module Web Worker: a worker_threads worker that provides the
 * dedicated-worker scope (`addEventListener('message')`) and then loads the given worker script.
 */
import { parentPort, workerData } from 'node:worker_threads';

// `node --test dist/test/` also loads this file on the main thread: do nothing there.
const url = parentPort ? (workerData as { url?: string } | null)?.url : undefined;

type Listener = (event: { data: unknown }) => void;
const listeners: Listener[] = [];
const scope = globalThis as unknown as { addEventListener(type: string, l: Listener): void };
scope.addEventListener = (type, l) => {
  if (type === 'message') listeners.push(l);
};
// As in a browser, messages wait until the worker script has run.
const early: unknown[] = [];
let ready = false;
if (url) {
  parentPort!.on('message', (data: unknown) => {
    if (!ready) early.push(data);
    else for (const l of listeners) l({ data });
  });
  await import(url);
  ready = true;
  for (const data of early) for (const l of listeners) l({ data });
}
