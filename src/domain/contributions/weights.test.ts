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
    expect(() => readWeightsFile(f('neg.json', '{"halfLifeYears": 0}'))).toThrow(/halfLifeYears: must be at least 0.1/);
    expect(() => readWeightsFile(f('nojson.json', '{'))).toThrow(/is not JSON/);
    expect(() => readWeightsFile(path.join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json: no such file$/);
  });
});
