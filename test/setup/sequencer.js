/**
 * Jest's default order, except that the index guard runs last: it judges the query shapes
 * every other test file of the run recorded (see test/integration/index-guard.test.ts).
 */
/* global require, module */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /index-guard\.test\.ts$/;

class GuardLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const order = (list) => [...list.filter((t) => !LAST.test(t.path)), ...list.filter((t) => LAST.test(t.path))];
    return sorted instanceof Promise ? sorted.then(order) : order(sorted);
  }
}

module.exports = GuardLastSequencer;
