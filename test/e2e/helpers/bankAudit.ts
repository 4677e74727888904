// After the faults of a fault e2e test heal, checks what every node committed, not only node 0:
//  - every tx of blocks 1..H (any format) is in the same block at the same index on every node with
//    the same result (code, data, gas, log, events from block_results), and every node's tx index
//    (tx_search) finds exactly those txs at those heights with those codes;
//  - the bank state of the signed load's accounts (balances and sequences, queried at height H)
//    is the same on every node and equals a model applied from the committed txs' results: a fee
//    where ante passed (its `tx` fee event), the amount where the tx succeeded;
//  - every tx the load saw accepted committed, or is accounted for: lost with the mempool of a node
//    killed or restarted after it was sent there, evicted on recheck after a sequence gap left by an
//    earlier lost tx of the same sender, or superseded by another tx of the same sender and sequence
//    (the wallet re-signed after re-reading the chain). Anything else is reported as unexplained.
import assert from 'node:assert/strict';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { DENOM } from '../../integration/tx-harness.js';
import { type BankLoad, LOAD_FUNDS, type LoadTarget, readAccount, type SendRecord } from './bankLoad.js';
import { type CometRpc, waitFor } from './rpc.js';

export interface CommittedTx {
  hash: string;
  height: number;
  index: number;
  bytes: Uint8Array;
  result: TxResultJson;
}

interface TxResultJson {
  code?: number;
  codespace?: string;
  data?: string | null;
  log?: string;
  gas_wanted?: string;
  gas_used?: string;
  events?: { type: string; attributes: { key: string; value: string }[] }[];
}

const hashOf = async (bytes: Uint8Array) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes))
    .toString('hex')
    .toUpperCase();

/** The parts of a result consensus and clients depend on, as one comparable string. */
function resultKey(r: TxResultJson): string {
  return JSON.stringify({
    code: r.code ?? 0,
    codespace: r.codespace ?? '',
    data: r.data ?? '',
    log: r.log ?? '',
    gas_wanted: r.gas_wanted ?? '0',
    gas_used: r.gas_used ?? '0',
    events: (r.events ?? []).map((e) => [e.type, e.attributes.map((a) => [a.key, a.value])]),
  });
}

async function blocksWithResults(rpc: CometRpc, heights: number[]): Promise<CommittedTx[]> {
  const out: CommittedTx[] = [];
  for (const h of heights) {
    const block = await rpc.block(h);
    const results = await rpc.call<{ txs_results?: TxResultJson[] | null }>('block_results', { height: h });
    const rs = results.txs_results ?? [];
    if (rs.length !== block.txs.length)
      throw new Error(`${rpc.url} height ${h}: ${block.txs.length} txs but ${rs.length} results`);
    for (const [index, bytes] of block.txs.entries())
      out.push({ hash: await hashOf(bytes), height: h, index, bytes, result: rs[index]! });
  }
  return out;
}

async function indexed(rpc: CometRpc, upTo: number): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let page = 1; page <= 10_000; page++) {
    const r = await rpc.call<{ txs: any[]; total_count: string }>('tx_search', {
      query: JSON.stringify(`tx.height>=1 AND tx.height<=${upTo}`),
      page,
      per_page: 100,
      order_by: JSON.stringify('asc'),
    });
    for (const t of r.txs) found.set(t.hash, `${t.height}/${t.index}/${t.tx_result.code ?? 0}`);
    if (found.size >= Number(r.total_count) || r.txs.length === 0) break;
  }
  return found;
}

/**
 * Every node holds the same txs with the same results in blocks 1..upTo, and indexes exactly
 * them. Returns the committed txs (in block order).
 */
export async function auditCommitted(targets: LoadTarget[], upTo: number): Promise<CommittedTx[]> {
  let reference: CommittedTx[] | undefined;
  for (const t of targets) {
    const metas = await t.rpc.blockMetas(1, upTo);
    if (metas.length !== upTo) throw new Error(`${t.name}: ${metas.length} blocks for 1..${upTo}`);
    const txs = await blocksWithResults(
      t.rpc,
      metas.filter((m) => m.numTxs > 0).map((m) => m.height),
    );
    if (!reference) reference = txs;
    else {
      const a = reference.map((x) => `${x.height}/${x.index}/${x.hash}/${resultKey(x.result)}`);
      const b = txs.map((x) => `${x.height}/${x.index}/${x.hash}/${resultKey(x.result)}`);
      const k = a.findIndex((x, i) => x !== b[i]);
      if (a.length !== b.length || k >= 0)
        throw new Error(
          `${t.name} differs from ${targets[0]!.name} in blocks 1..${upTo} (${b.length} vs ${a.length} txs): ` +
            `first difference ${b[k] ?? '(missing)'} vs ${a[k] ?? '(missing)'}`,
        );
    }
    const index = await indexed(t.rpc, upTo);
    const missing = txs.filter((x) => index.get(x.hash) !== `${x.height}/${x.index}/${x.result.code ?? 0}`);
    if (missing.length > 0 || index.size !== txs.length)
      throw new Error(
        `${t.name}: tx index has ${index.size} txs for 1..${upTo}, blocks hold ${txs.length}; ` +
          `${missing.length} not indexed at their height/index/code (first ${missing[0]?.hash})`,
      );
  }
  return reference ?? [];
}

export interface BankTx {
  hash: string;
  height: number;
  sender: string;
  to: string;
  amount: bigint;
  sequence: bigint;
  code: number;
  /** Fee taken (ante passed), from the result's `tx` event. */
  fee: bigint;
}

/** The signed load's txs among the committed ones (other formats and senders are skipped). */
export function bankTxs(committed: CommittedTx[], senders: Set<string>): BankTx[] {
  const out: BankTx[] = [];
  for (const c of committed) {
    let decoded: { send: MsgSend; auth: AuthInfo } | undefined;
    try {
      const raw = TxRaw.decode(c.bytes);
      const body = TxBody.decode(raw.bodyBytes);
      const msg = body.messages[0];
      if (body.messages.length === 1 && msg?.typeUrl === '/cosmos.bank.v1beta1.MsgSend')
        decoded = { send: MsgSend.decode(msg.value), auth: AuthInfo.decode(raw.authInfoBytes) };
    } catch {
      // another tx format (the testkv fixture)
    }
    if (!decoded || !senders.has(decoded.send.fromAddress)) continue;
    const { send, auth } = decoded;
    const feeEvent = (c.result.events ?? []).find(
      (e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee'),
    );
    const feeText = feeEvent?.attributes.find((a) => a.key === 'fee')?.value ?? '';
    const fee = new RegExp(`^(\\d+)${DENOM}$`).exec(feeText);
    if (feeEvent && !fee) throw new Error(`tx ${c.hash}: unexpected fee ${feeText}`);
    out.push({
      hash: c.hash,
      height: c.height,
      sender: send.fromAddress,
      to: send.toAddress,
      amount: BigInt(send.amount.find((x) => x.denom === DENOM)?.amount ?? '0'),
      sequence: auth.signerInfos[0]?.sequence ?? -1n,
      code: c.result.code ?? 0,
      fee: fee ? BigInt(fee[1]!) : 0n,
    });
  }
  return out;
}

export interface BankModel {
  balances: Map<string, bigint>;
  sequences: Map<string, bigint>;
}

/** Applies the committed bank txs' results to the genesis funds of the load. */
export function applyModel(load: Pick<BankLoad, 'keys' | 'sinks'>, txs: BankTx[]): BankModel {
  const balances = new Map<string, bigint>();
  const sequences = new Map<string, bigint>();
  for (const k of load.keys) {
    balances.set(k.address, LOAD_FUNDS);
    sequences.set(k.address, 0n);
  }
  for (const s of load.sinks) balances.set(s, 0n);
  const add = (a: string, d: bigint) => balances.set(a, (balances.get(a) ?? 0n) + d);
  for (const t of txs) {
    if (t.fee > 0n) {
      add(t.sender, -t.fee);
      // The ante that took the fee also took the sequence, and it must have been the next one.
      const seq = sequences.get(t.sender) ?? 0n;
      if (t.sequence !== seq)
        throw new Error(`tx ${t.hash} passed ante with sequence ${t.sequence}, want ${seq}`);
      sequences.set(t.sender, seq + 1n);
    }
    if (t.code === 0) {
      add(t.sender, -t.amount);
      add(t.to, t.amount);
    }
  }
  return { balances, sequences };
}

async function balanceAt(rpc: CometRpc, address: string, height: number): Promise<bigint> {
  const r = await rpc.abciQuery(
    '/cosmos.bank.v1beta1.Query/Balance',
    QueryBalanceRequest.encode({ address, denom: DENOM }).finish(),
    { height },
  );
  if (r.code) throw new Error(`balance ${address}: query code ${r.code} ${r.log ?? ''}`);
  return BigInt(QueryBalanceResponse.decode(Buffer.from(r.value, 'base64')).balance?.amount ?? '0');
}

/** Every node's balances and sequences of the load's accounts at `height` equal the model. */
export async function checkBankState(
  targets: LoadTarget[],
  load: Pick<BankLoad, 'keys'>,
  model: BankModel,
  height: number,
): Promise<void> {
  for (const t of targets) {
    for (const [address, want] of model.balances) {
      const got = await balanceAt(t.rpc, address, height);
      if (got !== want)
        throw new Error(`${t.name} at ${height}: balance of ${address} is ${got}, model ${want}`);
    }
    for (const k of load.keys) {
      const got = (await readAccount(t.rpc, k.address, height)).sequence;
      const want = model.sequences.get(k.address);
      if (got !== want)
        throw new Error(`${t.name} at ${height}: sequence of ${k.address} is ${got}, model ${want}`);
    }
  }
}

export interface LoadAccounting {
  sent: number;
  accepted: number;
  rejected: number;
  unknownOutcome: number;
  /** Accepted txs (and unknown-outcome sends) found in blocks, and how many of those succeeded. */
  committed: number;
  committedOk: number;
  /** Accepted txs that committed. */
  acceptedCommitted: number;
  /** Accepted, never committed, sent to a node whose run then ended (killed/crashed/restarted). */
  lostWithKilledNode: SendRecord[];
  /** Accepted, never committed, only on nodes that lived, after an earlier lost tx of the sender. */
  gapEvicted: SendRecord[];
  /** Accepted, never committed, only on nodes that lived: another tx of the same sender and
   * sequence committed instead (the wallet re-signed it after re-reading the chain). */
  superseded: SendRecord[];
  /** Accepted and neither committed nor accounted for: a lost tx. */
  unexplained: SendRecord[];
  /** Lost-with-killed-node count per target name. */
  byNode: Record<string, number>;
  /** The most lost-with-killed-node txs that one ended run (a node between two kills) held. */
  maxLostInOneRun: number;
}

/** Sorts every accepted tx into committed or one of the accounted-for kinds of loss. */
export function accountLoad(
  load: Pick<BankLoad, 'sends' | 'epochs' | 'targets' | 'sent'>,
  txs: BankTx[],
  model: BankModel,
): LoadAccounting {
  const committed = new Set(txs.map((t) => t.hash));
  const tookSequence = new Set(txs.filter((t) => t.fee > 0n).map((t) => `${t.sender}/${t.sequence}`));
  const accepted = new Map<string, SendRecord[]>();
  for (const s of load.sends)
    if (s.outcome === 'accepted') accepted.set(s.hash, [...(accepted.get(s.hash) ?? []), s]);
  const out: LoadAccounting = {
    sent: load.sent,
    accepted: accepted.size,
    rejected: load.sends.filter((s) => s.outcome === 'rejected').length,
    unknownOutcome: load.sends.filter((s) => s.outcome === 'unknown').length,
    committed: 0,
    committedOk: 0,
    acceptedCommitted: [...accepted.keys()].filter((h) => committed.has(h)).length,
    lostWithKilledNode: [],
    gapEvicted: [],
    superseded: [],
    unexplained: [],
    byNode: {},
    maxLostInOneRun: 0,
  };
  const sentHashes = new Set(load.sends.map((s) => s.hash));
  for (const t of txs) {
    if (!sentHashes.has(t.hash)) throw new Error(`committed tx ${t.hash} was never sent by the load`);
    out.committed++;
    if (t.code === 0) out.committedOk++;
  }
  const lost: SendRecord[] = [];
  for (const [hash, recs] of accepted) {
    if (committed.has(hash)) continue;
    const rec = recs[0]!;
    const killed = recs.find((r) => (load.epochs[r.target] ?? 0) > r.epoch);
    if (killed) {
      out.lostWithKilledNode.push(killed);
      const name = load.targets[killed.target]!.name;
      out.byNode[name] = (out.byNode[name] ?? 0) + 1;
    } else if (tookSequence.has(`${rec.sender}/${rec.sequence}`)) out.superseded.push(rec);
    else lost.push(rec);
  }
  const perRun = new Map<string, number>();
  for (const r of out.lostWithKilledNode)
    perRun.set(`${r.target}/${r.epoch}`, (perRun.get(`${r.target}/${r.epoch}`) ?? 0) + 1);
  out.maxLostInOneRun = Math.max(0, ...perRun.values());
  // An uncommitted tx only on live nodes is expected to fail recheck when an earlier sequence of
  // its sender never committed (so the final sequence stopped below it) and that earlier tx is
  // itself accounted for: lost with a killed node, or sent with an unknown outcome.
  const uncommittedAt = new Map<string, bigint[]>();
  for (const s of [
    ...out.lostWithKilledNode,
    ...load.sends.filter((x) => x.outcome === 'unknown' && !committed.has(x.hash)),
  ])
    uncommittedAt.set(s.sender, [...(uncommittedAt.get(s.sender) ?? []), s.sequence]);
  for (const rec of lost) {
    const final = model.sequences.get(rec.sender) ?? 0n;
    const root = (uncommittedAt.get(rec.sender) ?? []).some((q) => q >= final && q < rec.sequence);
    if (rec.sequence > final && root) out.gapEvicted.push(rec);
    else out.unexplained.push(rec);
  }
  return out;
}

export function describeAccounting(a: LoadAccounting): string {
  return (
    `sent ${a.sent}, accepted ${a.accepted}, rejected ${a.rejected}, unknown outcome ${a.unknownOutcome}; ` +
    `accepted and committed ${a.acceptedCommitted}; load txs in blocks ${a.committed} (${a.committedOk} succeeded, ${a.committed - a.committedOk} failed in the message with the fee taken); ` +
    `lost with a killed node's mempool ${a.lostWithKilledNode.length} ${JSON.stringify(a.byNode)} (at most ${a.maxLostInOneRun} from one run), ` +
    `evicted after a sequence gap ${a.gapEvicted.length}, superseded by a re-signed tx ${a.superseded.length}, ` +
    `unexplained ${a.unexplained.length}`
  );
}

/**
 * Waits until no live node holds a tx in its mempool and every node has made a block since:
 * whatever was accepted has then committed or been evicted.
 */
export async function settleMempools(targets: LoadTarget[], timeoutMs = 60_000): Promise<number> {
  await waitFor(
    'every mempool to drain',
    async () => {
      const n = await Promise.all(
        targets.map((t) =>
          t.rpc.call<{ n_txs: string }>('num_unconfirmed_txs', {}).then((r) => Number(r.n_txs)),
        ),
      );
      return n.every((x) => x === 0);
    },
    timeoutMs,
  );
  const top = Math.max(...(await Promise.all(targets.map((t) => t.rpc.height()))));
  await waitFor(
    `every node past height ${top}`,
    async () => (await Promise.all(targets.map((t) => t.rpc.height()))).every((h) => h > top),
    timeoutMs,
  );
  return Math.min(...(await Promise.all(targets.map((t) => t.rpc.height()))));
}

/**
 * The whole audit at a height every node has committed: same txs and results everywhere, bank
 * state equal to the model on every node, every accepted tx committed or accounted for.
 */
export async function auditBankLoad(
  targets: LoadTarget[],
  load: BankLoad,
  upTo: number,
): Promise<{ committed: CommittedTx[]; accounting: LoadAccounting }> {
  const committed = await auditCommitted(targets, upTo);
  const txs = bankTxs(committed, new Set(load.keys.map((k) => k.address)));
  const model = applyModel(load, txs);
  await checkBankState(targets, load, model, upTo);
  return { committed, accounting: accountLoad(load, txs, model) };
}

/**
 * The fault tests' verdict on the signed load: every accepted send committed or is accounted for
 * (`label` names an unexplained one), no ended run lost more than it could hold, and the load did
 * real work (commits, and message failures that still paid their fee).
 */
export function assertLoadAccounted(
  a: LoadAccounting,
  run: { accounts: number; depth: number; endedRuns: number },
  label: (r: SendRecord) => string,
): void {
  assert.deepEqual(a.unexplained.map(label), [], 'every accepted send committed or is accounted for');
  // A run holds at most `depth` unconfirmed sends per account; twice that allows for sends
  // re-signed after a stall while older ones still sat in that mempool.
  const perRun = run.accounts * 2 * run.depth;
  assert.ok(a.maxLostInOneRun <= perRun, `one run lost ${a.maxLostInOneRun} accepted sends, bound ${perRun}`);
  assert.ok(
    a.lostWithKilledNode.length <= run.endedRuns * perRun,
    `lost with ended runs ${a.lostWithKilledNode.length} > ${run.endedRuns} runs × ${perRun}`,
  );
  assert.ok(a.acceptedCommitted > 20, `only ${a.acceptedCommitted} signed sends committed`);
  assert.ok(a.committed > a.committedOk, 'some sends failed in the message, fee taken');
}
