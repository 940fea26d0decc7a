import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionResponse, Permission } from '../../api/contracts/console';

export interface SessionState extends SessionResponse {
  can(p: Permission): boolean;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
