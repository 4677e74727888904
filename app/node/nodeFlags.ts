// V8 flags the chain node runs with. Every launcher of `gonkad start` (the devnet supervisor, the
// testnet harness, the e2e helpers) passes them; an operator running `gonkad start` directly sets
// them with NODE_OPTIONS (README).
//
// --max-semi-space-size=64 (MiB; V8's default is 16 on 64-bit): queries allocate short-lived
// pages and protobuf buffers by the megabyte, and with the default young generation a flood
// promoted them into the old generation of a 4 GB state heap, whose incremental marking then ran
// inside every allocation of the next queries. Measured with `npm run bench -- query-flood` at 1M
// balances on a quiet machine (BENCHMARKS.md): the second flood's queries went from up to 416 ms
// of event-loop CPU (9 over 20 ms) to at most 7.7 ms (0 over 20 ms).
export const CHAIN_NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
