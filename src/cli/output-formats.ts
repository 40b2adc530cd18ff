/** The formats of tables printed to stdout (its own module: defining a command's options loads no table library). */
export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'csv', 'json'];
