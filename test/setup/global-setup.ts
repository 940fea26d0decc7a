/** Jest globalSetup: a run judges only the query shapes it records itself. */
import { rmSync } from 'node:fs';
import { QUERY_SHAPES_DIR } from './query-shapes-dir';

export default function globalSetup(): void {
  rmSync(QUERY_SHAPES_DIR, { recursive: true, force: true });
}
