// Invariant errors (DESIGN.md §3.9). A keeper precondition that must hold whatever a user sends
// (no negative amount, no malformed or unknown denom in the bank store, no negative collateral)
// is asserted with assertInvariant: when it fails the code has a bug, so it throws an
// InvariantError, which end-block bookkeeping does not swallow. Any exception that escapes a
// module's BeginBlock or EndBlock is an InvariantBreach naming the module: the node reports it
// loudly (`INVARIANT BREACH`) and exits, instead of halting with a bare stack trace.

export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Throws an InvariantError (`invariant broken: <message>`) when `ok` is false. */
export function assertInvariant(ok: boolean, message: string): asserts ok {
  if (!ok) throw new InvariantError(`invariant broken: ${message}`);
}

export type BlockPhase = 'begin_block' | 'end_block';

/** An exception that escaped a module's block hook: the block cannot be finished. */
export class InvariantBreach extends Error {
  override name = 'InvariantBreach';
  constructor(
    readonly module: string,
    readonly phase: BlockPhase,
    override readonly cause: unknown,
  ) {
    super(
      `INVARIANT BREACH in ${phase} of module ${module}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** Runs one module's block hook; an exception becomes an InvariantBreach naming the module. */
export function runBlockHook(module: string, phase: BlockPhase, hook: () => void): void {
  try {
    hook();
  } catch (e) {
    if (e instanceof InvariantBreach) throw e;
    throw new InvariantBreach(module, phase, e);
  }
}
