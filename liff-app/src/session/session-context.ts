import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Card } from '../../../api/contracts/member';
import type { Session } from './liff-session';

/** What every signed-in screen shares: the session (its typed API), the card fetched at sign-in, erasure, logout. */
export interface SignedInContext {
  session: Session;
  firstCard: Card | null;
  onErased: () => void;
  /** Logged out on this phone (its stored card cleared): the card closes. */
  onLoggedOut: () => void;
}

/** Provided by the app once sign-in succeeded; the screens read it with `useSession`. */
export const SessionContext = createContext<SignedInContext | null>(null);

export function useSession(): SignedInContext {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside the signed-in app');
  return ctx;
}
