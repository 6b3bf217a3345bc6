import { Checkbox, Code, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { deleteService } from '../../api/serviceLifecycle';
import type { ServiceView } from '../../api/types';
import { ConfirmActionModal } from '../ConfirmActionModal';

interface DeleteServiceModalProps {
  service: ServiceView;
  onDeleted: () => void;
  onClose: () => void;
}

/** Deleting cannot be undone, so the service's name has to be typed first. */
export function DeleteServiceModal({ service, onDeleted, onClose }: DeleteServiceModalProps) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [force, setForce] = useState(false);

  return (
    <ConfirmActionModal
      title={`Delete ${service.name}?`}
      confirmLabel="Delete"
      confirmColor="red"
      confirmDisabled={typed !== service.name}
      onConfirm={() => deleteService(api, service.id, force)}
      onDone={onDeleted}
      onClose={onClose}
    >
      <Stack gap="sm">
        <Text size="sm">
          The service goes with its instances, deployments, sources, logs and traces. From now on{' '}
          <Code>{service.hostname}</Code> answers 503. This cannot be undone.
        </Text>
        <TextInput
          label={
            <>
              Type <Code>{service.name}</Code> to confirm
            </>
          }
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
        />
        <Checkbox
          label="Stop the instances at once (requests in progress are cut off)"
          description="Otherwise they drain, then stop within their grace period."
          checked={force}
          onChange={(event) => setForce(event.currentTarget.checked)}
        />
      </Stack>
    </ConfirmActionModal>
  );
}
