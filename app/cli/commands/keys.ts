// gonkad keys add | list | show | export: secp256k1 keys from BIP39 mnemonics (HD path
// m/44'/118'/0'/0/0, the Cosmos default) in an encrypted file keyring under the node home.
// The passphrase comes from $GONKA_KEYRING_PASSPHRASE, a terminal (no echo) or piped stdin.
import type { Command } from 'commander';
import { defaultHome } from '../../node/home.js';
import {
  closeInput,
  FileKeyring,
  KeyringError,
  readLine,
  readPassphrase,
} from '../../node/keyring/fileKeyring.js';
import { UserError } from '../errors.js';

const homeOption = [
  '--home <dir>',
  'node home directory holding keyring-file/ (default $GONKA_HOME or ~/.gonka)',
] as const;

function out(obj: unknown): void {
  process.stdout.write(`${JSON.stringify(obj, null, 2)}\n`);
}

async function run<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof KeyringError) throw new UserError(e.message);
    throw e;
  } finally {
    closeInput();
  }
}

export function register(program: Command): void {
  const keys = program.command('keys').description('manage secp256k1 account keys (encrypted file keyring)');
  keys
    .command('add')
    .description('create a key from a new 24-word mnemonic (printed once), or --recover one read from stdin')
    .argument('<name>', 'key name')
    .option(...homeOption)
    .option('--recover', 'read an existing mnemonic from stdin instead of generating one')
    .action((name: string, opts: { home?: string; recover?: boolean }) =>
      run(async () => {
        const ring = new FileKeyring(opts.home ?? defaultHome());
        const mnemonic = opts.recover ? await readLine('mnemonic: ') : undefined;
        if (opts.recover && !mnemonic) throw new UserError('no mnemonic on stdin');
        const pass = await readPassphrase('passphrase (at least 8 characters): ');
        const key = await ring.add(name, pass, mnemonic);
        const info = ring.show(name);
        out(opts.recover ? info : { ...info, mnemonic: key.mnemonic });
        if (!opts.recover)
          process.stderr.write('Write the mnemonic down: it is the only way to recover this key.\n');
      }),
    );
  keys
    .command('list')
    .description('list keys (name, address, public key)')
    .option(...homeOption)
    .action((opts: { home?: string }) => run(() => out(new FileKeyring(opts.home ?? defaultHome()).list())));
  keys
    .command('show')
    .description("show a key's address and public key")
    .argument('<name>', 'key name')
    .option(...homeOption)
    .option('-a, --address', 'print only the address')
    .action((name: string, opts: { home?: string; address?: boolean }) =>
      run(() => {
        const info = new FileKeyring(opts.home ?? defaultHome()).show(name);
        if (opts.address) process.stdout.write(`${info.address}\n`);
        else out(info);
      }),
    );
  keys
    .command('export')
    .description("print a key's mnemonic (after its passphrase); anyone holding it controls the account")
    .argument('<name>', 'key name')
    .option(...homeOption)
    .action((name: string, opts: { home?: string }) =>
      run(async () => {
        const ring = new FileKeyring(opts.home ?? defaultHome());
        ring.show(name);
        const mnemonic = ring.mnemonic(name, await readPassphrase('passphrase: '));
        out({ ...ring.show(name), mnemonic });
      }),
    );
}
