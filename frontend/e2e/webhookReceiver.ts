import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver took, as it came (headers and the raw body, before any parsing). */
export interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

/**
 * Whether `signature` (the `webhook-signature` header: space-separated `v1,<base64>` entries)
 * signs `${id}.${timestamp}.${body}` with `secret` (`whsec_<base64 key>`), per Standard Webhooks:
 * HMAC-SHA256 with the decoded key, compared in constant time; the timestamp within `toleranceS`.
 */
export function verifySignature(secret: string, d: Delivery, nowS = Date.now() / 1000, toleranceS = 300): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto.createHmac('sha256', key).update(`${d.id}.${d.timestamp}.${d.body}`).digest();
  if (!/^\d+$/.test(d.timestamp) || Math.abs(nowS - Number(d.timestamp)) > toleranceS) return false;
  return d.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

/** An HTTP receiver on a free local port that keeps every delivery and answers 204. */
export async function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; close: () => Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name] ?? '');
      deliveries.push({
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/quotient-hook`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
