import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, Matches } from 'class-validator';
import { type Membership, ORG_ROLES, type OrgRole } from './membership.entity';
import { type OrgWithRole } from './orgs.service';

export class CreateOrgDto {
  @ApiProperty({ example: 'Acme', maxLength: 100 })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @IsString({ message: 'must be a string' })
  description?: string;
}

export class AddMemberDto {
  @ApiProperty({ example: 'ada@example.com', description: 'Email of an existing user' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @ApiPropertyOptional({ enum: ORG_ROLES, default: 'member' })
  @IsOptional()
  @IsIn(ORG_ROLES, { message: `must be one of ${ORG_ROLES.join(', ')}` })
  role?: OrgRole;
}

export class OrgView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: ORG_ROLES, description: "The caller's role in this organization" })
  role!: OrgRole;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORG_ROLES }) role!: OrgRole;
  @ApiProperty({ format: 'date-time' }) joined_at!: string;
}

export function toOrgView({ org, role }: OrgWithRole): OrgView {
  return {
    id: org.id,
    name: org.name,
    description: org.description,
    role,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
  };
}

export function toMemberView(membership: Membership): MemberView {
  return {
    user_id: membership.userId,
    email: membership.user?.email ?? '',
    name: membership.user?.name ?? '',
    role: membership.role,
    joined_at: membership.createdAt.toISOString(),
  };
}
