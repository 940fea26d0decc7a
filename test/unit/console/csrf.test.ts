import { csrfMatches } from '../../../domain/staff/session.service';

describe('CSRF token comparison', () => {
  const token = 'k7QmXpA3-r9TzL0vB2nWcY5uE8sJdF1gH4iO6aKqMe0';

  it('accepts the session token and refuses anything else', () => {
    expect(csrfMatches(token, token)).toBe(true);
    expect(csrfMatches(token, `${token.slice(0, -1)}x`)).toBe(false);
    expect(csrfMatches(token, token.slice(1))).toBe(false);
    expect(csrfMatches(token, undefined)).toBe(false);
    expect(csrfMatches(token, [token])).toBe(false);
  });

  it('refuses (does not throw on) a header of the right length in characters but not in bytes', () => {
    // Header values arrive as latin1: "é" is one character here and two bytes in UTF-8.
    const sameLengthNonAscii = `é${token.slice(1)}`;
    expect(sameLengthNonAscii.length).toBe(token.length);
    expect(() => csrfMatches(token, sameLengthNonAscii)).not.toThrow();
    expect(csrfMatches(token, sameLengthNonAscii)).toBe(false);
  });
});
