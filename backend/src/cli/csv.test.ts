import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, formatCsv, neutraliseFormula, parseCsv } from './csv';

describe('parseCsv', () => {
  it.each([
    [
      'a,b\n1,2\n',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'a,b\r\n1,2',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      '\uFEFFa,b\n1,2',
      [
        [1, ['a', 'b']],
        [2, ['1', '2']],
      ],
    ],
    [
      'a\n\n\nb\n',
      [
        [1, ['a']],
        [4, ['b']],
      ],
    ],
    ['"x, y","say ""hi""",z', [[1, ['x, y', 'say "hi"', 'z']]]],
    [
      '"multi\nline",2\nnext,3',
      [
        [1, ['multi\nline', '2']],
        [3, ['next', '3']],
      ],
    ],
    [',,\n', [[1, ['', '', '']]]],
    ['a,""\n', [[1, ['a', '']]]],
    ['""\n', [[1, ['']]]],
    ['', []],
  ] as const)('%j', (text, expected) => {
    expect(parseCsv(text).map((r) => [r.line, r.fields])).toEqual(expected);
  });
  it.each([
    ['a,"open\n', /not closed/, 1],
    ['a,b\nx"y,1', /inside an unquoted field/, 2],
    ['"a"b,1', /follows a closing quote/, 1],
  ])('rejects %j', (text, message, line) => {
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvError);
      expect((e as CsvError).message).toMatch(message);
      expect((e as CsvError).line).toBe(line);
    }
  });
});

describe('parseCsv round trip (property)', () => {
  const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
  it('reads back whatever a quoting writer wrote', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '1') }), {
            minLength: 1,
            maxLength: 5,
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom('\n', '\r\n'),
        (rows, eol) => {
          const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
          expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formatCsv', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '＝1'])('neutralises a formula-leading value %j', (v) => {
    expect(neutraliseFormula(v)).toBe(`'${v}`);
  });
  it('leaves ordinary values alone, quotes where needed, and reads back with the parser', () => {
    expect(neutraliseFormula('pm@tech.gov.sg')).toBe('pm@tech.gov.sg');
    const text = formatCsv([
      ['a', 'b,c', 'say "hi"'],
      ['=HYPERLINK("x")', 'line\nbreak', ''],
    ]);
    expect(text).toBe('a,"b,c","say ""hi"""\r\n"\'=HYPERLINK(""x"")","line\nbreak",\r\n');
    expect(parseCsv(text).map((r) => r.fields)).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['\'=HYPERLINK("x")', 'line\nbreak', ''],
    ]);
  });
});
