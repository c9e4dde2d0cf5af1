// Redis Cluster's key slot: CRC16 (the XMODEM variant: polynomial 0x1021, initial value 0) of the key, or of
// its hash tag, modulo 16384. Written from the algorithm in the Redis Cluster specification
// (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#key-distribution-model).

/** Number of hash slots in a Redis Cluster. */
const SLOTS = 16384;

/** CRC16/XMODEM of bytes, bit by bit (a lesson needs clarity, not a lookup table). */
export function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * The part of a key that is hashed: the text between the first `{` and the next `}` when that is not empty
 * (a hash tag), else the whole key.
 */
export function hashedPart(key: Uint8Array): Uint8Array {
  const open = key.indexOf(0x7b);
  if (open === -1) return key;
  const close = key.indexOf(0x7d, open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.subarray(open + 1, close);
}

/** `CLUSTER KEYSLOT key`: the slot (0–16383) a key belongs to. */
export function keySlot(key: string): number {
  return crc16(hashedPart(new TextEncoder().encode(key))) % SLOTS;
}

/** The node owning a slot when `redis-cli --cluster create` splits 16384 slots evenly over `masters` nodes. */
export function nodeOf(slot: number, masters = 3): number {
  const per = SLOTS / masters;
  for (let i = 0; i < masters; i++) if (slot < Math.round((i + 1) * per)) return i;
  return masters - 1;
}
