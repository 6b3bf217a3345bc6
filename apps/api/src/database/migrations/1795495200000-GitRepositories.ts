import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deploying from git: a service's repository (one at most, gone with the service), and on
 * each deployment the repository, branch and commit it was built from.
 */
export class GitRepositories1795495200000 implements MigrationInterface {
  name = 'GitRepositories1795495200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_repositories" ("service_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "branch" character varying(255) NOT NULL, "docker_file" character varying(1024) NOT NULL, "docker_context" character varying(1024) NOT NULL, "auth_username" character varying(255), "auth_token_ciphertext" text, "webhook_secret_ciphertext" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee09e71101e0290d35a7d1e6fb6" PRIMARY KEY ("service_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_repositories" ADD CONSTRAINT "FK_ee09e71101e0290d35a7d1e6fb6" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "deployments" ADD "repo" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deployments" DROP COLUMN "repo"`);
    await queryRunner.query(`DROP TABLE "service_repositories"`);
  }
}
