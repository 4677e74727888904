// SIGN_MODE_LEGACY_AMINO_JSON through the real ante chain: a tx signed over CosmJS's sign doc
// (makeSignDoc + serializeSignDoc with AminoTypes, the wallet side) is accepted; changing any
// signed part (memo, fee, chain id) fails with sdk code 4; and the gas differs from the same tx
// signed SIGN_MODE_DIRECT only by the tx-size charge for the longer mode varint (the verification
// cost is the same in both modes).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { aminoEntry, gonkaAminoConverters } from '../../proto/gonka/amino.js';
import { accountOf, CHAIN_ID, DENOM, sendMsg, signTx, TestChain, type TestKey } from './tx-harness.js';

const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...gonkaAminoConverters });

interface AminoTxOpts {
  memo?: string;
  fee?: string;
  chainId?: string;
  /** Sign one memo, put another in the body (tampering). */
  bodyMemo?: string;
  bodyFee?: string;
}

function aminoSend(
  key: TestKey,
  to: string,
  amount: bigint,
  seq: bigint,
  accNum: bigint,
  o: AminoTxOpts = {},
) {
  const value = MsgSend.fromPartial({
    fromAddress: key.address,
    toAddress: to,
    amount: [{ denom: DENOM, amount: amount.toString() }],
  });
  const fee = { amount: [{ denom: DENOM, amount: o.fee ?? '20000' }], gas: '200000' };
  const doc = makeSignDoc(
    [aminoTypes.toAmino({ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value })],
    fee,
    o.chainId ?? CHAIN_ID,
    o.memo ?? 'amino',
    accNum.toString(),
    seq.toString(),
  );
  const signature = key.sign(serializeSignDoc(doc));
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({
      messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode(value).finish() }],
      memo: o.bodyMemo ?? o.memo ?? 'amino',
    }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: key.pubKeyAny(),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } },
          sequence: seq,
        },
      ],
      fee: { amount: [{ denom: DENOM, amount: o.bodyFee ?? o.fee ?? '20000' }], gasLimit: 200000n },
    }),
  ).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

describe('SIGN_MODE_LEGACY_AMINO_JSON in the ante chain', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 3, seed: 'amino' });
  });
  after(async () => chain.close());

  const acc = (i: number) => accountOf(chain, chain.keys[i]!.address);

  it('has an amino form for every message the app routes', () => {
    const missing = chain.app.msgs.typeUrls().filter((u) => !aminoEntry(u));
    assert.deepEqual(missing, [], 'routed messages without an amino schema (proto/gonka/amino.ts)');
  });

  it('accepts a CosmJS amino-signed MsgSend in CheckTx and FinalizeBlock', async () => {
    const k = chain.keys[0]!;
    const a = acc(0);
    const tx = aminoSend(k, chain.keys[1]!.address, 123n, a.sequence, a.accountNumber);
    const check = chain.checkTx(tx);
    assert.equal(check.code, 0, check.log);
    const res = await chain.block([tx]);
    assert.equal(res.txResults[0]!.code, 0, res.txResults[0]!.log);
    assert.equal(acc(0).sequence, a.sequence + 1n);
  });

  it('rejects a signature over a different memo, fee or chain id (code 4)', () => {
    const k = chain.keys[0]!;
    const a = acc(0);
    const to = chain.keys[2]!.address;
    for (const o of [
      { memo: 'signed', bodyMemo: 'sent' },
      { fee: '20000', bodyFee: '20001' },
      { chainId: 'other-chain' },
    ]) {
      const r = chain.checkTx(aminoSend(k, to, 1n, a.sequence, a.accountNumber, o));
      assert.equal(r.code, 4, `${JSON.stringify(o)}: ${r.log}`);
      assert.match(r.log, /signature verification failed/);
    }
  });

  it('charges the same verification gas as SIGN_MODE_DIRECT', async () => {
    const to = chain.keys[2]!.address;
    const k1 = chain.keys[1]!;
    // Warm-up: k1's first tx stores its pubkey, as k0's first (amino) tx did; both then at sequence 1.
    const w = acc(1);
    const warm = signTx(k1, {
      msgs: [sendMsg(k1.address, to, 1n)],
      sequence: w.sequence,
      accountNumber: w.accountNumber,
    });
    assert.equal((await chain.block([warm])).txResults[0]!.code, 0);
    const a1 = acc(1);
    const direct = signTx(k1, {
      msgs: [sendMsg(k1.address, to, 5n)],
      sequence: a1.sequence,
      accountNumber: a1.accountNumber,
      gas: 200000n,
      fee: 20000n,
      memo: 'amino',
    });
    const k0 = chain.keys[0]!;
    const a0 = acc(0);
    const amino = aminoSend(k0, to, 5n, a0.sequence, a0.accountNumber);
    const res = await chain.block([direct, amino]);
    const [rd, ra] = res.txResults;
    assert.equal(rd!.code, 0, rd!.log);
    assert.equal(ra!.code, 0, ra!.log);
    const perByte = 10n; // default tx_size_cost_per_byte
    assert.equal(ra!.gasUsed - rd!.gasUsed, perByte * BigInt(amino.length - direct.length));
  });
});
