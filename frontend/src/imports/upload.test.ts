import { describe, expect, it, vi } from 'vitest';
import { extractFiles, multipartBody, uploadMutation } from './upload';
import { uploadImportMutation } from './mutations';

describe('extractFiles', () => {
  it('replaces files by null and lists their paths', () => {
    const a = new File(['x'], 'a.csv');
    const b = new File(['y'], 'b.csv');
    const { clone, files } = extractFiles({ input: { source: 's', files: [a, b] } });
    expect(clone).toEqual({ input: { source: 's', files: [null, null] } });
    expect(files.map((f) => f.path)).toEqual(['variables.input.files.0', 'variables.input.files.1']);
    expect(files[1].file).toBe(b);
  });

  it('leaves plain values alone', () => {
    expect(extractFiles({ n: 1, s: 'x', none: null, list: [true] })).toEqual({ clone: { n: 1, s: 'x', none: null, list: [true] }, files: [] });
  });
});

describe('multipartBody', () => {
  it('follows the GraphQL multipart request spec', () => {
    const file = new File(['id,name\n1,A\n'], 'teams.csv', { type: 'text/csv' });
    const body = multipartBody('mutation M { x }', { input: { files: [file] } }, 'M');
    expect(JSON.parse(String(body.get('operations')))).toEqual({ query: 'mutation M { x }', variables: { input: { files: [null] } }, operationName: 'M' });
    expect(JSON.parse(String(body.get('map')))).toEqual({ '0': ['variables.input.files.0'] });
    const sent = body.get('0') as File;
    expect(sent.name).toBe('teams.csv');
    expect(sent.size).toBe(file.size);
  });
});

describe('uploadMutation', () => {
  it('posts FormData with the CSRF header and returns the typed data', async () => {
    document.cookie = 'quotient_csrf=tok123';
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ data: { uploadImport: { run: null, errors: [] } } }), { status: 200 }));
    const result = await uploadMutation(uploadImportMutation, { input: { source: 'crm', files: [new File(['a'], 'a.csv')] } }, { fetchImpl });
    expect(result.data?.uploadImport.errors).toEqual([]);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.body).toBeInstanceOf(FormData);
    expect((init.headers as Record<string, string>)['x-csrf-token']).toBe('tok123');
    const operations = JSON.parse(String((init.body as FormData).get('operations')));
    expect(operations.operationName).toBe('UploadImport');
    expect(operations.query).toContain('uploadImport');
  });

  it('turns a non-JSON failure into an error', async () => {
    const fetchImpl = vi.fn(async () => new Response('nope', { status: 413 }));
    const result = await uploadMutation(uploadImportMutation, { input: { source: 'crm', files: [] } }, { fetchImpl });
    expect(result.errors?.[0].message).toBe('HTTP 413');
  });
});
