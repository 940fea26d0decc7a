import { REVENUE_METRICS } from '../../../domain/reports/metrics';
import { CREDIT_BALANCE_LABEL } from '../../../shared/vocabulary';

describe('#16.C6 the dashboard credit gauge says 購物金', () => {
  it('labels the credit liability 購物金餘額, from the shared vocabulary, never 儲值金', () => {
    expect(REVENUE_METRICS.creditLiability.label).toBe('購物金餘額');
    expect(REVENUE_METRICS.creditLiability.label).toBe(CREDIT_BALANCE_LABEL);
    expect(JSON.stringify(REVENUE_METRICS)).not.toContain('儲值金');
  });
});
