// Names in archives are bytes. UTF-8 is what tar's PAX records, zip's UTF-8 flag and every modern
// writer use; names that are not valid UTF-8 are kept as raw bytes (a Unix file system may hold
// any bytes but "/" and NUL) and only zips made on DOS/Windows without the UTF-8 flag are CP437.
import { isUtf8 } from 'node:buffer';

export interface DecodedName {
  name: string;
  /** Present when the bytes are not valid UTF-8 and are meant as raw bytes. */
  raw?: Buffer;
}

/** UTF-8 when valid, else raw bytes (shown with U+FFFD in place of the bad bytes). */
export function decodeUtf8OrRaw(bytes: Buffer): DecodedName {
  if (isUtf8(bytes)) return { name: bytes.toString('utf8') };
  return { name: bytes.toString('utf8'), raw: Buffer.from(bytes) };
}

/** The bytes up to the first NUL (tar fields and GNU long names are NUL-terminated). */
export function untilNul(b: Buffer): Buffer {
  const end = b.indexOf(0);
  return end === -1 ? b : b.subarray(0, end);
}

// Code page 437, bytes 0x80-0xFF: the zip specification's default for names without the UTF-8 flag.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export function decodeCp437(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : (CP437_HIGH[b - 0x80] as string);
  return s;
}

/** A stable text key for a name: the UTF-8 text, or "\0raw:" + base64 of bytes that are not UTF-8. */
export function nameKey(name: string, raw: Buffer | undefined): string {
  return raw === undefined ? name : `\0raw:${raw.toString('base64')}`;
}
