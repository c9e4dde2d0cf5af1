// Mirrors itsdangerous 2.2.0 __init__.py: https://github.com/pallets/itsdangerous/blob/2.2.0/src/itsdangerous/__init__.py
export {
  base64Decode,
  base64Encode,
  base64EncodeBytes,
  base64Rules,
  bytesRepr,
  bytesToBigInt,
  bytesToInt,
  intToBytes,
  setBase64Rules,
  standardB64DecodeLoose,
  standardB64Encode,
  utf8Decode,
  wantBytes,
  type Base64Rules,
} from './encoding.ts';
export { BadData, BadHeader, BadPayload, BadSignature, BadTimeSignature, SignatureExpired } from './exc.ts';
export {
  concatBytes,
  constantTimeEqual,
  digest,
  hmac,
  HMACAlgorithm,
  NoneAlgorithm,
  Signer,
  type DigestName,
  type KeyDerivation,
  type SecretKey,
  type SignerOptions,
  type SigningAlgorithm,
} from './signer.ts';
export {
  compactJson,
  Serializer,
  stdlibJson,
  type DataSerializer,
  type FallbackSigner,
  type LoadOptions,
  type SerializerOptions,
  type SignerKwargs,
} from './serializer.ts';
export { TimedSerializer, TimestampSigner, timestampToDatetime, type TimedLoadOptions, type TimestampSignerOptions } from './timed.ts';
export {
  DEFAULT_MAX_DECOMPRESSED_SIZE,
  URLSafeSerializer,
  URLSafeTimedSerializer,
  zlibCompress,
  zlibDecompress,
  type URLSafeSerializerOptions,
} from './url_safe.ts';
