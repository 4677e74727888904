// x/auth errors (codespace `auth`); append-only. Ante failures use the SDK's own codes (sdkErrors).
import { registerError } from '../../app/runtime/errors.js';

export const authErrors = {
  invalidParams: registerError('auth', 2, 'invalid params'),
};
