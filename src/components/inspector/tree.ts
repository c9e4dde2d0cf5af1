// A decoded session as a tree of typed nodes, and that tree as escaped HTML (the same markup on the server and in the browser).
import { pyRepr } from '../../engine/python/repr.ts';
import { dictEntries, isDict, PyTuple, pyTypeName, type PyValue } from '../../engine/python/values.ts';

/** One value in the tree: its Python type, its repr, and for containers the children with their keys. */
export interface TreeNode {
  /** Python's type name: dict, list, tuple, str, int, float, bool, NoneType, bytes, Markup, UUID, datetime. */
  type: string;
  /** Python's repr of the value. */
  repr: string;
  /** For dict, list and tuple: each child with its key (repr of a dict key, or the index). */
  children?: { key: string; node: TreeNode }[];
}

/** Builds the typed tree of a decoded session value. */
export function describe(value: PyValue): TreeNode {
  const type = pyTypeName(value);
  const repr = pyRepr(value);
  if (isDict(value)) return { type, repr, children: dictEntries(value).map(([k, v]) => ({ key: pyRepr(k), node: describe(v) })) };
  if (Array.isArray(value)) return { type, repr, children: value.map((v, i) => ({ key: String(i), node: describe(v) })) };
  if (value instanceof PyTuple) return { type, repr, children: value.items.map((v, i) => ({ key: String(i), node: describe(v) })) };
  return { type, repr };
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Types Flask's tagged JSON carries beyond plain JSON, marked so the reader sees them. */
const TAGGED = new Set(['tuple', 'bytes', 'Markup', 'UUID', 'datetime']);

/**
 * The tree as nested lists: each item shows the key, a type badge and the repr (containers show their
 * children instead of a long repr). `emptyLabel` is shown for an empty container.
 */
export function treeHtml(node: TreeNode, emptyLabel = 'empty'): string {
  const item = (key: string | null, n: TreeNode): string => {
    const keyHtml = key === null ? '' : `<span class="ci-key">${escapeHtml(key)}</span><span class="ci-colon">: </span>`;
    const badge = `<span class="ci-type${TAGGED.has(n.type) ? ' ci-tagged' : ''}">${escapeHtml(n.type)}</span>`;
    if (n.children) {
      const inner = n.children.length
        ? `<ul>${n.children.map((c) => item(c.key, c.node)).join('')}</ul>`
        : ` <span class="ci-empty">${escapeHtml(emptyLabel)}</span>`;
      return `<li>${keyHtml}${badge}${inner}</li>`;
    }
    return `<li>${keyHtml}${badge} <code class="ci-repr">${escapeHtml(n.repr)}</code></li>`;
  };
  return `<ul class="ci-tree">${item(null, node)}</ul>`;
}
