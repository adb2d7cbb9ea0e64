import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, parseWeights, readWeightsFile } from './weights.js';

describe('weights', () => {
  it('overrides the defaults key by key', () => {
    expect(parseWeights({ reviewed: 5 })).toEqual({ ...DEFAULT_WEIGHTS, reviewed: 5 });
    expect(parseWeights({})).toEqual(DEFAULT_WEIGHTS);
  });

  it('names a wrong key, value or file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weights-'));
    const f = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    expect(readWeightsFile(f('ok.json', '{"signedOff": 3, "halfLifeYears": 1}'))).toMatchObject({ signedOff: 3, halfLifeYears: 1 });
    expect(() => readWeightsFile(f('bad.json', '{"signedOf": 3}'))).toThrow(/weights: .*bad\.json.*signedOf/);
    // A key not known is named with the one it is likely to mean: a slip, other case, or the
    // trailer's own spelling.
    expect(() => readWeightsFile(f('slip.json', '{"reviewd": 3, "Signed-off-by": 4, "Reviewed-By": 1, "bananas": 2}'))).toThrow(
      `weights: ${path.join(dir, 'slip.json')}: "reviewd" (did you mean "reviewed"?), "Signed-off-by" (did you mean "signedOff"?), "Reviewed-By" (did you mean "reviewed"?), "bananas" are not weights; the weights are authored, signedOff, reviewed, acked, tested, reported, suggested, coDeveloped, lines, halfLifeYears`,
    );
    expect(() => parseWeights({ acked: 1, codevelopedby: 2 })).toThrow('weights: "codevelopedby" (did you mean "coDeveloped"?) is not a weight; the weights are');
    expect(() => readWeightsFile(f('neg.json', '{"halfLifeYears": 0}'))).toThrow(/halfLifeYears: must be at least 0.1/);
    expect(() => readWeightsFile(f('nojson.json', '{'))).toThrow(/is not JSON/);
    // JSON, but not an object of weights: said so, not as the schema's words.
    expect(() => readWeightsFile(f('list.json', '[1]'))).toThrow(`weights: ${path.join(dir, 'list.json')}: must be a JSON object of weights, such as {"signedOff": 3}, not a list`);
    expect(() => readWeightsFile(f('null.json', 'null'))).toThrow(/: must be a JSON object of weights, such as \{"signedOff": 3\}, not null$/);
    expect(() => readWeightsFile(f('num.json', '3'))).toThrow(/not a number$/);
    expect(() => readWeightsFile(path.join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json: no such file$/);
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weights-'));
    const file = path.join(dir, 'bom.json');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"acked": 2}\r\n')]));
    expect(readWeightsFile(file)).toEqual({ ...DEFAULT_WEIGHTS, acked: 2 });
    fs.rmSync(dir, { recursive: true });
  });
});
