import { Button, Group, Modal, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { toApiError, type ApiError } from '../api/errors';
import { ApiErrorAlert } from './ApiErrorAlert';

interface ConfirmActionModalProps {
  title: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** Red for an action that cannot be undone. */
  confirmColor?: string;
  /** While what the user entered is not a valid request (the reason is shown beside it). */
  confirmDisabled?: boolean;
  /** Runs the action; a rejection keeps the modal open with the API's message. */
  onConfirm: () => Promise<unknown>;
  /** After the action succeeded. */
  onDone: () => void;
  onClose: () => void;
}

/**
 * Asks before an action that changes what runs. Focus starts on Cancel, so Enter does not
 * confirm by accident (an input in `children` marked `data-autofocus` takes it instead);
 * Escape and the close button cancel unless the action is under way.
 */
export function ConfirmActionModal(props: ConfirmActionModalProps) {
  const {
    title,
    children,
    confirmLabel,
    confirmColor,
    confirmDisabled,
    onConfirm,
    onDone,
    onClose,
  } = props;
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError>();

  const confirm = () => {
    setRunning(true);
    setError(undefined);
    onConfirm().then(
      () => {
        setRunning(false);
        onDone();
      },
      (caught: unknown) => {
        setRunning(false);
        setError(toApiError(caught));
      },
    );
  };

  return (
    <Modal
      opened
      onClose={running ? () => undefined : onClose}
      title={title}
      closeButtonProps={{ 'aria-label': 'Close' }}
      centered
    >
      <Stack gap="md">
        {children}
        {error ? <ApiErrorAlert error={error} title={`${confirmLabel} failed`} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={running} data-autofocus>
            Cancel
          </Button>
          <Button
            onClick={confirm}
            loading={running}
            disabled={confirmDisabled}
            color={confirmColor}
            data-testid="confirm-action"
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
