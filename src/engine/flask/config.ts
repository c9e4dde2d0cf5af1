// The configuration a session interface reads, with Flask's defaults. Flask keeps them in `Flask.default_config`:
// https://github.com/pallets/flask/blob/3.1.3/src/flask/app.py

/** The part of the app a session interface reads: its config and its clock. */
export interface SessionApp {
  config: FlaskConfig;
  /** Current Unix time in seconds (may be fractional). */
  now(): number;
}

/** Flask's session-related configuration keys, with Flask's defaults in {@link DEFAULT_CONFIG}. */
export interface FlaskConfig {
  SECRET_KEY: string | Uint8Array | null;
  SECRET_KEY_FALLBACKS: (string | Uint8Array)[] | null;
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string | null;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_PARTITIONED: boolean;
  SESSION_COOKIE_SAMESITE: string | null;
  /** Seconds (Python's timedelta(days=31) is 2678400). */
  PERMANENT_SESSION_LIFETIME: number;
  SESSION_REFRESH_EACH_REQUEST: boolean;
  APPLICATION_ROOT: string;
  MAX_COOKIE_SIZE: number;
  [key: string]: unknown;
}

/** Flask 3.1.3's defaults for the session keys (`Flask.default_config`). */
export const DEFAULT_CONFIG: FlaskConfig = {
  SECRET_KEY: null,
  SECRET_KEY_FALLBACKS: null,
  SESSION_COOKIE_NAME: 'session',
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: null,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_PARTITIONED: false,
  SESSION_COOKIE_SAMESITE: null,
  PERMANENT_SESSION_LIFETIME: 31 * 24 * 3600,
  SESSION_REFRESH_EACH_REQUEST: true,
  APPLICATION_ROOT: '/',
  MAX_COOKIE_SIZE: 4093,
};
