import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { PersonalAccessToken } from '../tokens/personal-access-token.entity';

/**
 * A browser session, opened with a Personal Access Token and held in an HttpOnly cookie (the
 * token itself never reaches browser storage). It lasts while its token does: revoking the
 * token ends it too. Only a hash of the cookie is stored; the CSRF token is derived from it.
 */
@Entity('sessions')
@Index('idx_sessions_token', ['tokenId'])
export class Session {
  @PrimaryColumn('uuid') id!: string;

  @Column({ name: 'token_id', type: 'uuid' }) tokenId!: string;

  @Column({ name: 'secret_hash', type: 'char', length: 64, unique: true }) secretHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => PersonalAccessToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: PersonalAccessToken;
}
