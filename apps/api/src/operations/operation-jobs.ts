/** A crashed API's operation resumes from the queue; three tries in all. */
export const OPERATION_ATTEMPTS = 3;

/** One job per operation: queueing it again is a no-op. */
export function operationJobId(operationId: string): string {
  return `operation-${operationId}`;
}
