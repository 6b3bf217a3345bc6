import { MigrationInterface, QueryRunner } from 'typeorm';

export class Spans1795462800000 implements MigrationInterface {
  name = 'Spans1795462800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "spans" ("service_id" uuid NOT NULL, "trace_id" character(32) NOT NULL, "span_id" character(16) NOT NULL, "parent_span_id" character(16), "name" text NOT NULL, "kind" smallint NOT NULL, "start_time" TIMESTAMP WITH TIME ZONE NOT NULL, "end_time" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ns" bigint NOT NULL, "status_code" smallint NOT NULL, "status_message" text, "attributes" jsonb NOT NULL, "events" jsonb NOT NULL, "links" jsonb NOT NULL, "resource" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85868e5636d5f224201488d9223" PRIMARY KEY ("service_id", "trace_id", "span_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_spans_service_start" ON "spans" ("service_id", "start_time") `,
    );
    // Rows arrive in received_at order, so a BRIN index makes the retention delete cheap.
    await queryRunner.query(
      `CREATE INDEX "idx_spans_received_brin" ON "spans" USING brin ("received_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_spans_received_brin"`);
    await queryRunner.query(`DROP INDEX "public"."idx_spans_service_start"`);
    await queryRunner.query(`DROP TABLE "spans"`);
  }
}
