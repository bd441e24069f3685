export { fetchSigningKey, signManifest, SigningError, type SigningKey } from './sign-manifest.js';
export { verifyManifestSignature, signatureValid, type SignatureCheck, type TrustAnchors } from './verify-signature.js';
export { PUBLIC_KEY_FILE, SIGNATURE_FILE, SIGNING_ALGORITHMS, type ManifestSignature, type SigningAlgorithm } from './signature-file.js';
