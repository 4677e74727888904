// Who pays for a chat completion, and whether they can (the TA's checks before anything is
// escrowed). A bearer key is looked up on chain on every request (key_hash = SHA-256 of the
// secret; no cache, so a revocation holds from the block that made it); it must grant THIS
// transfer agent. A signed request (X-Gonka-* headers) is checked against the body, the TA's
// address and a time window, and its signature is remembered to refuse a replay. Quota: the key's
// epoch limit and the owner's balance must cover the escrow plus what this TA has escrowed and
// the chain has not yet counted (Starts in flight).
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKey, DeveloperSignature } from '../../../proto/gen/gonka/inference/v1/inference.js';
import { developerSignBytes } from '../../../x/inference/seed.js';
import { addressFromPubKey } from '../../runtime/address.js';
import { verifySecp256k1 } from '../../runtime/ante/secp256k1.js';
import type { InferenceView } from './chainView.js';
import { insufficientQuota, invalidApiKey, invalidSignature } from './errors.js';
import { sha256 } from './msgs.js';

export const DENOM = 'ngonka';

export interface Payer {
  requestedBy: string;
  keyHash?: Uint8Array;
  key?: ApiKey;
  devSig?: DeveloperSignature;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/** Signatures seen recently (replay refusal), each kept for twice the chain's window; bounded. */
export class ReplaySet {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 200_000) {}

  /** False when `sig` was seen and has not expired; else remembers it until `expiresAt`. */
  add(sig: string, now: number, expiresAt: number): boolean {
    for (const [k, exp] of this.seen) {
      if (exp > now && this.seen.size < this.maxEntries) break;
      this.seen.delete(k); // insertion order ≈ expiry order; the oldest go first when full
    }
    const exp = this.seen.get(sig);
    if (exp !== undefined && exp > now) return false;
    this.seen.set(sig, expiresAt);
    return true;
  }
}

export interface AuthContext {
  view: InferenceView;
  /** This API node's address: the transfer agent keys must grant and requests must name. */
  transferAgent: string;
  replay: ReplaySet;
  now: () => number;
}

/** Identifies the payer; throws 401s. Neither the model nor the amount is known yet. */
export async function authenticate(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  c: AuthContext,
): Promise<Payer> {
  const requester = header(headers, 'x-gonka-requester');
  if (requester !== undefined) return authenticateSigned(headers, requester, rawBody, c);
  const auth = header(headers, 'authorization');
  if (auth === undefined)
    throw invalidApiKey("You didn't provide an API key (Authorization: Bearer <key>, or a signed request).");
  const m = BEARER.exec(auth);
  if (!m) throw invalidApiKey('Incorrect API key provided.');
  const keyHash = sha256(m[1] as string);
  const key = await c.view.apiKey(keyHash);
  if (!key) throw invalidApiKey('Incorrect API key provided.');
  if (key.revoked) throw invalidApiKey('This API key has been revoked.');
  if (key.transferAgent !== c.transferAgent)
    throw invalidApiKey(
      `This API key grants transfer agent ${key.transferAgent}, not this node (${c.transferAgent}).`,
    );
  return { requestedBy: key.owner, keyHash, key };
}

async function authenticateSigned(
  headers: IncomingHttpHeaders,
  requester: string,
  rawBody: Buffer,
  c: AuthContext,
): Promise<Payer> {
  const pubB64 = header(headers, 'x-gonka-pubkey') ?? '';
  const sigB64 = header(headers, 'x-gonka-signature') ?? '';
  const tsText = header(headers, 'x-gonka-timestamp') ?? '';
  if (!/^[0-9]{1,16}$/.test(tsText))
    throw invalidSignature('X-Gonka-Timestamp must be milliseconds since 1970');
  if (pubB64.length > 64 || sigB64.length > 128) throw invalidSignature('malformed signature headers');
  const pubkey = Buffer.from(pubB64, 'base64');
  const signature = Buffer.from(sigB64, 'base64');
  if (pubkey.length !== 33 || signature.length !== 64)
    throw invalidSignature('X-Gonka-Pubkey must be 33 bytes and X-Gonka-Signature 64 bytes (base64)');
  let address: string;
  try {
    address = addressFromPubKey(pubkey);
  } catch {
    throw invalidSignature('X-Gonka-Pubkey is not a compressed secp256k1 key');
  }
  if (address !== requester) throw invalidSignature('X-Gonka-Pubkey is not the key of X-Gonka-Requester');
  const ts = BigInt(tsText);
  const window = BigInt((await c.view.params()).signedRequestWindowMs);
  const now = BigInt(c.now());
  if (ts > now + window || ts < now - window)
    throw invalidSignature(`X-Gonka-Timestamp is outside the ${window} ms window`);
  const bodyHash = sha256(rawBody);
  if (!verifySecp256k1(pubkey, developerSignBytes(bodyHash, ts, c.transferAgent), signature))
    throw invalidSignature('the signature does not verify (body, timestamp, transfer agent)');
  if (!c.replay.add(signature.toString('hex'), Number(now), Number(now + 2n * window)))
    throw invalidSignature('this signed request was already used (replay)');
  return {
    requestedBy: address,
    devSig: { bodyHash, timestampMs: ts, pubkey, signature },
  };
}

/** Escrows this TA has sent and the chain may not count yet, per key and per payer. */
export class Reservations {
  private readonly byKey = new Map<string, bigint>();
  private readonly byPayer = new Map<string, bigint>();

  pending(p: Payer): { key: bigint; payer: bigint } {
    return {
      key: p.keyHash ? (this.byKey.get(Buffer.from(p.keyHash).toString('hex')) ?? 0n) : 0n,
      payer: this.byPayer.get(p.requestedBy) ?? 0n,
    };
  }

  /** Holds `amount`; the returned function releases it (once). */
  reserve(p: Payer, amount: bigint): () => void {
    const k = p.keyHash ? Buffer.from(p.keyHash).toString('hex') : undefined;
    const add = (m: Map<string, bigint>, id: string, d: bigint) => {
      const v = (m.get(id) ?? 0n) + d;
      if (v === 0n) m.delete(id);
      else m.set(id, v);
    };
    if (k) add(this.byKey, k, amount);
    add(this.byPayer, p.requestedBy, amount);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (k) add(this.byKey, k, -amount);
      add(this.byPayer, p.requestedBy, -amount);
    };
  }
}

/** Throws 429 insufficient_quota when the key's epoch limit or the payer's balance cannot cover
 *  what is pending for this payer, `escrow` (already reserved by the caller) included. Reserving
 *  before checking makes concurrent requests see each other. */
export async function checkQuota(
  p: Payer,
  escrow: bigint,
  view: InferenceView,
  reservations: Reservations,
): Promise<void> {
  const pending = reservations.pending(p);
  if (p.key) {
    const epoch = await view.epoch();
    const spent = p.key.spentEpoch === epoch ? BigInt(p.key.spent || '0') : 0n;
    const limit = BigInt(p.key.spendLimitPerEpoch || '0');
    if (spent + pending.key > limit)
      throw insufficientQuota(
        `This request needs an escrow of ${escrow} ${DENOM}; the key's limit this epoch is ${limit}, ${spent + pending.key - escrow} already used.`,
      );
  }
  const balance = await view.balance(p.requestedBy, DENOM);
  if (pending.payer > balance)
    throw insufficientQuota(
      `This request needs an escrow of ${escrow} ${DENOM}; the account holds ${balance}, ${pending.payer - escrow} of it pending.`,
    );
}
