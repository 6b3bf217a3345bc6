import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;

  /** Stored lower-cased so lookups and the unique index ignore case. */
  @Column({ type: 'varchar', length: 254, unique: true }) email!: string;

  @Column({ type: 'varchar', length: 100 }) name!: string;

  @Column({ name: 'is_admin', type: 'boolean', default: false }) isAdmin!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
