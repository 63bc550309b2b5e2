/** A setting is missing or unusable; raised at cold start so a misconfigured function fails loudly and at once. */
export class InvalidConfigurationError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly setting: string, problem: string) {
    super(`configuration: ${setting} ${problem}`);
    this.name = 'InvalidConfigurationError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Reads settings from the environment, naming the setting in every error. */
export class ServiceSettings {
  constructor(private readonly env: Environment) {}

  text(name: string, fallback?: string): string {
    const value = this.env[name]?.trim();
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new InvalidConfigurationError(name, 'is required but not set');
  }

  number(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new InvalidConfigurationError(name, `must be a number, got "${raw}"`);
    if (range.min !== undefined && value < range.min) throw new InvalidConfigurationError(name, `must be ≥ ${range.min}, got ${value}`);
    if (range.max !== undefined && value > range.max) throw new InvalidConfigurationError(name, `must be ≤ ${range.max}, got ${value}`);
    return value;
  }
}
