// BIP39 mnemonics and the Cosmos HD path m/44'/118'/0'/0/0 (what Keplr and CosmJS derive), for the
// CLI keyring and the devnet's funded account.
import { pbkdf2Sync } from 'node:crypto';
import { Bip39, EnglishMnemonic, Random, Secp256k1, Slip10, Slip10Curve, stringToPath } from '@cosmjs/crypto';
import { addressFromPubKey } from '../../runtime/address.js';

export const COSMOS_HD_PATH = "m/44'/118'/0'/0/0";

export interface DerivedKey {
  mnemonic: string;
  privateKey: Uint8Array;
  /** 33-byte compressed secp256k1 key. */
  publicKey: Uint8Array;
  address: string;
}

export function generateMnemonic(words: 12 | 24 = 24): string {
  return Bip39.encode(Random.getBytes(words === 24 ? 32 : 16)).toString();
}

export async function deriveKey(mnemonic: string, hdPath = COSMOS_HD_PATH): Promise<DerivedKey> {
  const m = new EnglishMnemonic(mnemonic.trim());
  // BIP39 seed = PBKDF2-HMAC-SHA512(mnemonic, "mnemonic", 2048); node:crypto does it natively
  // (CosmJS's pure-JS Bip39.mnemonicToSeed is the same function, about 20× slower).
  const seed = pbkdf2Sync(
    Buffer.from(m.toString().normalize('NFKD')),
    Buffer.from('mnemonic'),
    2048,
    64,
    'sha512',
  );
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(hdPath));
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  const publicKey = Secp256k1.compressPubkey(pubkey);
  return { mnemonic: m.toString(), privateKey: privkey, publicKey, address: addressFromPubKey(publicKey) };
}
