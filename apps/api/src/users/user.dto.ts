import { NOT_BLANK } from '../common/validation/patterns';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, Matches } from 'class-validator';
import { type User } from './user.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'ada@example.com' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: 100 })
  @Matches(NOT_BLANK, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  is_admin?: boolean;
}

export class UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() is_admin!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CreatedUserView extends UserView {
  @ApiProperty({
    description: "The new user's first Personal Access Token; shown only in this response",
  })
  token!: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    is_admin: user.isAdmin,
    created_at: user.createdAt.toISOString(),
  };
}
