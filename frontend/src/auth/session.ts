import type { MeQuery } from '../gql/graphql';

export type Me = MeQuery['me'];

export function isSignedIn(me: Me | undefined): boolean {
  return !!me && me.via !== 'anonymous';
}

/** Whether the signed-in user may take an action (the API's own names, e.g. "manage_ranks"). */
export function can(me: Me | undefined, action: string): boolean {
  return !!me && me.actions.includes(action);
}

/** Where to go after signing in: only paths inside this app. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function signInPath(location: Pick<Location, 'pathname' | 'search'> = window.location): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' || here.startsWith('/sign-in') ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`;
}
