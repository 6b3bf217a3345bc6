import { MigrationInterface, QueryRunner } from 'typeorm';

export class Deployments1795373322219 implements MigrationInterface {
  name = 'Deployments1795373322219';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "deployments" ("id" uuid NOT NULL, "service_id" uuid NOT NULL, "org_id" uuid NOT NULL, "project_id" uuid NOT NULL, "status" character varying(32) NOT NULL, "trigger" character varying(32) NOT NULL DEFAULT 'deploy', "started_by" uuid NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "image" character varying(512), "image_digest" character varying(71), "source" jsonb, "settings" jsonb NOT NULL, "failure_reason" text, "build_token_hash" character(64), "bundle_fetches" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1e5627acb3c950deb83fe98fc48" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_deployments_service_created" ON "deployments" ("service_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_routes" ("service_id" uuid NOT NULL, "deployment_id" uuid, "endpoints" jsonb NOT NULL, "version" bigint NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4b39908fbc85bfc4451e5d158a6" PRIMARY KEY ("service_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "deployments" ADD CONSTRAINT "FK_79faf28ff24832a84e26cae305f" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_routes" ADD CONSTRAINT "FK_4b39908fbc85bfc4451e5d158a6" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_routes" DROP CONSTRAINT "FK_4b39908fbc85bfc4451e5d158a6"`,
    );
    await queryRunner.query(
      `ALTER TABLE "deployments" DROP CONSTRAINT "FK_79faf28ff24832a84e26cae305f"`,
    );
    await queryRunner.query(`DROP TABLE "service_routes"`);
    await queryRunner.query(`DROP INDEX "public"."idx_deployments_service_created"`);
    await queryRunner.query(`DROP TABLE "deployments"`);
  }
}
