/**
 * A small RFC 4180 CSV reader for the bulk-invite file: quoted fields (with "" escapes, commas and line breaks
 * inside), CRLF or LF, a UTF-8 BOM, blank lines skipped. Each record keeps the 1-based line it starts on so errors
 * can name the row the user sees in a spreadsheet/editor.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let fieldQuoted = false;
  let afterQuote = false;

  const endRecord = () => {
    fields.push(field);
    // A line with nothing on it is skipped; a line of commas is a record of empty fields.
    if (!(fields.length === 1 && fields[0] === '' && !fieldQuoted)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldQuoted = false;
    afterQuote = false;
  };

  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.length > 0 || afterQuote)
        throw new CsvError(
          'A quote (") appears inside an unquoted field. Put the whole field in quotes and double the inner quotes.',
          line,
        );
      inQuotes = true;
      fieldQuoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldQuoted = false;
      afterQuote = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      if (afterQuote) throw new CsvError('Text follows a closing quote. Put the whole field in quotes.', line);
      field += c;
    }
  }
  if (inQuotes) throw new CsvError('A quoted field is not closed. Add the closing quote (").', recordLine);
  if (field.length > 0 || fields.length > 0 || fieldQuoted) endRecord();
  return records;
}

/**
 * Neutralises a value a spreadsheet would run as a formula (OWASP "CSV injection"): a leading `=`, `+`, `-`, `@`,
 * tab or carriage return (also their full-width forms) gets a leading apostrophe, so `=HYPERLINK(…)` is shown as text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (CRLF, quotes where needed) of the rows, every value formula-neutralised. The only CSV writer. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  const cell = (raw: string) => {
    const v = neutraliseFormula(raw);
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
