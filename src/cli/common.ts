// Pieces every command shares: argument parsing with one-line errors, and Flask's signing settings.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DIGEST_NAMES, KEY_DERIVATIONS, type DigestName, type KeyDerivation } from '../engine/itsdangerous/digests.ts';

/** A bad command line: main prints the message on one line and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A stream the CLI writes text to. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Everything a command touches outside its arguments. `session-lab` passes the process's own
 * ({@link processIo}); tests pass their own and run the CLI in-process.
 */
export interface CliIo {
  stdin: AsyncIterable<Uint8Array>;
  stdout: TextSink;
  stderr: TextSink;
  env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (a wordlist) are read from. */
  cwd: string;
}

/** The running process's stdin, stdout, stderr, environment and working directory. */
export function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** A command as main.ts runs it: the arguments after its name and the streams in, an exit status out. */
export interface Command {
  run(argv: string[], io: CliIo): number | Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Turns node:util's parse errors (sometimes three lines long) into one short line. */
function usageFromParseError(err: Error & { code?: string }): UsageError {
  const m = err.message;
  let quoted = /'(-[^' ]+)/.exec(m)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${quoted ?? m}`);
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    quoted = /'([^']*)'/.exec(m)?.[1];
    return new UsageError(`unexpected argument '${quoted}'`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (m.includes('ambiguous')) return new UsageError(`${quoted} needs a value (write ${quoted}=VALUE for a value that starts with '-')`);
    if (m.includes('argument missing')) return new UsageError(`${quoted} needs a value`);
    if (quoted) return new UsageError(`${quoted} does not take a value`);
  }
  return new UsageError(m.split('\n')[0]!);
}

/**
 * `node:util` parseArgs in strict mode, with `--help`/`-h` added and errors rethrown as {@link UsageError}.
 * @param maxPositionals how many positional arguments the command takes.
 */
export function parse<O extends Options>(argv: string[], options: O, maxPositionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: maxPositionals > 0,
    });
  } catch (e) {
    throw usageFromParseError(e as Error & { code?: string });
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
  return parsed;
}

/** The value of a required option. @throws {UsageError} when it is missing. */
export function required(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** One of a fixed set of words. @throws {UsageError} naming the allowed values. */
export function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value as T;
}

/** A whole number of at least `min`. @throws {UsageError} otherwise. */
export function integer(name: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not '${value}'`);
  }
  return Number(value);
}

export type KeyDerivationName = KeyDerivation;
export type DigestChoice = DigestName;

/** Options for how a cookie is signed; the defaults are Flask's `SecureCookieSessionInterface`. */
export const SCHEME_OPTIONS = {
  salt: { type: 'string', default: 'cookie-session' },
  'key-derivation': { type: 'string', default: 'hmac' },
  digest: { type: 'string', default: 'sha1' },
} as const;

/** Options naming the keys: the SECRET_KEY and any SECRET_KEY_FALLBACKS. */
export const KEY_OPTIONS = {
  secret: { type: 'string' },
  fallback: { type: 'string', multiple: true },
} as const;

/** Salt, key derivation and digest, checked. */
export interface Scheme {
  salt: string;
  keyDerivation: KeyDerivationName;
  digest: DigestChoice;
}

/** Reads and checks the {@link SCHEME_OPTIONS}. @throws {UsageError} for an unknown derivation or digest. */
export function readScheme(values: { salt?: string; 'key-derivation'?: string; digest?: string }): Scheme {
  return {
    salt: values.salt ?? 'cookie-session',
    keyDerivation: choice('key-derivation', values['key-derivation'] ?? 'hmac', KEY_DERIVATIONS),
    digest: choice('digest', values.digest ?? 'sha1', DIGEST_NAMES),
  };
}

/** The secret key and its fallbacks, checked. @throws {UsageError} when --secret is missing or empty. */
export function readKeys(values: { secret?: string; fallback?: string[] }): { secret: string; fallbacks: string[] } {
  const secret = required('secret', values.secret);
  // Flask treats an empty SECRET_KEY as "no key" and never signs a session with it.
  if (secret === '') throw new UsageError('--secret must not be empty (Flask signs nothing without a SECRET_KEY)');
  return { secret, fallbacks: values.fallback ?? [] };
}

/** Help text for the scheme options, shared by the commands that take them. */
export const SCHEME_HELP = `  --salt SALT               salt of the signer (default: cookie-session)
  --key-derivation KD       ${KEY_DERIVATIONS.join(' | ')} (default: hmac)
  --digest NAME             ${DIGEST_NAMES.join(' | ')} (default: sha1)`;

/** Writes `text` and a newline to the process's stdout (for `serve`, which always runs as its own process). */
export function out(text: string): void {
  process.stdout.write(text + '\n');
}

/** Writes `text` and a newline to the command's stdout. */
export function println(io: CliIo, text: string): void {
  io.stdout.write(text + '\n');
}

/** Resolves on the first SIGINT or SIGTERM (Ctrl-C, or a service manager stopping the process), then stops listening for both. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
