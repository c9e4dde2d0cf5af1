// One signing serializer kept per app. Flask builds a new serializer for every request; what it builds depends only
// on a handful of settings (salt, key derivation, digest, data serializer, size cap, keys), so the engine keeps the
// last one built for each app and hands it out again while those settings stay the same, which also keeps the keys
// it derived. A WeakMap, so an app that is dropped takes its serializer with it.
import type { URLSafeTimedSerializer } from '../itsdangerous/url_safe.ts';
import type { SessionApp } from './config.ts';

const lastBuilt = new WeakMap<SessionApp, { settings: readonly unknown[]; serializer: URLSafeTimedSerializer }>();

/** The serializer last built for `app` when it was built from the same `settings` (compared with ===), else `build()`'s. */
export function reuseSigningSerializer(app: SessionApp, settings: readonly unknown[], build: () => URLSafeTimedSerializer): URLSafeTimedSerializer {
  const cached = lastBuilt.get(app);
  if (cached && cached.settings.length === settings.length && cached.settings.every((v, i) => v === settings[i])) return cached.serializer;
  const serializer = build();
  lastBuilt.set(app, { settings, serializer });
  return serializer;
}
