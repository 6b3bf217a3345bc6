import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scale and restart run as queued jobs: the count to restore when a scale fails is kept
 * with the operation. Each installation gets an id of its own, to tell its containers from
 * those of other installations on a shared Docker Engine. A service's status says why.
 */
export class ServiceJobs1795480800000 implements MigrationInterface {
  name = 'ServiceJobs1795480800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_operations" ADD "previous_instances" integer`);
    await queryRunner.query(
      `CREATE TABLE "installation" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_installation" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "installation" DEFAULT VALUES`);
    await queryRunner.query(`ALTER TABLE "services" ADD "status_reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "status_reason"`);
    await queryRunner.query(`DROP TABLE "installation"`);
    await queryRunner.query(`ALTER TABLE "service_operations" DROP COLUMN "previous_instances"`);
  }
}
