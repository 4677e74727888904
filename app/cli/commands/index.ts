// The list of gonkad subcommands. Add one import per command file.
import type { Command } from 'commander';
import * as node from './node.js';
import * as infer from './infer.js';
import * as poc from './poc.js';
import * as version from './version.js';
import * as query from './query.js';
import * as tx from './tx.js';
import * as keys from './keys.js';
import * as genesis from './genesis.js';
import * as testnet from './testnet.js';
import * as collateral from './collateral.js';
import * as pocQuery from './pocQuery.js';
import * as gov from './gov.js';

export interface CommandModule {
  register(program: Command): void;
}

export const commandModules: CommandModule[] = [node, version, infer, testnet, genesis, poc, keys, tx, query, collateral, pocQuery, gov];
