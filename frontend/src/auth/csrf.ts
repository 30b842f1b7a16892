/** The backend sets this readable cookie at sign-in; every POST must echo it as X-CSRF-Token. */
export const CSRF_COOKIE = 'quotient_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(name: string, cookie: string = typeof document === 'undefined' ? '' : document.cookie): string | null {
  for (const part of cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

export function csrfHeaders(): Record<string, string> {
  const token = readCookie(CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}
