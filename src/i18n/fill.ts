// The one way every island, the exercise runtime and the command line put values into their sentences: a sentence
// names its values as {name}, in whichever order its language wants them.

/** Fills `{name}` placeholders from `vars`. A name with no value stays as written, so a gap shows instead of hiding. */
export function fill(template: string, vars: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}
