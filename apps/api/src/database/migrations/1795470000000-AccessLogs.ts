import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessLogs1795470000000 implements MigrationInterface {
  name = 'AccessLogs1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign key: the edge appends in batches, and deleting a service deletes its rows
    // explicitly.
    await queryRunner.query(
      `CREATE TABLE "access_logs" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "service_id" uuid NOT NULL, "method" text NOT NULL, "path" text NOT NULL, "status" smallint NOT NULL, "duration_ms" double precision NOT NULL, "bytes_in" bigint NOT NULL, "bytes_out" bigint NOT NULL, "client_ip" text, "user_agent" text, "request_id" text NOT NULL, CONSTRAINT "PK_73016a99e25b421f7bca271ca86" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_access_logs_service_time" ON "access_logs" ("service_id", "time") `,
    );
    // Rows arrive in time order, so a BRIN index makes the retention delete cheap.
    await queryRunner.query(
      `CREATE INDEX "idx_access_logs_time_brin" ON "access_logs" USING brin ("time")`,
    );
    // One row per service per 10 s bucket per edge (and per flush at shutdown): readers sum them.
    await queryRunner.query(
      `CREATE TABLE "request_metrics" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "service_id" uuid NOT NULL, "bucket_start" TIMESTAMP WITH TIME ZONE NOT NULL, "requests" integer NOT NULL, "errors_5xx" integer NOT NULL, "latency_p95_ms" double precision, CONSTRAINT "PK_2dc289a64bb2632c5060344db79" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_request_metrics_service_bucket" ON "request_metrics" ("service_id", "bucket_start") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_request_metrics_bucket_brin" ON "request_metrics" USING brin ("bucket_start")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_request_metrics_bucket_brin"`);
    await queryRunner.query(`DROP INDEX "public"."idx_request_metrics_service_bucket"`);
    await queryRunner.query(`DROP TABLE "request_metrics"`);
    await queryRunner.query(`DROP INDEX "public"."idx_access_logs_time_brin"`);
    await queryRunner.query(`DROP INDEX "public"."idx_access_logs_service_time"`);
    await queryRunner.query(`DROP TABLE "access_logs"`);
  }
}
