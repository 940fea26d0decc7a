import path from 'node:path';

/** Where each test file's recorded query shapes go (cleared at the start of every jest run). */
export const QUERY_SHAPES_DIR = path.resolve(__dirname, '../../.jest-query-shapes');
