// x/poc errors (codespace `poc`); append-only.
import { registerError } from '../../app/runtime/errors.js';

export const pocErrors = {
  invalidParams: registerError('poc', 2, 'invalid params'),
  unknownParticipant: registerError('poc', 3, 'unknown participant'),
  invalidParticipant: registerError('poc', 4, 'invalid participant'),
  invalidGenesis: registerError('poc', 5, 'invalid genesis'),
};
