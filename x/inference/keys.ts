// x/inference store layout (store name `inference`). Heights and times are 8-byte big-endian so
// the expiry and pruning queues iterate in order; ids (model, inference) are the key's tail.
import { concat, u64 } from '../../app/runtime/keys.js';

export const STORE = 'inference';
const enc = new TextEncoder();

/** 0x00 → Params (protobuf) */
export const PARAMS_KEY = Uint8Array.of(0x00);
/** 0x01 | utf8 model id → Model (protobuf) */
export const MODEL_PREFIX = Uint8Array.of(0x01);
/** 0x02 | utf8 model id → ModelState (protobuf) */
export const MODEL_STATE_PREFIX = Uint8Array.of(0x02);
/** 0x03 | key hash (32) → ApiKey (protobuf); kept after revocation so a hash is never reused */
export const API_KEY_PREFIX = Uint8Array.of(0x03);
/** 0x04 | len(owner) | owner | key hash → 0x01: every key of an owner (the ApiKeys query) */
export const OWNER_KEY_PREFIX = Uint8Array.of(0x04);
/** 0x05 | len(owner) | owner → u64 count of the owner's live (unrevoked) keys */
export const LIVE_KEY_COUNT_PREFIX = Uint8Array.of(0x05);
/** 0x06 | utf8 inference id → Inference (protobuf): open ones, and settled ones until pruned */
export const INFERENCE_PREFIX = Uint8Array.of(0x06);
/** 0x07 | expiry height | id → 0x01 for every open (STARTED / FINISHED_FIRST) inference */
export const EXPIRY_PREFIX = Uint8Array.of(0x07);
/** 0x08 | prune height | id → 0x01 for every settled (COMPLETED / EXPIRED) inference still stored */
export const PRUNE_PREFIX = Uint8Array.of(0x08);
/** 0x09 | len(addr) | requester | id → 0x01 (the Inferences query by requester) */
export const BY_REQUESTER_PREFIX = Uint8Array.of(0x09);
/** 0x0a | len(addr) | executor | id → 0x01 (the Inferences query by executor) */
export const BY_EXECUTOR_PREFIX = Uint8Array.of(0x0a);
/** 0x0b | executor addr → ExecutorStats (protobuf) */
export const EXECUTOR_STATS_PREFIX = Uint8Array.of(0x0b);
/** 0x0c | replay hash (32) → u64 ms until which the signed request is remembered */
export const SEEN_SIG_PREFIX = Uint8Array.of(0x0c);
/** 0x0d | forget-at ms | replay hash → 0x01: the pruning queue of remembered signed requests */
export const SEEN_SIG_QUEUE_PREFIX = Uint8Array.of(0x0d);
/** 0x0e → u64 height ‖ u64 count: Start/Finish msgs executed in that block (the per-block limit) */
export const BLOCK_COUNT_KEY = Uint8Array.of(0x0e);
/** 0x0f | utf8 model id → u64 tokens reserved in this block (folded into ModelState at EndBlock) */
export const BLOCK_TOKENS_PREFIX = Uint8Array.of(0x0f);

const withLen = (prefix: Uint8Array, addr: Uint8Array) => concat(prefix, Uint8Array.of(addr.length), addr);

export const modelKey = (id: string) => concat(MODEL_PREFIX, enc.encode(id));
export const modelStateKey = (id: string) => concat(MODEL_STATE_PREFIX, enc.encode(id));
export const apiKeyKey = (hash: Uint8Array) => concat(API_KEY_PREFIX, hash);
export const ownerKeysPrefix = (owner: Uint8Array) => withLen(OWNER_KEY_PREFIX, owner);
export const ownerKeyKey = (owner: Uint8Array, hash: Uint8Array) => concat(ownerKeysPrefix(owner), hash);
export const liveKeyCountKey = (owner: Uint8Array) => withLen(LIVE_KEY_COUNT_PREFIX, owner);
export const inferenceKey = (id: string) => concat(INFERENCE_PREFIX, enc.encode(id));
export const expiryHeightPrefix = (h: bigint) => concat(EXPIRY_PREFIX, u64(h));
export const expiryKey = (h: bigint, id: string) => concat(EXPIRY_PREFIX, u64(h), enc.encode(id));
export const pruneHeightPrefix = (h: bigint) => concat(PRUNE_PREFIX, u64(h));
export const pruneKey = (h: bigint, id: string) => concat(PRUNE_PREFIX, u64(h), enc.encode(id));
export const byRequesterPrefix = (addr: Uint8Array) => withLen(BY_REQUESTER_PREFIX, addr);
export const byRequesterKey = (addr: Uint8Array, id: string) =>
  concat(byRequesterPrefix(addr), enc.encode(id));
export const byExecutorPrefix = (addr: Uint8Array) => withLen(BY_EXECUTOR_PREFIX, addr);
export const byExecutorKey = (addr: Uint8Array, id: string) => concat(byExecutorPrefix(addr), enc.encode(id));
export const executorStatsKey = (addr: Uint8Array) => concat(EXECUTOR_STATS_PREFIX, addr);
export const seenSigKey = (hash: Uint8Array) => concat(SEEN_SIG_PREFIX, hash);
export const seenSigQueuePrefix = (ms: bigint) => concat(SEEN_SIG_QUEUE_PREFIX, u64(ms));
export const seenSigQueueKey = (ms: bigint, hash: Uint8Array) => concat(SEEN_SIG_QUEUE_PREFIX, u64(ms), hash);
export const blockTokensKey = (id: string) => concat(BLOCK_TOKENS_PREFIX, enc.encode(id));
