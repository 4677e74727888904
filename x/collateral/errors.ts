// x/collateral errors (codespace `collateral`); append-only.
import { registerError } from '../../app/runtime/errors.js';

export const collateralErrors = {
  invalidDenom: registerError('collateral', 2, 'invalid collateral denom'),
  invalidAmount: registerError('collateral', 3, 'invalid collateral amount'),
  insufficientCollateral: registerError('collateral', 4, 'withdrawal exceeds deposited collateral'),
  invalidParams: registerError('collateral', 5, 'invalid params'),
  invalidSlash: registerError('collateral', 6, 'invalid slash'),
  invalidGenesis: registerError('collateral', 7, 'invalid genesis'),
};
