// Fuzz (issue 3 acceptance 4): mutated and random tx byte strings through CheckTx and
// FinalizeBlock are each rejected with a code, nothing crashes (no internal code 1), and the
// rejected txs change nothing (the app hash and the victim's account stay as they were).
// 1,000 txs in `npm test`, 10,000 in `npm run test:long`. Seeded: failures reproduce.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sized } from '../profile.js';
import { accountOf, balanceOf, multiSendMsg, prng, sendMsg, signTx, TestChain } from './tx-harness.js';

function mutate(src: Uint8Array, rnd: (n: number) => number): Uint8Array {
  const b = Array.from(src);
  const ops = 1 + rnd(4);
  for (let o = 0; o < ops; o++) {
    const kind = rnd(6);
    const at = rnd(Math.max(1, b.length));
    if (kind === 0)
      b[at] = rnd(256); // overwrite
    else if (kind === 1)
      b[at] = (b[at] ?? 0) ^ (1 << rnd(8)); // bit flip
    else if (kind === 2)
      b.splice(at, 1 + rnd(8)); // delete
    else if (kind === 3)
      b.splice(at, 0, ...Array.from({ length: 1 + rnd(8) }, () => rnd(256))); // insert
    else if (kind === 4)
      b.length = at; // truncate
    else b.push(...Array.from({ length: 1 + rnd(16) }, () => rnd(256))); // append
  }
  const out = Uint8Array.from(b);
  // A mutation can cancel out (a byte overwritten with itself): such a tx is the valid seed, not a fuzz case.
  return Buffer.from(out).equals(Buffer.from(src)) ? mutate(src, rnd) : out;
}

describe('tx fuzz: mutated and random txs', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 2 });
  });
  after(async () => chain.close());

  it('rejects each with a non-internal code and changes nothing', async () => {
    const total = sized(1000, 10_000);
    const rnd = prng(0x5eed);
    const k = chain.keys[0]!;
    const other = chain.keys[1]!;
    const a = accountOf(chain, k.address);
    const seeds = [
      signTx(k, {
        msgs: [sendMsg(k.address, other.address, 10n)],
        sequence: a.sequence,
        accountNumber: a.accountNumber,
      }),
      signTx(k, {
        msgs: [
          multiSendMsg(k.address, [
            [other.address, 3n],
            [k.address, 4n],
          ]),
        ],
        sequence: a.sequence,
        accountNumber: a.accountNumber,
        memo: 'fuzz',
      }),
    ];
    const txs: Uint8Array[] = [];
    for (let i = 0; i < total; i++) {
      if (i % 10 === 9)
        txs.push(Uint8Array.from({ length: rnd(300) }, () => rnd(256))); // pure noise
      else txs.push(mutate(seeds[i % seeds.length]!, rnd));
    }
    const hashBefore = Buffer.from(chain.store.lastCommitInfo().hash).toString('hex');
    const balBefore = balanceOf(chain, k.address);
    const codes = new Map<number, number>();
    for (const tx of txs) {
      const r = chain.checkTx(tx);
      assert.notEqual(r.code, 0, `CheckTx accepted a mutated tx ${Buffer.from(tx).toString('hex')}`);
      assert.notEqual(r.code, 1, `internal error on ${Buffer.from(tx).toString('hex')}: ${r.log}`);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    }
    // FinalizeBlock over the same bytes, in blocks of 250.
    for (let i = 0; i < txs.length; i += 250) {
      const res = await chain.block(txs.slice(i, i + 250));
      for (const r of res.txResults) {
        assert.notEqual(r.code, 0, 'FinalizeBlock accepted a mutated tx');
        assert.notEqual(r.code, 1, `internal error in FinalizeBlock: ${r.log}`);
      }
      assert.equal(Buffer.from(res.appHash).toString('hex'), hashBefore, 'a rejected tx changed state');
    }
    assert.equal(balanceOf(chain, k.address), balBefore);
    assert.equal(accountOf(chain, k.address).sequence, a.sequence);
    assert.ok(codes.size >= 3, `rejections spread over several codes: ${[...codes.entries()]}`);
    // The unmutated seed is still valid: the fuzz did not pass only because everything is rejected.
    assert.equal(chain.checkTx(seeds[0]!).code, 0);
  });
});
