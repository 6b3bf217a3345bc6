import { PROVIDER_NAME, PROVIDER_SOURCE } from '@slipway/iac';
import { TerraformProvider, TerraformVariable, Token } from 'cdktn';
import { type Construct } from 'constructs';

export interface SlipwayProviderProps {
  /** The API's base URL. Default: what `slipway iac` is configured with (`SLIPWAY_API_URL`). */
  readonly apiUrl?: string;
  /**
   * The API token, as a reference to a sensitive variable. Default: a sensitive variable
   * `slipway_token` (set it with `TF_VAR_slipway_token`; `slipway iac` falls back to its
   * own configured token). A literal token is refused: it would be written into the JSON.
   */
  readonly token?: string;
  /** The organization projects are created in when they name none. */
  readonly orgId?: string;
}

/** The `slipway` provider block (source `slipway/slipway`). */
export class SlipwayProvider extends TerraformProvider {
  readonly token: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SlipwayProviderProps = {},
  ) {
    super(scope, id, {
      terraformResourceType: PROVIDER_NAME,
      terraformProviderSource: PROVIDER_SOURCE,
      terraformGeneratorMetadata: { providerName: PROVIDER_NAME },
    });
    if (props.token !== undefined && !Token.isUnresolved(props.token)) {
      throw new Error(
        `${this.node.path}: token must reference a sensitive TerraformVariable, not be written as a literal (it would land in the synthesized JSON)`,
      );
    }
    this.token =
      props.token ??
      new TerraformVariable(scope, 'slipway_token', {
        type: 'string',
        sensitive: true,
        description:
          'A Slipway API token (TF_VAR_slipway_token); slipway iac falls back to its own',
      }).stringValue;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { api_url: this.props.apiUrl, token: this.token, org_id: this.props.orgId };
  }
}
