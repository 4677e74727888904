// x/collateral errors (codespace `collateral`); append-only.
import { registerError } from '../../app/runtime/errors.js';

export const collateralErrors = {
  invalidDenom: registerError('collateral', 2, 'invalid collateral denom'),
  invalidAmount: registerError('collateral', 3, 'invalid collateral amount'),
  insufficientCollateral: registerError('collateral', 4, 'withdrawal exceeds deposited collateral'),
  invalidParams: registerError('collateral', 5, 'invalid params'),
  invalidSlash: registerError('collateral', 6, 'invalid slash'),
  invalidGenesis: registerError('collateral', 7, 'invalid genesis'),
  notJailed: registerError('collateral', 8, 'validator not jailed; cannot be unjailed'),
  jailPeriodNotOver: registerError('collateral', 9, 'validator still jailed; cannot be unjailed'),
  tombstoned: registerError('collateral', 10, 'validator is tombstoned for double signing'),
  insufficientForUnjail: registerError('collateral', 11, 'collateral too low to unjail'),
  notParticipant: registerError('collateral', 12, 'not a participant'),
};
