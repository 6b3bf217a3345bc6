import { MigrationInterface, QueryRunner } from 'typeorm';

/** The edge polls `access_keys` for rows created or revoked since its last read. */
export class AccessKeyChangeIndexes1795477200000 implements MigrationInterface {
  name = 'AccessKeyChangeIndexes1795477200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_access_keys_created_at" ON "access_keys" ("created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_access_keys_revoked_at" ON "access_keys" ("revoked_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_access_keys_revoked_at"`);
    await queryRunner.query(`DROP INDEX "public"."idx_access_keys_created_at"`);
  }
}
