import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;

/** `page` + `per_page` (alias `page_size`, which the Dynamiq CLI sends). */
export class PaginationQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PER_PAGE, { message: `must be at most ${MAX_PER_PAGE}` })
  per_page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PER_PAGE, description: 'Alias of per_page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(MAX_PER_PAGE, { message: `must be at most ${MAX_PER_PAGE}` })
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
