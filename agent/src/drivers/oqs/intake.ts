import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file adopted from a watched folder: complete (a whole document, or size and mtime stable), read once. */
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
  /** Filesystem events for speed (default true); false: the periodic scan alone. */
  watchEvents?: boolean;
  /** Which names to consider at all. */
  accept(name: string): boolean;
  /**
   * Handled for good, whatever the file now holds: skipped without a stat. The terminal never empties
   * its face folder, so after a day most names are settled, and a stat of each on every scan made each
   * new file slower to adopt as the folder filled.
   */
  isSettled(name: string): boolean;
  /** Handled in this exact version (a file that failed is tried again once it changed). */
  isDone(name: string, size: number, mtimeMs: number): boolean;
  /**
   * A file whose bytes are already a whole document is adopted at once; only one that is not yet
   * (still being written) waits stableMs of unchanged size and mtime.
   */
  isComplete?(bytes: Buffer): boolean;
  /** Called with every batch of newly complete files; the next scan waits for it. */
  onBatch(files: IntakeFile[]): Promise<void> | void;
  /** The folder became reachable or unreachable (share unmounted, permission denied). */
  onReachability(reachable: boolean, detail?: string): void;
  /** A batch handler failed (e.g. storage); the files are looked at again on the next scan. */
  onError(error: unknown): void;
  /** How long a folder listing may take before the folder counts as unreachable (default LISTING_DEADLINE_MS). */
  listingDeadlineMs?: number;
  /** Lists the folder (default: fs readdir); tests give a share that hangs. */
  list?(dir: string): Promise<string[]>;
  /** Size, mtime and kind of one file (default: fs stat); tests count the calls. */
  stat?(path: string): Promise<{ size: number; mtimeMs: number; isFile(): boolean }>;
}

/** A listing still unanswered after this long is a hung share (a CIFS mount whose server went away). */
export const LISTING_DEADLINE_MS = 10_000;

/** Names the terminal or an editor uses while writing: never adopted. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|crdownload|swp)$/i.test(name);
}

const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';

/**
 * Watches one folder: filesystem events for speed, a periodic scan because network shares drop
 * events. A file is adopted as soon as isComplete says its bytes are a whole document, otherwise
 * once its size and mtime stayed the same for stableMs (still being written until then). Scans never overlap. The caller decides what "done" means.
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
  #listing: Promise<string[]> | undefined;

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
    if (this.#watcher || this.#stopped || this.#options.watchEvents === false) return;
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

  /**
   * The folder's names, or ETIMEDOUT once the deadline passes. A hung listing is waited for by the next
   * scans instead of being repeated: each one holds a worker of Node's small thread pool, which every
   * other file read of the agent needs too.
   */
  #list(dir: string): Promise<string[]> {
    const listing = (this.#listing ??= (this.#options.list ?? ((d: string) => readdir(d)))(dir).finally(() => {
      this.#listing = undefined;
    }));
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(Object.assign(new Error(`listing ${dir} did not answer`), { code: 'ETIMEDOUT' })),
        this.#options.listingDeadlineMs ?? LISTING_DEADLINE_MS,
      );
      listing.then(resolve, reject).finally(() => clearTimeout(deadline));
    });
  }

  async #scan(): Promise<void> {
    const { dir, stableMs, accept, isSettled, isDone, isComplete } = this.#options;
    const statOf = this.#options.stat ?? stat;
    let names: string[];
    try {
      names = await this.#list(dir);
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
      if (isTemporaryName(name) || !accept(name) || isSettled(name)) continue;
      present.add(name);
      const path = join(dir, name);
      const info = await statOf(path).catch(() => undefined);
      if (!info?.isFile() || isDone(name, info.size, info.mtimeMs)) {
        this.#pending.delete(name);
        continue;
      }
      const seen = this.#pending.get(name);
      const changed = !seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs;
      if (changed && isComplete) {
        // The stability wait was the whole latency of a face result; a whole document needs none.
        const early = await readFile(path).catch(() => undefined);
        if (early && early.length === info.size && isComplete(early)) {
          this.#pending.delete(name);
          ready.push({ name, path, bytes: early, mtimeMs: info.mtimeMs });
          continue;
        }
      }
      if (changed) {
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
