import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceDomains1795473600000 implements MigrationInterface {
  name = 'ServiceDomains1795473600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The domain is the primary key: unique across the platform, whichever service holds it.
    await queryRunner.query(
      `CREATE TABLE "service_domains" ("domain" character varying(253) NOT NULL, "service_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4926717e39a2443ba3ac3fe31e2" PRIMARY KEY ("domain"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_service_domains_service" ON "service_domains" ("service_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "service_domains" ADD CONSTRAINT "FK_66778fa29659de7d78720603f33" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "service_domains" DROP CONSTRAINT "FK_66778fa29659de7d78720603f33"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idx_service_domains_service"`);
    await queryRunner.query(`DROP TABLE "service_domains"`);
  }
}
