import { TerraformOutput, TerraformResource } from 'cdktn';
import { type Construct } from 'constructs';
import { checkLabels } from './labels';
import { type Project } from './project';

export interface AccessKeyProps {
  readonly name: string;
  /** An org key opens every private service of the org; a project key those of one project. */
  readonly scope: 'org' | 'project';
  /** Required for a project key. */
  readonly project?: Project | string;
  /** For an org key. Default: the provider's `orgId`, else the configured organization. */
  readonly orgId?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * `slipway_access_key`: a Bearer key for private services. The key is shown once, at
 * creation, as the sensitive output `<id>_key`; every attribute forces a new key.
 */
export class AccessKey extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: AccessKeyProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'slipway_access_key',
      terraformGeneratorMetadata: { providerName: 'slipway' },
    });
    const path = this.node.path;
    if (props.name.trim() === '' || props.name.length > 100)
      throw new Error(`${path}: name must be 1-100 characters`);
    if ((props.scope === 'project') !== (props.project !== undefined))
      throw new Error(`${path}: a project key names its project; an org key names none`);
    if (props.scope === 'project' && props.orgId !== undefined)
      throw new Error(
        `${path}: orgId is for org keys (a project key belongs to its project's org)`,
      );
    checkLabels(path, props.labels);
    new TerraformOutput(scope, `${id}_key`, { value: this.key, sensitive: true });
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The secret key (sensitive, known after apply). */
  get key(): string {
    return this.getStringAttribute('key');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const p = this.props;
    const project = typeof p.project === 'string' ? p.project : p.project?.id;
    return { name: p.name, scope: p.scope, project_id: project, org_id: p.orgId, labels: p.labels };
  }
}
