// The on-disk artifact store: leaf i carries nonce i, appended in order at mining speed; the
// root and count are what a participant commits; proofs return (index, nonce, output, path).
//
// Layout of a store directory:
//   meta.json       what the leaves are: class, block hash, pubkey, output size (written once)
//   outputs.bin     count × outputBytes, output i at offset i·outputBytes
//   level-<k>.bin   hashes of the aligned perfect subtrees of 2^k leaves (level 0 = leaf hashes)
//   head.json       the durable count, replaced atomically after the data it covers is synced
// Anything past head.json's count (a crash mid-flush) is cut off on open. Every perfect subtree
// is on disk, so the root and any proof for any size ≤ count cost O(log² n) hashes, not O(n).
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../bytes.js';
import { leafHash } from '../leaf.js';
import { type ArtifactProof, HASH_BYTES, nodeHash, splitPoint } from './merkle.js';

export interface ArtifactStoreMeta {
  readonly version: 1;
  /** PoC class name, block hash and pubkey (hex): enough for `poc verify` to recompute leaves. */
  readonly class: string;
  readonly blockHash: string;
  readonly pubkey: string;
  readonly outputBytes: number;
}

/** Pending bytes per file before an automatic write (not a sync). */
const WRITE_CHUNK = 1 << 20;

class AppendFile {
  readonly fd: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes on disk (written, maybe not yet synced). */
  written: number;

  constructor(path: string, keepBytes: number) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    ftruncateSync(this.fd, keepBytes);
    this.written = keepBytes;
  }

  append(bytes: Uint8Array): void {
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= WRITE_CHUNK) this.write();
  }

  write(): void {
    if (this.pendingBytes === 0) return;
    const buf = Buffer.concat(this.pending, this.pendingBytes);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.written + off);
    this.written += buf.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset + length > this.written) this.write();
    const out = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, out, got, length - got, offset + got);
      if (n === 0) throw new Error(`artifact store: short read at ${offset + got}`);
      got += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, length);
  }

  sync(): void {
    this.write();
    fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Number of levels a tree of n leaves stores (level 0 … top). */
function levelsFor(n: number): number {
  let levels = 1;
  while (2 ** levels <= n) levels++;
  return levels;
}

export class ArtifactStore {
  private readonly outputs: AppendFile;
  private readonly levels: AppendFile[] = [];
  /** frontier[k]: the last complete level-k node when bit k of count is set (the tree's peaks). */
  private readonly frontier: (Uint8Array | undefined)[] = [];
  private n: number;

  private constructor(
    readonly dir: string,
    readonly meta: ArtifactStoreMeta,
    count: number,
  ) {
    this.n = count;
    this.outputs = new AppendFile(join(dir, 'outputs.bin'), count * meta.outputBytes);
    for (let k = 0; k < levelsFor(count); k++) this.openLevel(k);
    for (let k = 0; k < this.levels.length; k++) {
      const nodes = Math.floor(count / 2 ** k);
      if (nodes % 2 === 1) this.frontier[k] = this.node(k, nodes - 1);
    }
  }

  /** Creates an empty store; refuses a directory that already holds one. */
  static create(dir: string, meta: Omit<ArtifactStoreMeta, 'version'>): ArtifactStore {
    if (!Number.isSafeInteger(meta.outputBytes) || meta.outputBytes < 1) {
      throw new RangeError(`outputBytes must be a positive integer, got ${meta.outputBytes}`);
    }
    mkdirSync(dir, { recursive: true });
    if (existsSync(join(dir, 'meta.json'))) throw new Error(`an artifact store already exists in ${dir}`);
    const full: ArtifactStoreMeta = { version: 1, ...meta };
    writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(full, null, 2)}\n`);
    ArtifactStore.writeHead(dir, 0);
    return new ArtifactStore(dir, full, 0);
  }

  /** Opens an existing store at its last durable count. */
  static open(dir: string): ArtifactStore {
    const metaPath = join(dir, 'meta.json');
    if (!existsSync(metaPath)) throw new Error(`no artifact store in ${dir} (meta.json missing)`);
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ArtifactStoreMeta;
    if (meta.version !== 1)
      throw new Error(`artifact store ${dir}: unsupported version ${String(meta.version)}`);
    const head = JSON.parse(readFileSync(join(dir, 'head.json'), 'utf8')) as { count: number };
    if (!Number.isSafeInteger(head.count) || head.count < 0)
      throw new Error(`artifact store ${dir}: bad head.json`);
    return new ArtifactStore(dir, meta, head.count);
  }

  private static writeHead(dir: string, count: number): void {
    const tmp = join(dir, 'head.json.tmp');
    writeFileSync(tmp, `${JSON.stringify({ count })}\n`);
    renameSync(tmp, join(dir, 'head.json'));
  }

  private openLevel(k: number): void {
    const keep = Math.floor(this.n / 2 ** k) * HASH_BYTES;
    this.levels[k] = new AppendFile(join(this.dir, `level-${k}.bin`), keep);
  }

  /** Leaves appended so far (durable after flush()). */
  get count(): number {
    return this.n;
  }

  /** Appends the output of nonce `count`; returns its leaf hash. */
  append(output: Uint8Array): Uint8Array {
    if (output.length !== this.meta.outputBytes) {
      throw new RangeError(`output is ${output.length} bytes, this store holds ${this.meta.outputBytes}`);
    }
    const index = this.n;
    const leaf = leafHash(BigInt(index), output);
    this.outputs.append(output);
    // A binary counter: each set low bit of the old count closes a perfect subtree one level up.
    let h = leaf;
    let k = 0;
    this.level(0).append(h);
    while (Math.floor(index / 2 ** k) % 2 === 1) {
      h = nodeHash(this.frontier[k] as Uint8Array, h);
      this.frontier[k] = undefined;
      k++;
      this.level(k).append(h);
    }
    this.frontier[k] = h;
    this.n++;
    return leaf;
  }

  private level(k: number): AppendFile {
    if (!this.levels[k]) this.openLevel(k);
    return this.levels[k] as AppendFile;
  }

  /** Makes every appended leaf durable: data synced first, then head.json replaced. */
  flush(): void {
    this.outputs.sync();
    for (const level of this.levels) level.sync();
    ArtifactStore.writeHead(this.dir, this.n);
  }

  close(): void {
    this.flush();
    this.outputs.close();
    for (const level of this.levels) level.close();
  }

  /** The root of the current tree: its peaks folded from the smallest up (= RFC 6962 MTH). */
  root(): Uint8Array {
    if (this.n === 0) return sha256();
    let r: Uint8Array | undefined;
    for (let k = 0; k < this.frontier.length; k++) {
      const peak = this.frontier[k];
      if (peak) r = r ? nodeHash(peak, r) : peak;
    }
    return r as Uint8Array;
  }

  /** The root the tree had when it held `size` leaves (a commitment made before more were mined). */
  rootAt(size: number): Uint8Array {
    this.checkSize(size);
    return size === 0 ? sha256() : this.rangeHash(0, size);
  }

  output(index: number): Uint8Array {
    this.checkIndex(index, this.n);
    return this.outputs.read(index * this.meta.outputBytes, this.meta.outputBytes);
  }

  /** The proof of leaf `index` in the tree of `size` leaves (default: all of them). */
  proof(index: number, size = this.n): ArtifactProof {
    this.checkSize(size);
    this.checkIndex(index, size);
    const path: Uint8Array[] = [];
    // RFC 6962 PATH(m, D[lo:hi]), iteratively: descend toward the leaf, collecting the other half.
    let lo = 0;
    let hi = size;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (index < lo + k) {
        path.push(this.rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        path.push(this.rangeHash(lo, lo + k));
        lo += k;
      }
    }
    path.reverse();
    return { index, nonce: BigInt(index), output: this.output(index), path };
  }

  /** MTH of leaves [lo, hi): aligned perfect ranges are read from disk, the rest split as RFC 6962. */
  private rangeHash(lo: number, hi: number): Uint8Array {
    const size = hi - lo;
    const k = Math.round(Math.log2(size));
    // Every power-of-two range RFC 6962 visits starts at a multiple of its size, so it is stored.
    if (2 ** k === size) return this.node(k, lo / size);
    const split = splitPoint(size);
    return nodeHash(this.rangeHash(lo, lo + split), this.rangeHash(lo + split, hi));
  }

  private node(level: number, index: number): Uint8Array {
    return this.level(level).read(index * HASH_BYTES, HASH_BYTES);
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.n) {
      throw new RangeError(`tree size ${size} is outside 0 … ${this.n}`);
    }
  }

  private checkIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf index ${index} is outside 0 … ${size - 1}`);
    }
  }
}
