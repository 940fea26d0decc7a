// ESLint flat config: a small type-aware rule set plus the layer rules of ARCHITECTURE.md, written as lint errors so a
// wrong import fails CI instead of waiting for a review. Formatting belongs to Prettier (see .prettierrc.json): no
// stylistic rules here.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];
const EDGES = ['bot', 'api', 'jobs'];

/**
 * `import-x/no-restricted-paths` resolves each import (relative paths included) to a file and compares that file with
 * the zone, so `../../server/config` and `server/config` are the same import to it. Paths are relative to the repo root.
 */
const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

const layerZones = [
  // domain → models only (and the browser-safe shared modules, but not the web kit).
  zone(
    './domain/**',
    ['./server', './api', './bot', './jobs', './local', './console', './liff-app'],
    'domain/ never imports server/, an edge (api/, bot/, jobs/), local/ or a front end: take what it needs as a parameter (a port or the program context).',
  ),
  zone('./domain/**', './shared/web', 'domain/ may use shared/ but not shared/web/ (the browser kit).'),

  // Front ends: api/contracts/, shared/ and their own folder. Everything else of ours is out of reach.
  zone(
    './console/**',
    './',
    'console/ imports only api/contracts/, shared/ and console/ itself (never domain/, models/, server/, bot/, jobs/ or the rest of api/).',
    ['./console', './api/contracts', './shared', './node_modules'],
  ),
  zone(
    './liff-app/**',
    './',
    'liff-app/ imports only api/contracts/, shared/ and liff-app/ itself (never domain/, models/, server/, bot/, jobs/ or the rest of api/).',
    ['./liff-app', './api/contracts', './shared', './node_modules'],
  ),

  // shared/: browser-safe, depends on nothing of ours outside itself.
  zone(
    './shared/**',
    './',
    'shared/ imports nothing of ours outside shared/ (it runs in the browser and on the server).',
    ['./shared', './node_modules'],
  ),

  // The wire contracts: shared/ (not the web kit) and zod, nothing else.
  zone(
    './api/contracts/**',
    './',
    'api/contracts/ may import only shared/ and zod: the front ends import it, so it must stay browser-safe.',
    ['./api/contracts', './shared', './node_modules'],
  ),
  zone('./api/contracts/**', './shared/web', 'api/contracts/ may use shared/ but not shared/web/ (the browser kit).'),

  // models/: schemas only; type-only imports from shared/ are checked by no-restricted-imports below.
  zone('./models/**', './', 'models/ imports nothing of ours except models/ (and types from shared/).', [
    './models',
    './shared',
    './node_modules',
  ]),

  // The edges never import each other.
  ...EDGES.map((edge) =>
    zone(
      `./${edge}/**`,
      [...EDGES.filter((other) => other !== edge).map((other) => `./${other}`), './local'],
      `The edges (bot/, api/, jobs/) never import each other, nor local/ (only server/ wires the stand-ins in): move what ${edge}/ needs into domain/.`,
    ),
  ),
];

/** `(^|/)models/` matches `../models/x`, `../../models/x`: the restricted-imports rules match the specifier text. */
const MODELS_SPECIFIER = '(^|/)models/';
const SHARED_SPECIFIER = '(^|/)shared/';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'coverage/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle parses the imported files too: tell import-x which ones are TypeScript.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      // Type-only imports are erased at compile time and are skipped here; a value import circle anywhere fails.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: TS,
    languageOptions: {
      parserOptions: {
        // Every .ts/.tsx file is in tsconfig.json, except the two Vite configs (ES modules with import.meta, which the
        // CommonJS tsconfig cannot hold); they get the default project.
        projectService: { allowDefaultProject: ['console/vite.config.ts', 'liff-app/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Preact's onClick={async () => …} is fine: the event system ignores the returned promise.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // A leading underscore says "deliberately unused": Express needs the 4-argument error handler, and rest
      // destructuring drops fields by naming them.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // `any` is allowed where the values are arbitrary BSON/JSON by nature: the MongoDB stand-in (it evaluates whatever
  // documents and operators a client sends) and tests that build deliberately malformed input. Product code has none.
  {
    files: ['local/mongo-standin/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Preact hooks follow React's rules (the plugin recognises hooks by name, whatever package they come from).
  {
    files: ['console/src/**/*.{ts,tsx}', 'liff-app/src/**/*.{ts,tsx}', 'shared/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  // Edges use models only as types: reading and writing the database is domain's job.
  {
    files: EDGES.map((edge) => `${edge}/**/*.{ts,tsx}`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: MODELS_SPECIFIER,
              allowTypeImports: true,
              message: 'bot/, api/ and jobs/ import models/ only as types (`import type`): call domain/ for data.',
            },
            {
              regex: '(^|/)server/',
              allowTypeImports: true,
              message:
                'bot/, api/ and jobs/ take server/ only as types (AppDeps): the composition root builds the edges, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  // models/ may take types (never values) from shared/.
  {
    files: ['models/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: SHARED_SPECIFIER,
              allowTypeImports: true,
              message: 'models/ imports only types from shared/ (`import type`).',
            },
          ],
        },
      ],
    },
  },
  // shared/ outside shared/web/ is plain TypeScript: no preact.
  {
    files: ['shared/**/*.{ts,tsx}'],
    ignores: ['shared/web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^preact(/|$)', message: 'Only shared/web/ may use preact; the rest of shared/ is plain.' },
          ],
        },
      ],
    },
  },
  // api/contracts/: zod is the only package.
  {
    files: ['api/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.|zod(/|$))', message: 'api/contracts/ may use only zod among the packages.' }] },
      ],
    },
  },

  // Plain JavaScript: config files (Node, CommonJS or ESM) and the dev chat page scripts (browser, no modules).
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['*.js', '*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    // The member card's service worker (a classic worker script, filled in by liff-app/vite.config.ts).
    files: ['liff-app/sw/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.serviceworker },
  },
  {
    files: ['local/line-emulator/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
);
