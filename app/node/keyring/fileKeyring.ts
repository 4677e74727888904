// An encrypted file keyring: one JSON file per key under <home>/keyring-file/, holding the name,
// address and public key in the clear (so list/show need no passphrase) and the BIP39 mnemonic
// encrypted with AES-256-GCM under a scrypt-derived key. Files are 0600 in a 0700 directory,
// checked (and tightened, with a warning) every time the keyring is opened.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyringError } from './errors.js';
import { KEY_DIR_MODE, KEY_FILE_MODE, stderrWarn, tightenMode, type Warn } from './filePerms.js';
import { type DerivedKey, deriveKey, generateMnemonic } from './hd.js';

export { closeInput, readLine, readPassphrase } from './prompt.js';
export { KeyringError };

export interface KeyInfo {
  name: string;
  address: string;
  /** base64 of the 33-byte compressed secp256k1 key */
  pubkey: string;
}

interface KeyFile extends KeyInfo {
  version: 1;
  crypto: {
    kdf: 'scrypt';
    n: number;
    r: number;
    p: number;
    salt: string;
    cipher: 'aes-256-gcm';
    iv: string;
    tag: string;
    ciphertext: string;
  };
}

const SCRYPT = { n: 1 << 15, r: 8, p: 1 };
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export class FileKeyring {
  readonly dir: string;
  constructor(
    home: string,
    private readonly warn: Warn = stderrWarn,
  ) {
    this.dir = join(home, 'keyring-file');
  }

  /** The keyring directory exists (when it does) with mode 0700. */
  private checkDir(): boolean {
    if (!existsSync(this.dir)) return false;
    tightenMode(this.dir, KEY_DIR_MODE, this.warn);
    return true;
  }

  private path(name: string): string {
    if (!NAME_RE.test(name))
      throw new KeyringError(`invalid key name '${name}' (letters, digits, _ . -; at most 64)`);
    return join(this.dir, `${name}.json`);
  }

  /** Creates a key from a new mnemonic (returned once, for the user to write down) or a given one. */
  async add(name: string, passphrase: string, mnemonic?: string): Promise<DerivedKey> {
    const path = this.path(name);
    if (existsSync(path)) throw new KeyringError(`key '${name}' already exists`);
    if (passphrase.length < 8) throw new KeyringError('the passphrase must have at least 8 characters');
    let key: DerivedKey;
    try {
      key = await deriveKey(mnemonic ?? generateMnemonic());
    } catch (e) {
      throw new KeyringError(`invalid mnemonic: ${e instanceof Error ? e.message : String(e)}`);
    }
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const aesKey = scryptSync(passphrase, salt, 32, {
      N: SCRYPT.n,
      r: SCRYPT.r,
      p: SCRYPT.p,
      maxmem: 64 * 1024 * 1024,
    });
    const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
    const ciphertext = Buffer.concat([cipher.update(key.mnemonic, 'utf8'), cipher.final()]);
    const file: KeyFile = {
      version: 1,
      name,
      address: key.address,
      pubkey: Buffer.from(key.publicKey).toString('base64'),
      crypto: {
        kdf: 'scrypt',
        ...SCRYPT,
        salt: salt.toString('base64'),
        cipher: 'aes-256-gcm',
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      },
    };
    if (!this.checkDir()) mkdirSync(this.dir, { recursive: true, mode: KEY_DIR_MODE });
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: KEY_FILE_MODE, flag: 'wx' });
    tightenMode(path, KEY_FILE_MODE, this.warn); // a umask cannot loosen it, but say so if anything did
    return key;
  }

  list(): KeyInfo[] {
    if (!this.checkDir()) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => this.show(f.slice(0, -5)));
  }

  show(name: string): KeyInfo {
    const f = this.read(name);
    return { name: f.name, address: f.address, pubkey: f.pubkey };
  }

  /** Decrypts the mnemonic; a wrong passphrase fails the GCM tag check. */
  mnemonic(name: string, passphrase: string): string {
    const f = this.read(name);
    const c = f.crypto;
    const aesKey = scryptSync(passphrase, Buffer.from(c.salt, 'base64'), 32, {
      N: c.n,
      r: c.r,
      p: c.p,
      maxmem: 64 * 1024 * 1024,
    });
    const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(c.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(c.tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(c.ciphertext, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new KeyringError(`wrong passphrase for key '${name}'`);
    }
  }

  private read(name: string): KeyFile {
    const path = this.path(name);
    if (!existsSync(path)) throw new KeyringError(`no key named '${name}' in ${this.dir}`);
    this.checkDir();
    tightenMode(path, KEY_FILE_MODE, this.warn);
    return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  }
}
