/**
 * Terminal progress bar for long sliced runs: slices done/total, ETA and GFLOP/s, redrawn in
 * place on a TTY at most every 200 ms; silent when the stream is not a TTY or under `--json`.
 */
import type { ProgressEvent } from '../engine/types.js';

/** Where the bar is drawn (process.stderr by default). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Renders one progress line (no newline). */
export function formatProgress(e: ProgressEvent, width = 30): string {
  const frac = e.total > 0 ? e.done / e.total : 1;
  const filled = Math.round(frac * width);
  const eta = e.done > 0 ? (e.elapsedSeconds * (e.total - e.done)) / e.done : Infinity;
  const rate = e.gflops !== undefined ? `  ${e.gflops.toFixed(2)} GFLOP/s` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} slices  ${(frac * 100).toFixed(1)}%  ETA ${fmtSeconds(eta)}${rate}`;
}

/**
 * Returns an `onProgress` callback drawing a bar on `stream`, or `undefined` when the bar must
 * stay quiet (`quiet`, e.g. `--json`, or a stream that is not a TTY).
 */
export function terminalProgress(options: { quiet?: boolean; stream?: ProgressStream } = {}): ((e: ProgressEvent) => void) | undefined {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return undefined;
  let last = 0;
  return (e) => {
    const now = Date.now();
    const final = e.done >= e.total;
    if (!final && now - last < 200) return;
    last = now;
    stream.write(`\r${formatProgress(e)}\x1b[K${final ? '\n' : ''}`);
  };
}
