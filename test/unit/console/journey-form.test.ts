import type { JourneyRequest } from '../../../api/contracts/journeys';
import { formFromRequest, listOf, newStep, stepErrors, toRequest } from '../../../console/src/journeys/journey-form';

describe('#15.5 console journey form', () => {
  const request: JourneyRequest = {
    name: '歡迎旅程',
    trigger: { type: 'consent_accepted' },
    steps: [
      { id: 'day0', type: 'message', messages: [{ type: 'text', text: '歡迎！' }], linkTracking: 'link' },
      { id: 'wait-2d', type: 'wait', days: 2, until: { weekday: null, time: '12:00' } },
      { id: 'buy', type: 'branch', condition: { kind: 'purchased' }, then: 'end', else: 'day0' },
    ],
    goal: { kind: 'purchase', minAmount: 0 },
    status: 'draft',
  };

  it('a journey read into the editor and saved again is the same request', () => {
    expect(toRequest(formFromRequest(request), 'draft')).toEqual(request);
    expect(toRequest(formFromRequest(request), 'active').status).toBe('active');
  });

  it('a new step takes an id not used yet', () => {
    expect(newStep('message', ['message-1', 'message-2']).id).toBe('message-3');
    expect(newStep('wait', [])).toMatchObject({ id: 'wait-1', type: 'wait', days: 1 });
  });

  it("gives each step the API's field errors under its own path", () => {
    const errors = {
      'steps.1.id': '步驟代號重複',
      'steps.10.days': '最多 365 天',
      'steps.1': '錯誤',
      name: '請輸入旅程名稱',
    };
    expect(stepErrors(errors, 1)).toEqual({ id: '步驟代號重複', '': '錯誤' });
    expect(stepErrors(errors, 10)).toEqual({ days: '最多 365 天' });
  });

  it('reads tag lists written with half- or full-width commas', () => {
    expect(listOf('咖啡, 甜點，新會員、 ')).toEqual(['咖啡', '甜點', '新會員']);
  });
});
