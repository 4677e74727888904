// The executor's payload store: one JSON file per inference (request, output tokens, top-5
// logprobs) under <home>/payloads, kept for the retention window so validators can fetch it
// (GET /v1/inference/payloads/{id}); its SHA-256 goes on chain in MsgFinishInference. Disk is
// bounded twice: files older than the retention are pruned, and past maxBytes the oldest go first.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFERENCE_ID, sha256 } from './msgs.js';

export interface PayloadStoreOptions {
  dir: string;
  /** Retention in ms (default 1 h). */
  retentionMs?: number;
  /** Most bytes kept (default 1 GiB). */
  maxBytes?: number;
  now?: () => number;
}

interface Entry {
  size: number;
  at: number;
}

export class PayloadStore {
  private readonly entries = new Map<string, Entry>(); // insertion order = age order
  private bytes = 0;
  readonly retentionMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(private readonly o: PayloadStoreOptions) {
    this.retentionMs = o.retentionMs ?? 3_600_000;
    this.maxBytes = o.maxBytes ?? 1 << 30;
    this.now = o.now ?? Date.now;
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    const found: [string, Entry][] = [];
    for (const f of readdirSync(o.dir)) {
      const id = f.endsWith('.json') ? f.slice(0, -5) : '';
      if (!INFERENCE_ID.test(id)) continue;
      const st = statSync(join(o.dir, f));
      found.push([id, { size: st.size, at: st.mtimeMs }]);
    }
    found.sort((a, b) => a[1].at - b[1].at);
    for (const [id, e] of found) {
      this.entries.set(id, e);
      this.bytes += e.size;
    }
    this.prune();
  }

  private path(id: string): string {
    if (!INFERENCE_ID.test(id)) throw new RangeError('bad inference id');
    return join(this.o.dir, `${id}.json`);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Stores the payload; returns SHA-256 of the exact bytes stored. */
  put(id: string, payload: unknown): Uint8Array {
    const bytes = Buffer.from(JSON.stringify(payload));
    writeFileSync(this.path(id), bytes, { mode: 0o600 });
    const old = this.entries.get(id);
    if (old) {
      this.bytes -= old.size;
      this.entries.delete(id);
    }
    this.entries.set(id, { size: bytes.length, at: this.now() });
    this.bytes += bytes.length;
    this.prune();
    return sha256(bytes);
  }

  /** The stored bytes, or undefined (unknown, expired or pruned). */
  get(id: string): Buffer | undefined {
    if (!INFERENCE_ID.test(id) || !this.entries.has(id)) return undefined;
    try {
      return readFileSync(this.path(id));
    } catch {
      return undefined;
    }
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Drops expired payloads and, past maxBytes, the oldest. */
  prune(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, e] of this.entries) {
      if (e.at >= cutoff && this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= e.size;
      rmSync(this.path(id), { force: true });
    }
  }
}
