// Queries never hold the node for long (issue 10, acceptance 4): each runs on a gas budget and
// fails cleanly (sdk 11, saying how to narrow it) when over; pages are capped; count_total and
// DenomOwners read maintained counts and indexes (equal to a scan of the balances themselves);
// Participants and Jailed paginate; /app/invariants is served only when the node opts in.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { QueryAccountsRequest, QueryAccountsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryDenomOwnersRequest, QueryDenomOwnersResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { addressString, moduleAddress } from '../../app/runtime/address.js';
import { INVARIANTS_QUERY } from '../../app/runtime/baseApp.js';
import { prefixEnd } from '../../app/runtime/keys.js';
import { MAX_PAGE_LIMIT, MAX_PAGE_OFFSET } from '../../app/runtime/pagination.js';
import {
  QueryJailedRequest,
  QueryJailedResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../proto/gonka/collateral/v1/codecs.js';
import { QueryParticipantsRequest, QueryParticipantsResponse } from '../../proto/gonka/poc/v1/codecs.js';
import { ACCOUNT_PREFIX } from '../../x/auth/keys.js';
import { BALANCES_PREFIX, parseBalanceKey } from '../../x/bank/keys.js';
import { accountOf, DENOM, sendMsg, signTx, TestChain } from './tx-harness.js';

const OTHER = 'uother';
const EXTRA = 1_200; // more accounts than one capped page
const addr = (i: number) =>
  addressString(createHash('sha256').update(`holder-${i}`).digest().subarray(0, 20));
const page = (p: Partial<PageRequest>) => PageRequest.fromPartial(p);

/** Everything a committed store holds under a prefix, read straight from the store (no index, no count). */
function scan(chain: TestChain, store: string, prefix: Uint8Array): Uint8Array[] {
  return [...chain.store.iterateAt(store, undefined, prefix, prefixEnd(prefix))].map(([k]) => k);
}

function denomOwnersByScan(chain: TestChain, denom: string): string[] {
  return scan(chain, 'bank', BALANCES_PREFIX)
    .map(parseBalanceKey)
    .filter((b) => b.denom === denom)
    .map((b) => addressString(b.addr))
    .sort();
}

function allDenomOwners(chain: TestChain, denom: string, limit: bigint) {
  const out: string[] = [];
  let key: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < 100; i++) {
    const r = chain.query(
      '/cosmos.bank.v1beta1.Query/DenomOwners',
      QueryDenomOwnersRequest,
      QueryDenomOwnersResponse,
      {
        denom,
        pagination: page({ key, limit }),
      },
    );
    out.push(...r.denomOwners.map((o) => o.address));
    key = r.pagination!.nextKey;
    if (key.length === 0) return out;
  }
  throw new Error('DenomOwners did not finish paging in 100 pages');
}

describe('query budget, pagination caps and indexes', () => {
  let chain: TestChain;
  let participants: string[];
  let jailed: string[];

  before(async () => {
    participants = Array.from({ length: 7 }, (_, i) => addr(10_000 + i));
    jailed = participants.slice(0, 5);
    chain = await TestChain.create({
      accounts: 3,
      appState: (s) => {
        // EXTRA holders of ngonka, every third also holding OTHER.
        for (let i = 0; i < EXTRA; i++) {
          const coins = [{ denom: DENOM, amount: '1000' }];
          if (i % 3 === 0) coins.push({ denom: OTHER, amount: String(i + 1) });
          s.bank.balances.push({
            address: addr(i),
            coins: coins.sort((a, b) => (a.denom < b.denom ? -1 : 1)),
          });
        }
        s.poc.participants = participants.map((address, i) => ({
          address,
          consensus_pubkey: createHash('sha256').update(`cons-${i}`).digest('base64'),
          weight: String(10 + i),
        }));
        s.collateral.jailed = jailed;
        // Unbonding entries of two participants; the module account holds them.
        s.collateral.unbonding = [
          { participant: participants[1], completion_epoch: '5', amount: '7' },
          { participant: participants[2], completion_epoch: '2', amount: '5' },
          { participant: participants[1], completion_epoch: '2', amount: '3' },
        ];
        s.bank.balances.push({
          address: moduleAddress('collateral'),
          coins: [{ denom: DENOM, amount: '15' }],
        });
      },
    });
    // Holder changes after genesis: a new holder appears, another empties its balance.
    const [a] = chain.keys;
    const n = accountOf(chain, a!.address).accountNumber;
    const have = 1_000_000_000n;
    const fee = 20_000n;
    const r = await chain.block([
      signTx(a!, { msgs: [sendMsg(a!.address, addr(99_999), 5n)], sequence: 0n, accountNumber: n }),
      signTx(a!, {
        msgs: [sendMsg(a!.address, chain.keys[1]!.address, have - 5n - 2n * fee)],
        sequence: 1n,
        accountNumber: n,
      }),
    ]);
    for (const t of r.txResults) assert.equal(t.code, 0, t.log);
  });
  after(async () => chain?.close());

  it('a query over the gas budget fails with sdk 11 naming the budget and how to narrow it', async () => {
    const small = await TestChain.create({ accounts: 40, query: { gasLimit: 10_000n } });
    try {
      const r = small.rawQuery(
        '/cosmos.auth.v1beta1.Query/Accounts',
        QueryAccountsRequest.encode({ pagination: page({ limit: 1000n }) }).finish(),
      );
      assert.equal(r.codespace, 'sdk');
      assert.equal(r.code, 11, r.log);
      assert.match(r.log, /query gas budget of 10000/);
      assert.match(r.log, /pagination\.limit/);
      // A page that fits the budget answers.
      const ok = small.rawQuery(
        '/cosmos.auth.v1beta1.Query/Accounts',
        QueryAccountsRequest.encode({ pagination: page({ limit: 2n }) }).finish(),
      );
      assert.equal(ok.code, 0, ok.log);
    } finally {
      await small.close();
    }
  });

  it('caps the page size and the offset', () => {
    const r = chain.query(
      '/cosmos.auth.v1beta1.Query/Accounts',
      QueryAccountsRequest,
      QueryAccountsResponse,
      {
        pagination: page({ limit: 5_000n }),
      },
    );
    assert.equal(BigInt(r.accounts.length), MAX_PAGE_LIMIT);
    assert.ok(r.pagination!.nextKey.length > 0);
    const far = chain.rawQuery(
      '/cosmos.auth.v1beta1.Query/Accounts',
      QueryAccountsRequest.encode({ pagination: page({ offset: MAX_PAGE_OFFSET + 1n, limit: 1n }) }).finish(),
    );
    assert.equal(far.code, 18, far.log);
    assert.match(far.log, /pagination\.key/);
  });

  it('Accounts count_total is the maintained count, equal to a scan, and reads only the page', async () => {
    const scanned = BigInt(scan(chain, 'auth', ACCOUNT_PREFIX).length);
    assert.ok(scanned > BigInt(EXTRA));
    const r = chain.query(
      '/cosmos.auth.v1beta1.Query/Accounts',
      QueryAccountsRequest,
      QueryAccountsResponse,
      {
        pagination: page({ limit: 1n, countTotal: true }),
      },
    );
    assert.equal(r.pagination!.total, scanned);
    // A budget far below a scan of every account still answers count_total.
    const lean = await TestChain.create({
      accounts: 300,
      query: { gasLimit: 30_000n },
    });
    try {
      const l = lean.query(
        '/cosmos.auth.v1beta1.Query/Accounts',
        QueryAccountsRequest,
        QueryAccountsResponse,
        {
          pagination: page({ limit: 1n, countTotal: true }),
        },
      );
      assert.equal(l.pagination!.total, BigInt(scan(lean, 'auth', ACCOUNT_PREFIX).length));
    } finally {
      await lean.close();
    }
  });

  it('DenomOwners through the index equals a scan of the balances, with the maintained count', () => {
    for (const denom of [DENOM, OTHER]) {
      const expected = denomOwnersByScan(chain, denom);
      assert.ok(expected.length > 300, `${denom} has holders`);
      const paged = allDenomOwners(chain, denom, 97n);
      assert.deepEqual([...paged].sort(), expected, denom);
      const counted = chain.query(
        '/cosmos.bank.v1beta1.Query/DenomOwners',
        QueryDenomOwnersRequest,
        QueryDenomOwnersResponse,
        { denom, pagination: page({ limit: 1n, countTotal: true }) },
      );
      assert.equal(counted.pagination!.total, BigInt(expected.length), denom);
    }
    const owners = denomOwnersByScan(chain, DENOM);
    assert.ok(owners.includes(addr(99_999)), 'a new holder is indexed');
    assert.ok(!owners.includes(chain.keys[0]!.address), 'an emptied balance left the index');
    // Amounts come from the balances.
    const first = chain.query(
      '/cosmos.bank.v1beta1.Query/DenomOwners',
      QueryDenomOwnersRequest,
      QueryDenomOwnersResponse,
      {
        denom: OTHER,
        pagination: page({ limit: 1000n }),
      },
    );
    const index = new Map(Array.from({ length: EXTRA }, (_, j) => [addr(j), j]));
    for (const o of first.denomOwners) assert.equal(o.balance!.amount, String(index.get(o.address)! + 1));
  });

  it('Participants and Jailed paginate', () => {
    const seen: string[] = [];
    let key: Uint8Array = new Uint8Array(0);
    let total = 0n;
    for (let i = 0; i < 10; i++) {
      const r = chain.query(
        '/gonka.poc.v1.Query/Participants',
        QueryParticipantsRequest,
        QueryParticipantsResponse,
        {
          pagination: page({ key, limit: 3n }),
        },
      );
      assert.ok(r.participants.length <= 3);
      seen.push(...r.participants.map((p) => p.address));
      total = r.totalWeight;
      key = r.pagination!.nextKey;
      if (key.length === 0) break;
    }
    const all = chain.query(
      '/gonka.poc.v1.Query/Participants',
      QueryParticipantsRequest,
      QueryParticipantsResponse,
      {},
    );
    assert.deepEqual(
      seen,
      all.participants.map((p) => p.address),
    );
    assert.ok(seen.length >= participants.length);
    assert.equal(
      total,
      all.participants.reduce((s, p) => s + p.weight, 0n),
      'total weight covers every participant',
    );

    const j1 = chain.query('/gonka.collateral.v1.Query/Jailed', QueryJailedRequest, QueryJailedResponse, {
      pagination: page({ limit: 2n, countTotal: true }),
    });
    assert.equal(j1.participants.length, 2);
    assert.equal(j1.pagination!.total, BigInt(jailed.length));
    const rest = chain.query('/gonka.collateral.v1.Query/Jailed', QueryJailedRequest, QueryJailedResponse, {
      pagination: page({ key: j1.pagination!.nextKey, limit: 100n }),
    });
    assert.deepEqual([...j1.participants, ...rest.participants].sort(), [...jailed].sort());
    assert.equal(rest.pagination!.nextKey.length, 0);
  });

  it('Unbonding of a participant comes from its index, in maturity order', () => {
    const of = (participant: string) =>
      chain.query('/gonka.collateral.v1.Query/Unbonding', QueryUnbondingRequest, QueryUnbondingResponse, {
        participant,
      }).entries;
    assert.deepEqual(of(participants[0]!), []);
    assert.deepEqual(of(participants[1]!), [
      { participant: participants[1], completionEpoch: 2n, amount: '3' },
      { participant: participants[1], completionEpoch: 5n, amount: '7' },
    ]);
    assert.deepEqual(of(participants[2]!), [
      { participant: participants[2], completionEpoch: 2n, amount: '5' },
    ]);
  });

  it('refuses /app/invariants unless the node opts in', () => {
    const r = chain.app.query(RequestQuery.fromPartial({ path: INVARIANTS_QUERY }));
    assert.equal(r.code, 4, r.log);
    assert.match(r.log, /--expose-invariants-query/);
    // The invariants (including the new count and index checks) hold on this chain.
    assert.deepEqual(chain.app.checkInvariants(), []);
  });
});
