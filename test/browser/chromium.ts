/**
 * Test support: a headless Chromium driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: JSON messages ending in NUL on file descriptors 3 and 4), so the
 * browser tests need no npm dependency, only a Chromium binary (Debian: chromium-headless-shell).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

// Debian's /usr/bin/chromium* are shell wrappers around the binaries in /usr/lib/chromium: the
// binaries come first (a killed wrapper would leave the browser running).
const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/chromium-browser',
];

/** Path of a Chromium binary: $TAIZHANG_CHROMIUM, else the usual install places; undefined if none. */
export function findChromium(): string | undefined {
  const env = process.env.TAIZHANG_CHROMIUM;
  if (env) return env;
  return CANDIDATES.find((p) => existsSync(p));
}

interface Reply { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string }

/** A headless browser with one page; `close()` always kills the process. */
export class HeadlessChromium {
  private readonly proc: ChildProcess;
  private readonly profile: string;
  private readonly input: Writable;
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  /** Console messages and uncaught exceptions of the page and its workers, for failure reports. */
  readonly log: string[] = [];
  private exited = false;

  constructor(binary: string) {
    this.profile = mkdtempSync(join(tmpdir(), 'taizhang-chromium-'));
    this.proc = spawn(binary, ['--headless', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${this.profile}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      // Its own process group, so that `close` kills every process a wrapper script started.
      detached: true,
    });
    this.input = this.proc.stdio[3] as Writable;
    const output = this.proc.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
    (this.proc.stderr as Readable).on('data', () => {}); // drained; Chromium is chatty
    this.proc.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited (${code})`));
      this.pending.clear();
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(this.buffer.slice(0, end)) as Reply;
      this.buffer = this.buffer.slice(end + 1);
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method === 'Runtime.consoleAPICalled' || msg.method === 'Runtime.exceptionThrown') {
        this.log.push(JSON.stringify(msg.params).slice(0, 2000));
      }
    }
  }

  /** Sends one DevTools command (to a page session when `sessionId` is given). */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.exited) return Promise.reject(new Error('chromium is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  /** Opens `url` in a new page; returns the page's session id. */
  async open(url: string): Promise<string> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await this.send('Runtime.enable', {}, sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    return sessionId;
  }

  /** Evaluates an expression in the page and returns its value (JSON-serialisable results only). */
  async evaluate(sessionId: string, expression: string): Promise<unknown> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as { result: { value?: unknown }; exceptionDetails?: unknown };
    if (r.exceptionDetails) throw new Error(`page evaluation failed: ${JSON.stringify(r.exceptionDetails).slice(0, 500)}`);
    return r.result.value;
  }

  /** Kills the browser's whole process group and lets go of its pipes (never leaves it running). */
  close(): void {
    if (!this.exited && this.proc.pid !== undefined) {
      try {
        process.kill(-this.proc.pid, 'SIGKILL');
      } catch {
        this.proc.kill('SIGKILL');
      }
    }
    for (const s of this.proc.stdio) (s as { destroy?: () => void } | null)?.destroy?.();
    this.proc.unref();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
