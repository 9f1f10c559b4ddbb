/**
 * Strict JSON with a position: where JSON.parse says only that a text is
 * wrong, this says where and why, as a compiler does (a trailing comma is
 * named at the comma). It checks the syntax; JSON.parse then reads the values.
 */

/** Where a text is not JSON: the offset of the offending character and why. */
export interface JsonProblem {
  offset: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first syntax error of a JSON text, or null when it is JSON. */
export function jsonProblem(text: string): JsonProblem | null {
  let i = 0;
  const fail = (offset: number, reason: string): never => {
    throw { offset, reason } as JsonProblem;
  };
  const show = (at: number) => (at >= text.length ? 'end of input' : `'${text[at]}'`);
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail(start, 'unterminated string');
      const c = text[i];
      if (c === '"') return void i++;
      if (c < ' ') fail(i, 'unescaped control character in a string');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(e ?? 'x')) fail(i, 'invalid escape in a string');
        i += e === 'u' ? 6 : 2;
      } else i++;
    }
  };
  const list = (close: '}' | ']', item: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === close) return void i++;
      if (text[i] !== ',') fail(i, `unexpected ${show(i)}, expected ',' or '${close}'`);
      const comma = i++;
      ws();
      if (text[i] === close) fail(comma, `unexpected ',' before '${close}'`);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      return list('}', () => {
        ws();
        if (text[i] !== '"') fail(i, `unexpected ${show(i)}, expected a property name in double quotes`);
        string();
        ws();
        if (text[i] !== ':') fail(i, `unexpected ${show(i)}, expected ':'`);
        i++;
        value();
      });
    }
    if (c === '[') return list(']', value);
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if (NUMBER.exec(text)) return void (i = NUMBER.lastIndex);
    fail(i, `unexpected ${show(i)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(i, `unexpected ${show(i)} after the end of the value`);
    return null;
  } catch (e) {
    if (typeof (e as JsonProblem).offset === 'number') return e as JsonProblem;
    throw e;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
