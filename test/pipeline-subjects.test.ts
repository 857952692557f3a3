import { describe, expect, it } from 'vitest';
import { subjectNames } from '../src/pipeline/scan.js';

describe('subjectNames', () => {
  it('uses folder names, lengthened with parents only where they clash', () => {
    expect(subjectNames(['/src/app', '/corpus/lutece-core/files', '/corpus/plugin-rest/files'])).toEqual([
      'app',
      'lutece-core/files',
      'plugin-rest/files',
    ]);
  });

  it('numbers names only when whole paths clash', () => {
    expect(subjectNames(['/a/x', '/a/x', '/'])).toEqual(['a/x', 'a/x-2', 'root']);
  });
});
