import { describe, expect, it } from 'vitest';
import { checkMobileNumber, mobileFieldProblem } from '../../../../shared/domain/phone';
import type { Ctx } from '../../context';
import { mobileProblem } from './service';

const ctx = (mode: 'test' | 'production') => ({ config: { mode } }) as unknown as Ctx;

describe('the backend runs the shared mobile rule', () => {
  it.each(['+861380013800', '+6591234', '+9198765', '+1202555012', '+447700900123'])(
    '%s: refused with the shared problem',
    (n) => {
      expect(checkMobileNumber(n).valid).toBe(false);
      expect(mobileProblem(ctx('test'), n, 'offshore')).toEqual(mobileFieldProblem(checkMobileNumber(n)));
    },
  );

  it.each(['+8613800138000', '+6591234567', '+919876543210', '+12025550123'])(
    '%s: accepted as the wizard accepts it',
    (n) => {
      expect(checkMobileNumber(n).valid).toBe(true);
      expect(mobileProblem(ctx('test'), n, 'offshore')).toBeUndefined();
    },
  );

  it('production keeps its stricter rules on top (onshore users need +65)', () => {
    expect(mobileProblem(ctx('production'), '+919876543210', 'onshore')).toEqual({ code: 'mobile.singapore_required' });
  });
});
