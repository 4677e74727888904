// The /app/invariants ABCI query reports broken invariants on committed state (the testnet checks
// every node with it after each perturbation): [] on a healthy chain, the bank supply breach after
// the supply record is tampered with. Only a node started with the option serves it (a full scan).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import { INVARIANTS_QUERY } from '../../app/runtime/baseApp.js';
import { supplyKey } from '../../x/bank/keys.js';
import { DENOM, TestChain } from './tx-harness.js';

describe('invariants query', () => {
  let chain: TestChain;
  after(async () => chain?.close());

  it('answers [] while invariants hold and names a broken one', async () => {
    chain = await TestChain.create({ accounts: 2, query: { exposeInvariants: true } });
    const query = () => {
      const r = chain.app.query(RequestQuery.fromPartial({ path: INVARIANTS_QUERY }));
      assert.equal(r.code, 0, r.log);
      return JSON.parse(new TextDecoder().decode(r.value)) as string[];
    };
    assert.deepEqual(query(), []);
    // Tamper with the committed supply behind the app's back, then commit a block.
    chain.store.getStore('bank').set(supplyKey(DENOM), new TextEncoder().encode('1'));
    await chain.block([]);
    const broken = query();
    assert.equal(broken.length, 1);
    assert.match(broken[0]!, /bank: total supply 1ngonka != sum of balances/);
  });
});
