import { spawnSync } from 'node:child_process';

/**
 * CI's dependency audit: `npm audit --omit=dev` (what ships, not the test tools), tolerant of being offline.
 *
 * - advisory endpoint unreachable (no network, DNS failure, a registry mirror that does not serve the bulk
 *   advisory endpoint, any non-JSON answer): say so and pass — a missing network must not block a release;
 * - reachable: print every finding; fail on a **high** or **critical** advisory in a production dependency.
 *   Moderate and low ones are printed and left to the next routine upgrade (most are in code paths we do not use).
 */
export const FAILING_SEVERITIES = ['high', 'critical'] as const;
const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;

export interface AuditRun {
  status: number | null;
  stdout: string;
  stderr: string;
}
export interface AuditVerdict {
  verdict: 'pass' | 'fail' | 'unreachable';
  lines: string[];
}

interface AuditReport {
  metadata?: { vulnerabilities?: Partial<Record<(typeof SEVERITIES)[number], number>> };
  vulnerabilities?: Record<string, { severity?: string; range?: string; fixAvailable?: unknown }>;
  error?: { code?: string; summary?: string };
  message?: string;
  statusCode?: number;
  code?: string;
}

/** Reads what `npm audit --json` printed and decides; pure, so every case is tested without a network. */
export function judgeAudit(run: AuditRun): AuditVerdict {
  let report: AuditReport | null = null;
  try {
    report = JSON.parse(run.stdout) as AuditReport;
  } catch {
    report = null;
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!report || !counts) {
    const why =
      report?.message ??
      report?.error?.summary ??
      report?.error?.code ??
      report?.code ??
      firstLine(run.stderr) ??
      'no answer';
    return {
      verdict: 'unreachable',
      lines: [`npm audit: advisory endpoint unreachable (${why}); audit skipped, CI not failed.`],
    };
  }
  const found = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  const lines = [
    `npm audit (production dependencies): ${found.length ? found.join(', ') : 'no known vulnerabilities'}.`,
  ];
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    lines.push(
      `  - ${name} (${v.severity ?? 'unknown'}${v.range ? `, ${v.range}` : ''})${v.fixAvailable ? ': fix available' : ''}`,
    );
  }
  const failing = FAILING_SEVERITIES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  if (failing > 0)
    lines.push(
      `Failing CI: ${failing} high/critical advisories. Upgrade (npm audit fix --omit=dev) or document why it does not apply.`,
    );
  return { verdict: failing > 0 ? 'fail' : 'pass', lines };
}

function firstLine(text: string): string | null {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? null
  );
}

if (require.main === module) {
  const res = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
  const { verdict, lines } = judgeAudit({
    status: res.status,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? String(res.error ?? ''),
  });
  console.log(lines.join('\n'));
  process.exit(verdict === 'fail' ? 1 : 0);
}
