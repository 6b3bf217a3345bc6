import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GPU_COUNTS, GPU_TYPES, type GpuType, type Labels } from '@slipway/contracts';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PaginationQuery } from '../common/http/pagination.dto';
import { IsLabelFilter } from '../common/validation/label-filter';
import { DescriptionAndLabelsDto } from '../common/validation/description-labels.dto';
import { IsLabels, LabelsView, labelsOf } from '../common/validation/labels';
import {
  PROFILE_PURPOSES,
  type ProfilePurpose,
  type ResourceProfile,
} from './resource-profile.entity';
import { PROFILE_SORTS, type ProfileSort } from './resource-profiles.service';

/** Kubernetes quantities, never zero: a size without CPU or memory cannot run anything. */
const CPU_QUANTITY = /^(?!0+m$|0+(\.0+)?$)(\d+m|\d+(\.\d{1,3})?)$/;
const MEMORY_QUANTITY = /^(?!0+(Mi|Gi|Ti)$)\d+(Mi|Gi|Ti)$/;
const PROFILE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class ListResourceProfilesQuery extends PaginationQuery {
  @ApiPropertyOptional({ enum: PROFILE_PURPOSES })
  @IsOptional()
  @IsIn(PROFILE_PURPOSES, { message: `must be one of ${PROFILE_PURPOSES.join(', ')}` })
  purpose?: ProfilePurpose;

  @ApiPropertyOptional({ enum: PROFILE_SORTS, default: 'sort_order' })
  @IsOptional()
  @IsIn(PROFILE_SORTS, { message: `must be one of ${PROFILE_SORTS.join(', ')}` })
  sort?: ProfileSort;

  @IsLabelFilter()
  label?: string[];
}

export class CreateResourceProfileDto {
  @ApiProperty({ example: 'medium', description: 'Lowercase letters, digits and dashes' })
  @Matches(PROFILE_NAME, { message: 'must be lowercase letters, digits and dashes (at most 63)' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @IsString({ message: 'must be a string' })
  description?: string;

  @ApiProperty({ example: '500m', description: 'CPU as a Kubernetes quantity: 500m, 1, 1.5' })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @Matches(CPU_QUANTITY, { message: 'must be a CPU quantity above zero such as 500m, 1 or 1.5' })
  @IsString({ message: 'must be a string' })
  cpu!: string;

  @ApiProperty({ example: '1Gi', description: 'Memory as a Kubernetes quantity: 512Mi, 2Gi' })
  @Matches(MEMORY_QUANTITY, {
    message: 'must be a memory quantity above zero such as 512Mi or 2Gi',
  })
  @IsString({ message: 'must be a string' })
  memory!: string;

  @ApiPropertyOptional({ enum: GPU_TYPES })
  @ValidateIf(
    (dto: CreateResourceProfileDto) => dto.gpu_type !== undefined || (dto.gpu_count ?? 0) > 0,
  )
  @IsIn(GPU_TYPES, {
    message: `must be one of ${GPU_TYPES.join(', ')} (required when gpu_count > 0)`,
  })
  gpu_type?: GpuType;

  @ApiPropertyOptional({ enum: [0, ...GPU_COUNTS], default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsIn([0, ...GPU_COUNTS], { message: `must be one of 0, ${GPU_COUNTS.join(', ')}` })
  gpu_count?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Min(0, { message: 'must be at least 0' })
  @IsInt({ message: 'must be an integer' })
  sort_order?: number;

  @IsLabels()
  labels?: Labels;
}

/**
 * What may change on a profile. Its name and size stay: deployments copy the size and
 * refer to the profile by id, so a changed size would misdescribe them.
 */
export class UpdateResourceProfileDto extends DescriptionAndLabelsDto {}

export class ResourceProfileView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: PROFILE_PURPOSES }) purpose!: ProfilePurpose;
  @ApiProperty({ example: '500m' }) cpu!: string;
  @ApiProperty({ example: '1Gi' }) memory!: string;
  @ApiProperty({ nullable: true, enum: GPU_TYPES }) gpu_type!: string | null;
  @ApiProperty() gpu_count!: number;
  @ApiProperty() sort_order!: number;
  @LabelsView() labels!: Labels;
}

export function toResourceProfileView(profile: ResourceProfile): ResourceProfileView {
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description,
    purpose: profile.purpose,
    cpu: profile.cpu,
    memory: profile.memory,
    gpu_type: profile.gpuType,
    gpu_count: profile.gpuCount,
    sort_order: profile.sortOrder,
    labels: labelsOf(profile.labels),
  };
}
