/**
 * PIN retry counters of virtual cards. A real card keeps them across power cycles, so they live outside
 * the card object: keyed by card profile and PIN reference, shared by every instance of that profile.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PinCounterStore {
  /** Tries left, or undefined when this PIN was never used (the card starts from its issued value). */
  get(key: string): number | undefined;
  set(key: string, triesLeft: number): void;
  /** Forget every counter (all PINs back to their issued value). */
  clear(): void;
}

export function pinCounterKey(profileId: string, application: string, fid: number): string {
  return `${profileId}/${application}/${fid.toString(16).padStart(4, '0')}`;
}

export class MemoryPinCounters implements PinCounterStore {
  readonly #counters = new Map<string, number>();
  get(key: string): number | undefined {
    return this.#counters.get(key);
  }
  set(key: string, triesLeft: number): void {
    this.#counters.set(key, triesLeft);
  }
  clear(): void {
    this.#counters.clear();
  }
}

/**
 * Counters in a JSON file, read and written on every access so a card process and a test process
 * (or two runs of the card process) see the same counters.
 */
export class FilePinCounters implements PinCounterStore {
  constructor(readonly path: string) {}

  #read(): Record<string, number> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  }

  #write(counters: Record<string, number>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(counters, null, 2)}\n`);
    renameSync(temporary, this.path);
  }

  get(key: string): number | undefined {
    const value = this.#read()[key];
    return typeof value === 'number' ? value : undefined;
  }
  set(key: string, triesLeft: number): void {
    this.#write({ ...this.#read(), [key]: triesLeft });
  }
  clear(): void {
    this.#write({});
  }
}

/** Default store: one per process, so a re-created card of the same profile keeps its counters. */
export const sharedPinCounters: PinCounterStore = new MemoryPinCounters();
