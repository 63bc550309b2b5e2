/**
 * How many readings a unicorn's first pack holds when a packed fleet's packs are staggered: 1 to K, fixed by its
 * name, so the fleet's packs leave spread over K ticks instead of all at the same tick. Every later pack holds K.
 * The producer packs by it; the benchmark uses it to know when a reading left.
 */
export function staggeredFirstPackSize(name: string, perRecord: number): number {
  return perRecord <= 1 ? 1 : 1 + (fnv1a(name) % perRecord);
}

/** FNV-1a over UTF-16 code units: a fixed, evenly spread number per name (not for security). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
