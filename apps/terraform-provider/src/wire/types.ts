/**
 * The attribute types of the provider's schemas and their Terraform type constraints
 * (`"string"`, `["map","string"]`…), the form Schema.Attribute.type carries.
 */
export type PrimitiveType = 'string' | 'number' | 'bool';

export type AttributeType =
  | PrimitiveType
  | { readonly list: PrimitiveType }
  | { readonly map: PrimitiveType }
  /** A nested attribute object (protocol 6's nested_type with SINGLE nesting). */
  | { readonly object: Readonly<Record<string, Attribute>> }
  /** A list of nested attribute objects (nested_type with LIST nesting). */
  | { readonly objects: Readonly<Record<string, Attribute>> };

export interface Attribute {
  readonly type: AttributeType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** Changing it replaces the resource (RequiresReplace in the plan). */
  readonly forcesReplacement?: boolean;
}

export type Block = Readonly<Record<string, Attribute>>;

/** The JSON type constraint of an attribute that is not a nested object. */
export function typeConstraint(type: AttributeType): unknown {
  if (typeof type === 'string') return type;
  if ('list' in type) return ['list', type.list];
  if ('map' in type) return ['map', type.map];
  throw new Error('nested objects have no type constraint: they are sent as nested_type');
}
