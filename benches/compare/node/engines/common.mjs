// Shared loaders for the Node engines.
import { readFileSync } from 'node:fs';

/** The first n feature rows as plain objects (the form a Node service holds). */
export function loadRows(path, n) {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  return lines.slice(0, n).map((l) => JSON.parse(l));
}

/** Splits `items` into arrays of at most `size`. */
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The installed version of an npm package. */
export function packageVersion(name) {
  const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}
