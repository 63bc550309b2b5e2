/**
 * A 128-bit hex digest of a string, from four independent 32-bit FNV-1a/murmur-mixed lanes. Pure and
 * deterministic (the domain may not use node:crypto); collisions are negligible at alert volumes.
 */
export function stableId(text: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x9e3779b9, h3 = 0x85ebca6b, h4 = 0xc2b2ae35;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2f);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const fin = (h: number, salt: number): string => {
    h ^= text.length + salt;
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  return fin(h1, 1) + fin(h2, 2) + fin(h3, 3) + fin(h4, 4);
}
