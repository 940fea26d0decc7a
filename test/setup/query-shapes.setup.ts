/**
 * Jest setupFilesAfterEnv: every test file records the query shapes its stand-ins see into
 * .jest-query-shapes/<test file>.json, for the index guard (test/integration/index-guard.test.ts),
 * which the sequencer (test/setup/sequencer.js) runs after every other file.
 */
import path from 'node:path';
import { recordQueryShapes } from '../helpers/mongo-standin';
import { QUERY_SHAPES_DIR } from './query-shapes-dir';

const testPath = expect.getState().testPath ?? 'unknown';
recordQueryShapes(
  path.join(
    QUERY_SHAPES_DIR,
    path.relative(path.resolve(__dirname, '../..'), testPath).replace(/[\\/]/g, '__') + '.json',
  ),
);
