import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiResponse,
  ApiProduces,
  ApiProperty,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorCode } from '@slipway/contracts';

class ErrorDetail {
  @ApiProperty({ enum: ErrorCode }) code!: ErrorCode;
  @ApiProperty() message!: string;
  @ApiProperty() request_id!: string;
}

export class ErrorResponse {
  @ApiProperty({ type: ErrorDetail }) error!: ErrorDetail;
}

export class PaginationView {
  @ApiProperty() page!: number;
  @ApiProperty() per_page!: number;
  @ApiProperty() total!: number;
  @ApiProperty() total_pages!: number;
}

/** The error answers every authenticated route can give. */
function commonErrors() {
  return [
    ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid input' }),
    ApiUnauthorizedResponse({
      type: ErrorResponse,
      description: 'Missing, invalid or revoked token',
    }),
    ApiForbiddenResponse({ type: ErrorResponse, description: 'Not allowed' }),
    ApiNotFoundResponse({ type: ErrorResponse, description: 'Not found (or not visible to you)' }),
    ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Rate limited' }),
  ];
}

/** 200 (or `status`, e.g. 202 Accepted) with `{"data": Model}`. */
export function ApiDataResponse(model: Type<unknown>, description = 'OK', status = 200) {
  return applyDecorators(
    ApiExtraModels(model, ErrorResponse),
    ApiResponse({
      status,
      description,
      schema: {
        type: 'object',
        required: ['data'],
        properties: { data: { $ref: getSchemaPath(model) } },
      },
    }),
    ...commonErrors(),
  );
}

/** 200 with `{"data": [Model], "pagination": Pagination}`. */
function listResponse(model: Type<unknown>, pagination: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model, pagination, ErrorResponse),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'pagination'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          pagination: { $ref: getSchemaPath(pagination) },
        },
      },
    }),
    ...commonErrors(),
  );
}

/** 200 with `{"data": [Model], "pagination": {...}}`. */
export function ApiListResponse(model: Type<unknown>) {
  return listResponse(model, PaginationView);
}

export class CursorPaginationView {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass back as `cursor` for the next page; null when there is none',
  })
  next_cursor!: string | null;
}

/** 200 with `{"data": [Model], "pagination": {"next_cursor"}}`: lists of streamed data. */
export function ApiCursorListResponse(model: Type<unknown>) {
  return listResponse(model, CursorPaginationView);
}

/** 200 with a `text/plain` stream of lines (logs), and the usual errors as JSON. */
export function ApiTextStreamResponse(description: string) {
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ApiProduces('text/plain', 'application/json'),
    ApiOkResponse({ description, content: { 'text/plain': { schema: { type: 'string' } } } }),
    ...commonErrors(),
  );
}
