// End-block bookkeeping that never halts the chain (DESIGN.md §3.8). A refund, burn or release
// run from BeginBlock/EndBlock moves money the module believes it holds; if that belief is wrong
// (a bug, or a governance mistake), throwing would halt every node at the same height, forever.
// Each such step runs on its own store branch: on success the branch is written and its events
// kept; on failure the branch is dropped, a `bookkeeping_failure` event records what failed, and
// the block goes on. Only an InvariantError (a keeper precondition that must never fail) passes
// through: that is a broken invariant, which halts loudly.
import type { Context } from './context.js';
import { errorResult } from './errors.js';
import { event } from './events.js';
import { InvariantError } from './invariants.js';

export const BOOKKEEPING_FAILURE = 'bookkeeping_failure';

export interface BookkeepingStep {
  /** The module doing the bookkeeping (`governance`, `collateral`, …). */
  module: string;
  /** What it tried: `refund`, `burn`, `release`, … */
  action: string;
  /** Which record: a proposal id, a participant address, … */
  id: string;
}

/** Runs `step` on its own branch; returns whether it succeeded (a failure is an event). */
export function bookkeeping(ctx: Context, what: BookkeepingStep, step: (ctx: Context) => void): boolean {
  const branch = ctx.branch();
  const inner = branch.ctx;
  try {
    step(inner);
  } catch (e) {
    if (e instanceof InvariantError) throw e;
    ctx.events.emit(
      event(BOOKKEEPING_FAILURE, [
        ['module', what.module],
        ['action', what.action],
        ['id', what.id],
        ['error', errorResult(e).log, false],
      ]),
    );
    return false;
  }
  branch.write();
  ctx.events.emitAll(inner.events.events());
  return true;
}
