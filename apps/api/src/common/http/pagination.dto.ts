import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;
/** Keeps OFFSET within what PostgreSQL accepts; nobody pages further than this. */
export const MAX_PAGE = 1_000_000;

/** `page` + `per_page` (alias `page_size`, which the Dynamiq CLI sends). */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_PAGE, { message: `must be at most ${MAX_PAGE}` })
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be an integer' })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PER_PAGE, { message: `must be at most ${MAX_PER_PAGE}` })
  @IsInt({ message: 'must be an integer' })
  per_page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, description: 'Alias of per_page' })
  @IsOptional()
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PER_PAGE, { message: `must be at most ${MAX_PER_PAGE}` })
  @IsInt({ message: 'must be an integer' })
  page_size?: number;
}

export interface PageRequest {
  page: number;
  perPage: number;
  skip: number;
}

export function pageRequest(query: PaginationQuery): PageRequest {
  const page = query.page ?? 1;
  const perPage = query.per_page ?? query.page_size ?? DEFAULT_PER_PAGE;
  return { page, perPage, skip: (page - 1) * perPage };
}
