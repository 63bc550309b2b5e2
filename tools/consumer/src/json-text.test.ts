import { describe, expect, it } from 'vitest';
import { layoutJson, splitRecord } from './json-text';

describe('layoutJson', () => {
  it.each([
    ['{"b":1,"a":[1,2],"e":{},"f":[]}', '    ', '{\n    "b": 1,\n    "a": [\n        1,\n        2\n    ],\n    "e": {},\n    "f": []\n}'],
    ['{ "Distance" : 29.0 , "Name":"a \\" b" }', '', '{"Distance":29.0,"Name":"a \\" b"}'],
    ['{"n":1e3,"big":12345678901234567890}', '    ', '{\n    "n": 1e3,\n    "big": 12345678901234567890\n}'],
  ])('lays out %s as Go json.Indent/Compact would (tokens kept as written)', (text, indent, expected) => {
    expect(layoutJson(text, indent)).toBe(expected);
  });
});

describe('splitRecord', () => {
  it('keeps a whole JSON value, splits NDJSON, and marks lines that are not JSON', () => {
    expect(splitRecord('{\n "a": 1\n}\n')).toEqual([{ json: '{\n "a": 1\n}\n' }]);
    expect(splitRecord('{"a":1}\n\n{"a":2}\r\nnope\n')).toEqual([{ json: '{"a":1}' }, { json: '{"a":2}' }, { raw: 'nope', line: 4, problem: expect.any(String) }]);
    expect(splitRecord('  \n')).toEqual([]);
  });
});
