/** Schemas as protocol messages (Schema.Block with nested_type for nested objects). */
import { typeConstraint, type Attribute, type Block } from '../wire/types';

/** The version recorded with each resource's state (UpgradeResourceState reads older ones). */
export const SCHEMA_VERSION = 0;

interface AttributeMessage {
  name: string;
  type?: Buffer;
  nested_type?: { attributes: AttributeMessage[]; nesting: 'SINGLE' | 'LIST' };
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
}

function attributeMessage(name: string, attribute: Attribute): AttributeMessage {
  const { type } = attribute;
  const nested =
    typeof type !== 'object' || !('object' in type || 'objects' in type)
      ? undefined
      : 'object' in type
        ? { attributes: attributeMessages(type.object), nesting: 'SINGLE' as const }
        : { attributes: attributeMessages(type.objects), nesting: 'LIST' as const };
  return {
    name,
    ...(nested
      ? { nested_type: nested }
      : { type: Buffer.from(JSON.stringify(typeConstraint(type))) }),
    description: attribute.description,
    required: attribute.required ?? false,
    optional: attribute.optional ?? false,
    computed: attribute.computed ?? false,
    sensitive: attribute.sensitive ?? false,
  };
}

function attributeMessages(block: Block): AttributeMessage[] {
  return Object.entries(block).map(([name, attribute]) => attributeMessage(name, attribute));
}

export function schemaMessage(block: Block, description: string) {
  return {
    version: SCHEMA_VERSION,
    block: { version: SCHEMA_VERSION, attributes: attributeMessages(block), description },
  };
}
