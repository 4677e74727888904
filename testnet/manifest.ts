// The testnet manifest (<dir>/testnet.json): every validator's home, ports and node id, and the
// port of every directed peer link's relay. Written by `testnet init`, read by the launcher.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ValidatorEntry {
  name: string;
  home: string;
  nodeId: string;
  /** api and ml: its API node's and ML node's HTTP ports (PoC testnets only). */
  ports: { rpc: number; p2p: number; grpc: number; rest?: number; api?: number; ml?: number };
  /** The validator's operator account (x/poc participant); mnemonic in <home>/operator-mnemonic.txt. */
  operator?: string;
  /** Its API node and ML node (PoC testnets only; a testnet without them runs chain nodes alone). */
  services?: ServicesEntry;
}

/** How `testnet start` runs a validator's API node and ML node. */
export interface ServicesEntry {
  /** The API node's home (<home>/api), holding the operator key. */
  apiHome: string;
  /** PoC classes the API node mines and announces (kernel class names). */
  classes: string[];
  /** ML node mining worker threads. */
  mlWorkers: number;
  /** Test only: the ML node's mining throttle in nonces/s (absent: unthrottled). */
  mlThrottle?: number;
  /** Seconds between the API node's commits while mining (absent: its default). */
  apiCommitEvery?: number;
  /** Inference models its ML node loads, as `--model <arg> --model-id <id>` (absent: none). */
  models?: { arg: string; id: string }[];
  /** TEST ONLY: extra argv arming this validator's ML/API node as an adversary (issue 13). */
  adversary?: TestAdversary;
}

/**
 * Extra argv for a validator's ML node and API node, e.g. `{ ml: ['--test-adversary',
 * 'fabricate=0.05'] }` or `{ api: ['--test-adversary', 'refuse-proofs'] }` (poc-attack-contract.md).
 */
export interface TestAdversary {
  ml?: string[];
  api?: string[];
}

/** Node `from` reaches node `to`'s P2P port through the relay listening on `port`. */
export interface LinkEntry {
  from: number;
  to: number;
  port: number;
}

export interface TestnetManifest {
  chainId: string;
  validators: ValidatorEntry[];
  links: LinkEntry[];
}

export const manifestPath = (dir: string) => join(dir, 'testnet.json');

export function readManifest(dir: string): TestnetManifest {
  try {
    return JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as TestnetManifest;
  } catch {
    throw new Error(`${dir} holds no testnet (run \`gonkad testnet init --dir ${dir}\` first)`);
  }
}

export function writeManifest(dir: string, m: TestnetManifest): void {
  writeFileSync(manifestPath(dir), `${JSON.stringify(m, null, 2)}\n`);
}
