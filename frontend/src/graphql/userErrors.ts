import type { ErrorCode } from '../gql/graphql';

export interface UserErrorLike {
  field?: string | null;
  code: ErrorCode;
  message: string;
}

/**
 * Turn an API error field ("metrics[1].baseline", "metrics.1.baseline", "note")
 * into an antd form name path (["metrics", 1, "baseline"]).
 */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/[.[\]]+/)
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Split payload errors into those bound to a form field and those shown as a message. */
export function partitionUserErrors(
  errors: readonly UserErrorLike[],
  knownFields: (path: (string | number)[]) => boolean,
): { fieldErrors: { name: (string | number)[]; errors: string[] }[]; formErrors: UserErrorLike[] } {
  const fieldErrors: { name: (string | number)[]; errors: string[] }[] = [];
  const formErrors: UserErrorLike[] = [];
  for (const error of errors) {
    const path = error.field ? fieldPath(error.field) : [];
    if (path.length > 0 && knownFields(path)) {
      fieldErrors.push({ name: path, errors: [error.message] });
    } else {
      formErrors.push(error);
    }
  }
  return { fieldErrors, formErrors };
}
