import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { type UploadedBundle } from './bundle-intake';
import { ImageDeployDto, RepoDeployDto, SourceDeployDto } from './deploy.dto';
import { type DeployRequestInput } from './deployments.service';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One deploy route, two content types: JSON is an image deploy; multipart is a source
 * deploy whose settings arrive as the JSON string in its `data` field. Both are validated
 * with the same rules and messages as every other body.
 */
@Injectable()
export class DeployRequestParser {
  private readonly pipe = createValidationPipe();

  async parse(body: unknown, upload: UploadedBundle | undefined): Promise<DeployRequestInput> {
    const fields = isRecord(body) ? body : {};
    if (upload === undefined && typeof fields.data !== 'string') {
      if ('docker' in fields) {
        throw DomainError.validation(
          'docker: a source build is sent as multipart/form-data with a "source" bundle and a "data" field',
        );
      }
      if ('repo' in fields) {
        if ('image' in fields) {
          throw DomainError.validation(
            'image: cannot be combined with repo (deploy one or the other)',
          );
        }
        const dto = (await this.pipe.transform(fields, {
          type: 'body',
          metatype: RepoDeployDto,
        })) as RepoDeployDto;
        return { kind: 'repo', dto };
      }
      const dto = (await this.pipe.transform(fields, {
        type: 'body',
        metatype: ImageDeployDto,
      })) as ImageDeployDto;
      return { kind: 'image', dto };
    }
    const unknownFields = Object.keys(fields).filter((name) => name !== 'data');
    if (unknownFields.length > 0) {
      throw DomainError.validation(
        `${unknownFields.join(', ')}: unknown form field; send settings as JSON in the "data" field`,
      );
    }
    if (typeof fields.data !== 'string') {
      throw DomainError.validation('data: is required: a JSON object with docker: {file, context}');
    }
    if (upload === undefined) {
      throw DomainError.validation('source: is required: the build context as a .tar.gz file part');
    }
    let data: unknown;
    try {
      data = JSON.parse(fields.data);
    } catch (error) {
      throw DomainError.validation(`data: is not valid JSON (${(error as Error).message})`);
    }
    if (!isRecord(data)) throw DomainError.validation('data: must be a JSON object');
    for (const other of ['image', 'repo']) {
      if (other in data) {
        throw DomainError.validation(
          `${other}: cannot be combined with a source bundle (deploy one or the other)`,
        );
      }
    }
    const dto = (await this.pipe.transform(data, {
      type: 'body',
      metatype: SourceDeployDto,
    })) as SourceDeployDto;
    return { kind: 'source', dto, upload };
  }
}
