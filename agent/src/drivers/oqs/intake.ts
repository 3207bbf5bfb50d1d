import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file adopted from a watched folder: complete (size and mtime stable), read once. */
export interface IntakeFile {
  name: string;
  path: string;
  bytes: Buffer;
  mtimeMs: number;
}

export interface IntakeOptions {
  dir: string;
  pollIntervalMs: number;
  stableMs: number;
  /** Which names to consider at all. */
  accept(name: string): boolean;
  /** Already handled (persisted by the caller). */
  isDone(name: string, size: number, mtimeMs: number): boolean;
  /** Called with every batch of newly complete files; the next scan waits for it. */
  onBatch(files: IntakeFile[]): Promise<void> | void;
  /** The folder became reachable or unreachable (share unmounted, permission denied). */
  onReachability(reachable: boolean, detail?: string): void;
  /** A batch handler failed (e.g. storage); the files are looked at again on the next scan. */
  onError(error: unknown): void;
}

/** Names the terminal or an editor uses while writing: never adopted. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|crdownload|swp)$/i.test(name);
}

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';

/**
 * Watches one folder: filesystem events for speed, a periodic scan because network shares drop
 * events. A file is adopted once its size and mtime stayed the same for stableMs (still being
 * written otherwise). Scans never overlap. The caller decides what "done" means.
 */
export class FolderIntake {
  readonly #options: IntakeOptions;
  readonly #pending = new Map<string, { size: number; mtimeMs: number; since: number }>();
  #watcher: FSWatcher | undefined;
  #interval: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(options: IntakeOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#interval = setInterval(() => this.#schedule(0), this.#options.pollIntervalMs);
    this.#interval.unref();
    this.#schedule(0);
  }

  /** Stops watching and waits for a scan in progress, so the caller may close what it uses. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#soon);
    this.#soon = undefined;
    this.#closeWatcher();
    while (this.#running) await this.#running.catch(() => undefined);
  }

  /** Runs a scan now (after any scan in progress) and resolves when it is over. */
  async scanNow(): Promise<void> {
    while (this.#running) await this.#running;
    this.#running = this.#scan().finally(() => {
      this.#running = undefined;
      this.#followUp();
    });
    await this.#running;
  }

  /** Events during a scan mean another scan; files still settling are looked at once they can be stable. */
  #followUp(): void {
    if (this.#again) {
      this.#again = false;
      this.#schedule(20);
    } else if (this.#pending.size > 0) {
      this.#schedule(this.#options.stableMs);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.scanNow().catch((e: unknown) => this.#options.onError(e));
    }, delayMs);
    this.#soon.unref();
  }

  #ensureWatcher(): void {
    if (this.#watcher || this.#stopped) return;
    try {
      this.#watcher = watch(this.#options.dir, { persistent: false }, () => this.#schedule(20));
      this.#watcher.on('error', () => this.#closeWatcher());
    } catch {
      // The periodic scan still works without events.
    }
  }

  #closeWatcher(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  async #scan(): Promise<void> {
    const { dir, stableMs, accept, isDone } = this.#options;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      this.#closeWatcher();
      this.#options.onReachability(false, errorCode(e));
      return;
    }
    this.#options.onReachability(true);
    this.#ensureWatcher();
    const now = Date.now();
    const present = new Set<string>();
    const ready: IntakeFile[] = [];
    for (const name of names) {
      if (isTemporaryName(name) || !accept(name)) continue;
      present.add(name);
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || isDone(name, info.size, info.mtimeMs)) {
        this.#pending.delete(name);
        continue;
      }
      const seen = this.#pending.get(name);
      if (!seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
        this.#pending.set(name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
        continue;
      }
      if (now - seen.since < stableMs) continue;
      const bytes = await readFile(path).catch(() => undefined);
      // Grew or vanished between stat and read: observe it again.
      if (!bytes || bytes.length !== info.size) {
        this.#pending.delete(name);
        continue;
      }
      this.#pending.delete(name);
      ready.push({ name, path, bytes, mtimeMs: info.mtimeMs });
    }
    for (const name of this.#pending.keys()) if (!present.has(name)) this.#pending.delete(name);
    if (ready.length === 0) return;
    try {
      await this.#options.onBatch(ready);
    } catch (e) {
      this.#options.onError(e);
    }
  }
}
