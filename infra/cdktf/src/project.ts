import { TerraformResource } from 'cdktn';
import { type Construct } from 'constructs';
import { checkLabels } from './labels';

export interface ProjectProps {
  /** Unique in its organization, at most 100 characters. */
  readonly name: string;
  readonly description?: string;
  /** Default: the provider's `orgId`, else the organization `slipway iac` is configured with. */
  readonly orgId?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** `slipway_project`: a project in an organization. */
export class Project extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: ProjectProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'slipway_project',
      terraformGeneratorMetadata: { providerName: 'slipway' },
    });
    if (props.name.trim() === '' || props.name.length > 100)
      throw new Error(`${this.node.path}: name must be 1-100 characters`);
    checkLabels(this.node.path, props.labels);
  }

  /** The project's id (known after apply). */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const p = this.props;
    return { name: p.name, description: p.description, org_id: p.orgId, labels: p.labels };
  }
}
