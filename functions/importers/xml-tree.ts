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

export function descendants(node: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  const visit = (current: XmlNode) => {
    for (const item of current.children) {
      if (item.name === name) found.push(item);
      visit(item);
    }
  };
  visit(node);
  return found;
}
