import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scale to zero: a service knows it sleeps (not paused), why its last wake failed and when
 * it was last called; operations say who decided them and why.
 */
export class ScaleToZero1795509600000 implements MigrationInterface {
  name = 'ScaleToZero1795509600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" ADD "asleep" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "services" ADD "wake_failure" text`);
    await queryRunner.query(
      `ALTER TABLE "services" ADD "last_request_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_operations" ADD "cause" character varying(16) NOT NULL DEFAULT 'user'`,
    );
    await queryRunner.query(`ALTER TABLE "service_operations" ADD "reason" text`);
    await queryRunner.query(
      `ALTER TABLE "service_operations" ALTER COLUMN "started_by" DROP NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_operations" ALTER COLUMN "started_by" SET NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "service_operations" DROP COLUMN "reason"`);
    await queryRunner.query(`ALTER TABLE "service_operations" DROP COLUMN "cause"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "last_request_at"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "wake_failure"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "asleep"`);
  }
}
