/** Who is calling: resolved from a Personal Access Token by the AuthGuard. */
export interface Principal {
  userId: string;
  tokenId: string;
  isAdmin: boolean;
  /** Set when the request came with a browser session cookie rather than a token. */
  sessionId?: string;
}

export type AuthenticatedRequest = import('express').Request & { principal?: Principal };
