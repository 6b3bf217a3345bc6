import { Injectable } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { type ServiceJobName } from '@slipway/contracts';
import { discoverHandlers } from './service-jobs.processor';
import { HandlesServiceJob, type ServiceJobHandler } from './service-jobs';

function handlerFor(name: string): new () => ServiceJobHandler {
  @Injectable()
  @HandlesServiceJob(name as ServiceJobName)
  class Handler implements ServiceJobHandler {
    handle(): Promise<void> {
      return Promise.resolve();
    }
  }
  Object.defineProperty(Handler, 'name', { value: `${name}Handler` });
  return Handler;
}

async function discover(...names: string[]): Promise<Map<ServiceJobName, ServiceJobHandler>> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: names.map(handlerFor),
  }).compile();
  return discoverHandlers(moduleRef.get(DiscoveryService));
}

describe('discoverHandlers', () => {
  it('finds one handler for every job of the deploy queue', async () => {
    const handlers = await discover('deploy', 'operation', 'retire', 'delete', 'volume-transfer');
    expect([...handlers.keys()].sort()).toEqual([
      'delete',
      'deploy',
      'operation',
      'retire',
      'volume-transfer',
    ]);
  });

  it('refuses to start when a job has no handler, two, or a handler names no job', async () => {
    await expect(
      discover('deploy', 'deploy', 'retire', 'delete', 'volume-transfer', 'rollback'),
    ).rejects.toThrow(
      `The deploy queue's job handlers are wrong: "rollback" is not a job of the deploy queue; job "deploy" has 2 handlers; job "operation" has no handler`,
    );
  });
});
