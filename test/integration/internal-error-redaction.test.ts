// Internal errors (anything not an AppError) reach clients as the fixed text "internal error"
// (codespace sdk, code 1), in CheckTx and in FinalizeBlock's ExecTxResult.log alike: the message
// may carry internals and, being engine-specific, would make the log differ between nodes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AppError, errorResult, INTERNAL_ERROR_MESSAGE } from '../../app/runtime/errors.js';
import { accountOf, signTx, TestChain } from './tx-harness.js';

const SECRET = 'secret detail at /home/operator/.gonka';

describe('internal errors are redacted', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 1 });
    // Two test-only messages whose code has a bug: one in its stateless check, one in its handler.
    for (const [typeUrl, where] of [
      ['/test.BoomInValidate', 'validate'],
      ['/test.BoomInHandler', 'handle'],
    ] as const) {
      chain.app.msgs.register({
        typeUrl,
        request: MsgSend,
        responseTypeUrl: '/test.BoomResponse',
        response: MsgSend,
        validate: () => {
          if (where === 'validate') throw new TypeError(SECRET);
        },
        signers: (m) => [m.fromAddress],
        handle: () => {
          throw new RangeError(SECRET);
        },
      });
    }
  });
  after(async () => chain?.close());

  const boomTx = (typeUrl: string) => {
    const [a] = chain.keys;
    const acc = accountOf(chain, a!.address);
    return signTx(a!, {
      msgs: [
        {
          typeUrl,
          value: MsgSend.encode({ fromAddress: a!.address, toAddress: a!.address, amount: [] }).finish(),
        },
      ],
      sequence: acc.sequence,
      accountNumber: acc.accountNumber,
    });
  };

  it('answers errorResult with a fixed text for non-AppErrors and the message for AppErrors', () => {
    assert.deepEqual(errorResult(new Error(SECRET)), {
      codespace: 'sdk',
      code: 1,
      log: INTERNAL_ERROR_MESSAGE,
    });
    assert.deepEqual(errorResult(SECRET), { codespace: 'sdk', code: 1, log: 'internal error' });
    assert.deepEqual(errorResult(new AppError('bank', 5, 'no coins')), {
      codespace: 'bank',
      code: 5,
      log: 'no coins',
    });
  });

  it('redacts an internal error in CheckTx', () => {
    const r = chain.checkTx(boomTx('/test.BoomInValidate'));
    assert.equal(r.code, 1);
    assert.equal(r.codespace, 'sdk');
    assert.equal(r.log, 'internal error');
  });

  it('redacts an internal error in FinalizeBlock (ExecTxResult.log)', async () => {
    const res = await chain.block([boomTx('/test.BoomInHandler')]);
    const r = res.txResults[0]!;
    assert.equal(r.code, 1);
    assert.equal(r.codespace, 'sdk');
    assert.equal(r.log, 'internal error');
    assert.ok(!JSON.stringify(res, (_, v) => (typeof v === 'bigint' ? String(v) : v)).includes('secret'));
  });
});
