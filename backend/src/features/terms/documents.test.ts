import { describe, expect, it } from 'vitest';
import { TERMS_DOCUMENTS } from './documents';

describe('terms documents', () => {
  it('have ids and versions without spaces or commas: the session read carries acceptances as "doc version" pairs', () => {
    // features/sessions/service.ts (acceptedTermsOf) splits the aggregated pairs on ',' and ' '.
    for (const d of TERMS_DOCUMENTS) {
      expect(d.id, d.id).toMatch(/^[^\s,]+$/);
      expect(d.version, d.id).toMatch(/^[^\s,]+$/);
    }
  });
});
