import { PROFILE_NAME, QUANTITY } from '@slipway/iac';
import { TerraformResource } from 'cdktn';
import { type Construct } from 'constructs';
import { checkLabels, checkPattern } from './labels';

export interface ResourceProfileProps {
  /** A lowercase DNS label, unique in the installation. */
  readonly name: string;
  readonly description?: string;
  /** CPU request and limit, e.g. `500m` or `2`. */
  readonly cpu: string;
  /** Memory request and limit, e.g. `512Mi` or `4Gi`. */
  readonly memory: string;
  /** GPUs per instance (default none). */
  readonly gpu?: { readonly type: string; readonly count: 1 | 2 | 4 | 8 };
  readonly labels?: Readonly<Record<string, string>>;
}

/** `slipway_resource_profile`: a named size services pick (admins only). */
export class ResourceProfile extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    readonly props: ResourceProfileProps,
  ) {
    super(scope, id, {
      terraformResourceType: 'slipway_resource_profile',
      terraformGeneratorMetadata: { providerName: 'slipway' },
    });
    const path = this.node.path;
    checkPattern(path, 'name', props.name, PROFILE_NAME, 'must be a lowercase DNS label');
    checkPattern(path, 'cpu', props.cpu, QUANTITY, 'must be a CPU quantity such as 500m or 2');
    checkPattern(path, 'memory', props.memory, QUANTITY, 'must be a memory quantity such as 512Mi');
    if (props.gpu && ![1, 2, 4, 8].includes(props.gpu.count))
      throw new Error(`${path}: gpu.count must be 1, 2, 4 or 8`);
    checkLabels(path, props.labels);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const p = this.props;
    return {
      name: p.name,
      description: p.description,
      cpu: p.cpu,
      memory: p.memory,
      gpu_type: p.gpu?.type,
      gpu_count: p.gpu?.count,
      labels: p.labels,
    };
  }
}
