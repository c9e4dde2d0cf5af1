// The one list of what this port can sign with: the hashlib digests `Signer.digest_method` may name and the
// ways `Signer.key_derivation` turns a secret and a salt into the HMAC key. The signer, the cracker and the
// command line all read it. Upstream: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/signer.py
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

/** Each supported digest's hash function (one-shot, from @noble/hashes) and its output size in bytes. */
export const DIGESTS = {
  sha1: { hash: sha1, size: 20 },
  sha256: { hash: sha256, size: 32 },
  sha512: { hash: sha512, size: 64 },
} as const;

/** The hashlib constructors this port supports as `digest_method`. */
export type DigestName = keyof typeof DIGESTS;

/** The digest names, Flask's default (`sha1`) first. */
export const DIGEST_NAMES = Object.keys(DIGESTS) as DigestName[];

/** Whether a string names a supported digest. */
export function isDigestName(name: unknown): name is DigestName {
  return typeof name === 'string' && Object.hasOwn(DIGESTS, name);
}

/** The digest whose output is `size` bytes long (every supported digest has its own size), or undefined. */
export function digestBySize(size: number): DigestName | undefined {
  return DIGEST_NAMES.find((name) => DIGESTS[name].size === size);
}

/** How a secret key and the salt become the HMAC key, Flask's session default (`hmac`) first. */
export const KEY_DERIVATIONS = ['hmac', 'concat', 'django-concat', 'none'] as const;

/** One of {@link KEY_DERIVATIONS}. */
export type KeyDerivation = (typeof KEY_DERIVATIONS)[number];
