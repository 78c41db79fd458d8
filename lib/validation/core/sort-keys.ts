/**
 * Sorts an object's keys in place, by insertion: objects have a handful of
 * keys, and Array.prototype.sort allocates a work array on every call (a
 * third of all memory allocated while resolving 10,000 services, when
 * rendering sorted that way).
 */
export function sortKeysInPlace(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}
