// The gonkad entry scripts e2e tests spawn: the product CLI, or the test entry that adds the
// test-only testkv module (test/fixtures/testNode.ts).
import { repoPath } from '../../../app/paths.js';

export const gonkadEntry = repoPath('dist', 'app', 'cli', 'main.js');
export const testNodeEntry = repoPath('dist', 'test', 'fixtures', 'testNode.js');
