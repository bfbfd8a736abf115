// SQL text built by the program: identifiers and string literals quoted one way everywhere.

/** A table or column name as a quoted SQL identifier: "name" (inner quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string as an SQL literal: 'text' (inner quotes doubled). */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
