/**
 * A small, forgiving XML tree for export files. Real exports are not always well-formed (a stray
 * character before `<?xml`, unquoted attributes), so the parser runs in sax's lenient mode and
 * keeps whatever it can read.
 */
import sax from 'sax';

export interface XmlNode {
  /** Lower-cased tag name with its prefix, e.g. `wp:comment`. */
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export function parseXml(source: string): XmlNode {
  const parser = sax.parser(false, { lowercase: true, trim: false, normalize: false });
  const root: XmlNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const current = () => stack[stack.length - 1]!;
  parser.onopentag = (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes))
      attributes[name.toLowerCase()] = String(value);
    const node: XmlNode = { name: tag.name, attributes, children: [], text: '' };
    current().children.push(node);
    stack.push(node);
  };
  parser.onclosetag = () => {
    if (stack.length > 1) stack.pop();
  };
  parser.ontext = (text) => {
    current().text += text;
  };
  parser.oncdata = (text) => {
    current().text += text;
  };
  // Lenient mode still reports some errors; skip past them and keep reading.
  parser.onerror = () => {
    (parser as { error: Error | null }).error = null;
    parser.resume();
  };
  parser.write(source).close();
  return root;
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((candidate) => candidate.name === name);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((candidate) => candidate.name === name);
}

/** The trimmed text of a child element; fields may carry whitespace and newlines around them. */
export function textOf(node: XmlNode, name: string): string {
  return child(node, name)?.text.trim() ?? '';
}

/** In document order. A loop with its own stack: a broken file nests elements past the call stack. */
export function descendants(node: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  const pending = [...node.children].reverse();
  for (let current = pending.pop(); current; current = pending.pop()) {
    if (current.name === name) found.push(current);
    for (let i = current.children.length - 1; i >= 0; i--) pending.push(current.children[i]!);
  }
  return found;
}
