/** Data sources: a project or a resource profile looked up by name. */
import { call, listAll, type Schemas } from '@slipway/cli';
import { IacError } from '@slipway/iac';
import { type Connection } from '../connection';
import { type DataSourceType } from '../schema/provider';
import { textOf, type ObjectValue } from '../wire/values';

export async function readDataSource(
  connection: Connection,
  type: DataSourceType,
  config: ObjectValue,
): Promise<ObjectValue> {
  const { api } = connection;
  const name = textOf(config.name);
  if (type === 'slipway_project') {
    const orgId = (config.org_id as string | null) ?? connection.orgId;
    const projects = await listAll<Schemas['ProjectView']>((page) =>
      call(
        api,
        api.client.GET('/v1/projects', {
          params: { query: { org_id: orgId, per_page: 100, page } },
        }),
      ),
    );
    const project = projects.find((p) => p.name === name);
    if (!project) throw new IacError(`no project named "${name}" in organization ${orgId}`);
    return {
      name,
      org_id: project.org_id,
      id: project.id,
      description: project.description,
      labels: project.labels,
    };
  }
  const profiles = await listAll<Schemas['ResourceProfileView']>((page) =>
    call(
      api,
      api.client.GET('/v1/resource-profiles', { params: { query: { per_page: 100, page } } }),
    ),
  );
  const profile = profiles.find((p) => p.name === name);
  if (!profile)
    throw new IacError(
      `no resource profile named "${name}" (slipway resource-profile list shows them)`,
    );
  return {
    name,
    id: profile.id,
    description: profile.description,
    cpu: profile.cpu,
    memory: profile.memory,
    gpu_type: profile.gpu_type,
    gpu_count: profile.gpu_count || null,
  };
}
