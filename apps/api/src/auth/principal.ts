/** Who is calling: resolved from a Personal Access Token by the AuthGuard. */
export interface Principal {
  userId: string;
  tokenId: string;
  isAdmin: boolean;
}

export type AuthenticatedRequest = import('express').Request & { principal?: Principal };
