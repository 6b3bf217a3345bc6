import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BuildLogEntrySchema, buildLogStreamKey } from '@slipway/contracts';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { RedisClient } from '../redis/redis.module';
import { Deployment } from './deployment.entity';

const BLOCK_MS = 1000;
const BATCH = 500;

type StreamEntries = [id: string, fields: string[]][];

function formatEntry(fields: string[]): string | undefined {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    record[fields[i] as string] = fields[i + 1] as string;
  const entry = BuildLogEntrySchema.safeParse(record);
  if (!entry.success) return undefined;
  return entry.data.stream === 'system' ? `==> ${entry.data.line}\n` : `${entry.data.line}\n`;
}

/**
 * Streams a build's log from its Redis stream (written by the builder): the history, then,
 * when following, new lines until the deployment leaves `building` or the client leaves.
 */
@Injectable()
export class BuildLogsService {
  constructor(
    private readonly redis: RedisClient,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async stream(deployment: Deployment, follow: boolean, res: Response): Promise<void> {
    res.status(200).type('text/plain; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!deployment.source) {
      res.end('==> this deployment deploys an image; it has no build log\n');
      return;
    }
    const key = buildLogStreamKey(deployment.id);
    // Blocking reads need a connection of their own.
    const reader = this.redis.connection.duplicate({ enableOfflineQueue: true });
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    try {
      let lastId = '0';
      let building = follow && deployment.status === 'building';
      for (;;) {
        const args = building
          ? ['COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', key, lastId]
          : ['COUNT', BATCH, 'STREAMS', key, lastId];
        const reply = (await reader.call('XREAD', ...args)) as [string, StreamEntries][] | null;
        if (gone) return;
        const entries = reply?.[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          lastId = id;
          const line = formatEntry(fields);
          if (line !== undefined) res.write(line);
        }
        if (entries.length === BATCH) continue;
        if (!building) break;
        building = await this.stillBuilding(deployment.id);
        // One more pass after the build ends picks up its last lines.
      }
      res.end();
    } finally {
      reader.disconnect();
    }
  }

  private async stillBuilding(deploymentId: string): Promise<boolean> {
    const row = await this.dataSource
      .getRepository(Deployment)
      .findOne({ where: { id: deploymentId }, select: { id: true, status: true } });
    return row?.status === 'building';
  }
}
