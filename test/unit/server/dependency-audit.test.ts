import fs from 'node:fs';
import path from 'node:path';
import { judgeAudit } from '../../../scripts/audit-deps';

const root = path.resolve(__dirname, '../../..');
const report = (counts: Record<string, number>, vulnerabilities: Record<string, unknown> = {}) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
  });

/** `.ci/run` audits production dependencies; an unreachable advisory endpoint is reported, never a failure. */
describe('#12.13 dependency audit in CI, offline-tolerant', () => {
  it('.ci/run runs the audit of production dependencies', () => {
    const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(/tsx scripts\/audit-deps\.ts/);
    expect(fs.readFileSync(path.join(root, 'scripts/audit-deps.ts'), 'utf8')).toContain("'--omit=dev'");
  });

  it('an unreachable advisory endpoint passes, saying so (a mirror answering 405, DNS failure, no output)', () => {
    // What this machine's registry mirror answers to the bulk advisory request.
    const mirror = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    });
    const offline = JSON.stringify({
      error: {
        code: 'ENOTFOUND',
        summary:
          'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
        detail: '',
      },
    });
    for (const stdout of [mirror, offline, '']) {
      const v = judgeAudit({ status: 1, stdout, stderr: 'npm error audit endpoint returned an error' });
      expect(v.verdict).toBe('unreachable');
      expect(v.lines.join('\n')).toMatch(/advisory endpoint unreachable .*audit skipped, CI not failed/);
    }
    expect(judgeAudit({ status: 1, stdout: offline, stderr: '' }).lines[0]).toContain('ENOTFOUND');
  });

  it('reachable: a high or critical advisory fails CI; moderate and low are listed but pass', () => {
    expect(judgeAudit({ status: 0, stdout: report({}), stderr: '' })).toEqual({
      verdict: 'pass',
      lines: ['npm audit (production dependencies): no known vulnerabilities.'],
    });
    const moderate = judgeAudit({
      status: 1,
      stdout: report({ moderate: 2, low: 1 }, { qs: { severity: 'moderate', range: '<6.10.3', fixAvailable: true } }),
      stderr: '',
    });
    expect(moderate.verdict).toBe('pass');
    expect(moderate.lines).toEqual([
      'npm audit (production dependencies): 1 low, 2 moderate.',
      '  - qs (moderate, <6.10.3): fix available',
    ]);
    const high = judgeAudit({
      status: 1,
      stdout: report({ high: 1 }, { 'path-to-regexp': { severity: 'high', range: '<0.1.12' } }),
      stderr: '',
    });
    expect(high.verdict).toBe('fail');
    expect(high.lines.at(-1)).toMatch(/Failing CI: 1 high\/critical/);
    expect(judgeAudit({ status: 1, stdout: report({ critical: 1 }), stderr: '' }).verdict).toBe('fail');
  });
});
