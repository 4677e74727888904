// The list of gonkad subcommands, one file each. Order matters only where a file adds
// subcommands to another's group: collateral, pocQuery, pocSprint, gov and inference join the `tx` and `query` groups,
// so they come after tx and query (pocSprint after pocQuery, whose `query poc` it extends).
import type { Command } from 'commander';
import type { GonkadOptions } from '../gonkad.js';
import * as api from './api.js';
import * as collateral from './collateral.js';
import * as genesis from './genesis.js';
import * as gov from './gov.js';
import * as infer from './infer.js';
import * as inference from './inference.js';
import * as keys from './keys.js';
import * as ml from './ml.js';
import * as node from './node.js';
import * as poc from './poc.js';
import * as pocQuery from './pocQuery.js';
import * as pocSprint from './pocSprint.js';
import * as query from './query.js';
import * as status from './status.js';
import * as testnet from './testnet.js';
import * as tx from './tx.js';
import * as version from './version.js';

export interface CommandModule {
  /** options: what the entry wired (extra app modules); only the node commands read it. */
  register(program: Command, options: GonkadOptions): void;
}

export const commandModules: CommandModule[] = [
  node,
  testnet,
  genesis,
  keys,
  tx,
  query,
  collateral,
  pocQuery,
  pocSprint,
  gov,
  inference,
  poc,
  infer,
  status,
  ml,
  api,
  version,
];
