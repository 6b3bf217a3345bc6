import { ApiPropertyOptional } from '@nestjs/swagger';
import { type Labels } from '@slipway/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLabels } from './labels';

/** The fields an update of a project or a resource profile shares: its description and labels. */
export class DescriptionAndLabelsDto {
  @ApiPropertyOptional({
    maxLength: 500,
    nullable: true,
    type: String,
    description: 'null removes it',
  })
  @IsOptional()
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @IsString({ message: 'must be a string' })
  description?: string | null;

  @IsLabels('Labels, replacing the current ones ({} removes them all)')
  labels?: Labels;
}
