// gonkad tx/query inference argument parsing and the API key secret: what reaches the chain is
// SHA-256(utf8 secret), never the secret; bad limits and hashes are the user's error before any
// key is read or tx signed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { API_KEY_PREFIX, apiKeyHash, newApiKeySecret } from '../../app/apiKeySecret.js';
import { inferenceJson, parseKeyHash, parseSpendLimit } from '../../app/cli/commands/inference.js';
import { UserError } from '../../app/cli/errors.js';
import { InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';

describe('gonkad inference CLI helpers', () => {
  it('a secret is the prefix and 32 random bytes; its hash is SHA-256 of the utf8 secret', () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    assert.match(a, new RegExp(`^${API_KEY_PREFIX}[0-9a-f]{64}$`));
    assert.notEqual(a, b);
    assert.deepEqual(
      Buffer.from(apiKeyHash(a)),
      createHash('sha256').update(Buffer.from(a, 'utf8')).digest(),
    );
    assert.equal(apiKeyHash(a).length, 32);
  });

  it('spend limits are positive whole ngonka', () => {
    assert.equal(parseSpendLimit('1000'), 1000n);
    assert.equal(parseSpendLimit('1000ngonka'), 1000n);
    for (const bad of ['0', '-1', '1.5', '10gnk', '', '1'.repeat(31)])
      assert.throws(() => parseSpendLimit(bad), UserError, bad);
  });

  it('key hashes are 64 hex digits', () => {
    assert.equal(parseKeyHash('ab'.repeat(32)).length, 32);
    for (const bad of ['ab', 'zz'.repeat(32), 'ab'.repeat(33)])
      assert.throws(() => parseKeyHash(bad), UserError);
  });

  it('prints hashes as hex, amounts as strings and statuses by name', () => {
    const out = JSON.parse(
      inferenceJson({
        inference: {
          keyHash: Uint8Array.of(1, 255),
          cost: 5n,
          status: InferenceStatus.INFERENCE_STATUS_COMPLETED,
        },
      }),
    );
    assert.deepEqual(out, {
      inference: { keyHash: '01ff', cost: '5', status: 'INFERENCE_STATUS_COMPLETED' },
    });
  });
});
