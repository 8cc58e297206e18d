// A minimal DER encoder for one PKCS#10 request: node:crypto makes keys and signatures but no CSR, and the Lambda
// runtime has no openssl. deploy/checks verifies its output with openssl (InternalCertificateRotationTest).
import { createSign } from 'node:crypto';

// A PKCS#10 certification request (DER, then PEM) with subject CN=SERVICE, signed with ECDSA-SHA256. The CA takes the
// subject and extensions from ApiPassthrough; the request proves possession of the key.
export function certificationRequest(service, privateKey, publicKey) {
  const name = seq(set(seq(oid([0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from(service, 'utf8')))));
  const info = seq(tlv(0x02, Buffer.from([0])), name, publicKey.export({ type: 'spki', format: 'der' }), Buffer.from([0xa0, 0x00]));
  const signature = createSign('SHA256').update(info).sign(privateKey); // DER-encoded ECDSA signature
  const ecdsaWithSha256 = seq(oid([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
  const der = seq(info, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${base64}\n-----END CERTIFICATE REQUEST-----\n`;
}

function tlv(tag, value) {
  const length = value.length;
  const header = length < 0x80
    ? Buffer.from([tag, length])
    : length < 0x100 ? Buffer.from([tag, 0x81, length]) : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, value]);
}
function seq(...parts) { return tlv(0x30, Buffer.concat(parts)); }
function set(...parts) { return tlv(0x31, Buffer.concat(parts)); }
function oid(bytes) { return tlv(0x06, Buffer.from(bytes)); }
