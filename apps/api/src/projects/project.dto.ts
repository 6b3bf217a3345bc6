import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, Matches, ValidateIf } from 'class-validator';
import { PaginationQuery } from '../common/http/pagination.dto';
import { IsLabelFilter } from '../common/validation/label-filter';
import { type Labels } from '@slipway/contracts';
import { DescriptionAndLabelsDto } from '../common/validation/description-labels.dto';
import { IsLabels, LabelsView, labelsOf } from '../common/validation/labels';
import { type Project } from './project.entity';

export class CreateProjectDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  org_id!: string;

  @ApiProperty({ example: 'web', maxLength: 100 })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @IsString({ message: 'must be a string' })
  description?: string;

  @IsLabels()
  labels?: Labels;
}

/** The fields given change; those left out stay. */
export class UpdateProjectDto extends DescriptionAndLabelsDto {
  @ApiPropertyOptional({
    example: 'web',
    maxLength: 100,
    description: 'Unique in the organization; only while the project has no services',
  })
  @ValidateIf((dto: UpdateProjectDto) => dto.name !== undefined)
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name?: string;
}

export class ListProjectsQuery extends PaginationQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only projects of this organization' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;

  @IsLabelFilter()
  label?: string[];
}

export class GetProjectQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The organization the project must belong to',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  org_id?: string;
}

export class ProjectView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) org_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @LabelsView() labels!: Labels;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export function toProjectView(project: Project): ProjectView {
  return {
    id: project.id,
    org_id: project.orgId,
    name: project.name,
    description: project.description,
    labels: labelsOf(project.labels),
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}
