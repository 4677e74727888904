// Free loopback ports for tests: the testnet library's allocator (OS-chosen, never the defaults).
export { freePort, freePorts } from '../../../testnet/ports.js';
