import { AccordionChevron, Button, Menu, Text } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../api/context';
import { newIdempotencyKey } from '../../api/endpoints';
import { restartService } from '../../api/operations';
import { changeAccessType } from '../../api/serviceLifecycle';
import type { AccessType, ServiceOperationView, ServiceView } from '../../api/types';
import { ConfirmActionModal } from '../ConfirmActionModal';
import { DeleteServiceModal } from './DeleteServiceModal';
import { ScaleServiceModal } from './ScaleServiceModal';

type Pending = 'scale' | 'restart' | 'access' | 'delete';

const ACCESS_EFFECT: Record<AccessType, string> = {
  public: 'Anyone who knows its hostname can call it: requests no longer need an Access Key.',
  private:
    'Callers need an Access Key of its project or organization; requests without one are refused.',
};

interface ServiceActionsMenuProps {
  service: ServiceView;
  /** What runs now: where Scale starts. */
  currentInstances: number;
  /** A scale or restart is under way: another would be refused. */
  operationRunning: boolean;
  onOperationStarted: (operation: ServiceOperationView) => void;
  /** The service changed (its access type): read it again. */
  onChanged: () => void;
  onDeleted: () => void;
}

/** The service's actions, each behind a confirmation. */
export function ServiceActionsMenu(props: ServiceActionsMenuProps) {
  const { service, currentInstances, operationRunning } = props;
  const api = useApi();
  const [pending, setPending] = useState<Pending>();
  const [restartKey, setRestartKey] = useState(newIdempotencyKey);
  const close = () => setPending(undefined);
  const otherAccess: AccessType =
    service.access_control.access_type === 'public' ? 'private' : 'public';
  const busyTitle = operationRunning ? 'Wait until the running operation ends' : undefined;

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            size="sm"
            rightSection={<AccordionChevron />}
            data-testid="service-actions"
          >
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            disabled={operationRunning}
            title={busyTitle}
            onClick={() => setPending('scale')}
          >
            Scale…
          </Menu.Item>
          <Menu.Item
            disabled={operationRunning}
            title={busyTitle}
            onClick={() => {
              setRestartKey(newIdempotencyKey());
              setPending('restart');
            }}
          >
            Restart…
          </Menu.Item>
          <Menu.Item onClick={() => setPending('access')}>Make {otherAccess}…</Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" onClick={() => setPending('delete')}>
            Delete…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      {pending === 'scale' ? (
        <ScaleServiceModal
          service={service}
          currentInstances={currentInstances}
          onStarted={props.onOperationStarted}
          onClose={close}
        />
      ) : null}
      {pending === 'restart' ? (
        <ConfirmActionModal
          title={`Restart ${service.name}?`}
          confirmLabel="Restart"
          onConfirm={async () =>
            props.onOperationStarted(await restartService(api, service.id, restartKey))
          }
          onDone={close}
          onClose={close}
        >
          <Text size="sm">
            Every instance is replaced, one at a time: each replacement is ready before the instance
            it replaces leaves, so the service keeps answering.
          </Text>
        </ConfirmActionModal>
      ) : null}
      {pending === 'access' ? (
        <ConfirmActionModal
          title={`Make ${service.name} ${otherAccess}?`}
          confirmLabel={`Make ${otherAccess}`}
          confirmColor={otherAccess === 'public' ? 'orange' : undefined}
          onConfirm={() => changeAccessType(api, service.id, otherAccess)}
          onDone={() => {
            close();
            props.onChanged();
          }}
          onClose={close}
        >
          <Text size="sm">
            {ACCESS_EFFECT[otherAccess]} It applies at once, without a redeploy.
          </Text>
        </ConfirmActionModal>
      ) : null}
      {pending === 'delete' ? (
        <DeleteServiceModal service={service} onDeleted={props.onDeleted} onClose={close} />
      ) : null}
    </>
  );
}
