import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceOperations1795459200000 implements MigrationInterface {
  name = 'ServiceOperations1795459200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_operations" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "service_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "deployment_id" uuid NOT NULL, "instances" integer NOT NULL, "status" character varying(16) NOT NULL, "failure_reason" text, "started_by" uuid NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_05fb0abbff9b30d3a1a1b0863d1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_service_operations_service_started" ON "service_operations" ("service_id", "started_at") `,
    );
    await queryRunner.query(`ALTER TABLE "services" ADD "instances" integer`);
    await queryRunner.query(`ALTER TABLE "services" ADD "min_replicas" integer`);
    await queryRunner.query(`ALTER TABLE "services" ADD "max_replicas" integer`);
    await queryRunner.query(
      `ALTER TABLE "service_operations" ADD CONSTRAINT "FK_feda539c38f3e49b841377ecff1" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_operations" DROP CONSTRAINT "FK_feda539c38f3e49b841377ecff1"`,
    );
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "max_replicas"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "min_replicas"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "instances"`);
    await queryRunner.query(`DROP INDEX "public"."idx_service_operations_service_started"`);
    await queryRunner.query(`DROP TABLE "service_operations"`);
  }
}
