/**
 * A class-validator check from a shared rule that says what is wrong (`…Problem(value)`:
 * a message, or null when the value is fine), so the API words failures as the rule does.
 */
import { registerDecorator } from 'class-validator';

export function SatisfiesRule(
  name: string,
  problem: (value: unknown) => string | null,
): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args) => problem(args?.value) ?? 'is not valid',
      },
    });
  };
}
