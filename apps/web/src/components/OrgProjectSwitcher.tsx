import { Group, NativeSelect } from '@mantine/core';
import { useEffect } from 'react';
import { useApi } from '../api/context';
import { listOrgs, listProjects } from '../api/endpoints';
import { useAsync, type AsyncState } from '../api/useAsync';
import type { Selection } from '../selection';

interface SwitcherProps {
  selection: Selection;
  onChange: (selection: Selection) => void;
}

interface Option {
  value: string;
  label: string;
}

/** The options of a select, or one disabled line saying why there are none. */
function options<T>(
  state: AsyncState<T[]>,
  toOption: (item: T) => Option,
  noneLabel: string,
): { data: Option[]; error?: string } {
  if (state.status === 'loading') return { data: [{ value: '', label: 'Loading…' }] };
  if (state.status === 'error')
    return { data: [{ value: '', label: '—' }], error: state.error.message };
  if (state.data.length === 0) return { data: [{ value: '', label: noneLabel }] };
  return { data: state.data.map(toOption) };
}

/**
 * The organization and project pickers. A remembered choice that is no longer offered
 * falls back to the first organization, and to its first project.
 */
export function OrgProjectSwitcher({ selection, onChange }: SwitcherProps) {
  const api = useApi();
  const { orgId, projectId } = selection;
  const orgs = useAsync(() => listOrgs(api), [api]);
  const projects = useAsync(async () => (orgId ? listProjects(api, orgId) : []), [api, orgId]);

  useEffect(() => {
    if (orgs.status !== 'ok') return;
    if (orgId !== undefined && orgs.data.some((org) => org.id === orgId)) return;
    const first = orgs.data[0]?.id;
    if (first !== orgId || projectId !== undefined)
      onChange({ orgId: first, projectId: undefined });
  }, [orgs, orgId, projectId, onChange]);

  useEffect(() => {
    if (projects.status !== 'ok' || orgId === undefined) return;
    const list = projects.data;
    if (projectId !== undefined && list.some((project) => project.id === projectId)) return;
    const first = list[0]?.id;
    if (first !== projectId) onChange({ orgId, projectId: first });
  }, [projects, orgId, projectId, onChange]);

  const orgOptions = options(
    orgs,
    (org) => ({ value: org.id, label: org.name }),
    'No organization',
  );
  const projectOptions = options(
    projects,
    (project) => ({ value: project.id, label: project.name }),
    'No project',
  );

  return (
    <Group gap="xs" wrap="nowrap">
      <NativeSelect
        aria-label="Organization"
        data-testid="org-select"
        size="xs"
        w={180}
        data={orgOptions.data}
        value={orgId ?? ''}
        error={orgOptions.error}
        disabled={orgs.status !== 'ok' || orgs.data.length === 0}
        onChange={(event) =>
          onChange({ orgId: event.currentTarget.value || undefined, projectId: undefined })
        }
      />
      <NativeSelect
        aria-label="Project"
        data-testid="project-select"
        size="xs"
        w={180}
        data={projectOptions.data}
        value={projectId ?? ''}
        error={projectOptions.error}
        disabled={projects.status !== 'ok' || projects.data.length === 0}
        onChange={(event) => onChange({ orgId, projectId: event.currentTarget.value || undefined })}
      />
    </Group>
  );
}
