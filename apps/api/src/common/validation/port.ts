/**
 * A service's `port` field, on services and on deploys alike. The range is in
 * @slipway/contracts, which the runtime spec and the constructs check too.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { SERVICE_PORT_RANGE } from '@slipway/contracts';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export function IsServicePort(description: string): PropertyDecorator {
  const { min, max } = SERVICE_PORT_RANGE;
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: min,
      maximum: max,
      example: 8080,
      description,
    }),
    // Absent means "leave it"; null is not a port (IsOptional would let it through).
    ValidateIf((_dto, value) => value !== undefined),
    Max(max, { message: `must be a TCP port from ${min} to ${max}` }),
    Min(min, { message: `must be a TCP port from ${min} to ${max}` }),
    IsInt({ message: `must be an integer TCP port from ${min} to ${max}` }),
  );
}
