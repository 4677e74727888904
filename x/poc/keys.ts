// x/poc store layout (store name `poc`). Addresses are the 20 raw account bytes, so iteration is
// in address-byte order (deterministic, and the order every export lists participants in).
import { concat } from '../../app/runtime/keys.js';

export const STORE = 'poc';

/** 0x00 → Params (protobuf) */
export const PARAMS_KEY = Uint8Array.of(0x00);
/** 0x01 → EpochState (protobuf): the epoch clock */
export const EPOCH_KEY = Uint8Array.of(0x01);
/** 0x02 | addr → Participant (protobuf), weight = this epoch's weight */
export const PARTICIPANT_PREFIX = Uint8Array.of(0x02);
/** 0x03 | addr → next epoch's weight (8 bytes BE), applied at the boundary */
export const NEXT_WEIGHT_PREFIX = Uint8Array.of(0x03);
/** 0x04 | addr → the CometBFT power last sent for this participant (8 bytes BE); absent = 0 */
export const POWER_PREFIX = Uint8Array.of(0x04);
/** 0x05 → Σ participant weights this epoch (8 bytes BE), kept by setParticipant on every change
 * (absent = 0); the weight invariant checks it against the sum over 0x02. */
export const TOTAL_WEIGHT_KEY = Uint8Array.of(0x05);

export const participantKey = (addr: Uint8Array) => concat(PARTICIPANT_PREFIX, addr);
export const nextWeightKey = (addr: Uint8Array) => concat(NEXT_WEIGHT_PREFIX, addr);
export const powerKey = (addr: Uint8Array) => concat(POWER_PREFIX, addr);
/** 0x06 | CometBFT validator address (SHA-256(consensus pubkey)[:20]) → participant address bytes */
export const CONS_ADDRESS_PREFIX = Uint8Array.of(0x06);
export const consAddressKey = (consAddr: Uint8Array) => concat(CONS_ADDRESS_PREFIX, consAddr);
