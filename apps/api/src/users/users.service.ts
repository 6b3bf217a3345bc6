import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ErrorCode } from '@slipway/contracts';
import { type EntityManager, type Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw DomainError.notFound('User', id);
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: email.toLowerCase() } });
  }

  async create(
    email: string,
    name: string,
    isAdmin: boolean,
    manager: EntityManager = this.users.manager,
  ): Promise<User> {
    const users = manager.getRepository(User);
    if (await users.findOne({ where: { email: email.toLowerCase() } })) {
      throw new DomainError(
        ErrorCode.AlreadyExists,
        `A user with email ${email.toLowerCase()} already exists`,
      );
    }
    return users.save(users.create({ email: email.toLowerCase(), name, isAdmin }));
  }

  /** Bootstrap: the user with this email exists and is an admin. */
  async ensureAdmin(email: string): Promise<User> {
    const existing = await this.findByEmail(email);
    if (!existing)
      return this.users.save(
        this.users.create({ email: email.toLowerCase(), name: 'Admin', isAdmin: true }),
      );
    if (!existing.isAdmin) await this.users.update(existing.id, { isAdmin: true });
    return { ...existing, isAdmin: true };
  }
}
