import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { type Principal } from '../auth/principal';
import { generateCredential } from '../common/crypto/credentials';
import { CredentialHasher } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { type PageRequest } from '../common/http/pagination.dto';
import { User } from '../users/user.entity';
import { PersonalAccessToken } from './personal-access-token.entity';

/** Personal Access Tokens: issuing, listing, revoking, and resolving a caller from one. */
@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(PersonalAccessToken) private readonly tokens: Repository<PersonalAccessToken>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: CredentialHasher,
  ) {}

  async authenticate(value: string): Promise<Principal> {
    return this.principalOf(
      await this.tokens.findOne({ where: { tokenHash: this.hasher.hash(value) } }),
    );
  }

  /** The caller behind a token already identified (a browser session's), if it still holds. */
  async authenticateById(tokenId: string): Promise<Principal> {
    return this.principalOf(await this.tokens.findOne({ where: { id: tokenId } }));
  }

  private async principalOf(token: PersonalAccessToken | null): Promise<Principal> {
    if (!token) throw DomainError.unauthorized('The token is not valid');
    if (token.revokedAt) throw DomainError.unauthorized('The token has been revoked');
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) {
      throw DomainError.unauthorized(`The token expired at ${token.expiresAt.toISOString()}`);
    }
    const user = await this.users.findOne({ where: { id: token.userId } });
    if (!user) throw DomainError.unauthorized('The token is not valid');
    // Recorded at most once a minute so a busy client does not write on every request.
    await this.tokens
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id: token.id })
      .andWhere("(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
      .execute();
    return { userId: user.id, tokenId: token.id, isAdmin: user.isAdmin };
  }

  /** Creates a token; `value` is given only by bootstrap, otherwise one is generated. */
  async issue(
    userId: string,
    name: string,
    expiresAt: Date | null,
    value = generateCredential('personalAccessToken'),
    manager: EntityManager = this.tokens.manager,
  ): Promise<{ token: PersonalAccessToken; plaintext: string }> {
    const repository = manager.getRepository(PersonalAccessToken);
    const token = await repository.save(
      repository.create({
        userId,
        name,
        expiresAt,
        tokenHash: this.hasher.hash(value),
        lastFour: value.slice(-4),
        revokedAt: null,
        lastUsedAt: null,
      }),
    );
    return { token, plaintext: value };
  }

  /** Ensures a token with exactly this value belongs to the user (bootstrap). */
  async ensure(userId: string, name: string, value: string): Promise<void> {
    const existing = await this.tokens.findOne({ where: { tokenHash: this.hasher.hash(value) } });
    if (!existing) {
      await this.issue(userId, name, null, value);
    } else if (existing.userId !== userId || existing.revokedAt) {
      await this.tokens.update(existing.id, { userId, revokedAt: null });
    }
  }

  async list(userId: string, page: PageRequest): Promise<[PersonalAccessToken[], number]> {
    return this.tokens.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: page.skip,
      take: page.perPage,
    });
  }

  async revoke(userId: string, id: string): Promise<PersonalAccessToken> {
    const token = await this.tokens.findOne({ where: { id, userId } });
    if (!token) throw DomainError.notFound('Token', id);
    if (!token.revokedAt) {
      await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      return this.tokens.findOneOrFail({ where: { id } });
    }
    return token;
  }
}
