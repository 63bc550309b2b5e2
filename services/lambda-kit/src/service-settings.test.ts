import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError, ServiceSettings } from './service-settings';

describe('ServiceSettings', () => {
  const settings = new ServiceSettings({ TABLE: ' UnicornHealth ', N: '12', BAD: 'twelve', EMPTY: '' });

  it('reads text and numbers, with fallbacks', () => {
    expect(settings.text('TABLE')).toBe('UnicornHealth');
    expect(settings.text('EMPTY', 'default')).toBe('default');
    expect(settings.number('N', 1)).toBe(12);
    expect(settings.number('MISSING', 7)).toBe(7);
  });

  it.each([
    [() => settings.text('MISSING'), /MISSING is required/],
    [() => settings.text('EMPTY'), /EMPTY is required/],
    [() => settings.number('BAD', 1), /BAD must be a number, got "twelve"/],
    [() => settings.number('N', 1, { max: 10 }), /N must be ≤ 10/],
    [() => settings.number('N', 1, { min: 20 }), /N must be ≥ 20/],
  ])('names the bad setting %#', (read, message) => {
    expect(read).toThrow(InvalidConfigurationError);
    expect(read).toThrow(message);
  });
});
