import { Injectable, Param, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../errors/domain-error';

@Injectable()
class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUUID(value))
      throw DomainError.validation(`${this.name}: must be a UUID (got '${value}')`);
    return value.toLowerCase();
  }
}

/** A path parameter that must be a UUID; a malformed one is a 400 naming the parameter. */
export function UuidParam(name: string): ParameterDecorator {
  return Param(name, new UuidPipe(name));
}
