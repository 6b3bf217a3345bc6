import { Code, Text } from '@mantine/core';
import { memberLabel, type Members } from '../api/useMembers';
import { shortId } from '../format';

/**
 * Who someone is: the member's name (else email) from `members`; their short id while the
 * members load, when they are not (or no longer) a member, or when the list could not be
 * read. The full user id is in the hover title either way.
 */
export function UserName({ userId, members }: { userId: string; members: Members | undefined }) {
  const label = memberLabel(members, userId);
  return label === undefined ? (
    <Code title={userId}>{shortId(userId)}</Code>
  ) : (
    <Text span inherit title={userId}>
      {label}
    </Text>
  );
}
