"""Lesson 8: which Redis Cluster slot a session key lands in (CRC16/XMODEM of the key, mod 16384)."""


def crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def key_slot(key: str) -> int:
    raw = key.encode()
    # A hash tag: when the key holds "{...}" with something inside, only that part is hashed.
    start = raw.find(b"{")
    if start != -1:
        end = raw.find(b"}", start + 1)
        if end > start + 1:
            raw = raw[start + 1 : end]
    return crc16(raw) % 16384


if __name__ == "__main__":
    for key in ["123456789", "session:abc", "session:{user42}:a", "session:{user42}:b"]:
        print(key, key_slot(key))
