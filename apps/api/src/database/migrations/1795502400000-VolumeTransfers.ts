import { MigrationInterface, QueryRunner } from 'typeorm';

/** Backups of stateful services' volumes to the blob store, and restores from them. */
export class VolumeTransfers1795502400000 implements MigrationInterface {
  name = 'VolumeTransfers1795502400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "volume_transfers" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "service_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "volume_name" character varying(63) NOT NULL, "ordinal" integer NOT NULL, "status" character varying(16) NOT NULL, "source_backup_id" uuid, "blob_key" character varying(255), "progress_bytes" bigint NOT NULL DEFAULT '0', "size_bytes" bigint, "sha256" character(64), "failure_reason" text, "started_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a0720de93df26c2e12c3502758b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_volume_transfers_service_created" ON "volume_transfers" ("service_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "volume_transfers" ADD CONSTRAINT "FK_c3eb8e986df3405536a3580df2b" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "volume_transfers"`);
  }
}
