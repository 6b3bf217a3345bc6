import { MigrationInterface, QueryRunner } from 'typeorm';

/** The usage sampler's CPU and memory readings: the Metrics' history of resource usage. */
export class UsageSamples1795506000000 implements MigrationInterface {
  name = 'UsageSamples1795506000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "usage_samples" ("service_id" uuid NOT NULL, "sampled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "cpu_cores" double precision NOT NULL, "memory_bytes" bigint NOT NULL, CONSTRAINT "PK_010631bb208a1e3ff2bc6397cdc" PRIMARY KEY ("service_id", "sampled_at"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_usage_samples_sampled_at" ON "usage_samples" ("sampled_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_samples" ADD CONSTRAINT "FK_88f6db14e3b87a2790bd324315a" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "usage_samples"`);
  }
}
