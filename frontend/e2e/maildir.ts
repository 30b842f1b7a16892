import fs from 'node:fs';
import path from 'node:path';

/** A message of a maildir: its decoded Subject and To, and the raw text. */
export interface Mail {
  subject: string;
  to: string;
  raw: string;
}

/** RFC 2047 encoded words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header, decoded. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between encoded words is not part of the text
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toLowerCase() === 'b'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? decodeHeader(line.slice(name.length + 1).trim()) : '';
}

/** Every message delivered to `dir` (a maildir's new/ and cur/). */
export function readMaildir(dir: string): Mail[] {
  const files = ['new', 'cur'].flatMap((sub) => {
    const folder = path.join(dir, sub);
    return fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => path.join(folder, name)) : [];
  });
  return files.map((file) => {
    const raw = fs.readFileSync(file, 'utf8');
    return { subject: header(raw, 'Subject'), to: header(raw, 'To'), raw };
  });
}
