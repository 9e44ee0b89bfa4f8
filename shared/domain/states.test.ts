import { describe, expect, it } from 'vitest';
import * as api from '../api/provisioning';
import * as contract from '../contract';
import * as states from './states';

describe('one definition of each vocabulary', () => {
  it('the API schemas and the desktop contract use the domain enums themselves, not copies', () => {
    for (const name of [
      'AccountFlag',
      'AccountState',
      'BusinessOperation',
      'InvitationStatus',
      'MessageChannel',
      'PasswordDelivery',
      'RegistrationField',
      'RequiredAction',
      'SeedState',
    ] as const) {
      expect(api[name], name).toBe(states[name]);
    }
    for (const name of [
      'AccountState',
      'BusinessOperation',
      'PasswordDelivery',
      'RegistrationField',
      'RequiredAction',
      'SeedState',
    ] as const) {
      expect(contract[name], name).toBe(states[name]);
    }
  });
  it('required actions are listed in §4.1 order', () => {
    expect(states.RequiredAction.options).toEqual(['authenticator', 'phone', 'password', 'terms']);
  });
});
