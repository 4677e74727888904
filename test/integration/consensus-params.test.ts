// /cosmos.consensus.v1.MsgUpdateParams: executed with the governance authority it leaves the same
// block's FinalizeBlock as consensus_param_updates (and no later block); a failing tx or failing
// proposal carrying it leaves none (the staged update is discarded with its branch); two updates in
// one block merge section by section.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import type { Context } from '../../app/runtime/context.js';
import { GOV_ADDRESS, PocChain, runAsAuthority } from './poc-chain.js';

const msg = (maxGas: bigint, abci = false) =>
  MsgUpdateParams.encode(
    MsgUpdateParams.fromPartial({
      authority: GOV_ADDRESS,
      block: { maxBytes: 22020096n, maxGas },
      evidence: {
        maxAgeNumBlocks: 100000n,
        maxAgeDuration: { seconds: 172800n, nanos: 0 },
        maxBytes: 1048576n,
      },
      validator: { pubKeyTypes: ['ed25519'] },
      ...(abci ? { abci: { voteExtensionsEnableHeight: 1n } } : {}),
    }),
  ).finish();
const TYPE = '/cosmos.consensus.v1.MsgUpdateParams';

describe('consensus param updates through the governance authority', () => {
  let chain: PocChain;
  before(async () => {
    chain = await PocChain.create({ weights: [10] });
    await chain.block();
  });
  after(() => chain.close());

  it('returns the update from the block that executes it, once', async () => {
    chain.at(chain.height + 1n, (ctx, c) => runAsAuthority(c, ctx, TYPE, msg(12_345_678n)));
    const r = await chain.block();
    assert.equal(r.consensusParamUpdates?.block?.maxGas, 12_345_678n);
    assert.equal(r.consensusParamUpdates?.validator?.pubKeyTypes[0], 'ed25519');
    assert.equal(r.consensusParamUpdates?.abci, undefined, 'abci left out stays out');
    assert.equal((await chain.block()).consensusParamUpdates, undefined, 'nothing staged for the next block');
  });

  it('discards the update when the branch that staged it fails (all-or-nothing proposals)', async () => {
    chain.at(chain.height + 1n, (ctx: Context, c) => {
      const inner = ctx.branch().ctx;
      runAsAuthority(c, inner, TYPE, msg(7n));
      // a later message of the same proposal fails: the branch is never written
    });
    assert.equal((await chain.block()).consensusParamUpdates, undefined);
  });

  it('merges two updates in one block: the later wins per section', async () => {
    chain.at(chain.height + 1n, (ctx, c) => {
      runAsAuthority(c, ctx, TYPE, msg(1000n, true));
      runAsAuthority(c, ctx, TYPE, msg(2000n));
    });
    const r = await chain.block();
    assert.equal(r.consensusParamUpdates?.block?.maxGas, 2000n);
    assert.equal(r.consensusParamUpdates?.abci?.voteExtensionsEnableHeight, 1n);
  });
});
