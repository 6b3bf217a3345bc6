import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import {
  BundleRejectedError,
  inspectBundle,
  normalizeBundlePath,
  type BundleLimits,
} from '@slipway/source-bundle';
import { BlobStore } from '../blob-store/blob-store';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { type StoredSource } from './deployment-settings';

/** A `source` part the upload middleware wrote to the blob store's incoming directory. */
export interface UploadedBundle {
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/**
 * Checks an uploaded bundle before anything is queued: the Dockerfile and context paths stay
 * inside it, and the archive is well-formed and within the limits (read, never extracted:
 * only the builder extracts). A rejected bundle is a 400 that says what is wrong with it.
 */
@Injectable()
export class BundleIntake {
  private readonly limits: BundleLimits;

  constructor(
    private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = {
      maxArchiveBytes: config.bundles.maxBytes,
      maxExtractedBytes: config.bundles.maxExtractedBytes,
      maxFiles: config.bundles.maxFiles,
    };
  }

  paths(docker: { file: string; context: string }): { file: string; context: string } {
    try {
      return {
        file: normalizeBundlePath('docker.file', docker.file),
        context: normalizeBundlePath('docker.context', docker.context),
      };
    } catch (error) {
      if (error instanceof BundleRejectedError) throw DomainError.validation(error.reason);
      throw error;
    }
  }

  async accept(
    upload: UploadedBundle,
    serviceId: string,
    deploymentId: string,
    docker: { file: string; context: string },
  ): Promise<StoredSource> {
    try {
      await inspectBundle(createReadStream(upload.path), this.limits);
    } catch (error) {
      await rm(upload.path, { force: true });
      if (error instanceof BundleRejectedError) {
        throw DomainError.validation(`source: ${error.reason}`);
      }
      throw error;
    }
    const blobKey = `bundles/${serviceId}/${deploymentId}.tar.gz`;
    await this.blobs.putFile(blobKey, upload.path);
    return {
      sha256: upload.sha256,
      sizeBytes: upload.sizeBytes,
      dockerFile: docker.file,
      dockerContext: docker.context,
      blobKey,
    };
  }

  /** Removes an upload that will not be used (the request failed before `accept`). */
  async discard(upload: UploadedBundle | undefined): Promise<void> {
    if (upload) await rm(upload.path, { force: true });
  }
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
