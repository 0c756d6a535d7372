/**
 * YAML for the exporter's own files (the workspaces file, the web config). Plain data only: a
 * tag beyond the core schema's (`!!binary`, `!!set`, a custom `!foo`) is refused rather than
 * turned into a Buffer or a string with a warning, duplicate keys are errors, and an alias
 * bomb is one line, not an uncaught stack trace. Every problem is one line.
 */
import { isNode, parseDocument, visit } from 'yaml';

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: readonly string[] };

/** More aliases than this in one file is an attack, not a configuration. */
export const MAX_ALIASES = 100;

const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

export function parseYaml(text: string): YamlResult {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, schema: 'core' });
  const problems = doc.errors.map((e) => `not valid YAML: ${firstLine(e.message)}`);
  // An unresolved tag is also a warning; the visit below names it in words of its own.
  for (const warning of doc.warnings) {
    if (warning.code !== 'TAG_RESOLVE_FAILED') problems.push(`not valid YAML: ${firstLine(warning.message)}`);
  }
  visit(doc, {
    Node(_key, node) {
      if (isNode(node) && node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        problems.push(`the YAML tag ${JSON.stringify(shortTag(node.tag))} is not supported: plain strings, numbers, lists and mappings only`);
      }
    },
  });
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) as unknown };
  } catch (error) {
    return { ok: false, problems: [`not valid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`] };
  }
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').slice(0, 200);
}
