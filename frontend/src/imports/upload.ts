import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from 'urql';
import { csrfHeaders } from '../auth/csrf';

/** A file found in the variables, with the dotted path where it was (`variables.input.files.0`). */
export interface FoundFile {
  path: string;
  file: Blob;
}

function isFile(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

/**
 * Replace every File/Blob in `value` by null and list where they were, as the GraphQL multipart
 * request spec wants (https://github.com/jaydenseric/graphql-multipart-request-spec).
 */
export function extractFiles(value: unknown, path = 'variables'): { clone: unknown; files: FoundFile[] } {
  if (isFile(value)) return { clone: null, files: [{ path, file: value }] };
  if (Array.isArray(value)) {
    const files: FoundFile[] = [];
    const clone = value.map((item, i) => {
      const found = extractFiles(item, `${path}.${i}`);
      files.push(...found.files);
      return found.clone;
    });
    return { clone, files };
  }
  if (value && typeof value === 'object') {
    const files: FoundFile[] = [];
    const clone: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const found = extractFiles(item, `${path}.${key}`);
      files.push(...found.files);
      clone[key] = found.clone;
    }
    return { clone, files };
  }
  return { clone: value, files: [] };
}

/** The multipart body: `operations` (files as null), `map` (field -> paths), then the files `0`, `1`, … */
export function multipartBody(query: string, variables: Record<string, unknown>, operationName?: string): FormData {
  const { clone, files } = extractFiles(variables);
  const body = new FormData();
  body.append('operations', JSON.stringify({ query, variables: clone, ...(operationName ? { operationName } : {}) }));
  body.append('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))));
  files.forEach((f, i) => body.append(String(i), f.file, f.file instanceof File ? f.file.name : `file${i}`));
  return body;
}

function operationNameOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition' && definition.name) return definition.name.value;
  }
  return undefined;
}

export interface UploadResult<T> {
  data?: T;
  errors?: { message: string }[];
}

/**
 * Run a typed mutation whose variables hold files, as a multipart POST with the session cookie
 * and the CSRF header (the API takes uploads only this way).
 */
export async function uploadMutation<T, V extends Record<string, unknown>>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  { url = '/graphql', fetchImpl = fetch }: { url?: string; fetchImpl?: typeof fetch } = {},
): Promise<UploadResult<T>> {
  const body = multipartBody(print(document), variables, operationNameOf(document));
  const response = await fetchImpl(url, { method: 'POST', body, credentials: 'same-origin', headers: csrfHeaders() });
  const json = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }))) as UploadResult<T>;
  if (!response.ok && !json.errors) return { errors: [{ message: `HTTP ${response.status}` }] };
  return json;
}
