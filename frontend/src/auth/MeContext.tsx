import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { useQuery } from 'urql';
import { meQuery } from './queries';
import { isSignedIn, type Me } from './session';

const MeContext = createContext<Me | undefined>(undefined);

export function useMe(): Me | undefined {
  return useContext(MeContext);
}

/** Renders its children for a signed-in user; anyone else is sent to the sign-in page. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  const [{ data, fetching, error }] = useQuery({ query: meQuery, requestPolicy: 'network-only' });
  if (fetching && !data) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (!isSignedIn(data?.me) || (error && !data)) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <MeContext.Provider value={data?.me}>{children}</MeContext.Provider>;
}
