import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795370421442 implements MigrationInterface {
  name = 'Initial1795370421442';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "name" character varying(100) NOT NULL, "description" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "projects" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "org_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "description" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_projects_org_name" UNIQUE ("org_id", "name"), CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "email" character varying(254) NOT NULL, "name" character varying(100) NOT NULL, "is_admin" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "access_keys" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "org_id" uuid NOT NULL, "project_id" uuid, "name" character varying(100) NOT NULL, "key_hash" character(64) NOT NULL, "last_four" character varying(4) NOT NULL, "created_by" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fd303b1d6a25c42c8ffdbfa84d9" UNIQUE ("key_hash"), CONSTRAINT "PK_acdb83140f2654f870d92236303" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ac3fccfee881bbecb9367b2123" ON "access_keys" ("org_id", "project_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "user_id" uuid NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "state" character varying(16) NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_idempotency_user_key" UNIQUE ("user_id", "key"), CONSTRAINT "PK_9ae4e93699362b0d4e3da3dd1c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b3482fdd761179f433dab212e7" ON "idempotency_records" ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "org_memberships" ("org_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b0c274750845a0f78fdadac9c52" PRIMARY KEY ("org_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_21620e5f0bf90d145fec09bee9" ON "org_memberships" ("user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "resource_profiles" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "name" character varying(63) NOT NULL, "description" character varying(500), "purpose" character varying(32) NOT NULL DEFAULT 'service', "cpu" character varying(32) NOT NULL, "memory" character varying(32) NOT NULL, "gpu_type" character varying(63), "gpu_count" integer NOT NULL DEFAULT '0', "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_9a1c549097d1c506fa1c48b05d6" UNIQUE ("name"), CONSTRAINT "PK_4fdadaa3617289150f0aaa69a1d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "services" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "org_id" uuid NOT NULL, "project_id" uuid NOT NULL, "name" character varying(54) NOT NULL, "description" character varying(500), "category" character varying(63) NOT NULL DEFAULT 'service', "access_type" character varying(16) NOT NULL DEFAULT 'private', "hostname" character varying(253) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'created', "token_hash" character(64) NOT NULL, "token_ciphertext" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b825c5cfb656c6fb7a55bcfeae0" UNIQUE ("hostname"), CONSTRAINT "UQ_0f443b650755f24e65910f225e0" UNIQUE ("token_hash"), CONSTRAINT "uq_services_project_name" UNIQUE ("project_id", "name"), CONSTRAINT "PK_ba2d347a3168a296416c6c5ccb2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_1cde87d283c408140fc80a1305" ON "services" ("org_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "personal_access_tokens" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "user_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "token_hash" character(64) NOT NULL, "last_four" character varying(4) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_aeabcd81e2cb4d39ed487532408" UNIQUE ("token_hash"), CONSTRAINT "PK_b6dc462fa11dbbb897eb8419735" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_705e457b9b167e4779e737ca3e" ON "personal_access_tokens" ("user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "projects" ADD CONSTRAINT "FK_9f78c168a06314a987cf3bd401c" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" ADD CONSTRAINT "FK_0409613dfc52472bcb1a721eb28" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" ADD CONSTRAINT "FK_a41d021c48d265e8fec80922e74" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" ADD CONSTRAINT "FK_8e7bd3265bab4f0e46d5e47a1d4" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_memberships" ADD CONSTRAINT "FK_4acae15c89bb4a0383a8d5447d7" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_memberships" ADD CONSTRAINT "FK_21620e5f0bf90d145fec09bee9c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "services" ADD CONSTRAINT "FK_b0768914099b6fefa3120d475a5" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "services" ADD CONSTRAINT "FK_c896350eb4a5969991bccfb0759" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "FK_705e457b9b167e4779e737ca3ef" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "personal_access_tokens" DROP CONSTRAINT "FK_705e457b9b167e4779e737ca3ef"`,
    );
    await queryRunner.query(
      `ALTER TABLE "services" DROP CONSTRAINT "FK_c896350eb4a5969991bccfb0759"`,
    );
    await queryRunner.query(
      `ALTER TABLE "services" DROP CONSTRAINT "FK_b0768914099b6fefa3120d475a5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_memberships" DROP CONSTRAINT "FK_21620e5f0bf90d145fec09bee9c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_memberships" DROP CONSTRAINT "FK_4acae15c89bb4a0383a8d5447d7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" DROP CONSTRAINT "FK_8e7bd3265bab4f0e46d5e47a1d4"`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" DROP CONSTRAINT "FK_a41d021c48d265e8fec80922e74"`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_keys" DROP CONSTRAINT "FK_0409613dfc52472bcb1a721eb28"`,
    );
    await queryRunner.query(
      `ALTER TABLE "projects" DROP CONSTRAINT "FK_9f78c168a06314a987cf3bd401c"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_705e457b9b167e4779e737ca3e"`);
    await queryRunner.query(`DROP TABLE "personal_access_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1cde87d283c408140fc80a1305"`);
    await queryRunner.query(`DROP TABLE "services"`);
    await queryRunner.query(`DROP TABLE "resource_profiles"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_21620e5f0bf90d145fec09bee9"`);
    await queryRunner.query(`DROP TABLE "org_memberships"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b3482fdd761179f433dab212e7"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ac3fccfee881bbecb9367b2123"`);
    await queryRunner.query(`DROP TABLE "access_keys"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "projects"`);
    await queryRunner.query(`DROP TABLE "organizations"`);
  }
}
