// One broadcaster per API node: every tx the node sends (commits, votes, participant updates) goes
// through it, so one sequence counter is the only source of sequences and two txs never go out
// with the same one. Submissions queue up and leave packed, many messages per tx (bounded); the
// gas limit is the simulated gas × an adjustment, the fee that gas × x/auth's min gas price.
// A CheckTx (or simulation) refusal with "incorrect account sequence" (sdk 32) means someone else
// used the key or a tx of ours left the mempool: the counter is resynced (from the error's
// "expected N", else the committed account) and the tx re-signed, a bounded number of times.
// A transport error leaves the counter unknown: it is resynced before the next tx for the same reason.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { addressFromPubKey } from '../runtime/address.js';
import { mulCeil, parseDec } from '../runtime/decimal.js';
import { type BroadcastResult, ChainError, type TxChain } from './chain.js';

export const FEE_DENOM = 'ngonka';
const SEQUENCE_MISMATCH = 32;

export interface BroadcasterOptions {
  chain: TxChain;
  /** 32-byte secp256k1 secret key of the operator account. */
  privateKey: Uint8Array;
  /** Most messages in one tx (default 50); a larger submission is refused. */
  maxMsgsPerTx?: number;
  /** Most message bytes in one tx (default 256 KiB, well under CometBFT's tx and block limits); a
   *  larger submission is refused. */
  maxTxBytes?: number;
  /** Gas limit = simulated gas × gasAdjustmentPercent / 100 (default 140). */
  gasAdjustmentPercent?: bigint;
  /** Re-signs after a sequence mismatch at most this many times per tx (default 5). */
  maxSequenceRetries?: number;
  /** Called for every tx CheckTx accepted and every refusal, for metrics and logs. */
  onSent?: (r: BroadcastResult, msgs: number) => void;
  onError?: (e: Error) => void;
}

interface Pending {
  msgs: Any[];
  extraGas: bigint;
  /** Leaves in a tx of its own (a tx is atomic: one refused msg fails every msg in it). */
  alone: boolean;
  resolve: (r: BroadcastResult) => void;
  reject: (e: Error) => void;
}

export class Broadcaster {
  readonly address: string;
  readonly pubKey: Uint8Array;
  private readonly maxMsgs: number;
  private readonly maxBytes: number;
  private readonly adjust: bigint;
  private readonly maxRetries: number;
  private queue: Pending[] = [];
  private pumping = false;
  private accountNumber: bigint | undefined;
  /** The next sequence to sign with; undefined = unknown, resync before signing. */
  private sequence: bigint | undefined;
  private closed = false;
  private chainIdValue = '';

  constructor(private readonly o: BroadcasterOptions) {
    if (o.privateKey.length !== 32) throw new RangeError('the operator key must be 32 bytes');
    this.pubKey = secp256k1.getPublicKey(o.privateKey, true);
    this.address = addressFromPubKey(this.pubKey);
    this.maxMsgs = o.maxMsgsPerTx ?? 50;
    this.maxBytes = o.maxTxBytes ?? 256 * 1024;
    this.adjust = o.gasAdjustmentPercent ?? 140n;
    this.maxRetries = o.maxSequenceRetries ?? 5;
  }

  /** The next sequence the broadcaster will sign with (undefined until first synced). */
  get nextSequence(): bigint | undefined {
    return this.sequence;
  }

  /**
   * Queues msgs for one tx (possibly with other submissions' msgs); resolves once CheckTx accepted
   * it (code 0), rejects with ChainError on a refusal. `extraGas` is added to the tx's gas limit on
   * top of the adjusted simulation: for msgs whose execution in the block may cost more than
   * their simulation against the current state (an inference's Start or Finish settles it when the
   * other one landed first). `alone`: the msgs leave in a tx of their own (a fraud proof refused in
   * its block must not take other msgs down with it).
   */
  submit(msgs: Any[], extraGas = 0n, opts: { alone?: boolean } = {}): Promise<BroadcastResult> {
    if (this.closed) return Promise.reject(new Error('broadcaster is closed'));
    if (msgs.length === 0 || msgs.length > this.maxMsgs)
      return Promise.reject(
        new RangeError(`a submission holds 1 … ${this.maxMsgs} msgs, got ${msgs.length}`),
      );
    if (msgBytes(msgs) > this.maxBytes)
      return Promise.reject(new RangeError(`a submission holds at most ${this.maxBytes} bytes of msgs`));
    return new Promise((resolve, reject) => {
      this.queue.push({ msgs, extraGas, alone: opts.alone === true, resolve, reject });
      // Pump on the next turn, so submissions made together leave together in one tx.
      setImmediate(() => void this.pump());
    });
  }

  /** Refuses new submissions and fails the queued ones. */
  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('broadcaster is closed'));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.sendBatch(batch);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Whole submissions, in order, up to maxMsgs messages and maxTxBytes bytes. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let n = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const b = msgBytes(next.msgs);
      if (n + next.msgs.length > this.maxMsgs || bytes + b > this.maxBytes) break;
      if (next.alone && batch.length > 0) break;
      this.queue.shift();
      n += next.msgs.length;
      bytes += b;
      batch.push(next);
      if (next.alone) break;
    }
    return batch;
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const msgs = batch.flatMap((p) => p.msgs);
    const extraGas = batch.reduce((g, p) => g + p.extraGas, 0n);
    try {
      const r = await this.send(msgs, extraGas);
      for (const p of batch) p.resolve(r);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // One bad submission must not sink the others packed with it: bisect until the refused
      // ones stand alone (each is then rejected and logged); the rest leave in few txs
      // (≈ 2·log2(n) for one bad msg among n, not n).
      if (batch.length > 1 && err instanceof ChainError && err.code !== SEQUENCE_MISMATCH) {
        const half = Math.ceil(batch.length / 2);
        await this.sendBatch(batch.slice(0, half));
        await this.sendBatch(batch.slice(half));
        return;
      }
      this.o.onError?.(err);
      for (const p of batch) p.reject(err);
    }
  }

  /** Signs and broadcasts one tx, resyncing the sequence on mismatch (bounded). */
  private async send(msgs: Any[], extraGas: bigint): Promise<BroadcastResult> {
    for (let attempt = 0; ; attempt++) {
      if (this.chainIdValue === '') this.chainIdValue = await this.o.chain.chainId();
      if (this.sequence === undefined || this.accountNumber === undefined) await this.resync();
      const seq = this.sequence as bigint;
      try {
        const gasUsed = await this.o.chain.simulate(this.encode(msgs, seq, 0n, 0n, false));
        const gasLimit = (gasUsed * this.adjust + 99n) / 100n + extraGas;
        const fee = mulCeil(gasLimit, parseDec(await this.o.chain.minGasPrice()));
        const r = await this.o.chain.broadcastSync(this.encode(msgs, seq, gasLimit, fee, true));
        if (r.code === 0) {
          this.sequence = seq + 1n;
          this.o.onSent?.(r, msgs.length);
          return r;
        }
        throw new ChainError(r.codespace, r.code, r.log);
      } catch (e) {
        if (!(e instanceof ChainError)) {
          this.sequence = undefined; // the tx may or may not have reached the mempool
          throw e;
        }
        if (e.code !== SEQUENCE_MISMATCH || attempt >= this.maxRetries) throw e;
        this.o.onError?.(e);
        this.sequence = expectedSequence(e.log);
      }
    }
  }

  private async resync(): Promise<void> {
    const a = await this.o.chain.account(this.address);
    if (!a) throw new Error(`operator account ${this.address} does not exist on chain (fund it first)`);
    this.accountNumber = a.accountNumber;
    this.sequence = a.sequence;
  }

  private encode(msgs: Any[], sequence: bigint, gasLimit: bigint, fee: bigint, sign: boolean): Uint8Array {
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish();
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [
          {
            publicKey: {
              typeUrl: '/cosmos.crypto.secp256k1.PubKey',
              value: PubKey.encode({ key: this.pubKey }).finish(),
            },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence,
          },
        ],
        fee: { amount: fee > 0n ? [{ denom: FEE_DENOM, amount: fee.toString() }] : [], gasLimit },
      }),
    ).finish();
    let signature = new Uint8Array(0);
    if (sign) {
      const signDoc = SignDoc.encode({
        bodyBytes,
        authInfoBytes,
        chainId: this.chainIdValue,
        accountNumber: this.accountNumber as bigint,
      }).finish();
      signature = secp256k1.sign(signDoc, this.o.privateKey); // SHA-256 prehash, low-S, 64 bytes r‖s
    }
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
  }
}

const msgBytes = (msgs: Any[]) => msgs.reduce((n, m) => n + m.typeUrl.length + m.value.length, 0);

/** "account sequence mismatch, expected 7, got 5" → 7n; undefined when the log does not say. */
export function expectedSequence(log: string): bigint | undefined {
  const m = /expected (\d{1,20}), got \d{1,20}/.exec(log);
  return m ? BigInt(m[1]!) : undefined;
}
