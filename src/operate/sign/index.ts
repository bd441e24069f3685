export { fetchSigningKey, signManifest, type SigningKey } from './sign-manifest.js';
export { verifyManifestSignature, type SignatureCheck } from './verify-signature.js';
export { PUBLIC_KEY_FILE, SIGNATURE_FILE, type ManifestSignature } from './signature-file.js';
