import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Labels (string key/value pairs) on projects, services, access keys and resource profiles,
 * so a tool can record which stack owns a resource without a state file of its own. Lists
 * filter with `labels @> '{"key":"value"}'`, which a GIN index on each table serves.
 */
const TABLES = ['projects', 'services', 'access_keys', 'resource_profiles'] as const;

export class Labels1795484400000 implements MigrationInterface {
  name = 'Labels1795484400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "labels" jsonb NOT NULL DEFAULT '{}'`);
      await queryRunner.query(
        `CREATE INDEX "idx_${table}_labels" ON "${table}" USING gin ("labels")`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await queryRunner.query(`DROP INDEX "public"."idx_${table}_labels"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "labels"`);
    }
  }
}
