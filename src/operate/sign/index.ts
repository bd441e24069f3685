export { fetchSigningKey, signManifest, type SigningKey } from './sign-manifest.js';
export { verifyManifestSignature, type SignatureCheck } from '../../workspace/verify-signature.js';
export { PUBLIC_KEY_FILE, SIGNATURE_FILE, type ManifestSignature } from '../../workspace/signature-file.js';
