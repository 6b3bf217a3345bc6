/** A service's git repository as requests give it (`repo`) and as answers show it. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  branchProblem,
  DEFAULT_GIT_USERNAME,
  MAX_BRANCH_LENGTH,
  MAX_REPO_URL_LENGTH,
  repoUrlProblem,
} from '@slipway/contracts';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SatisfiesRule } from '../common/validation/problem-check';

export class RepoAuthDto {
  @ApiPropertyOptional({ default: DEFAULT_GIT_USERNAME, maxLength: 255 })
  @IsOptional()
  @Matches(/^[^\s:]+$/, { message: 'must have no spaces or colons' })
  @MaxLength(255, { message: 'must be at most 255 characters' })
  @IsString({ message: 'must be a string' })
  username?: string;

  @ApiProperty({
    writeOnly: true,
    description: 'A token that may read the repository; stored sealed, never returned',
  })
  @MaxLength(4096, { message: 'must be at most 4096 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'must be a string' })
  @IsDefined({ message: 'is required' })
  token!: string;
}

export class RepoDockerDto {
  @ApiPropertyOptional({ default: 'Dockerfile', description: 'Relative to the repository root' })
  @IsOptional()
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'must be a string' })
  file?: string;

  @ApiPropertyOptional({ default: '.', description: 'Relative to the repository root' })
  @IsOptional()
  @MaxLength(1024, { message: 'must be at most 1024 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'must be a string' })
  context?: string;
}

export class RepoDto {
  @ApiProperty({ example: 'https://github.com/acme/api.git', maxLength: MAX_REPO_URL_LENGTH })
  @SatisfiesRule('isRepoUrl', repoUrlProblem)
  @IsDefined({ message: 'is required' })
  url!: string;

  @ApiProperty({ example: 'main', maxLength: MAX_BRANCH_LENGTH })
  @SatisfiesRule('isBranch', branchProblem)
  @IsDefined({ message: 'is required' })
  branch!: string;

  @ApiPropertyOptional({ type: RepoDockerDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RepoDockerDto)
  docker?: RepoDockerDto;

  @ApiPropertyOptional({
    type: RepoAuthDto,
    description: 'For a private repository; left out on an update, the stored token stays',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RepoAuthDto)
  auth?: RepoAuthDto;
}

class RepoDockerView {
  @ApiProperty() file!: string;
  @ApiProperty() context!: string;
}

export class RepoView {
  @ApiProperty() url!: string;
  @ApiProperty() branch!: string;
  @ApiProperty({ type: RepoDockerView }) docker!: { file: string; context: string };
  @ApiProperty({ description: 'Whether a token is stored (it is never shown)' })
  private!: boolean;
  @ApiProperty({
    example: 'https://api.slipway.example.com/v1/hooks/git/0b5c…',
    description: 'Where GitHub or GitLab send push events',
  })
  webhook_url!: string;
  @ApiPropertyOptional({
    description:
      'The webhook secret, shown only in the answer that connected the repository: GitHub signs with it (X-Hub-Signature-256), GitLab sends it (X-Gitlab-Token)',
  })
  webhook_secret?: string;
}
