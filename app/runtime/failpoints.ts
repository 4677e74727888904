// Named crash points for crash-recovery tests (DESIGN.md §4). With GONKA_FAILPOINT=<name> (or
// <name>:<n>, the n-th time it is reached) in the environment the process kills itself with
// SIGKILL at that point — exactly what `kill -9` does — so tests can crash deterministically
// between FinalizeBlock and Commit, or just before or after the Commit batch is written.
// Test-only: read once at start, and it never reaches state, events, gas or results.
const [armedName, armedCount] = (process.env.GONKA_FAILPOINT ?? '').split(':');
let remaining = armedCount ? Number(armedCount) : 1;

export function failpoint(name: string): void {
  if (!armedName || armedName !== name) return;
  if (--remaining > 0) return;
  process.stderr.write(`failpoint ${name} hit\n`);
  process.kill(process.pid, 'SIGKILL');
}
