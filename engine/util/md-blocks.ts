// What SHA-1 and SHA-256 share (FIPS 180-4 §5.1.1 and their output): a binary string (one char per
// byte) padded to 64-byte blocks — the message, 0x80, zeros, its bit length as a 64-bit big-endian
// number — and the digest's 32-bit words written as lower-case hex.

const HEX = '0123456789abcdef';

/** `s` padded to a whole number of 64-byte blocks, as a big-endian view (read with getUint32). */
export function paddedBlocks(s: string): DataView {
  const len = s.length;
  const total = ((len + 8) >> 6) * 64 + 64;
  const bytes = new Uint8Array(total);
  for (let i = 0; i < len; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  bytes[len] = 0x80;
  const view = new DataView(bytes.buffer);
  const bits = len * 8;
  view.setUint32(total - 8, Math.floor(bits / 0x100000000));
  view.setUint32(total - 4, bits >>> 0);
  return view;
}

/** The words (signed or unsigned 32-bit values) as 8 hex digits each, most significant first. */
export function wordsHex(words: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < words.length; i++) {
    for (let shift = 28; shift >= 0; shift -= 4) out += HEX[(words[i] >>> shift) & 0xf];
  }
  return out;
}
