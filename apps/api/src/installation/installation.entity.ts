import { CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * This installation's identity: one row, written by the migration that creates the table.
 * Runtime objects carry its id, so installations sharing a Docker Engine (a dev stack next
 * to tests) never touch each other's containers.
 */
@Entity('installation')
export class Installation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_installation' }) id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
