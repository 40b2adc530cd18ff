/** What a benchmark case receives and returns; the runner turns CaseResults into the report. */
export interface BenchContext {
  root: string;
  /** Whole-process repetitions of every measurement. */
  runs: number;
  quick: boolean;
  /** Scratch folder for databases and logs (gitignored). */
  tmp: string;
  log(line: string): void;
  /**
   * `--against <ref>`: the builds every measurement runs on, interleaved; `root` is set to each
   * in turn while a variant runs (variants read it when they start their process).
   */
  against?: import('./against.js').Against;
}

/** One line of the report table. */
export interface Row {
  case: string;
  variant: string;
  items: number;
  /** Whole-process wall times, seconds, one per run. */
  runs: number[];
  median: number;
  spreadPct: number;
  itemsPerSec: number;
  /** Ratios, efficiencies, memory figures: free text for the table's last column. */
  detail: string;
}

export interface Target {
  case: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export interface CaseResult {
  name: string;
  title: string;
  rows: Row[];
  targets: Target[];
  notes: string[];
  /** Case-specific numbers for latest.json. */
  data?: Record<string, unknown>;
  skipped?: string;
}

export interface BenchCase {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<CaseResult>;
}
