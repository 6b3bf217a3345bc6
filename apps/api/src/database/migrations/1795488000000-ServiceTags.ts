import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tags: a list of short strings on a service (`team-a`, `gpu`), returned with it and
 * filterable with `?tag=` (every given tag must be there: `tags @> ARRAY[…]`, which the GIN
 * index serves).
 */
export class ServiceTags1795488000000 implements MigrationInterface {
  name = 'ServiceTags1795488000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "services" ADD "tags" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX "idx_services_tags" ON "services" USING gin ("tags")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_services_tags"`);
    await queryRunner.query(`ALTER TABLE "services" DROP COLUMN "tags"`);
  }
}
