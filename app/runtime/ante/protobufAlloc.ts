// cosmjs-types' BinaryWriter.alloc builds a fresh 8 KiB buffer pool on every call (the pool is
// created inside alloc, so it is never reused): each `.finish()` of every encode — SignDoc,
// the strict decoder's re-encodings, ABCI responses, store values — zero-fills 8 KiB and hands
// out a view of it. That was ~15% of FinalizeBlock's CPU. Allocating exactly the encoded size
// gives byte-identical output (finish() writes every byte) without the slab or its GC cost.
// Imported for its side effect by the tx pipeline and the ABCI server; idempotent.
import { BinaryWriter } from 'cosmjs-types/binary';

(BinaryWriter as unknown as { alloc(size: number): Uint8Array }).alloc = (size: number) =>
  new Uint8Array(size);
