/**
 * The `-- safemigrate:backfill` directive as safemigrate writes it (recipes, lint help), in the syntax
 * ./backfill.ts reads: values in `"` or `'`, with `\` escapes.
 */

/**
 * One value, in single quotes when it holds double-quoted identifiers and no single quote (so that it
 * reads as the SQL it is), else in double quotes.
 */
export function directiveValue(text: string): string {
  const quote = text.includes('"') && !text.includes("'") ? "'" : '"';
  return `${quote}${text.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`)}${quote}`;
}

export function backfillDirective(table: string, set: string, where: string | null): string {
  const condition = where === null ? "" : ` where=${directiveValue(where)}`;
  return `-- safemigrate:backfill table=${directiveValue(table)} set=${directiveValue(set)}${condition}`;
}
