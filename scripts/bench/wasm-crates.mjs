// Bytes of a wasm's function bodies by crate, from its name section (a build with names kept).
// Small on purpose: reads the sections it needs and nothing else.
import { readFileSync } from 'node:fs';

function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do { byte = buf[pos++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [result, pos];
}

export function wasmByCrate(file) {
  const buf = readFileSync(file);
  let pos = 8, imports = 0;
  const bodies = [];
  const names = new Map();
  while (pos < buf.length) {
    const id = buf[pos++];
    let size; [size, pos] = leb(buf, pos);
    const end = pos + size;
    if (id === 2) {
      // Imports: count the functions, whose indices come first.
      let n, p = pos; [n, p] = leb(buf, p);
      for (let i = 0; i < n; i++) {
        let len; [len, p] = leb(buf, p); p += len; [len, p] = leb(buf, p); p += len;
        const kind = buf[p++];
        if (kind === 0) { imports++; [, p] = leb(buf, p); }
        else if (kind === 1) { p++; const flags = buf[p++]; [, p] = leb(buf, p); if (flags & 1) [, p] = leb(buf, p); }
        else if (kind === 2) { const flags = buf[p++]; [, p] = leb(buf, p); if (flags & 1) [, p] = leb(buf, p); }
        else if (kind === 3) { p += 2; }
        else if (kind === 4) { p++; [, p] = leb(buf, p); }
      }
    } else if (id === 10) {
      let n, p = pos; [n, p] = leb(buf, p);
      for (let i = 0; i < n; i++) { let len; [len, p] = leb(buf, p); bodies.push(len); p += len; }
    } else if (id === 0) {
      let len, p = pos; [len, p] = leb(buf, p);
      const name = buf.subarray(p, p + len).toString(); p += len;
      if (name === 'name') {
        while (p < end) {
          const sub = buf[p++]; let subSize; [subSize, p] = leb(buf, p); const subEnd = p + subSize;
          if (sub === 1) {
            let n; [n, p] = leb(buf, p);
            for (let i = 0; i < n; i++) { let idx, l; [idx, p] = leb(buf, p); [l, p] = leb(buf, p); names.set(idx, buf.subarray(p, p + l).toString()); p += l; }
          }
          p = subEnd;
        }
      }
    }
    pos = end;
  }
  const byCrate = new Map();
  let total = 0;
  bodies.forEach((size, i) => {
    const name = names.get(i + imports) || '';
    const crate = name.match(/^<?(?:&(?:mut )?)?(?:dyn )?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] || (name ? 'other' : 'unnamed');
    byCrate.set(crate, (byCrate.get(crate) || 0) + size);
    total += size;
  });
  return { total, crates: [...byCrate.entries()].sort((a, b) => b[1] - a[1]) };
}
