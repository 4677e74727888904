// BlockCachedView: per-block reads (participants, models, params) are read once per block height
// and again after the height moves; API keys, the epoch and balances are read on every call, so
// a key revoked on chain fails on the very next request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockCachedView } from '../../app/api/openai/blockCachedView.js';
import type { InferenceView } from '../../app/api/openai/chainView.js';
import type { ApiKey, Params } from '../../proto/gen/gonka/inference/v1/inference.js';
import type { Participant } from '../../proto/gen/gonka/poc/v1/poc.js';

function counting() {
  const calls: Record<string, number> = {};
  /** Counts a read of `k` and answers `v`. */
  const hit = <T>(k: string, v: T): T => {
    calls[k] = (calls[k] ?? 0) + 1;
    return v;
  };
  let revoked = false;
  let failParticipants = false;
  const view: InferenceView = {
    params: async () => hit('params', {} as Params),
    models: async () => hit('models', []),
    model: async () => hit('model', undefined),
    participants: async () => {
      hit('participants', undefined);
      if (failParticipants) throw new Error('rpc down');
      return [{ address: `p${calls.participants}` } as Participant];
    },
    epoch: async () => hit('epoch', 7n),
    apiKey: async () => hit('apiKey', { revoked } as ApiKey),
    balance: async () => hit('balance', 5n),
  };
  return {
    view,
    calls,
    revoke: () => {
      revoked = true;
    },
    failParticipants: (v: boolean) => {
      failParticipants = v;
    },
  };
}

describe('BlockCachedView', () => {
  it('reads per-block state once per height and keys and balances on every call', async () => {
    const c = counting();
    let height = 10n;
    let clock = 0;
    const v = new BlockCachedView(
      c.view,
      async () => height,
      0,
      () => clock++,
    );
    for (let i = 0; i < 3; i++) {
      await v.participants();
      await v.params();
      await v.epoch();
      await v.models();
      await v.model('m');
      assert.equal((await v.apiKey(new Uint8Array(32)))?.revoked, i === 2);
      await v.balance('a', 'ngonka');
      if (i === 1) c.revoke();
    }
    assert.deepEqual(c.calls, {
      participants: 1,
      params: 1,
      epoch: 3,
      models: 1,
      model: 1,
      apiKey: 3,
      balance: 3,
    });
    height = 11n;
    assert.equal((await v.participants())[0]?.address, 'p2');
    assert.equal(c.calls.participants, 2);
  });

  it('does not keep a failed read, and asks the height at most once per TTL', async () => {
    const c = counting();
    let heightReads = 0;
    let clock = 0;
    const v = new BlockCachedView(
      c.view,
      async () => {
        heightReads++;
        return 1n;
      },
      100,
      () => clock,
    );
    c.failParticipants(true);
    await assert.rejects(v.participants(), /rpc down/);
    c.failParticipants(false);
    assert.equal((await v.participants())[0]?.address, 'p2');
    await Promise.all([v.participants(), v.params(), v.epoch()]);
    assert.equal(heightReads, 1);
    clock = 100;
    await v.participants();
    assert.equal(heightReads, 2);
    assert.equal(c.calls.participants, 2);
  });
});
