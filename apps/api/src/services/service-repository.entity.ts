import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Service } from './service.entity';

/**
 * The git repository a service deploys from: its branch's head is built on every deploy,
 * and pushes to the branch redeploy through the webhook. Secrets are sealed (SecretBox):
 * the token the builder clones with, and the webhook secret that pushes are signed with.
 */
@Entity('service_repositories')
export class ServiceRepository {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' }) serviceId!: string;

  @Column({ type: 'varchar', length: 2048 }) url!: string;

  @Column({ type: 'varchar', length: 255 }) branch!: string;

  @Column({ name: 'docker_file', type: 'varchar', length: 1024 }) dockerFile!: string;

  @Column({ name: 'docker_context', type: 'varchar', length: 1024 }) dockerContext!: string;

  /** User name sent with the token (HTTP Basic); null without a token. */
  @Column({ name: 'auth_username', type: 'varchar', length: 255, nullable: true })
  authUsername!: string | null;

  @Column({ name: 'auth_token_ciphertext', type: 'text', nullable: true })
  authTokenCiphertext!: string | null;

  @Column({ name: 'webhook_secret_ciphertext', type: 'text' }) webhookSecretCiphertext!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @OneToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
