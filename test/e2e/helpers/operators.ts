// CosmJS signing clients for a testnet's validator operators (each validator home keeps its
// operator's mnemonic), all connected to one node: the e2e tests that vote on proposals share them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { gonkaRegistryTypes } from '../../../proto/gonka/registry.js';

export interface Operators {
  mnemonics: string[];
  addresses: string[];
  clients: SigningStargateClient[];
}

export async function connectOperators(
  validators: readonly { home: string }[],
  rpcUrl: string,
  denom: string,
): Promise<Operators> {
  const registry = new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes]);
  const out: Operators = { mnemonics: [], addresses: [], clients: [] };
  for (const v of validators) {
    const mnemonic = readFileSync(join(v.home, 'operator-mnemonic.txt'), 'utf8').trim();
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'gonka' });
    out.mnemonics.push(mnemonic);
    out.addresses.push((await wallet.getAccounts())[0]!.address);
    out.clients.push(
      await SigningStargateClient.connectWithSigner(rpcUrl, wallet, {
        registry,
        gasPrice: GasPrice.fromString(`0.1${denom}`),
        broadcastPollIntervalMs: 200,
        broadcastTimeoutMs: 30_000,
      }),
    );
  }
  return out;
}
