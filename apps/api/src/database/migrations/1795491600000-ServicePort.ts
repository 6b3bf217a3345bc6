import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The port a service's container listens on (the contract's 8080 unless set). Each
 * deployment also records its own in its settings, so a rollback brings its port back.
 */
export class ServicePort1795491600000 implements MigrationInterface {
  name = 'ServicePort1795491600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" ADD "port" integer NOT NULL DEFAULT 8080`);
    await queryRunner.query(
      `ALTER TABLE "services" ADD CONSTRAINT "chk_services_port" CHECK ("port" BETWEEN 1 AND 65535)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" DROP CONSTRAINT "chk_services_port"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "port"`);
  }
}
