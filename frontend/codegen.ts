import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from the schema exported by the backend (never edit src/gql by hand).
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', Upload: 'File' },
        strictScalars: true,
      },
    },
  },
};

export default config;
