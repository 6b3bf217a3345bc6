import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceTokenRotation1795466400000 implements MigrationInterface {
  name = 'ServiceTokenRotation1795466400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" ADD "previous_token_hash" character(64)`);
    await queryRunner.query(
      `ALTER TABLE "services" ADD "previous_token_expires_at" TIMESTAMP WITH TIME ZONE`,
    );
    // The collector looks tokens up by either hash.
    await queryRunner.query(
      `CREATE INDEX "idx_services_previous_token_hash" ON "services" ("previous_token_hash") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_services_previous_token_hash"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "previous_token_expires_at"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "previous_token_hash"`);
  }
}
