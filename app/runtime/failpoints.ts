// Named crash points for crash-recovery tests (DESIGN.md §4). Once armed with "<name>" or
// "<name>:<n>", the process kills itself with SIGKILL the n-th time it reaches that point —
// exactly what `kill -9` does — so tests can crash deterministically between FinalizeBlock and
// Commit, or just before or after the Commit batch is written. Test-only: the node arms it from
// GONKA_FAILPOINT at start (consensus code reads no environment), and it never reaches state,
// events, gas or results.
let armed: { name: string; remaining: number } | undefined;

/** Arms one failpoint from a "<name>[:<n>]" spec; undefined or empty disarms. */
export function armFailpoint(spec: string | undefined): void {
  if (!spec) {
    armed = undefined;
    return;
  }
  const [name, count] = spec.split(':');
  const remaining = count ? Number(count) : 1;
  if (!name || !Number.isInteger(remaining) || remaining < 1)
    throw new Error(`invalid failpoint spec '${spec}'`);
  armed = { name, remaining };
}

export function failpoint(name: string): void {
  if (armed?.name !== name) return;
  if (--armed.remaining > 0) return;
  process.stderr.write(`failpoint ${name} hit\n`);
  process.kill(process.pid, 'SIGKILL');
}
