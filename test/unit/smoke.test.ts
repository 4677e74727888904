import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('smoke', () => {
  it('adds', () => assert.equal(1 + 1, 2));
  it('async', async () => assert.ok(true));
});
