// In-process seeded simulation (after the Cosmos SDK's x/simulation, research/cosmos-compat.md
// §6.1): random operations across every landed module — testkv writes and deletes, bank sends
// and multisends, collateral deposits and withdrawals, governance proposals, deposits and votes,
// with out-of-gas, malformed and failing txs in the mix — block after block through the app's
// ABCI handlers, with every module invariant and a model of the testkv store checked after each
// block. New modules add their operations in sim-ops.ts as they land.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { appStoreNames, createApp, defaultAppState } from '../../app/app.js';
import { openAppStore } from '../../app/node/openStore.js';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import { BOOKKEEPING_FAILURE } from '../../app/runtime/bookkeeping.js';
import { Context } from '../../app/runtime/context.js';
import type { CommitMultiStore } from '../../app/runtime/store/types.js';
import { seededRandom } from '../../testnet/perturb.js';
import type { PocKeeper } from '../../x/poc/keeper.js';
import { POC_MODULE } from '../../x/poc/module.js';
import { encodeTestTx, testKvExtensions } from '../fixtures/testkv.js';
import type { TestKey } from '../integration/tx-harness.js';
import {
  collectProposals,
  planModuleTxs,
  SIM_WEIGHTS,
  type SimOpsState,
  simKeys,
  withSimAccounts,
} from './sim-ops.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
export const SIM_CHAIN_ID = 'gonka-sim';

/** The simulation's starting genesis: every module's default, testkv included, plus funded accounts and participants. */
export const simGenesis = () =>
  withSimAccounts(defaultAppState(testKvExtensions) as Record<string, any>, simKeys());

export interface SimApp {
  app: BaseApp;
  store: CommitMultiStore;
  close(): Promise<void>;
}

/** A fresh app on a fresh temporary store, initialized from `appState`. Returns InitChain's app hash too. */
export async function freshApp(appState: Record<string, unknown>): Promise<SimApp & { initHash: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-sim-'));
  const store = await openAppStore(dir, appStoreNames(testKvExtensions));
  const app = createApp(store, pino({ level: 'silent' }), 'sim', testKvExtensions);
  const res = app.initChain(
    RequestInitChain.fromPartial({
      chainId: SIM_CHAIN_ID,
      time: { seconds: 1_800_000_000n, nanos: 0 },
      appStateBytes: enc.encode(JSON.stringify(appState)),
      initialHeight: 1n,
    }),
  );
  return {
    app,
    store,
    initHash: Buffer.from(res.appHash).toString('hex'),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every store's (key hex, value hex) pairs of the working state, store by store. */
export function dumpStores(store: CommitMultiStore): Record<string, [string, string][]> {
  const view = store.branch();
  const out: Record<string, [string, string][]> = {};
  for (const name of store.storeNames()) {
    out[name] = [...view.getStore(name).iterator()].map(([k, v]) => [
      Buffer.from(k).toString('hex'),
      Buffer.from(v).toString('hex'),
    ]);
  }
  return out;
}

interface PlannedTx {
  bytes: Uint8Array;
  writes: [string, string][];
  deletes: string[];
}

function randomTx(rand: () => number): PlannedTx {
  const pick = (n: number) => Math.floor(rand() * n);
  if (pick(30) === 0) return { bytes: enc.encode('testkv:{broken'), writes: [], deletes: [] };
  const writes: [string, string][] = [];
  for (let w = 0, n = 1 + pick(4); w < n; w++) writes.push([`k${pick(200)}`, `v${pick(1_000_000)}`]);
  const deletes = pick(4) === 0 ? [`k${pick(200)}`] : [];
  const gas = pick(12) === 0 ? 2500 : 1_000_000;
  return { bytes: encodeTestTx({ writes, deletes, gas }), writes, deletes };
}

/**
 * Schedules a seeded next-epoch weight for one participant on the working state (PoC results will
 * do this from txs; until then the simulation does it directly), so participants' weights change
 * at epoch boundaries and x/poc's stored total must follow them (its invariant is checked below).
 */
function scheduleWeight(sim: SimApp, keys: TestKey[], rand: () => number, height: number): void {
  const poc = (sim.app.modules.modules.get(POC_MODULE) as unknown as { keeper: PocKeeper }).keeper;
  const header = {
    chainId: SIM_CHAIN_ID,
    height: BigInt(height),
    time: { seconds: 0n, nanos: 0 },
    hash: new Uint8Array(0),
    proposerAddress: new Uint8Array(0),
  };
  const who = keys[Math.floor(rand() * SIM_WEIGHTS.length)]!.address;
  poc.setNextWeight(
    new Context('finalize', header, sim.store, sim.app.modules.stores),
    who,
    BigInt(1 + Math.floor(rand() * 100)),
  );
}

/** Checks module invariants and that the testkv store equals the model; throws on the first breach. */
function checkBlock(sim: SimApp, model: Map<string, string>, height: number): void {
  const broken = sim.app.checkInvariants();
  if (broken.length > 0) throw new Error(`height ${height}: invariants broken: ${broken.join('; ')}`);
  const actual = new Map<string, string>();
  for (const [k, v] of sim.store.branch().getStore('testkv').iterator())
    actual.set(dec.decode(k), dec.decode(v));
  if (actual.size !== model.size || [...model].some(([k, v]) => actual.get(k) !== v)) {
    throw new Error(
      `height ${height}: testkv store (${actual.size} keys) differs from the model (${model.size} keys)`,
    );
  }
}

export interface SimResult {
  appHashes: string[];
  committedTxs: number;
  failedTxs: number;
  /** Module operations attempted, by kind, and how many of them were committed successfully. */
  moduleOps: Record<string, number>;
  moduleOpsCommitted: number;
}

/**
 * Runs `blocks` seeded blocks on `sim` starting after `fromHeight`; `onBlock` sees each committed
 * height (the import/export test stops there to export).
 */
export async function simulate(
  sim: SimApp,
  seed: number,
  blocks: number,
  opts: {
    fromHeight?: number;
    emptyFirstBlock?: boolean;
    model?: Map<string, string>;
    onBlock?: (height: number) => Promise<void> | void;
  } = {},
): Promise<SimResult> {
  const rand = seededRandom(seed);
  const model = opts.model ?? new Map<string, string>();
  const result: SimResult = {
    appHashes: [],
    committedTxs: 0,
    failedTxs: 0,
    moduleOps: {},
    moduleOpsCommitted: 0,
  };
  const ops: SimOpsState = { proposals: [], kinds: result.moduleOps };
  const keys = simKeys();
  const start = opts.fromHeight ?? 0;
  for (let height = start + 1; height <= start + blocks; height++) {
    const count = Math.floor(rand() * 10);
    const planned =
      opts.emptyFirstBlock && height === start + 1 ? [] : Array.from({ length: count }, () => randomTx(rand));
    const moduleTxs = planModuleTxs(sim.app, keys, rand, ops);
    if (height % 5 === 0) scheduleWeight(sim, keys, rand, height);
    const hash = new Uint8Array(32).map(() => Math.floor(rand() * 256));
    const res = sim.app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({
        txs: [...planned.map((t) => t.bytes), ...moduleTxs],
        height: BigInt(height),
        time: { seconds: BigInt(1_800_000_000 + height), nanos: 0 },
        hash,
        proposerAddress: new Uint8Array(20),
      }),
    );
    await sim.app.commit();
    // End-block bookkeeping (refunds, burns, releases) never fails on a sound chain: a failure
    // event here is a bug the invariants may not see.
    const failure = res.events.find((e) => e.type === BOOKKEEPING_FAILURE);
    if (failure)
      throw new Error(
        `height ${height}: bookkeeping failure ${JSON.stringify(failure.attributes.map((a) => [a.key, a.value]))}`,
      );
    res.txResults.slice(planned.length).forEach((r) => {
      if (r.code === 0) result.moduleOpsCommitted++;
      else result.failedTxs++;
      collectProposals(r.events, ops);
    });
    res.txResults.slice(0, planned.length).forEach((r, i) => {
      const t = planned[i] as PlannedTx;
      if (r.code !== 0) {
        result.failedTxs++;
        return;
      }
      result.committedTxs++;
      for (const [k, v] of t.writes) model.set(k, v);
      for (const k of t.deletes) model.delete(k);
    });
    checkBlock(sim, model, height);
    result.appHashes.push(Buffer.from(res.appHash).toString('hex'));
    await opts.onBlock?.(height);
  }
  return result;
}
