// Sprig's base64/base32 functions: Go's encoding/base64 and encoding/base32 StdEncoding (padded). The decoders
// follow Go's exactly, including where they report "illegal ... data at input byte N"; Sprig returns that error
// text as the result. Decoded bytes become a Go string (invalid UTF-8 kept as escaped raw bytes, see value.ts).
import { type GoFunc, gofn, utf8Bytes, bytesToString } from '../value.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PAD = 0x3d; // '='
const CR = 0x0d;
const LF = 0x0a;

function decodeMap(alphabet: string): Uint8Array {
  const m = new Uint8Array(256).fill(0xff);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const B64_MAP = decodeMap(B64);
const B32_MAP = decodeMap(B32);

class CorruptInputError extends Error {
  constructor(kind: string, offset: number) {
    super(`illegal ${kind} data at input byte ${offset}`);
  }
}

/** base64.StdEncoding.DecodeString. */
export function base64Decode(s: string): Uint8Array {
  const src = utf8Bytes(s);
  const dst: number[] = [];
  let si = 0;
  const corrupt = (at: number) => new CorruptInputError('base64', at);
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailingErr: Error | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(dst);
        throw corrupt(si - j);
      }
      const inb = src[si]!;
      si++;
      const out = B64_MAP[inb]!;
      if (out !== 0xff) {
        dbuf[j] = out;
        continue;
      }
      if (inb === LF || inb === CR) {
        j--;
        continue;
      }
      if (inb !== PAD) throw corrupt(si - 1);
      // Padding: only after two or three symbols of the quantum.
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== PAD) throw corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      if (si < src.length) trailingErr = corrupt(si);
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    dst.push(...bytes.slice(0, dlen - 1));
    if (trailingErr) throw trailingErr;
  }
  return Uint8Array.from(dst);
}

/** base32.StdEncoding.DecodeString (newlines are removed first). */
export function base32Decode(s: string): Uint8Array {
  const src = utf8Bytes(s).filter((b) => b !== LF && b !== CR);
  const olen = src.length;
  const dst: number[] = [];
  let p = 0;
  let end = false;
  const corrupt = (at: number) => new CorruptInputError('base32', at);
  while (p < src.length && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === src.length) throw corrupt(olen - (src.length - p) - j);
      const inb = src[p]!;
      p++;
      const remaining = src.length - p;
      if (inb === PAD && j >= 2 && remaining < 8) {
        if (remaining + j < 8 - 1) throw corrupt(olen);
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (remaining > k && src[p + k] !== PAD) throw corrupt(olen - remaining + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) throw corrupt(olen - remaining - 1);
        break;
      }
      const v = B32_MAP[inb]!;
      if (v === 0xff) throw corrupt(olen - remaining - 1);
      dbuf[j] = v;
      j++;
    }
    const b = dbuf;
    const out = [
      ((b[0]! << 3) | (b[1]! >> 2)) & 0xff,
      ((b[1]! << 6) | (b[2]! << 1) | (b[3]! >> 4)) & 0xff,
      ((b[3]! << 4) | (b[4]! >> 1)) & 0xff,
      ((b[4]! << 7) | (b[5]! << 2) | (b[6]! >> 3)) & 0xff,
      ((b[6]! << 5) | b[7]!) & 0xff,
    ];
    const count = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen as 8 | 7 | 5 | 4 | 2] ?? 0;
    dst.push(...out.slice(0, count));
  }
  return Uint8Array.from(dst);
}

/** base32.StdEncoding.EncodeToString. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = bytes.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const symbols = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < symbols ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
    }
  }
  return out;
}

function decodeOrError(decode: (s: string) => Uint8Array, s: string): string {
  try {
    return bytesToString(decode(s));
  } catch (e) {
    if (e instanceof CorruptInputError) return e.message;
    throw e;
  }
}

export const encodingFuncs: Record<string, GoFunc> = {
  b64enc: gofn(['string'], (s: string) => Buffer.from(utf8Bytes(s)).toString('base64')),
  b64dec: gofn(['string'], (s: string) => decodeOrError(base64Decode, s)),
  b32enc: gofn(['string'], (s: string) => base32Encode(utf8Bytes(s))),
  b32dec: gofn(['string'], (s: string) => decodeOrError(base32Decode, s)),
};
