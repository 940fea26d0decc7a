/** Browser tests in headless Chromium (playwright-core + /usr/bin/chromium). `npm run test:e2e`. */
const base = require('./jest.config.js');
module.exports = { ...base, testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], testTimeout: 120000 };
