// The slow-query log's CPU figure: the event-loop thread's own CPU time, so a query's cost is told
// from time the OS gave to other threads and processes.
import assert from 'node:assert/strict';
import { platform } from 'node:os';
import { describe, it } from 'node:test';
import { ThreadCpu } from '../../app/node/queryTiming.js';

describe('query timing', () => {
  it('reads this thread’s CPU time: per thread on Linux, never more than the wall time elapsed', () => {
    const cpu = new ThreadCpu();
    try {
      if (platform() === 'linux') assert.equal(cpu.perThread, true, '/proc/thread-self/schedstat is read');
      const wall0 = performance.now();
      const cpu0 = cpu.nowMs();
      let x = 0;
      while (performance.now() - wall0 < 20) x += 1; // spin on this thread
      const used = cpu.nowMs() - cpu0;
      const wall = performance.now() - wall0;
      assert.ok(x > 0);
      assert.ok(used > 0, 'the spin used some CPU');
      // One thread cannot use more CPU than wall time (the whole-process figure could).
      if (cpu.perThread) assert.ok(used <= wall + 1, `thread CPU ${used} ms > wall ${wall} ms`);
    } finally {
      cpu.close();
    }
  });
});
