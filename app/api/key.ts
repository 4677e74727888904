// The API node's operator key: one file, <home>/key.json (mode 0600, home 0700), holding the
// BIP39 mnemonic of the account that signs the node's txs (commits, votes, participant updates)
// and whose compressed secp256k1 pubkey the PoC kernel mines for. `gonkad api init` writes it
// (a fresh mnemonic, or one read from --mnemonic-file); nothing ever prints it. The file is the
// node's own: no passphrase, because the node signs unattended (as a validator's
// priv_validator_key.json does); the operator protects the host.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_DIR_MODE, KEY_FILE_MODE, stderrWarn, tightenMode } from '../node/keyring/filePerms.js';
import { type DerivedKey, deriveKey, generateMnemonic } from '../node/keyring/hd.js';

export const keyFilePath = (home: string) => join(home, 'key.json');

interface KeyFile {
  version: 1;
  address: string;
  mnemonic: string;
}

/** Writes <home>/key.json; refuses to replace an existing one. Returns the key's address. */
export async function initApiKey(home: string, mnemonic?: string): Promise<string> {
  const path = keyFilePath(home);
  if (existsSync(path)) throw new Error(`${path} already exists (remove it to make a new key)`);
  const key = await deriveKey(mnemonic ?? generateMnemonic());
  mkdirSync(home, { recursive: true, mode: KEY_DIR_MODE });
  tightenMode(home, KEY_DIR_MODE, stderrWarn);
  const file: KeyFile = { version: 1, address: key.address, mnemonic: key.mnemonic };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: KEY_FILE_MODE, flag: 'wx' });
  return key.address;
}

/** Reads and derives the operator key; a file readable by others is tightened with a warning. */
export async function loadApiKey(home: string): Promise<DerivedKey> {
  const path = keyFilePath(home);
  if (!existsSync(path))
    throw new Error(`no operator key in ${home} (run \`gonkad api init --home ${home}\`)`);
  tightenMode(path, KEY_FILE_MODE, stderrWarn);
  const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile>;
  if (file.version !== 1 || typeof file.mnemonic !== 'string')
    throw new Error(`${path}: not an API node key file`);
  const key = await deriveKey(file.mnemonic);
  if (file.address && file.address !== key.address)
    throw new Error(`${path}: address ${file.address} does not match its mnemonic`);
  return key;
}
