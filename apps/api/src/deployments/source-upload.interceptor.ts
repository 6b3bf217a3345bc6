import { unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ErrorCode } from '@slipway/contracts';
import { type Request, type Response } from 'express';
import multer, { MulterError } from 'multer';
import { type Observable } from 'rxjs';
import { BlobStore } from '../blob-store/blob-store';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { sha256File, type UploadedBundle } from './bundle-intake';

/** What this interceptor leaves on the request for the controller and the idempotency key. */
export interface DeployRequest extends Request {
  sourceUpload?: UploadedBundle;
  /** Part of the Idempotency-Key fingerprint: the same key with another bundle is refused. */
  uploadDigest?: string;
}

const DATA_FIELD_LIMIT = 1024 * 1024;

/**
 * Parses a `multipart/form-data` deploy (a `source` file and a `data` field) after the
 * guards have authenticated the caller, writing the file to the blob store's incoming
 * directory with the size cap enforced while it streams. JSON passes through; other
 * content types are refused.
 */
@Injectable()
export class SourceUploadInterceptor implements NestInterceptor {
  private readonly maxBytes: number;
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(blobs: BlobStore, @Inject(APP_CONFIG) config: AppConfig) {
    this.maxBytes = config.bundles.maxBytes;
    this.upload = multer({
      storage: multer.diskStorage({
        destination: blobs.incomingDir(),
        filename: (_req, _file, done) => done(null, `${randomUUID()}.upload`),
      }),
      limits: {
        fileSize: this.maxBytes,
        files: 1,
        fields: 4,
        fieldSize: DATA_FIELD_LIMIT,
        parts: 5,
      },
    }).single('source');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<DeployRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    if (req.is('multipart/form-data')) {
      await this.parse(req, res);
    } else if (!req.is(['application/json', 'application/*+json'])) {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        'Send application/json with "image", or multipart/form-data with a "source" bundle and a "data" field',
      );
    }
    return next.handle();
  }

  private async parse(req: DeployRequest, res: Response): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.upload(req, res, (error: unknown) => (error ? reject(this.describe(error)) : resolve()));
    });
    const file = req.file;
    if (!file) return;
    // Whatever the request's fate, an upload left in the incoming directory is removed.
    res.on('close', () => void unlink(file.path).catch(() => undefined));
    const sha256 = await sha256File(file.path);
    req.sourceUpload = { path: file.path, sizeBytes: file.size, sha256 };
    req.uploadDigest = sha256;
  }

  private describe(error: unknown): DomainError {
    if (error instanceof MulterError) {
      switch (error.code) {
        case 'LIMIT_FILE_SIZE':
          return new DomainError(
            ErrorCode.PayloadTooLarge,
            `source: the bundle exceeds the limit of ${this.maxBytes} bytes`,
          );
        case 'LIMIT_FILE_COUNT':
          return DomainError.validation('source: send exactly one file part, named "source"');
        case 'LIMIT_UNEXPECTED_FILE':
          return DomainError.validation(
            `${error.field ?? 'file'}: unexpected file part; send one file part named "source"`,
          );
        case 'LIMIT_FIELD_VALUE':
          return DomainError.validation(
            `${error.field ?? 'data'}: is larger than ${DATA_FIELD_LIMIT} bytes`,
          );
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
        case 'LIMIT_PART_COUNT':
        case 'MISSING_FIELD_NAME':
          return DomainError.validation(
            `multipart body: ${error.message}; send a "source" file and a "data" field`,
          );
      }
    }
    const message = error instanceof Error ? error.message : String(error);
    return DomainError.validation(`multipart body could not be read: ${message}`);
  }
}
