/** Decodes a committed kernel build (`src/wasm/*.wasm.ts`, base64) into module bytes, with no Node API. */
export function decodeWasmBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
