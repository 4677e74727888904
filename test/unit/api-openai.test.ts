// Units of the API node's paid inference: executor choice weighted by PoC weight among those that
// serve the model, the signed-request replay set, the payload store's retention and size bound,
// request normalisation and the on-chain token hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReplaySet } from '../../app/api/openai/auth.js';
import { type ChatBody, chatParams } from '../../app/api/openai/chat.js';
import { OpenAIError } from '../../app/api/openai/errors.js';
import { newInferenceId, tokensHash } from '../../app/api/openai/msgs.js';
import { PayloadStore } from '../../app/api/openai/payloads.js';
import { pickExecutor, servingParticipants, uniformBelow } from '../../app/api/openai/pick.js';
import type { Participant } from '../../proto/gen/gonka/poc/v1/poc.js';

const p = (address: string, weight: bigint, classes: number[], apiUrl = 'http://x'): Participant => ({
  address,
  consensusPubkey: new Uint8Array(0),
  weight,
  apiUrl,
  classes,
});

/** Deterministic bytes (SHA-256 counter stream) in place of crypto randomness. */
function seeded(seed: string): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let off = 0; off < n; off += 32)
      createHash('sha256').update(`${seed}-${i++}`).digest().copy(out, off);
    return out;
  };
}

describe('executor choice', () => {
  it('serves only participants with the class, an api_url and weight', () => {
    const all = [
      p('a', 5n, [0]),
      p('b', 0n, [0]),
      p('c', 5n, [1]),
      p('d', 5n, [0, 1], ''),
      p('e', 1n, [2, 0]),
    ];
    assert.deepEqual(
      servingParticipants(all, 0).map((x) => x.address),
      ['a', 'e'],
    );
    assert.equal(pickExecutor([]), undefined);
  });

  it('picks in proportion to weight (fixed seed, 20,000 draws)', () => {
    const serving = [p('a', 1n, [0]), p('b', 3n, [0]), p('c', 6n, [0])];
    const rnd = seeded('pick');
    const n = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (let i = 0; i < 20_000; i++) n[pickExecutor(serving, rnd)!.address]!++;
    assert.ok(Math.abs(n.a! / 20_000 - 0.1) < 0.015, JSON.stringify(n));
    assert.ok(Math.abs(n.b! / 20_000 - 0.3) < 0.015, JSON.stringify(n));
    assert.ok(Math.abs(n.c! / 20_000 - 0.6) < 0.015, JSON.stringify(n));
  });

  it('draws uniformly below n without modulo bias, for huge weights too', () => {
    const rnd = seeded('uniform');
    for (const n of [1n, 2n, 7n, 10n ** 30n + 7n])
      for (let i = 0; i < 200; i++) assert.ok(uniformBelow(n, rnd) < n);
  });
});

describe('signed-request replay set', () => {
  it('refuses a signature seen inside its window, forgets it after, and stays bounded', () => {
    const r = new ReplaySet(3);
    assert.equal(r.add('s1', 0, 100), true);
    assert.equal(r.add('s1', 50, 150), false);
    assert.equal(
      r.add('s1', 101, 201),
      true,
      'expired: accepted again (the timestamp window refuses it anyway)',
    );
    for (const s of ['a', 'b', 'c', 'd']) r.add(s, 110, 1000);
    assert.equal(r.add('d', 120, 1000), false, 'the newest are kept when full');
  });
});

describe('payload store', () => {
  it('hashes what it stores, prunes by age and by total size, and reloads its index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payloads-'));
    try {
      let now = 1_000;
      const s = new PayloadStore({ dir, retentionMs: 100, maxBytes: 300, now: () => now });
      const h = s.put('inf-a', { x: 1 });
      assert.deepEqual(Buffer.from(h), createHash('sha256').update(s.get('inf-a')!).digest());
      now = 1_050;
      s.put('inf-b', { x: 'b'.repeat(100) });
      now = 1_120; // inf-a is past its retention
      s.prune();
      assert.equal(s.has('inf-a'), false);
      assert.equal(s.has('inf-b'), true);
      s.put('inf-c', { x: 'c'.repeat(150) });
      s.put('inf-d', { x: 'd'.repeat(150) }); // over 300 bytes: the oldest go
      assert.equal(s.has('inf-b'), false);
      assert.ok(s.totalBytes <= 300);
      assert.deepEqual(
        readdirSync(dir).sort(),
        ['inf-d.json'].concat(s.has('inf-c') ? ['inf-c.json'] : []).sort(),
      );
      const again = new PayloadStore({ dir, retentionMs: 100, maxBytes: 300, now: () => now });
      assert.equal(again.has('inf-d'), true);
      assert.equal(again.get('../etc'), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('chat request normalisation', () => {
  const base: ChatBody = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
  it('applies defaults and folds content parts and developer messages', () => {
    const c = chatParams({
      ...base,
      messages: [
        { role: 'developer', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
      stop: 'x',
      seed: 42,
    });
    assert.deepEqual(c.messages, [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'ab' },
    ]);
    assert.deepEqual(c.stop, ['x']);
    assert.equal(c.temperature, 1);
    assert.equal(c.topP, 1);
    assert.equal(c.maxTokens, undefined);
    assert.equal(c.topLogprobs, undefined);
    assert.equal(chatParams({ ...base, max_completion_tokens: 9 }).maxTokens, 9);
    assert.equal(chatParams({ ...base, logprobs: true }).topLogprobs, 0);
  });

  it('refuses n > 1, top_logprobs > 5 or without logprobs, penalties, stream_options without stream', () => {
    for (const b of [
      { n: 2 },
      { logprobs: true, top_logprobs: 6 },
      { top_logprobs: 2 },
      { presence_penalty: 0.5 },
      { stream_options: { include_usage: true } },
      { max_tokens: 3, max_completion_tokens: 4 },
      { messages: [{ role: 'user', content: '' }] },
    ] as Partial<ChatBody>[])
      assert.throws(
        () => chatParams({ ...base, ...b }),
        (e: unknown) => e instanceof OpenAIError && e.statusCode === 400,
        JSON.stringify(b),
      );
  });
});

describe('ids and hashes', () => {
  it('inference ids are inf- and 32 hex; token hashes are SHA-256 of u32 BE ids', () => {
    assert.match(newInferenceId(), /^inf-[0-9a-f]{32}$/);
    assert.notEqual(newInferenceId(), newInferenceId());
    const want = createHash('sha256')
      .update(Buffer.from([0, 0, 0, 1, 0, 1, 0, 0]))
      .digest();
    assert.deepEqual(Buffer.from(tokensHash([1, 65536])), want);
  });
});
