// Codespaced errors, Cosmos-style: (codespace, code) pairs are append-only and code 1 is reserved
// for internal errors. The 'sdk' codespace reuses the Cosmos SDK numbers that wallets know.

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const registry = new Map<string, string>();

/** Registers an error kind; returns a factory that builds it with a detail message. */
export function registerError(codespace: string, code: number, description: string) {
  if (code <= 1) throw new Error(`error code ${code} is reserved (codespace ${codespace})`);
  const id = `${codespace}:${code}`;
  if (registry.has(id)) throw new Error(`error ${id} registered twice`);
  registry.set(id, description);
  const make = (detail?: string) =>
    new AppError(codespace, code, detail ? `${detail}: ${description}` : description);
  return Object.assign(make, {
    codespace,
    code,
    description,
    is: (e: unknown) => isError(e, codespace, code),
  });
}

export function isError(e: unknown, codespace: string, code: number): boolean {
  return e instanceof AppError && e.codespace === codespace && e.code === code;
}

/** The SDK's root errors (types/errors/errors.go); numbers must not change. */
export const sdkErrors = {
  txDecode: registerError('sdk', 2, 'tx parse error'),
  invalidSequence: registerError('sdk', 3, 'invalid sequence'),
  unauthorized: registerError('sdk', 4, 'unauthorized'),
  insufficientFunds: registerError('sdk', 5, 'insufficient funds'),
  unknownRequest: registerError('sdk', 6, 'unknown request'),
  invalidAddress: registerError('sdk', 7, 'invalid address'),
  invalidPubKey: registerError('sdk', 8, 'invalid pubkey'),
  unknownAddress: registerError('sdk', 9, 'unknown address'),
  invalidCoins: registerError('sdk', 10, 'invalid coins'),
  outOfGas: registerError('sdk', 11, 'out of gas'),
  memoTooLarge: registerError('sdk', 12, 'memo too large'),
  insufficientFee: registerError('sdk', 13, 'insufficient fee'),
  tooManySignatures: registerError('sdk', 14, 'maximum number of signatures exceeded'),
  noSignatures: registerError('sdk', 15, 'no signatures supplied'),
  invalidRequest: registerError('sdk', 18, 'invalid request'),
  txTooLarge: registerError('sdk', 21, 'tx too large'),
  keyNotFound: registerError('sdk', 22, 'key not found'),
  invalidHeight: registerError('sdk', 26, 'invalid height'),
  invalidChainId: registerError('sdk', 28, 'invalid chain-id'),
  invalidType: registerError('sdk', 29, 'invalid type'),
  txTimeoutHeight: registerError('sdk', 30, 'tx timeout height'),
  unknownExtensionOptions: registerError('sdk', 31, 'unknown extension options defined'),
  wrongSequence: registerError('sdk', 32, 'incorrect account sequence'),
  packAny: registerError('sdk', 33, 'failed packing protobuf message to Any'),
  unpackAny: registerError('sdk', 34, 'failed unpacking protobuf message from Any'),
  logic: registerError('sdk', 35, 'internal logic error'),
  conflict: registerError('sdk', 36, 'conflict'),
  notSupported: registerError('sdk', 37, 'feature not supported'),
  notFound: registerError('sdk', 38, 'not found'),
  invalidGasLimit: registerError('sdk', 41, 'invalid gas limit'),
};

/**
 * What clients see of an error that is not an AppError (a bug): this fixed text, with codespace
 * 'sdk' and code 1. The message itself may carry internals (paths, state, engine-specific wording)
 * and is logged by the caller of errorResult instead; a fixed text also keeps ExecTxResult.log and
 * stored failure reasons the same on every node whatever the JS engine's wording.
 */
export const INTERNAL_ERROR_MESSAGE = 'internal error';

/** (codespace, code, log) for any thrown value; non-AppErrors are internal (code 1), redacted. */
export function errorResult(e: unknown): { codespace: string; code: number; log: string } {
  if (e instanceof AppError) return { codespace: e.codespace, code: e.code, log: e.message };
  return { codespace: 'sdk', code: 1, log: INTERNAL_ERROR_MESSAGE };
}

/** The check every authority-gated message makes (MsgUpdateParams and friends): sdk 4 otherwise. */
export function assertAuthority(expected: string, got: string): void {
  if (got !== expected) throw sdkErrors.unauthorized(`invalid authority; expected ${expected}, got ${got}`);
}
