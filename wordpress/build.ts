/**
 * `npm run build:wordpress`: the plugin as the zip WordPress installs (Plugins → Add New → Upload),
 * every file under the folder `leserpost/`, the German .po compiled to the .mo WordPress loads.
 * No zip or msgfmt binary needed: both formats are written here with node's zlib.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export const PLUGIN_DIR = join(__dirname, 'leserpost');
export const PLUGIN_ZIP = join(__dirname, '../dist/leserpost-wordpress.zip');

/** Every file of the plugin, path inside the zip → content; .po files also as compiled .mo. */
export function pluginFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const inZip = ['leserpost', ...relative(PLUGIN_DIR, path).split(sep)].join('/');
        files.set(inZip, readFileSync(path));
        if (name.endsWith('.po'))
          files.set(inZip.replace(/\.po$/, '.mo'), compileMo(readFileSync(path, 'utf8')));
      }
    }
  };
  walk(PLUGIN_DIR);
  return files;
}

/** msgid → msgstr of a .po file (single and continued lines; no plurals or contexts needed). */
export function parsePo(po: string): Map<string, string> {
  const entries = new Map<string, string>();
  let current: { id: string; str: string } | undefined;
  let field: 'id' | 'str' = 'id';
  const unquote = (quoted: string): string => JSON.parse(quoted.replace(/\t/g, '\\t'));
  const flush = (): void => {
    if (current) entries.set(current.id, current.str);
    current = undefined;
  };
  for (const line of po.split('\n')) {
    const keyword = /^(msgid|msgstr) (".*")\s*$/.exec(line);
    if (keyword) {
      if (keyword[1] === 'msgid') {
        flush();
        current = { id: '', str: '' };
      }
      field = keyword[1] === 'msgid' ? 'id' : 'str';
      current![field] += unquote(keyword[2]!);
    } else if (/^".*"\s*$/.test(line) && current) current[field] += unquote(line.trim());
  }
  flush();
  return entries;
}

/** GNU .mo: little-endian header, two tables of (length, offset), NUL-terminated strings. */
export function compileMo(po: string): Buffer {
  const entries = [...parsePo(po)].filter(([, str]) => str !== '').sort(([a], [b]) => (a < b ? -1 : 1));
  const ids = entries.map(([id]) => Buffer.from(id, 'utf8'));
  const strs = entries.map(([, str]) => Buffer.from(str, 'utf8'));
  const headerSize = 28;
  const tableSize = 8 * entries.length;
  let offset = headerSize + 2 * tableSize;
  const header = Buffer.alloc(headerSize + 2 * tableSize);
  header.writeUInt32LE(0x950412de, 0);
  header.writeUInt32LE(0, 4);
  header.writeUInt32LE(entries.length, 8);
  header.writeUInt32LE(headerSize, 12);
  header.writeUInt32LE(headerSize + tableSize, 16);
  header.writeUInt32LE(0, 20);
  header.writeUInt32LE(offset, 24);
  const blobs: Buffer[] = [];
  [ids, strs].forEach((strings, table) => {
    strings.forEach((bytes, index) => {
      const at = headerSize + table * tableSize + index * 8;
      header.writeUInt32LE(bytes.length, at);
      header.writeUInt32LE(offset, at + 4);
      blobs.push(bytes, Buffer.alloc(1));
      offset += bytes.length + 1;
    });
  });
  return Buffer.concat([header, ...blobs]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of deflated files with a fixed date, so the same sources give the same bytes. */
export function zip(files: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosTime = 0;
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const [name, content] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = deflateRawSync(content, { level: 9 });
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, so the permissions below count
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export function buildWordPressZip(file = PLUGIN_ZIP): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, zip(pluginFiles()));
  return file;
}

if (require.main === module) {
  const file = buildWordPressZip();
  console.log(`${relative(process.cwd(), file)} (${statSync(file).size} bytes)`);
}
