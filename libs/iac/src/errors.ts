/** A problem with the stack or its plan, said so the user can fix it; no stack trace needed. */
export class IacError extends Error {
  override readonly name = 'IacError';
}
