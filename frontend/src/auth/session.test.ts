import { describe, expect, it } from 'vitest';
import { readCookie } from './csrf';
import { can, isSignedIn, safeNext, signInPath, type Me } from './session';

const me = (over: Partial<Me> = {}): Me => ({
  username: 'lead',
  displayName: 'Lead',
  role: 'team_lead',
  actions: ['read', 'plan', 'sign_in'],
  via: 'session',
  repId: null,
  scopeOrgUnit: null,
  ...over,
});

describe('session helpers', () => {
  it('tells a signed-in user from an anonymous one', () => {
    expect(isSignedIn(me())).toBe(true);
    expect(isSignedIn(me({ via: 'anonymous', actions: ['sign_in'] }))).toBe(false);
    expect(isSignedIn(undefined)).toBe(false);
  });

  it('checks actions by the API names', () => {
    expect(can(me(), 'plan')).toBe(true);
    expect(can(me(), 'manage_ranks')).toBe(false);
  });

  it('only follows a next path inside the app', () => {
    expect(safeNext('/ranks?x=1')).toBe('/ranks?x=1');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/sign-in')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('remembers where the user was when sending them to sign in', () => {
    expect(signInPath({ pathname: '/reps', search: '?q=li' })).toBe('/sign-in?next=%2Freps%3Fq%3Dli');
    expect(signInPath({ pathname: '/', search: '' })).toBe('/sign-in');
  });

  it('reads the CSRF cookie among others', () => {
    expect(readCookie('quotient_csrf', 'a=1; quotient_csrf=abc%3D; b=2')).toBe('abc=');
    expect(readCookie('quotient_csrf', 'a=1')).toBeNull();
  });
});
