/**
 * The size DynamoDB bills an item at, from the rules in the developer guide ("Item sizes and formats"):
 * attribute names count in UTF-8 bytes; strings in UTF-8 bytes; binary in bytes; a number takes ~1 byte per two
 * significant digits plus 1; booleans and nulls 1 byte; lists and maps 3 bytes plus 1 byte per element.
 * Used to keep an item under the 1 KB that one write unit covers.
 */
export function dynamoDbItemSize(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSize(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const member of value) size += valueSize(member);
    return size;
  }
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(element), 0);
  }
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}

function numberSize(value: number): number {
  // Significant digits of the shortest round-trip decimal, as the SDK sends it; leading and trailing zeros do not count.
  const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
