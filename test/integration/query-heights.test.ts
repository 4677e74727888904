// Queries at the latest and at recent heights answer with the state as of that height; a pruned
// or future height answers sdk code 26 (invalid height) rather than an internal error.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { accountOf, balanceOf, DENOM, sendMsg, signTx, TestChain } from './tx-harness.js';

describe('queries by height', () => {
  let chain: TestChain;
  after(async () => chain?.close());

  it('reads recent heights as of then, and refuses pruned and future ones with code 26', async () => {
    chain = await TestChain.create({ accounts: 2 }); // keeps 5 versions
    const [a, b] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const before = balanceOf(chain, b.address);
    const heights: bigint[] = [];
    for (let i = 0; i < 8; i++) {
      const acc = accountOf(chain, a.address);
      await chain.block([
        signTx(a, {
          msgs: [sendMsg(a.address, b.address, 10n)],
          sequence: acc.sequence,
          accountNumber: acc.accountNumber,
        }),
      ]);
      heights.push(chain.height);
    }
    const balanceAt = (height: bigint) => {
      const r = chain.app.query(
        RequestQuery.fromPartial({
          path: '/cosmos.bank.v1beta1.Query/Balance',
          data: QueryBalanceRequest.encode({ address: b.address, denom: DENOM }).finish(),
          height,
        }),
      );
      return r.code === 0
        ? { amount: BigInt(QueryBalanceResponse.decode(r.value).balance!.amount), height: r.height }
        : r;
    };
    assert.deepEqual(balanceAt(0n), { amount: before + 80n, height: chain.height });
    assert.deepEqual(balanceAt(chain.height - 2n), { amount: before + 60n, height: chain.height - 2n });
    const pruned = balanceAt(heights[0]!) as { code: number; codespace: string; log: string };
    assert.equal(pruned.code, 26);
    assert.equal(pruned.codespace, 'sdk');
    assert.match(pruned.log, /pruned/);
    const future = balanceAt(chain.height + 5n) as { code: number };
    assert.equal(future.code, 26);
    // Heights are int64 on the wire: 2^63−1 (and a negative one) answer 26 naming the height asked,
    // never a rounded 2^63 that comes back as −2^63.
    const max = (1n << 63n) - 1n;
    const huge = balanceAt(max) as { code: number; log: string; height: bigint };
    assert.equal(huge.code, 26);
    assert.match(huge.log, new RegExp(`height ${max} is not committed`));
    assert.ok(huge.height >= 0n, `answer height ${huge.height}`);
    const negative = balanceAt(-5n) as { code: number; height: bigint };
    assert.equal(negative.code, 26);
  });
});
