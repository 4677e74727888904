// Issue 10 acceptance 7 (in process): CometBFT's FinalizeBlock `misbehavior` and
// `decided_last_commit` reach x/collateral. A duplicate vote jails and slashes exactly
// slash_fraction_double_sign once (a repeated entry does nothing; unknown and zero-power validators
// are ignored) and the jailed validator's power 0 leaves in the same block's validator updates; a
// validator absent from the last commit for more than (1 − min_signed_per_window) × window blocks
// is jailed and slashed exactly slash_fraction_downtime; MsgUnjail fails before downtime_jail_blocks
// and succeeds after, returning the power; a set with no power left is never sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  type Event,
  type Misbehavior,
  MisbehaviorType,
  type ResponseFinalizeBlock,
  type VoteInfo,
} from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import {
  QueryCollateralRequest,
  QueryCollateralResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgDepositCollateral, MsgUnjail, MsgUpdateParams } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { dumpStores } from '../sim/chain-sim.js';
import { consensusKey, GOV_ADDRESS, PocChain, runAsAuthority } from './poc-chain.js';

const WEIGHT = 10n;
const WINDOW = 10n;
const JAIL_BLOCKS = 20n;
const DEPOSIT = 1_000_003n; // not a multiple of 20 or 10: the floor of each fraction shows

const consAddr = (i: number) => createHash('sha256').update(consensusKey(i)).digest().subarray(0, 20);
const keyHex = (i: number) => consensusKey(i).toString('hex');
const updatesOf = (r: ResponseFinalizeBlock) =>
  r.validatorUpdates.map((u) => ({ key: Buffer.from(u.pubKey!.ed25519!).toString('hex'), power: u.power }));
const eventsOf = (r: ResponseFinalizeBlock, type: string) =>
  r.events
    .filter((e) => e.type === type)
    .map((e: Event) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
const any = (
  codec: { $type: string; encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): unknown },
  value: unknown,
): Any => ({
  typeUrl: typeUrl(codec),
  value: codec.encode(codec.fromPartial(value)).finish(),
});

function duplicateVote(i: number, height: bigint, power = WEIGHT): Misbehavior {
  return {
    type: MisbehaviorType.DUPLICATE_VOTE,
    validator: { address: consAddr(i), power },
    height,
    time: { seconds: 1_700_000_000n + height, nanos: 0 },
    totalVotingPower: 4n * WEIGHT,
  };
}

describe('evidence and liveness: jail, slash, unjail', () => {
  let chain: PocChain;
  const n = 4;
  /** Validators absent from the decided last commit of every following block. */
  const absent = new Set<number>();
  const jailedSet = new Set<number>();
  const commit = (): { votes: VoteInfo[]; round: number } => ({
    round: 0,
    votes: Array.from({ length: n }, (_, i) => i)
      .filter((i) => !jailedSet.has(i))
      .map((i) => ({
        validator: { address: consAddr(i), power: WEIGHT },
        blockIdFlag: absent.has(i) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
  });
  const block = (txs: Uint8Array[] = [], misbehavior: Misbehavior[] = []) =>
    chain.block(txs, { misbehavior, decidedLastCommit: commit() });
  const collateral = (i: number) =>
    BigInt(
      chain.query('/gonka.collateral.v1.Query/Collateral', QueryCollateralRequest, QueryCollateralResponse, {
        participant: chain.keys[i]!.address,
      }).amount!.amount,
    );
  const signingInfo = (i: number) =>
    chain.query('/gonka.collateral.v1.Query/SigningInfo', QuerySigningInfoRequest, QuerySigningInfoResponse, {
      address: chain.keys[i]!.address,
    }).info!;
  const isJailed = (i: number) => chain.read((ctx) => chain.collateral.isJailed(ctx, chain.keys[i]!.address));
  const govBalance = () => chain.balance(GOV_ADDRESS);

  before(async () => {
    chain = await PocChain.create({
      weights: Array(n).fill(Number(WEIGHT)),
      epochLength: 1000, // no epoch boundary inside the test: every update seen is a jail's
      appState: (s) => {
        s.collateral.params.signed_blocks_window = String(WINDOW);
        s.collateral.params.min_signed_per_window = '0.5';
        s.collateral.params.downtime_jail_blocks = String(JAIL_BLOCKS);
      },
    });
    await chain.block(); // height 1: no last commit yet
    const r = await block(
      Array.from({ length: n }, (_, i) =>
        chain.tx(i, [
          any(MsgDepositCollateral, {
            participant: chain.keys[i]!.address,
            amount: { denom: 'ngonka', amount: String(DEPOSIT) },
          }),
        ]),
      ),
    );
    for (const t of r.txResults) assert.equal(t.code, 0, t.log);
  });
  after(() => chain.close());

  it('a duplicate vote jails, slashes exactly slash_fraction_double_sign once, and sends power 0', async () => {
    const gov0 = govBalance();
    const r = await block([], [duplicateVote(0, chain.height)]);
    const slashed = (DEPOSIT * 5n) / 100n; // default 0.05
    assert.equal(collateral(0), DEPOSIT - slashed);
    assert.equal(govBalance() - gov0, slashed, 'the slashed collateral goes to the governance account');
    assert.ok(isJailed(0));
    assert.deepEqual(updatesOf(r), [{ key: keyHex(0), power: 0n }], 'power 0 in this block (effective H+2)');
    assert.deepEqual(
      eventsOf(r, 'slash').map((e) => [e.address, e.reason, e.power]),
      [[chain.keys[0]!.address, 'double_sign', '10']],
    );
    assert.equal(eventsOf(r, 'jail').length, 1);
    const info = signingInfo(0);
    assert.equal(info.tombstoned, true);
    jailedSet.add(0);

    // The same infraction reported again, another height of the same validator, an unknown
    // validator and a zero-power entry: nothing is slashed, nothing changes.
    const again = await block(
      [],
      [
        duplicateVote(0, chain.height - 1n),
        duplicateVote(0, chain.height),
        { ...duplicateVote(9, chain.height), validator: { address: Buffer.alloc(20, 7), power: 10n } },
        duplicateVote(2, chain.height, 0n),
      ],
    );
    assert.equal(collateral(0), DEPOSIT - slashed);
    assert.equal(collateral(2), DEPOSIT);
    assert.equal(govBalance() - gov0, slashed);
    assert.deepEqual(eventsOf(again, 'slash'), []);
    assert.deepEqual(updatesOf(again), []);
    assert.ok(!isJailed(2));

    // Evidence older than max_evidence_age_blocks is ignored.
    chain.at(chain.height + 1n, (ctx, c) =>
      c.collateral.setParams(ctx, { ...c.collateral.getParams(ctx), maxEvidenceAgeBlocks: 1n }),
    );
    await block();
    const old = await block([], [duplicateVote(3, chain.height - 3n)]);
    assert.deepEqual(eventsOf(old, 'slash'), []);
    assert.ok(!isJailed(3));

    // A tombstoned validator never unjails.
    const u = await block([chain.tx(0, [any(MsgUnjail, { participant: chain.keys[0]!.address })])]);
    assert.deepEqual([u.txResults[0]!.codespace, u.txResults[0]!.code], ['collateral', 10]);
    assert.deepEqual(chain.invariants(), []);
  });

  it('missing too many of the window jails and slashes exactly slash_fraction_downtime; MsgUnjail after the jail period returns the power', async () => {
    const start = signingInfo(1).startHeight;
    assert.ok(start > 0n, 'signing info exists from the first commit the validator was in');
    absent.add(1);
    const before = collateral(1);
    const gov0 = govBalance();
    let jailedAt = 0n;
    let missedEvents = 0;
    for (let i = 0; i < 40 && jailedAt === 0n; i++) {
      const r = await block();
      missedEvents += eventsOf(r, 'liveness').length;
      if (eventsOf(r, 'slash').length > 0) {
        jailedAt = chain.height;
        assert.deepEqual(
          eventsOf(r, 'slash').map((e) => [e.address, e.reason]),
          [[chain.keys[1]!.address, 'missing_signature']],
        );
        assert.deepEqual(updatesOf(r), [{ key: keyHex(1), power: 0n }]);
      } else assert.ok(!isJailed(1), `not jailed before the window is full (height ${chain.height})`);
    }
    // The window is full after start + WINDOW blocks; 6 > WINDOW − 5 misses are needed.
    assert.ok(jailedAt > start + WINDOW, `jailed at ${jailedAt}, window started at ${start}`);
    assert.ok(missedEvents >= 6);
    assert.ok(isJailed(1));
    const slashed = (before * 10n) / 100n; // default slash_fraction_downtime 0.1
    assert.equal(collateral(1), before - slashed);
    assert.equal(govBalance() - gov0, slashed);
    const info = signingInfo(1);
    assert.equal(info.jailedUntil, jailedAt + JAIL_BLOCKS);
    assert.equal(info.missedBlocksCounter, 0n, 'the window is reset');
    assert.equal(info.tombstoned, false);
    jailedSet.add(1);
    absent.delete(1);

    // Before jailed_until: refused (collateral 9), the sequence still consumed by ante.
    const early = await block([chain.tx(1, [any(MsgUnjail, { participant: chain.keys[1]!.address })])]);
    assert.deepEqual([early.txResults[0]!.codespace, early.txResults[0]!.code], ['collateral', 9]);
    // Someone else's unjail: the signer must be the participant (sdk 8).
    const other = await block([chain.tx(2, [any(MsgUnjail, { participant: chain.keys[1]!.address })])]);
    assert.deepEqual([other.txResults[0]!.codespace, other.txResults[0]!.code], ['sdk', 8]);
    const k2 = chain.keys[2]!.address;
    chain.sequences.set(k2, chain.sequences.get(k2)! - 1n); // ante refused it: the sequence is unused
    // Not jailed: collateral 8.
    const notJailed = await block([chain.tx(2, [any(MsgUnjail, { participant: chain.keys[2]!.address })])]);
    assert.deepEqual([notJailed.txResults[0]!.codespace, notJailed.txResults[0]!.code], ['collateral', 8]);

    while (chain.height + 1n < info.jailedUntil) await block();
    const ok = await block([chain.tx(1, [any(MsgUnjail, { participant: chain.keys[1]!.address })])]);
    assert.equal(ok.txResults[0]!.code, 0, ok.txResults[0]!.log);
    assert.ok(!isJailed(1));
    assert.deepEqual(updatesOf(ok), [{ key: keyHex(1), power: WEIGHT }], 'power back at the next update');
    assert.equal(signingInfo(1).startHeight, chain.height, 'a fresh window from the unjail on');
    jailedSet.delete(1);
    // Back in the commit: no new jail for the blocks missed before.
    for (let i = 0; i < Number(WINDOW) + 2; i++) assert.deepEqual(eventsOf(await block(), 'slash'), []);

    const page = chain.query(
      '/gonka.collateral.v1.Query/SigningInfos',
      QuerySigningInfosRequest,
      QuerySigningInfosResponse,
      { pagination: { key: new Uint8Array(0), offset: 0n, limit: 3n, countTotal: true, reverse: false } },
    );
    assert.equal(page.infos.length, 3);
    assert.equal(page.pagination!.total, 4n);
    assert.ok(page.pagination!.nextKey.length > 0);
    assert.deepEqual(chain.invariants(), []);
  });

  it('signing infos and missed blocks survive a genesis export/import store for store', async () => {
    absent.add(3);
    await block();
    await block();
    absent.delete(3);
    assert.equal(signingInfo(3).missedBlocksCounter, 2n);
    assert.deepEqual(chain.invariants(), []);
    const g = chain.app.exportGenesis() as Record<string, any>;
    assert.equal(g.collateral.signing_infos.length, 4);
    assert.equal(g.collateral.missed_blocks.length, 2);
    const copy = await PocChain.fromAppState(JSON.parse(JSON.stringify(g)));
    try {
      const [a, b] = [dumpStores(chain.store), dumpStores(copy.store)];
      assert.deepEqual(b.collateral, a.collateral);
      assert.deepEqual(b.poc, a.poc, 'the validator index is rebuilt from the participants');
    } finally {
      await copy.close();
    }
    // An inconsistent bitmap is refused.
    g.collateral.missed_blocks.pop();
    await assert.rejects(PocChain.fromAppState(g), /missed_blocks_counter does not match/);
  });

  it('a signed_blocks_window change by governance restarts every window', async () => {
    absent.add(3);
    await block();
    absent.delete(3);
    assert.ok(signingInfo(3).missedBlocksCounter > 0n);
    const at = chain.height + 1n;
    chain.at(at, (ctx, c) =>
      runAsAuthority(
        c,
        ctx,
        typeUrl(MsgUpdateParams),
        MsgUpdateParams.encode({
          authority: GOV_ADDRESS,
          params: { ...c.collateral.getParams(ctx), signedBlocksWindow: 12n },
        }).finish(),
      ),
    );
    await block();
    for (const i of [1, 2, 3]) {
      const info = signingInfo(i);
      assert.equal(info.startHeight, at, `validator ${i}`);
      assert.ok(info.missedBlocksCounter === 0n && info.indexOffset === 0n, `validator ${i}`);
    }
    assert.deepEqual(chain.invariants(), []);
  });

  it('never sends a set with no power left', async () => {
    // 0 is tombstoned; jail the other three at once: the target has no power, so nothing is sent.
    const powersBefore = chain.read((ctx) => chain.poc.powers(ctx));
    const r = await block(
      [],
      [1, 2, 3].map((i) => duplicateVote(i, chain.height)),
    );
    assert.ok([1, 2, 3].every(isJailed));
    assert.deepEqual(updatesOf(r), []);
    assert.deepEqual(
      chain.read((ctx) => chain.poc.powers(ctx)),
      powersBefore,
    );
    assert.ok(powersBefore.reduce((s, p) => s + p.power, 0n) > 0n);
  });
});
