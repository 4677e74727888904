// The testnet manifest (<dir>/testnet.json): every validator's home, ports and node id, and the
// port of every directed peer link's relay. Written by `testnet init`, read by the launcher.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ValidatorEntry {
  name: string;
  home: string;
  nodeId: string;
  ports: { rpc: number; p2p: number; grpc: number; rest?: number };
  /** The validator's operator account (x/poc participant); mnemonic in <home>/operator-mnemonic.txt. */
  operator?: string;
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
