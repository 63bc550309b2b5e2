import { describe, expect, it } from 'vitest';
import { UploadedObjectNotFoundError } from './uploaded-file-source.errors';

describe('uploaded file source errors', () => {
  it('names the missing object and carries a stable code and its cause', () => {
    // Prepare
    const cause = new Error('The specified key does not exist.');

    // Act
    const error = new UploadedObjectNotFoundError('wildrydes-data', 'uploads/fleet.ndjson', { cause });

    // Assess
    expect(error).toMatchObject({
      name: 'UploadedObjectNotFoundError', code: 'UPLOADED_OBJECT_NOT_FOUND', bucket: 'wildrydes-data', key: 'uploads/fleet.ndjson',
      message: 'no object s3://wildrydes-data/uploads/fleet.ndjson', cause,
    });
  });
});
